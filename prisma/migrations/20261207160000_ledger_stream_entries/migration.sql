-- The shared mode's idempotency keys: Redis stream entry ids credited by the drainer, written in
-- the same transaction as the credit (docs/scaling.md).
-- CreateTable
CREATE TABLE "ledger_stream_entries" (
    "stream" VARCHAR(200) NOT NULL,
    "entry_id" VARCHAR(40) NOT NULL,
    "committed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ledger_stream_entries_pkey" PRIMARY KEY ("stream","entry_id")
);

-- CreateIndex
CREATE INDEX "ledger_stream_entries_committed_at_idx" ON "ledger_stream_entries"("committed_at");
