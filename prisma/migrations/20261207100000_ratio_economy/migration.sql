-- The ratio economy (docs/members-and-staff.md#the-ratio-economy): user classes, freeleech
-- tokens, personal freeleech and double upload, the credit log (shop, bounties, grants),
-- requests with bounties, reseed requests and the members' notices.
-- AlterTable
ALTER TABLE "users" ADD COLUMN "user_class" VARCHAR(32) NOT NULL DEFAULT 'User',
ADD COLUMN "class_changed_at" TIMESTAMP(3),
ADD COLUMN "perks_month" CHAR(7),
ADD COLUMN "freeleech_tokens" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "personal_freeleech_until" TIMESTAMP(3),
ADD COLUMN "double_upload_until" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "freeleech_token_uses" (
    "user_id" INTEGER NOT NULL,
    "release_id" INTEGER NOT NULL,
    "spent_at" TIMESTAMP(3) NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "freeleech_token_uses_pkey" PRIMARY KEY ("user_id","release_id")
);

-- CreateTable
CREATE TABLE "credit_log" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "kind" VARCHAR(24) NOT NULL,
    "item" VARCHAR(32),
    "points" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "invites" INTEGER NOT NULL DEFAULT 0,
    "request_id" INTEGER,
    "release_id" INTEGER,
    "note" VARCHAR(300) NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "credit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "requests" (
    "id" SERIAL NOT NULL,
    "requester_id" INTEGER,
    "name" VARCHAR(255) NOT NULL,
    "category_id" INTEGER NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "links" VARCHAR(1000) NOT NULL DEFAULT '',
    "bounty" BIGINT NOT NULL DEFAULT 0,
    "status" VARCHAR(12) NOT NULL DEFAULT 'open',
    "filler_id" INTEGER,
    "release_id" INTEGER,
    "filled_at" TIMESTAMP(3),
    "closed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_bounties" (
    "id" SERIAL NOT NULL,
    "request_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "amount" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "request_bounties_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notices" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "kind" VARCHAR(24) NOT NULL,
    "body" VARCHAR(500) NOT NULL,
    "link" VARCHAR(200),
    "created_at" TIMESTAMP(3) NOT NULL,
    "read_at" TIMESTAMP(3),

    CONSTRAINT "notices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reseed_requests" (
    "id" SERIAL NOT NULL,
    "release_id" INTEGER NOT NULL,
    "user_id" INTEGER,
    "notified" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "reseed_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "freeleech_token_uses_expires_at_idx" ON "freeleech_token_uses"("expires_at");

-- CreateIndex
CREATE INDEX "credit_log_user_id_created_at_idx" ON "credit_log"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "credit_log_user_id_item_created_at_idx" ON "credit_log"("user_id", "item", "created_at");

-- CreateIndex
CREATE INDEX "requests_status_created_at_idx" ON "requests"("status", "created_at");

-- CreateIndex
CREATE INDEX "requests_requester_id_idx" ON "requests"("requester_id");

-- CreateIndex
CREATE INDEX "request_bounties_request_id_idx" ON "request_bounties"("request_id");

-- CreateIndex
CREATE INDEX "request_bounties_user_id_idx" ON "request_bounties"("user_id");

-- CreateIndex
CREATE INDEX "notices_user_id_created_at_idx" ON "notices"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "reseed_requests_release_id_created_at_idx" ON "reseed_requests"("release_id", "created_at");

-- AddForeignKey
ALTER TABLE "freeleech_token_uses" ADD CONSTRAINT "freeleech_token_uses_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "freeleech_token_uses" ADD CONSTRAINT "freeleech_token_uses_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "releases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_log" ADD CONSTRAINT "credit_log_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_requester_id_fkey" FOREIGN KEY ("requester_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_filler_id_fkey" FOREIGN KEY ("filler_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "requests" ADD CONSTRAINT "requests_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "releases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_bounties" ADD CONSTRAINT "request_bounties_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "request_bounties" ADD CONSTRAINT "request_bounties_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
