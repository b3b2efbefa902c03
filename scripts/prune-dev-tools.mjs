// Run after `npm ci --omit=dev` (the Docker image's runtime stage). @prisma/client declares
// the Prisma CLI and TypeScript as optional peer dependencies, so npm marks them (and the CLI's
// ~120 dependencies: Prisma Studio, its engines' downloader...) `devOptional` and --omit=dev
// keeps them. The runtime never loads them: the client is compiled into dist/. This removes
// every devOptional package of package-lock.json and the command links left pointing at them.
// (--omit=optional would remove them too, but also @node-rs/argon2's prebuilt binary.)
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
let removed = 0;
for (const [where, entry] of Object.entries(lock.packages)) {
  if (!entry.devOptional || !where.startsWith('node_modules/') || !existsSync(where)) continue;
  rmSync(where, { recursive: true, force: true });
  removed++;
}
const bin = 'node_modules/.bin';
for (const name of existsSync(bin) ? readdirSync(bin) : []) {
  if (!existsSync(path.join(bin, name))) rmSync(path.join(bin, name), { force: true });
}
console.log(`removed ${removed} packages that only the Prisma CLI and TypeScript need`);
