-- News per language (docs/i18n.md, "Staff texts per language"): a post is written in the site
-- default language; a translation is a row naming its post and its language, deleted with it.
ALTER TABLE "news_posts" ADD COLUMN "locale" VARCHAR(8);
ALTER TABLE "news_posts" ADD COLUMN "translation_of_id" INTEGER;
ALTER TABLE "news_posts" ADD CONSTRAINT "news_posts_translation_of_id_fkey" FOREIGN KEY ("translation_of_id") REFERENCES "news_posts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE UNIQUE INDEX "news_posts_translation_of_id_locale_key" ON "news_posts"("translation_of_id", "locale");
