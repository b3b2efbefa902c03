-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "role" AS ENUM ('member', 'uploader', 'moderator', 'admin');

-- CreateEnum
CREATE TYPE "freeleech_mode" AS ENUM ('normal', 'freeleech', 'neutral', 'double_upload');

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "username" VARCHAR(32) NOT NULL,
    "username_lower" VARCHAR(32) NOT NULL,
    "email" VARCHAR(254),
    "password_hash" TEXT NOT NULL,
    "passkey" CHAR(32) NOT NULL,
    "rss_token" CHAR(32) NOT NULL,
    "role" "role" NOT NULL DEFAULT 'member',
    "uploaded" BIGINT NOT NULL DEFAULT 0,
    "downloaded" BIGINT NOT NULL DEFAULT 0,
    "uploaded_actual" BIGINT NOT NULL DEFAULT 0,
    "downloaded_actual" BIGINT NOT NULL DEFAULT 0,
    "can_leech" BOOLEAN NOT NULL DEFAULT true,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_reason" TEXT,
    "required_ratio" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "watch_started_at" TIMESTAMP(3),
    "watch_deadline" TIMESTAMP(3),
    "watch_downloaded" BIGINT,
    "leech_withdrawn_by" VARCHAR(16),
    "bonus_points" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "invites_left" INTEGER NOT NULL DEFAULT 0,
    "invited_by_id" INTEGER,
    "udp_first" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" CHAR(64) NOT NULL,
    "user_id" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ip" VARCHAR(45),
    "user_agent" VARCHAR(255),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invites" (
    "id" SERIAL NOT NULL,
    "code" CHAR(32) NOT NULL,
    "inviter_id" INTEGER NOT NULL,
    "email" VARCHAR(254),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_by_id" INTEGER,
    "used_at" TIMESTAMP(3),

    CONSTRAINT "invites_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "categories" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "slug" VARCHAR(64) NOT NULL,
    "sort_order" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "categories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "releases" (
    "id" SERIAL NOT NULL,
    "info_hash_v1" BYTEA,
    "info_hash_v2" BYTEA,
    "info_hash_v2_short" BYTEA,
    "name" VARCHAR(255) NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "size" BIGINT NOT NULL,
    "piece_length" INTEGER NOT NULL,
    "file_count" INTEGER NOT NULL,
    "uploader_id" INTEGER,
    "category_id" INTEGER NOT NULL,
    "freeleech" "freeleech_mode" NOT NULL DEFAULT 'normal',
    "seeders" INTEGER NOT NULL DEFAULT 0,
    "leechers" INTEGER NOT NULL DEFAULT 0,
    "snatched" INTEGER NOT NULL DEFAULT 0,
    "torrent_file" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMP(3),
    "delete_reason" TEXT,

    CONSTRAINT "releases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "release_files" (
    "id" SERIAL NOT NULL,
    "release_id" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "size" BIGINT NOT NULL,

    CONSTRAINT "release_files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "peers" (
    "user_id" INTEGER NOT NULL,
    "release_id" INTEGER NOT NULL,
    "peer_id" BYTEA NOT NULL,
    "ipv4" VARCHAR(15),
    "ipv6" VARCHAR(45),
    "port" INTEGER NOT NULL,
    "uploaded" BIGINT NOT NULL DEFAULT 0,
    "downloaded" BIGINT NOT NULL DEFAULT 0,
    "left" BIGINT NOT NULL DEFAULT 0,
    "client" VARCHAR(64) NOT NULL DEFAULT '',
    "key" VARCHAR(64),
    "seeder" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_announce_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "peers_pkey" PRIMARY KEY ("user_id","release_id","peer_id")
);

-- CreateTable
CREATE TABLE "snatches" (
    "user_id" INTEGER NOT NULL,
    "release_id" INTEGER NOT NULL,
    "completed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "snatches_pkey" PRIMARY KEY ("user_id","release_id")
);

-- CreateTable
CREATE TABLE "transfers" (
    "user_id" INTEGER NOT NULL,
    "release_id" INTEGER NOT NULL,
    "uploaded" BIGINT NOT NULL DEFAULT 0,
    "downloaded" BIGINT NOT NULL DEFAULT 0,
    "uploaded_actual" BIGINT NOT NULL DEFAULT 0,
    "downloaded_actual" BIGINT NOT NULL DEFAULT 0,
    "seedtime" INTEGER NOT NULL DEFAULT 0,
    "seeding" BOOLEAN NOT NULL DEFAULT false,
    "leeching" BOOLEAN NOT NULL DEFAULT false,
    "first_announce_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_announce_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMP(3),
    "hit_and_run_at" TIMESTAMP(3),
    "hit_and_run_cleared" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "transfers_pkey" PRIMARY KEY ("user_id","release_id")
);

-- CreateTable
CREATE TABLE "traffic_daily" (
    "user_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "uploaded" BIGINT NOT NULL DEFAULT 0,
    "downloaded" BIGINT NOT NULL DEFAULT 0,
    "uploaded_actual" BIGINT NOT NULL DEFAULT 0,
    "downloaded_actual" BIGINT NOT NULL DEFAULT 0,
    "total_uploaded" BIGINT NOT NULL DEFAULT 0,
    "total_downloaded" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "traffic_daily_pkey" PRIMARY KEY ("user_id","day")
);

-- CreateTable
CREATE TABLE "site_stats_daily" (
    "day" DATE NOT NULL,
    "members" INTEGER NOT NULL DEFAULT 0,
    "releases" INTEGER NOT NULL DEFAULT 0,
    "peers" INTEGER NOT NULL DEFAULT 0,
    "seeders" INTEGER NOT NULL DEFAULT 0,
    "leechers" INTEGER NOT NULL DEFAULT 0,
    "uploaded" BIGINT NOT NULL DEFAULT 0,
    "downloaded" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "site_stats_daily_pkey" PRIMARY KEY ("day")
);

-- CreateTable
CREATE TABLE "warnings" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "by_id" INTEGER,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3),

    CONSTRAINT "warnings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "moderation_log" (
    "id" SERIAL NOT NULL,
    "actor_id" INTEGER,
    "target_user_id" INTEGER,
    "release_id" INTEGER,
    "action" VARCHAR(64) NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "details" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "moderation_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_ips" (
    "user_id" INTEGER NOT NULL,
    "ip" VARCHAR(45) NOT NULL,
    "source" VARCHAR(8) NOT NULL,
    "first_seen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_ips_pkey" PRIMARY KEY ("user_id","ip","source")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" VARCHAR(64) NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_username_lower_key" ON "users"("username_lower");

-- CreateIndex
CREATE UNIQUE INDEX "users_passkey_key" ON "users"("passkey");

-- CreateIndex
CREATE UNIQUE INDEX "users_rss_token_key" ON "users"("rss_token");

-- CreateIndex
CREATE INDEX "users_created_at_idx" ON "users"("created_at");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "invites_code_key" ON "invites"("code");

-- CreateIndex
CREATE UNIQUE INDEX "invites_used_by_id_key" ON "invites"("used_by_id");

-- CreateIndex
CREATE INDEX "invites_inviter_id_idx" ON "invites"("inviter_id");

-- CreateIndex
CREATE UNIQUE INDEX "categories_name_key" ON "categories"("name");

-- CreateIndex
CREATE UNIQUE INDEX "categories_slug_key" ON "categories"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "releases_info_hash_v1_key" ON "releases"("info_hash_v1");

-- CreateIndex
CREATE UNIQUE INDEX "releases_info_hash_v2_key" ON "releases"("info_hash_v2");

-- CreateIndex
CREATE UNIQUE INDEX "releases_info_hash_v2_short_key" ON "releases"("info_hash_v2_short");

-- CreateIndex
CREATE INDEX "releases_created_at_idx" ON "releases"("created_at");

-- CreateIndex
CREATE INDEX "releases_category_id_created_at_idx" ON "releases"("category_id", "created_at");

-- CreateIndex
CREATE INDEX "releases_seeders_idx" ON "releases"("seeders");

-- CreateIndex
CREATE INDEX "releases_leechers_idx" ON "releases"("leechers");

-- CreateIndex
CREATE INDEX "releases_snatched_idx" ON "releases"("snatched");

-- CreateIndex
CREATE INDEX "releases_size_idx" ON "releases"("size");

-- CreateIndex
CREATE INDEX "releases_name_idx" ON "releases"("name");

-- CreateIndex
CREATE INDEX "releases_name_trgm_idx" ON "releases" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "release_files_release_id_idx" ON "release_files"("release_id");

-- CreateIndex
CREATE INDEX "peers_release_id_idx" ON "peers"("release_id");

-- CreateIndex
CREATE INDEX "peers_last_announce_at_idx" ON "peers"("last_announce_at");

-- CreateIndex
CREATE INDEX "snatches_release_id_idx" ON "snatches"("release_id");

-- CreateIndex
CREATE INDEX "transfers_release_id_idx" ON "transfers"("release_id");

-- CreateIndex
CREATE INDEX "traffic_daily_day_idx" ON "traffic_daily"("day");

-- CreateIndex
CREATE INDEX "warnings_user_id_idx" ON "warnings"("user_id");

-- CreateIndex
CREATE INDEX "moderation_log_created_at_idx" ON "moderation_log"("created_at");

-- CreateIndex
CREATE INDEX "moderation_log_target_user_id_idx" ON "moderation_log"("target_user_id");

-- CreateIndex
CREATE INDEX "moderation_log_action_idx" ON "moderation_log"("action");

-- CreateIndex
CREATE INDEX "user_ips_ip_idx" ON "user_ips"("ip");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_invited_by_id_fkey" FOREIGN KEY ("invited_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invites" ADD CONSTRAINT "invites_inviter_id_fkey" FOREIGN KEY ("inviter_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invites" ADD CONSTRAINT "invites_used_by_id_fkey" FOREIGN KEY ("used_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "releases" ADD CONSTRAINT "releases_uploader_id_fkey" FOREIGN KEY ("uploader_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "releases" ADD CONSTRAINT "releases_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "release_files" ADD CONSTRAINT "release_files_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "releases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "peers" ADD CONSTRAINT "peers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "peers" ADD CONSTRAINT "peers_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "releases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snatches" ADD CONSTRAINT "snatches_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snatches" ADD CONSTRAINT "snatches_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "releases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "releases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "traffic_daily" ADD CONSTRAINT "traffic_daily_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_by_id_fkey" FOREIGN KEY ("by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_target_user_id_fkey" FOREIGN KEY ("target_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "releases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_ips" ADD CONSTRAINT "user_ips_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
