-- The header's one unread count adds the unread notices to the unread upload matches: a
-- partial index like notifications_unread_idx keeps that count to the few unread rows.
-- CreateIndex
CREATE INDEX "notices_unread_idx" ON "notices"("user_id") WHERE read_at IS NULL;
