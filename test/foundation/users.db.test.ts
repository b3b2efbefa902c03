import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUser } from '../../src/web/users/create-user.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';

describe('creating members', () => {
  let db: TestDatabase;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.destroy());

  it('makes the first account the admin and later ones members', async () => {
    const first = await createUser({ prisma: db.prisma, username: 'Founder', password: 'correct horse battery' });
    const second = await createUser({ prisma: db.prisma, username: 'member2', password: 'correct horse battery' });
    assert.equal(first.role, 'admin');
    assert.equal(second.role, 'member');
    assert.match(first.passkey, /^[0-9a-f]{32}$/);
    assert.notEqual(first.passkey, second.passkey);
  });

  it('keeps usernames unique regardless of case', async () => {
    await assert.rejects(
      createUser({ prisma: db.prisma, username: 'FOUNDER', password: 'another good password' }),
      { message: 'auth.register.usernameTaken' }, // a catalog key: pages show it in the reader's language
    );
  });

  it('stores an argon2id hash, never the password', async () => {
    const row = await db.prisma.user.findUniqueOrThrow({ where: { usernameLower: 'founder' }, select: { passwordHash: true } });
    assert.match(row.passwordHash, /^\$argon2id\$/);
  });
});
