-- The transfer journal (docs/accounting.md, "The peer journal"): each ledger flush appends its
-- per-(member, release) deltas here, in its own transaction, instead of upserting one
-- `transfers` row each; the checkpoint adds them up into `transfers` and deletes the rows.
-- Array literals read only by the checkpoint: stored uncompressed, like peer_journal's.
-- CreateTable
CREATE TABLE "transfer_journal" (
    "seq" BIGSERIAL NOT NULL,
    "user_ids" TEXT NOT NULL,
    "release_ids" TEXT NOT NULL,
    "uploaded" TEXT NOT NULL,
    "downloaded" TEXT NOT NULL,
    "uploaded_actual" TEXT NOT NULL,
    "downloaded_actual" TEXT NOT NULL,
    "seedtime" TEXT NOT NULL,
    "seeding" TEXT NOT NULL,
    "leeching" TEXT NOT NULL,
    "announced_at" TEXT NOT NULL,
    "completed_at" TEXT NOT NULL,

    CONSTRAINT "transfer_journal_pkey" PRIMARY KEY ("seq")
);

ALTER TABLE "transfer_journal"
  ALTER COLUMN "user_ids" SET STORAGE EXTERNAL, ALTER COLUMN "release_ids" SET STORAGE EXTERNAL,
  ALTER COLUMN "uploaded" SET STORAGE EXTERNAL, ALTER COLUMN "downloaded" SET STORAGE EXTERNAL,
  ALTER COLUMN "uploaded_actual" SET STORAGE EXTERNAL, ALTER COLUMN "downloaded_actual" SET STORAGE EXTERNAL,
  ALTER COLUMN "seedtime" SET STORAGE EXTERNAL, ALTER COLUMN "seeding" SET STORAGE EXTERNAL,
  ALTER COLUMN "leeching" SET STORAGE EXTERNAL, ALTER COLUMN "announced_at" SET STORAGE EXTERNAL,
  ALTER COLUMN "completed_at" SET STORAGE EXTERNAL;
