// Several processes on one PostgreSQL database (docs/scaling.md): work that must happen once
// runs in one of them (an advisory lock), and a catalog change made in one reaches the others
// (LISTEN/NOTIFY). Each "process" here is its own connection pool, tracker service and
// notifier, as separate processes would have. PGlite is one process's database: skipped there.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { FakeClock, systemClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { runExclusive } from '../../src/db/advisory-lock.js';
import { runRecorded } from '../../src/db/job-runs.js';
import { createPolicyJob, type PolicyJobReport } from '../../src/policy/jobs/policy-job.js';
import { Settings } from '../../src/settings.js';
import { shareCatalogSync, type CatalogNotifier } from '../../src/shared/catalog-notify.js';
import { createTrackerService, type TrackerService } from '../../src/tracker/service.js';
import { openTestDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';
import { seedUser } from '../tracker/fixtures/seed.js';

const quiet = { info() {}, warn() {}, error() {} };

describe('once-only work and catalog changes across processes', { skip: usingPostgres() ? false : 'PGlite belongs to one process' }, () => {
  let db: TestDatabase;
  let processes: Database[];

  before(async () => {
    db = await openTestDatabase();
    processes = [0, 1, 2].map(() => openDatabase({ dataDir: db.dataDir, databaseUrl: db.url }));
  });

  after(async () => {
    for (const p of processes) await p.close();
    await db.destroy();
  });

  it('runs the policy job in one process when three start it at once', { timeout: 60_000 }, async () => {
    const config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url });
    let release = (): void => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let flushes = 0;
    const jobs = await Promise.all(
      processes.map(async (p) => {
        const settings = await Settings.load(p.prisma, config);
        // the first to hold the lock waits here until the others have tried
        const tracker = { flush: async () => (flushes++, held), syncMember: async () => {} };
        return createPolicyJob({ db: p, tracker, clock: systemClock, log: quiet, settings });
      }),
    );
    const runs = jobs.map((job) => job.run());
    const firstTwo = await new Promise<PolicyJobReport[]>((resolve) => {
      const done: PolicyJobReport[] = [];
      for (const run of runs) void run.then((report) => done.push(report) === 2 && resolve(done));
    });
    assert.deepEqual(firstTwo.map((r) => r.ranElsewhere), [true, true]);
    release();
    const reports = await Promise.all(runs);
    assert.equal(reports.filter((r) => !r.ranElsewhere).length, 1);
    assert.equal(flushes, 1);
  });

  it('runs the policy job once per interval however many processes\' timers fire', { timeout: 60_000 }, async () => {
    const config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url });
    const clock = new FakeClock(Date.UTC(2030, 0, 1));
    let flushes = 0;
    const tracker = { flush: async () => void flushes++, syncMember: async () => {} };
    const jobs = await Promise.all(
      processes.map(async (p) => createPolicyJob({ db: p, tracker, clock, log: quiet, settings: await Settings.load(p.prisma, config) })),
    );
    const interval = (await Settings.load(processes[0].prisma, config)).get('jobIntervalMinutes') * 60_000;
    // nine timer ticks, three per process, spread over one interval: one run
    for (let tick = 0; tick < 9; tick++) {
      await jobs[tick % 3].runDue();
      clock.advance(interval / 10);
    }
    assert.equal(flushes, 1, 'one run in the first interval');
    // one interval after that run: the next tick, in whichever process, runs it again
    clock.advance(interval / 10);
    const reports = await Promise.all(jobs.map((job) => job.runDue()));
    assert.equal(reports.filter((r) => !r.ranElsewhere).length, 1);
    assert.equal(flushes, 2);
    // the dashboard's run does not wait for the interval
    assert.equal((await jobs[1].run()).ranElsewhere, undefined);
    assert.equal(flushes, 3);
    assert.equal((await jobs[2].runDue()).ranElsewhere, true, 'a manual run counts as the interval\'s run');
  });

  it('runs a recorded chore (the expiry sweep, the purge) once per period across processes; a failed run records nothing', async () => {
    const period = 60_000;
    let now = Date.UTC(2030, 0, 1);
    let runs = 0;
    const tick = (i: number, work = async () => void runs++) => runRecorded(processes[i % 3].sql, 'spec-chore', { now, everyMs: period }, work);
    await assert.rejects(tick(0, async () => Promise.reject(new Error('Redis away'))));
    for (let i = 0; i < 6; i++, now += period / 6) await tick(i);
    assert.equal(runs, 1, 'the failed run did not count; then one run in the period');
    assert.deepEqual(await tick(1), { ran: true, value: undefined }, 'one period after that run');
    assert.equal(runs, 2);
  });

  it('lets another process take the lock once its holder ended or its connection died', async () => {
    assert.deepEqual(await runExclusive(processes[0].sql, 'spec-lock', async () => 'first'), { ran: true, value: 'first' });
    assert.deepEqual(await runExclusive(processes[1].sql, 'spec-lock', async () => 'second'), { ran: true, value: 'second' });
    const dying = openDatabase({ dataDir: db.dataDir, databaseUrl: db.url });
    let holding = (): void => {};
    const held = new Promise<void>((resolve) => (holding = resolve));
    const run = runExclusive(dying.sql, 'spec-lock', async () => {
      holding();
      await dying.sql.query('SELECT pg_sleep(120)'); // never ends: its process dies instead
    }).catch(() => 'connection lost');
    await held;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(await runExclusive(processes[2].sql, 'spec-lock', async () => 'blocked'), { ran: false });
    await processes[0].sql.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (query LIKE 'SELECT pg_sleep(120)%'
          OR pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1))`,
      [0x5eed],
    );
    assert.equal(await run, 'connection lost');
    assert.deepEqual(await runExclusive(processes[2].sql, 'spec-lock', async () => 'after'), { ran: true, value: 'after' });
    await dying.close().catch(() => {});
  });

  it('shows a passkey reset made in one process to every process', async () => {
    const user = await seedUser(db.sql, null);
    const services: TrackerService[] = [];
    const notifiers: CatalogNotifier[] = [];
    try {
      for (const p of processes) {
        const config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url, flushIntervalMs: 3_600_000 });
        const service = createTrackerService({ config, db: p, clock: new FakeClock(), log: Fastify({ logger: false }).log });
        await service.start();
        services.push(service);
        notifiers.push(await shareCatalogSync(service, { databaseUrl: db.url, sql: p.sql, log: quiet }));
      }
      for (const s of services) assert.equal(s.catalog.userByPasskey(user.passkey)?.id, user.id);
      const passkey = randomBytes(16).toString('hex');
      await processes[0].sql.query('UPDATE users SET passkey = $1 WHERE id = $2', [passkey, user.id]);
      await services[0].syncMember(user.id);
      for (const s of services) {
        for (let waited = 0; waited < 10_000 && s.catalog.userByPasskey(passkey) === undefined; waited += 20) await new Promise((r) => setTimeout(r, 20));
        assert.equal(s.catalog.userByPasskey(passkey)?.id, user.id);
        assert.equal(s.catalog.userByPasskey(user.passkey), undefined);
      }
    } finally {
      for (const n of notifiers) await n.close();
      for (const s of services) await s.stop();
    }
  });
});
