// Runs `prisma generate` as part of `npm install` without letting the Prisma CLI try to
// download its native schema engine (these machines are offline; generate never runs it).
// The CLI is a dev dependency: a production install (`npm ci --omit=dev`, the Docker image)
// has no CLI and needs no generation, since the client is compiled into dist/ by the build.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve('prisma/build/index.js');
} catch {
  console.log('prisma generate skipped: the Prisma CLI is not installed (a production install runs the client compiled into dist/)');
  process.exit(0);
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || '/bin/false',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const result = spawnSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
