import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { openDatabase } from '../../src/db/client.js';
import { verifyPassword } from '../../src/web/auth/password.js';
import { createUser } from '../../src/web/users/create-user.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { RUN_TS } from '../helpers/ts-run.js';

const run = promisify(execFile);

/** `npm run admin -- …` as an operator runs it, on the test database (closed meanwhile: PGlite allows one process). */
async function admin(db: TestDatabase, args: string[], password?: string) {
  const env = { ...process.env, DATA_DIR: db.dataDir, DATABASE_URL: db.url, LOG_LEVEL: 'silent', SEEDKEEP_PASSWORD: password ?? '' };
  return run(process.execPath, [...RUN_TS, 'src/cli/admin.ts', ...args], { env, timeout: 180_000 }).then(
    (out) => ({ code: 0, ...out }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe('admin CLI: password', () => {
  let db: TestDatabase;
  let userId = 0;

  before(async () => {
    db = await openTestDatabase();
    const user = await createUser({ prisma: db.prisma, username: 'erin', password: 'erin-password-1', email: null, uploadCredit: 0n });
    userId = user.id;
    await db.prisma.session.createMany({
      data: ['a', 'b'].map((c) => ({ id: c.repeat(64), userId, expiresAt: new Date(Date.now() + 86400_000) })),
    });
    await db.close();
  });
  after(() => db.destroy());

  it('sets a new password from SEEDKEEP_PASSWORD and ends the member’s sessions', async () => {
    const result = await admin(db, ['password', 'Erin'], 'erin has a new one');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /password of erin changed; 2 session/);
    const check = openDatabase({ dataDir: db.dataDir, databaseUrl: db.url });
    try {
      const user = await check.prisma.user.findUniqueOrThrow({ where: { id: userId } });
      assert.ok(await verifyPassword(user.passwordHash, 'erin has a new one'));
      assert.equal(await check.prisma.session.count({ where: { userId } }), 0);
    } finally {
      await check.close();
    }
  });

  it('refuses an unknown member and a password that breaks the rules, changing nothing', async () => {
    const unknown = await admin(db, ['password', 'nobody'], 'a long enough password');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no member named nobody/);
    const short = await admin(db, ['password', 'erin'], 'short');
    assert.equal(short.code, 1);
    assert.match(short.stderr, /at least 10/);
  });
});
