-- Languages (src/i18n): a member's own language, and staff texts written per language.
ALTER TABLE "users" ADD COLUMN "locale" VARCHAR(8);

ALTER TABLE "rules_sections" ADD COLUMN "locale" VARCHAR(8);
ALTER TABLE "rules_sections" ADD COLUMN "translation_of_id" INTEGER;
ALTER TABLE "rules_sections" ADD CONSTRAINT "rules_sections_translation_of_id_fkey" FOREIGN KEY ("translation_of_id") REFERENCES "rules_sections"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE UNIQUE INDEX "rules_sections_translation_of_id_locale_key" ON "rules_sections"("translation_of_id", "locale");
