-- The invite tree walks from a member to whom they invited, level by level.
-- CreateIndex
CREATE INDEX "users_invited_by_id_idx" ON "users"("invited_by_id");
