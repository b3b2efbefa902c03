-- The member journal (docs/accounting.md, "The member journal"): each ledger flush appends its
-- per-(member, UTC day) credit here, in its own transaction, instead of updating one `users`
-- row and upserting one `traffic_daily` row per member; the checkpoint adds the sums to both
-- and deletes the rows. Array literals read only by the checkpoint: stored uncompressed, like
-- peer_journal's.
-- CreateTable
CREATE TABLE "member_journal" (
    "seq" BIGSERIAL NOT NULL,
    "user_ids" TEXT NOT NULL,
    "days" TEXT NOT NULL,
    "uploaded" TEXT NOT NULL,
    "downloaded" TEXT NOT NULL,
    "uploaded_actual" TEXT NOT NULL,
    "downloaded_actual" TEXT NOT NULL,

    CONSTRAINT "member_journal_pkey" PRIMARY KEY ("seq")
);

ALTER TABLE "member_journal"
  ALTER COLUMN "user_ids" SET STORAGE EXTERNAL, ALTER COLUMN "days" SET STORAGE EXTERNAL,
  ALTER COLUMN "uploaded" SET STORAGE EXTERNAL, ALTER COLUMN "downloaded" SET STORAGE EXTERNAL,
  ALTER COLUMN "uploaded_actual" SET STORAGE EXTERNAL, ALTER COLUMN "downloaded_actual" SET STORAGE EXTERNAL;

-- The checkpoint rewrites every member who was credited since the last one in one statement,
-- so most rows of a page are updated together: with full pages their new versions go to other
-- pages and every index of `users` gets an entry per update. Room for one more version of each
-- row keeps those updates HOT (in the page, no index entries); tables rewritten later keep it.
ALTER TABLE "users" SET (fillfactor = 50);
