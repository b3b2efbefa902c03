-- The freeleech filter (src/web/releases/search-releases.ts): bonus releases are few, and the
-- newest of them were found by walking every release newest first (a second at 1M releases
-- when none is bonus). This index holds only the bonus ones, in browse order.
-- CreateIndex
CREATE INDEX "releases_bonus_created_at_id_idx" ON "releases"("created_at", "id") WHERE "freeleech" <> 'normal';

-- A member's uploads on their profile (src/web/users/queries.ts) read the whole table
-- without it, and so did every member deletion (releases.uploader_id ON DELETE SET NULL).
-- CreateIndex
CREATE INDEX "releases_uploader_id_created_at_idx" ON "releases"("uploader_id", "created_at");
