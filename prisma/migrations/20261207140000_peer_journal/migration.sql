-- The peer journal (docs/accounting.md, "The peer journal"): each ledger flush appends the
-- peers it changed here, in its own transaction, instead of upserting one `peers` row per
-- peer; the checkpoint applies the latest state of each peer to `peers` and deletes the rows.
-- The columns are array literals read only by the checkpoint: stored uncompressed, as
-- compressing them would cost the flush CPU for rows that live seconds.
-- CreateTable
CREATE TABLE "peer_journal" (
    "seq" BIGSERIAL NOT NULL,
    "user_ids" TEXT NOT NULL,
    "release_ids" TEXT NOT NULL,
    "peer_ids" TEXT NOT NULL,
    "ipv4s" TEXT NOT NULL,
    "ipv6s" TEXT NOT NULL,
    "ports" TEXT NOT NULL,
    "uploaded" TEXT NOT NULL,
    "downloaded" TEXT NOT NULL,
    "lefts" TEXT NOT NULL,
    "clients" TEXT NOT NULL,
    "keys" TEXT NOT NULL,
    "seeders" TEXT NOT NULL,
    "actives" TEXT NOT NULL,
    "announced_at" TEXT NOT NULL,

    CONSTRAINT "peer_journal_pkey" PRIMARY KEY ("seq")
);

ALTER TABLE "peer_journal"
  ALTER COLUMN "user_ids" SET STORAGE EXTERNAL, ALTER COLUMN "release_ids" SET STORAGE EXTERNAL,
  ALTER COLUMN "peer_ids" SET STORAGE EXTERNAL, ALTER COLUMN "ipv4s" SET STORAGE EXTERNAL,
  ALTER COLUMN "ipv6s" SET STORAGE EXTERNAL, ALTER COLUMN "ports" SET STORAGE EXTERNAL,
  ALTER COLUMN "uploaded" SET STORAGE EXTERNAL, ALTER COLUMN "downloaded" SET STORAGE EXTERNAL,
  ALTER COLUMN "lefts" SET STORAGE EXTERNAL, ALTER COLUMN "clients" SET STORAGE EXTERNAL,
  ALTER COLUMN "keys" SET STORAGE EXTERNAL, ALTER COLUMN "seeders" SET STORAGE EXTERNAL,
  ALTER COLUMN "actives" SET STORAGE EXTERNAL, ALTER COLUMN "announced_at" SET STORAGE EXTERNAL;
