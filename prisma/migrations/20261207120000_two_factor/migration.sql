-- Two-factor login (TOTP): the member's secret (pending until confirmed with a code), the last
-- accepted time step (a code works once), and ten single-use recovery codes hashed with argon2id.
-- AlterTable
ALTER TABLE "users" ADD COLUMN "totp_secret" VARCHAR(64),
ADD COLUMN "totp_enabled_at" TIMESTAMP(3),
ADD COLUMN "totp_pending_secret" VARCHAR(64),
ADD COLUMN "totp_last_step" INTEGER;

-- CreateTable
CREATE TABLE "recovery_codes" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "code_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),

    CONSTRAINT "recovery_codes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "recovery_codes_user_id_idx" ON "recovery_codes"("user_id");

-- AddForeignKey
ALTER TABLE "recovery_codes" ADD CONSTRAINT "recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
