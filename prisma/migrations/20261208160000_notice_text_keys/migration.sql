-- Notices and the system's inbox messages are shown in the reader's language: they keep a
-- catalog key and its values (docs/i18n.md); `body` stays the English text, which old rows and
-- readers without the key (the JSON API) show.
-- AlterTable
ALTER TABLE "notices" ADD COLUMN "text_key" VARCHAR(64),
ADD COLUMN "text_params" JSONB;

-- AlterTable
ALTER TABLE "ticket_messages" ADD COLUMN "text_key" VARCHAR(64),
ADD COLUMN "text_params" JSONB;

-- AlterTable
ALTER TABLE "tickets" ADD COLUMN "subject_key" VARCHAR(64),
ADD COLUMN "subject_params" JSONB;
