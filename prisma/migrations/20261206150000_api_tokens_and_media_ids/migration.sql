-- Personal API tokens for Torznab and the JSON API (src/web/api/), stored as SHA-256, and the
-- optional media ids Torznab searches releases by (IMDb, TMDB, TVDB).
-- AlterTable
ALTER TABLE "releases" ADD COLUMN     "imdb_id" VARCHAR(12),
ADD COLUMN     "tmdb_id" INTEGER,
ADD COLUMN     "tvdb_id" INTEGER;

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "prefix" VARCHAR(12) NOT NULL,
    "scopes" VARCHAR(32) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "releases_imdb_id_idx" ON "releases"("imdb_id");

-- CreateIndex
CREATE INDEX "releases_tmdb_id_idx" ON "releases"("tmdb_id");

-- CreateIndex
CREATE INDEX "releases_tvdb_id_idx" ON "releases"("tvdb_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
