// The migration that replaced the "UDP first" checkbox (users.udp_first) by the choice of
// announce tiers (users.announce_tiers): members keep what their torrents meant to them,
// except that the old default, [[http], [udp]], becomes the new one, HTTP only.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrate, readMigrations } from '../../src/db/migrate.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';

const STAMP = '20261206110000';

/** The migrations before this one, in a directory of their own. */
function migrationsBefore(stamp: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'seedkeep-migrations-'));
  for (const migration of readMigrations().filter((m) => m.name < stamp)) {
    mkdirSync(path.join(dir, migration.name));
    writeFileSync(path.join(dir, migration.name, 'migration.sql'), migration.sql);
  }
  return dir;
}

describe('announce tiers migration', () => {
  let db: TestDatabase;
  let oldDir: string;

  before(async () => {
    db = await openTestDatabase({ migrate: false });
    oldDir = migrationsBefore(STAMP);
    await migrate(db.sql, oldDir);
  });
  after(async () => {
    await db.destroy();
    rmSync(oldDir, { recursive: true, force: true });
  });

  it('turns udp_first into UDP first and everyone else into HTTP only, the new default', async () => {
    const insert = (name: string, udpFirst: boolean) =>
      db.sql.query(
        `INSERT INTO users (username, username_lower, password_hash, passkey, rss_token, udp_first)
         VALUES ($1::text, $1::text, 'x', md5($1::text), md5($1::text || 'rss'), $2)`,
        [name, udpFirst],
      );
    await insert('udpfan', true);
    await insert('default', false);
    const result = await migrate(db.sql);
    assert.ok(result.applied.some((name) => name.startsWith(STAMP)));
    const rows = await db.sql.query<{ username: string; announce_tiers: string }>('SELECT username, announce_tiers FROM users ORDER BY username');
    assert.deepEqual(rows.map((r) => [r.username, r.announce_tiers]), [['default', 'http_only'], ['udpfan', 'udp_first']]);
    const columns = await db.sql.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'udp_first'");
    assert.equal(columns.length, 0);
    await db.sql.query(`INSERT INTO users (username, username_lower, password_hash, passkey, rss_token) VALUES ('newbie', 'newbie', 'x', md5('n'), md5('nr'))`);
    assert.equal((await db.sql.query<{ announce_tiers: string }>(`SELECT announce_tiers FROM users WHERE username = 'newbie'`))[0].announce_tiers, 'http_only');
  });
});
