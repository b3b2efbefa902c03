-- Privacy: who sees a member's seeding, leeching and snatched lists, history and clients
-- (staff only by default). Bookmarks, saved searches (notification filters) and the
-- notifications new uploads make for them.
-- CreateEnum
CREATE TYPE "visibility" AS ENUM ('nobody', 'staff', 'members');

-- AlterTable
ALTER TABLE "users" ADD COLUMN "lists_visible_to" "visibility" NOT NULL DEFAULT 'staff';

-- CreateTable
CREATE TABLE "bookmarks" (
    "user_id" INTEGER NOT NULL,
    "release_id" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "bookmarks_pkey" PRIMARY KEY ("user_id","release_id")
);

-- CreateTable
CREATE TABLE "notification_filters" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "words" TEXT[] NOT NULL,
    "category_id" INTEGER,
    "freeleech_only" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "notification_filters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "filter_id" INTEGER NOT NULL,
    "release_id" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "read_at" TIMESTAMP(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "bookmarks_user_id_created_at_idx" ON "bookmarks"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "bookmarks_release_id_idx" ON "bookmarks"("release_id");

-- CreateIndex
CREATE INDEX "notification_filters_user_id_idx" ON "notification_filters"("user_id");

-- CreateIndex
CREATE INDEX "notification_filters_words_idx" ON "notification_filters" USING GIN ("words");

-- CreateIndex
CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "notifications_release_id_idx" ON "notifications"("release_id");

-- CreateIndex
CREATE INDEX "notifications_unread_idx" ON "notifications"("user_id") WHERE read_at IS NULL;

-- CreateIndex
CREATE UNIQUE INDEX "notifications_filter_id_release_id_key" ON "notifications"("filter_id", "release_id");

-- AddForeignKey
ALTER TABLE "bookmarks" ADD CONSTRAINT "bookmarks_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookmarks" ADD CONSTRAINT "bookmarks_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "releases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_filters" ADD CONSTRAINT "notification_filters_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_filters" ADD CONSTRAINT "notification_filters_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_filter_id_fkey" FOREIGN KEY ("filter_id") REFERENCES "notification_filters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "releases"("id") ON DELETE CASCADE ON UPDATE CASCADE;
