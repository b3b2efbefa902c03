-- The last run of each scheduled site-wide job (the policy job), so that several processes run
-- it once per interval between them, not once each (docs/scaling.md).
-- CreateTable
CREATE TABLE "job_runs" (
    "name" VARCHAR(64) NOT NULL,
    "last_run_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_runs_pkey" PRIMARY KEY ("name")
);
