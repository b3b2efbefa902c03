-- One row per ledger batch the tracker committed (src/db/tracker-store.ts flushLedgerBatch).
-- A flush whose COMMIT acknowledgement was lost cannot tell whether it committed; it retries
-- the same batch with the same id, and the insert of this row (ON CONFLICT DO NOTHING, which
-- waits for a still-running original) says whether the batch is already in: then it is
-- skipped, so no delta is applied twice. Rows are purged after a day.

-- CreateTable
CREATE TABLE "ledger_batches" (
    "id" UUID NOT NULL,
    "committed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_batches_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ledger_batches_committed_at_idx" ON "ledger_batches"("committed_at");
