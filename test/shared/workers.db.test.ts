// WORKERS=2 (src/supervisor.ts): one primary and two workers sharing PORT and UDP_PORT over one
// Redis and PostgreSQL. A UDP connect answered by either worker validates at both (the ids are
// keyed by TRACKER_SECRET); a worker killed with SIGKILL is replaced; SIGTERM to the primary
// stops every worker and exits 0. PostgreSQL only (the embedded database is one process's).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerProcess } from '../helpers/process.js';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';
import { redisAvailable, uniquePrefix } from '../helpers/redis.js';
import { seedRelease, seedUser, type SeededRelease, type SeededUser } from '../tracker/fixtures/seed.js';
import { announcePacket, errorText, passkeyOption, UdpTestClient } from '../tracker/udp-client.js';
import { announceTo, failureOf, siteEnv, startTracker, stopSite } from './fixtures/fleet.js';

const available = usingPostgres() && (await redisAvailable());
const skip = !usingPostgres() ? 'PGlite belongs to one process: run under TEST_DATABASE_URL' : available ? false : 'no Redis on this machine';
const PORT = 7340;
const UDP_PORT = 7341;

function readyWorkers(output: string): number[] {
  return output
    .split('\n')
    .filter((line) => line.includes('seedkeep is ready'))
    .map((line) => (JSON.parse(line) as { pid: number }).pid);
}

async function until(check: () => boolean, what: string, ms = 180_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('WORKERS=2', { skip, timeout: 600_000 }, () => {
  const prefix = uniquePrefix();
  let db: TestDatabase;
  let user: SeededUser;
  let release: SeededRelease;
  let tracker: ServerProcess;

  before(async () => {
    db = await openTestDatabase();
    user = await seedUser(db.sql, null);
    release = await seedRelease(db.sql, null);
    tracker = await startTracker(siteEnv(db.url, prefix), PORT, UDP_PORT, { WORKERS: '2' });
    await until(() => readyWorkers(tracker.output()).length === 2, 'two workers');
  });

  after(() => stopSite(prefix, db));

  const peer = (n: number) => ({ passkey: user.passkey, infoHash: release.v1!, peerId: `-qB4650-w${n}-`, port: 30_000 + n, uploaded: 0n, downloaded: 0n, left: 10n, key: `k${n}` });

  it('answers UDP announces on the shared port, whichever worker read the connect', async () => {
    const udp = await UdpTestClient.open({ host: '127.0.0.1', port: UDP_PORT });
    try {
      for (let n = 0; n < 12; n++) {
        const connectionId = await udp.connect();
        const reply = await udp.request(announcePacket({ connectionId, peerId: Buffer.from(`-qB4650-u${String(n).padStart(11, '0')}`), infoHash: release.v1!, event: 3, options: passkeyOption(user.passkey) }), 10_000);
        assert.equal(errorText(reply), null);
        assert.equal(reply?.readUInt32BE(0), 1, 'an announce reply');
      }
    } finally {
      await udp.close();
    }
  });

  it('replaces a worker killed with SIGKILL and keeps answering', async () => {
    const [first] = readyWorkers(tracker.output());
    process.kill(first, 'SIGKILL');
    await until(() => readyWorkers(tracker.output()).length === 3, 'a replacement worker');
    for (let n = 0; n < 6; n++) assert.equal(failureOf(await announceTo(PORT, { ...peer(n), event: 'stopped' })), null);
  });

  it('stops every worker and exits 0 on SIGTERM', async () => {
    const workers = readyWorkers(tracker.output());
    tracker.child.kill('SIGTERM');
    assert.equal(await tracker.exited, 0);
    assert.deepEqual(workers.filter(alive), [], 'no worker left behind');
  });
});
