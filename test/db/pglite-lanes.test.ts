// PGlite's one connection has a foreground and a background lane (src/db/pglite-lanes.ts): the
// tracker's flush transactions let pages go first, without changing what each transaction
// holds. Ordering assertions only.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ConnectionLanes } from '../../src/db/pglite-lanes.js';
import { PGliteProxy } from '../../src/db/pglite-proxy.js';
import { pgliteDataDir } from '../helpers/db.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the lanes of one connection (ConnectionLanes)', () => {
  it('starts a background transaction only once the page being answered has ended', async () => {
    const lanes = new ConnectionLanes(60_000);
    const endPage = lanes.beginPage();
    let started = false;
    const background = lanes.acquireBackground().then(() => (started = true));
    for (let i = 0; i < 5; i++) await turn();
    assert.equal(started, false);
    assert.equal(lanes.free, true, 'the page\'s own statements go straight through');
    endPage();
    await background;
    assert.equal(lanes.free, false);
    lanes.release();
  });

  it('lets foreground transactions that queued later go before a waiting background one', async () => {
    const lanes = new ConnectionLanes(60_000);
    const order: string[] = [];
    await lanes.acquire();
    const background = lanes.acquireBackground().then(() => order.push('background'));
    const foreground = lanes.acquire().then(() => {
      order.push('foreground');
      lanes.release();
    });
    lanes.release();
    await Promise.all([background, foreground]);
    lanes.release();
    assert.deepEqual(order, ['foreground', 'background']);
  });

  it('starts a background transaction after its deferral even while pages never end (no starvation)', async () => {
    const lanes = new ConnectionLanes(20);
    lanes.beginPage();
    await lanes.acquireBackground();
    assert.equal(lanes.free, false);
    lanes.release();
  });

  it('counts a page once however often its end is called', async () => {
    const lanes = new ConnectionLanes(60_000);
    const end = lanes.beginPage();
    end();
    end();
    assert.equal(lanes.pages, 0);
  });
});

describe('a page on PGlite while a flush of many parts runs (PGliteProxy)', { timeout: 180_000 }, () => {
  let proxy: PGliteProxy;
  let dir: string;
  before(async () => {
    dir = pgliteDataDir();
    // no deferral limit within the spec: a loaded machine must not change the order
    proxy = new PGliteProxy(dir, { backgroundDeferMs: 600_000 });
    await proxy.exec('CREATE TABLE credit (part int, n int); CREATE TABLE page (id int)');
  });
  after(async () => {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers all of the page\'s queries, one after another, before the flush\'s next part starts', async () => {
    const PARTS = 6;
    const QUERIES = 8;
    const events: string[] = [];
    let firstPartOpen: () => void = () => {};
    const inFirstPart = new Promise<void>((resolve) => (firstPartOpen = resolve));
    // the flush: one background transaction per part, several statements each, a pause between parts
    const flush = (async () => {
      for (let part = 1; part <= PARTS; part++) {
        await proxy.transaction(async (tx) => {
          events.push(`part ${part}`);
          if (part === 1) firstPartOpen();
          for (let n = 0; n < 3; n++) await tx.query('INSERT INTO credit SELECT $1, g FROM generate_series(1, 2000) g', [part]);
        }, { background: true });
        await turn();
      }
      events.push('flush end');
    })();
    await inFirstPart;
    const endPage = proxy.beginPage();
    for (let q = 0; q < QUERIES; q++) await proxy.query('SELECT count(*) FROM page');
    events.push('page answered');
    endPage();
    await flush;
    assert.deepEqual(events.slice(0, 2), ['part 1', 'page answered'], events.join(', '));
    assert.equal(events.at(-1), 'flush end');
    const [row] = (await proxy.query<{ n: number }>('SELECT count(*)::int AS n FROM credit')).rows;
    assert.equal(row.n, PARTS * 3 * 2000, 'every part committed whole');
  });

  it('keeps a page\'s statements out of a background transaction that is open', async () => {
    let open: () => void = () => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const background = proxy.transaction(async (tx) => {
      await tx.exec('INSERT INTO page VALUES (1)');
      open();
      await finished;
      throw new Error('rolled back');
    }, { background: true });
    await opened;
    const endPage = proxy.beginPage();
    const read = proxy.query<{ n: number }>('SELECT count(*)::int AS n FROM page');
    finish();
    await assert.rejects(background, /rolled back/);
    assert.equal((await read).rows[0].n, 0, 'the page read after the ROLLBACK, not inside the transaction');
    endPage();
  });
});
