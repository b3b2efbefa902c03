// The books against what the clients reported: every member's actual totals, and the sums of
// the per-release transfers, the daily traffic and the peer baselines. Read with the server
// stopped (the embedded database allows one process at a time), after applying what the peer
// and transfer journals hold, as the next start would (a stop applies them only until its
// deadline: docs/operations.md, "Stopping").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/client.js';
import { checkpointJournals } from '../../src/db/journal-checkpoint.js';
import type { PeerReport } from './udp-swarm.js';

/** What each member's clients reported in total (their counters started at 0). */
export class ExpectedBooks {
  readonly uploaded = new Map<number, bigint>();
  readonly downloaded = new Map<number, bigint>();

  /** A peer whose last answered report was `up`/`down`, all credited to `member`. */
  add(member: number, up: bigint, down: bigint): void {
    this.uploaded.set(member, (this.uploaded.get(member) ?? 0n) + up);
    this.downloaded.set(member, (this.downloaded.get(member) ?? 0n) + down);
  }

  total(): { uploaded: bigint; downloaded: bigint } {
    let uploaded = 0n;
    let downloaded = 0n;
    for (const v of this.uploaded.values()) uploaded += v;
    for (const v of this.downloaded.values()) downloaded += v;
    return { uploaded, downloaded };
  }
}

/**
 * The last report of each peer that got an announce reply: what the books must hold. Counters
 * only rise within a peer's session, so the last answered report is everything it reported; a
 * report that never got a reply (or got an error packet) is not owed.
 */
export class AnsweredReports {
  readonly #last = new Map<number, PeerReport>();

  /** every peer's last answered report */
  values(): IterableIterator<PeerReport> {
    return this.#last.values();
  }

  /** for announceAll's onAnswer */
  readonly record = (report: PeerReport): void => {
    const before = this.#last.get(report.peer);
    if (!before || report.uploaded >= before.uploaded) this.#last.set(report.peer, report);
  };

  /** the peer's last answered report */
  get(peer: number): PeerReport | undefined {
    return this.#last.get(peer);
  }

  expected(): ExpectedBooks {
    const books = new ExpectedBooks();
    for (const r of this.#last.values()) books.add(r.member, r.uploaded, r.downloaded);
    return books;
  }
}

export interface BooksCheck {
  exact: boolean;
  expectedUploaded: bigint;
  /** the members' actual upload totals, summed */
  uploaded: bigint;
  /** members whose upload or download total differs from what their clients reported */
  membersWrong: number;
  lost: bigint;
  doubled: bigint;
  transfersUploaded: bigint;
  dailyUploaded: bigint;
  baselinesUploaded: bigint;
  peerRows: number;
  /** with each peer's last answered report given: its stored baseline against it (where a gap comes from) */
  baselines?: BaselineGaps;
}

/** Stored peer baselines against the peers' last answered reports, of the members whose books are wrong. */
export interface BaselineGaps {
  /** the baseline equals the report (its credit, if missing, can no longer be recovered) */
  equal: number;
  /** the baseline is behind: the peer's next announce credits the difference */
  behind: number;
  ahead: number;
  /** no stored row */
  missing: number;
}

type Row = { id: number; up: string; down: string };

export async function checkBooks(databaseUrl: string, dataDir: string, expected: ExpectedBooks, answered?: AnsweredReports): Promise<BooksCheck> {
  const scratch = databaseUrl ? mkdtempSync(path.join(tmpdir(), 'seedkeep-books-')) : dataDir;
  const db = openDatabase({ dataDir: scratch, databaseUrl });
  try {
    // a stop may leave the journals to the next start (docs/accounting.md): they are committed books
    await checkpointJournals(db.sql);
    const users = await db.sql.query<Row>('SELECT id, uploaded_actual::text AS up, downloaded_actual::text AS down FROM users');
    const sum = async (table: string, column: string): Promise<bigint> =>
      BigInt((await db.sql.query<{ s: string }>(`SELECT coalesce(sum(${column}), 0)::text AS s FROM ${table}`))[0].s);
    let membersWrong = 0;
    let uploaded = 0n;
    let lost = 0n;
    let doubled = 0n;
    for (const row of users) {
      const up = BigInt(row.up);
      const wantUp = expected.uploaded.get(row.id) ?? 0n;
      const wantDown = expected.downloaded.get(row.id) ?? 0n;
      uploaded += up;
      if (up < wantUp) lost += wantUp - up;
      if (up > wantUp) doubled += up - wantUp;
      if (up !== wantUp || BigInt(row.down) !== wantDown) membersWrong++;
    }
    const want = expected.total();
    const check = {
      expectedUploaded: want.uploaded, uploaded, membersWrong, lost, doubled,
      transfersUploaded: await sum('transfers', 'uploaded_actual'),
      dailyUploaded: await sum('traffic_daily', 'uploaded_actual'),
      baselinesUploaded: await sum('peers', 'uploaded'),
      peerRows: Number((await db.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM peers'))[0].n),
    };
    const exact = membersWrong === 0 && check.transfersUploaded === want.uploaded && check.dailyUploaded === want.uploaded && check.baselinesUploaded === want.uploaded;
    const wrong = new Set(users.filter((row) => BigInt(row.up) !== (expected.uploaded.get(row.id) ?? 0n)).map((row) => row.id));
    const baselines = answered && wrong.size > 0 ? await baselineGaps(db.sql, answered, wrong) : undefined;
    return { exact, ...check, baselines };
  } finally {
    await db.close();
    if (databaseUrl) rmSync(scratch, { recursive: true, force: true });
  }
}

/** The peer number in a bench peer id (udp-swarm.ts peerIdOf: `-qB4650-` and 12 hex digits). */
function peerNumber(hex: string): number {
  return parseInt(Buffer.from(hex, 'hex').toString('latin1').slice(8), 16);
}

async function baselineGaps(sql: { query<T>(text: string, params?: unknown[]): Promise<T[]> }, answered: AnsweredReports, members: Set<number>): Promise<BaselineGaps> {
  const rows = await sql.query<{ user_id: number; peer: string; up: string }>(
    `SELECT user_id, encode(peer_id, 'hex') AS peer, uploaded::text AS up FROM peers WHERE user_id = ANY($1::int[])`, [`{${[...members].join(',')}}`]);
  const stored = new Map(rows.map((r) => [peerNumber(r.peer), BigInt(r.up)]));
  const gaps: BaselineGaps = { equal: 0, behind: 0, ahead: 0, missing: 0 };
  for (const report of answered.values()) {
    if (!members.has(report.member)) continue;
    const up = stored.get(report.peer);
    if (up === undefined) gaps.missing++;
    else if (up === report.uploaded) gaps.equal++;
    else if (up < report.uploaded) gaps.behind++;
    else gaps.ahead++;
  }
  return gaps;
}

export function describeBooks(b: BooksCheck): string {
  const gib = (v: bigint): string => `${(Number(v) / 2 ** 30).toFixed(2)} GiB`;
  return `${b.exact ? 'exact' : 'NOT EXACT'}: members' upload ${gib(b.uploaded)} of ${gib(b.expectedUploaded)} reported ` +
    `(${b.membersWrong} members wrong, ${gib(b.lost)} lost, ${gib(b.doubled)} doubled); transfers ${gib(b.transfersUploaded)}, ` +
    `daily traffic ${gib(b.dailyUploaded)}, baselines ${gib(b.baselinesUploaded)}; ${b.peerRows} peer rows` +
    (b.baselines ? `; the wrong members' peers' baselines against their last answered report: ${b.baselines.equal} equal, ${b.baselines.behind} behind, ${b.baselines.ahead} ahead, ${b.baselines.missing} missing` : '');
}
