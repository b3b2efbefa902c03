import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPostgresDatabase, usingPostgres } from '../helpers/db.js';
import { killServerProcesses, startServerProcess } from '../helpers/process.js';

describe('the server process', () => {
  // One data directory (or database) for both starts: the second start is a restart on what
  // the first one migrated, so the suite pays for one migration from nothing, not two.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'seedkeep-boot-'));
  let pg: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  const env = (): Record<string, string> => ({ DATA_DIR: dataDir, DATABASE_URL: pg?.url ?? '' });

  before(async () => {
    pg = usingPostgres() ? await createPostgresDatabase() : undefined;
  });

  after(async () => {
    await killServerProcesses();
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates from nothing, serves /healthz 200 and exits 0 on SIGTERM', { timeout: 400_000 }, async () => {
    const server = await startServerProcess(env());
    assert.match(server.output(), /"applied":\["\d+_init"/);
    const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; database: string };
    assert.equal(body.status, 'ok');
    assert.equal(body.database, 'up');
    assert.match(server.output(), new RegExp(`"database":"${pg ? 'postgres' : 'pglite'}"`));
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0, server.output());
    assert.match(server.output(), /shutting down/);
  });

  it('starts again on the same data, applies nothing twice and exits 0 on SIGINT', { timeout: 400_000 }, async () => {
    const server = await startServerProcess(env());
    assert.match(server.output(), /"applied":\[\]/);
    server.child.kill('SIGINT');
    assert.equal(await server.exited, 0);
  });
});

describe('/healthz', () => {
  it('answers 503 when the database is unreachable', async () => {
    const { buildTestApp } = await import('../helpers/app.js');
    const t = await buildTestApp();
    try {
      assert.equal((await t.app.inject('/healthz')).statusCode, 200);
      const original = t.db.sql.query;
      t.db.sql.query = async () => {
        throw new Error('connection lost');
      };
      const down = await t.app.inject('/healthz');
      t.db.sql.query = original;
      assert.equal(down.statusCode, 503);
      assert.equal(down.json().database, 'down');
    } finally {
      await t.close();
    }
  });
});
