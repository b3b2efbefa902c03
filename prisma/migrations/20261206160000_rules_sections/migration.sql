-- Staff-written rules and FAQ sections (src/web/rules): Markdown bodies, ordered per page.
-- CreateTable
CREATE TABLE "rules_sections" (
    "id" SERIAL NOT NULL,
    "page" VARCHAR(8) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "body" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rules_sections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "rules_sections_page_position_idx" ON "rules_sections"("page", "position");
