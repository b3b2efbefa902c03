-- Browse and search at a million releases (src/web/releases/search-releases.ts).

-- Search words match a lower-case copy of the name with LIKE. ILIKE lower-cases the name
-- again for every row and every word, about ten times the cost of LIKE: a common word's
-- capped count read 70k rows in 150 ms. PostgreSQL keeps the copy in step with the name.
ALTER TABLE "releases" ADD COLUMN "name_lower" VARCHAR(255) GENERATED ALWAYS AS (lower("name")) STORED;

-- DropIndex
DROP INDEX "releases_name_trgm_idx";

-- CreateIndex
CREATE INDEX "releases_name_lower_trgm_idx" ON "releases" USING GIN ("name_lower" gin_trgm_ops);

-- Every sort ends with id as the tie-break. With id in the index the first page reads 50
-- entries; without it Postgres sorted every row sharing the value (20k releases with the same
-- seeder count, or the whole table for a category or the file count, which had no index).

-- DropIndex
DROP INDEX "releases_created_at_idx";
DROP INDEX "releases_category_id_created_at_idx";
DROP INDEX "releases_seeders_idx";
DROP INDEX "releases_leechers_idx";
DROP INDEX "releases_snatched_idx";
DROP INDEX "releases_size_idx";

-- CreateIndex
CREATE INDEX "releases_created_at_id_idx" ON "releases"("created_at", "id");
CREATE INDEX "releases_category_id_created_at_id_idx" ON "releases"("category_id", "created_at", "id");
CREATE INDEX "releases_seeders_id_idx" ON "releases"("seeders", "id");
CREATE INDEX "releases_leechers_id_idx" ON "releases"("leechers", "id");
CREATE INDEX "releases_snatched_id_idx" ON "releases"("snatched", "id");
CREATE INDEX "releases_size_id_idx" ON "releases"("size", "id");
CREATE INDEX "releases_file_count_id_idx" ON "releases"("file_count", "id");
