import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createPostgresDatabase, pgliteDataDir, usingPostgres } from '../helpers/db.js';
import { startServerProcess } from '../helpers/process.js';

describe('the server process', () => {
  it('migrates, serves /healthz 200 and exits 0 on SIGTERM', { timeout: 400_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'seedkeep-boot-'));
    const pg = usingPostgres() ? await createPostgresDatabase() : undefined;
    try {
      const server = await startServerProcess({ DATA_DIR: dataDir, DATABASE_URL: pg?.url ?? '' });
      const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      assert.equal(response.status, 200);
      const body = (await response.json()) as { status: string; database: string };
      assert.equal(body.status, 'ok');
      assert.equal(body.database, 'up');
      assert.match(server.output(), new RegExp(`"database":"${pg ? 'postgres' : 'pglite'}"`));
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0, server.output());
      assert.match(server.output(), /shutting down/);
    } finally {
      await pg?.drop();
    }
  });

  it('starts again on the same data and applies nothing twice', { timeout: 400_000 }, async () => {
    // a blank cluster (initdb done, nothing migrated): the first start above begins from nothing
    const dataDir = mkdtempSync(path.join(tmpdir(), 'seedkeep-boot-'));
    if (!usingPostgres()) pgliteDataDir(path.join(dataDir, 'pglite'));
    const pg = usingPostgres() ? await createPostgresDatabase() : undefined;
    try {
      for (const expected of [/"applied":\["\d+_init"/, /"applied":\[\]/]) {
        const server = await startServerProcess({ DATA_DIR: dataDir, DATABASE_URL: pg?.url ?? '' });
        assert.match(server.output(), expected);
        server.child.kill('SIGINT');
        assert.equal(await server.exited, 0);
      }
    } finally {
      await pg?.drop();
    }
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
