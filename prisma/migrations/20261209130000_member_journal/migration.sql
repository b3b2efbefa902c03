-- The member journal (docs/accounting.md, "The journals"): each ledger flush appends its
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
