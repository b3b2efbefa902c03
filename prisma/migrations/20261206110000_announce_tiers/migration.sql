-- The UDP tier becomes opt-in: most clients (rTorrent, Transmission, aria2) cannot send the
-- passkey over UDP (BEP 41), so a downloaded torrent is HTTP-only unless the member chooses
-- "HTTP, then UDP" or "UDP first". Members who had ticked "UDP first" keep it; the others
-- (who had [[http], [udp]]) get the new default, HTTP only.
-- CreateEnum
CREATE TYPE "announce_tiers" AS ENUM ('http_only', 'http_then_udp', 'udp_first');

-- AlterTable
ALTER TABLE "users" ADD COLUMN "announce_tiers" "announce_tiers" NOT NULL DEFAULT 'http_only';

UPDATE "users" SET "announce_tiers" = 'udp_first' WHERE "udp_first";

-- AlterTable
ALTER TABLE "users" DROP COLUMN "udp_first";
