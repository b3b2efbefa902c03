// Catalog changes reaching every process (docs/scaling.md): with several tracker processes on
// one PostgreSQL database, a member's passkey reset, download right or account state, and a
// release's upload, edit, traffic rule or deletion are made in one process and must reach the
// in-memory catalogs of all of them. The process that changed the row re-reads it as before
// and sends a PostgreSQL NOTIFY; every other process LISTENs and re-reads the row too.
// NOTIFY is delivered only at COMMIT and to live sessions, within milliseconds.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { SqlDriver } from '../db/driver.js';
import type { TrackerService } from '../tracker/service.js';

export const CATALOG_CHANNEL = 'seedkeep_catalog';

export interface CatalogChange {
  kind: 'member' | 'release';
  id: number;
}

export interface CatalogNotifier {
  publish(change: CatalogChange): Promise<void>;
  close(): Promise<void>;
}

export interface NotifierOptions {
  databaseUrl: string;
  sql: SqlDriver;
  /** a change made by another process */
  onChange(change: CatalogChange): Promise<void>;
  log: { warn(details: object, message: string): void };
  /** wait before listening again after the connection is lost, ms */
  reconnectMs?: number;
}

/** Listens on its own connection (a pooled one cannot hold LISTEN) and reconnects when it drops. */
export async function startCatalogNotifier(options: NotifierOptions): Promise<CatalogNotifier> {
  const origin = randomUUID().slice(0, 8);
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const onNotification = (message: pg.Notification): void => {
    const change = parse(message.payload ?? '', origin);
    if (change) options.onChange(change).catch((err: unknown) => options.log.warn({ err, change }, 'catalog change could not be applied'));
  };

  const listen = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.databaseUrl });
    next.on('notification', onNotification);
    next.on('error', (err) => {
      options.log.warn({ err }, 'catalog notifications: connection lost; changes made meanwhile by other processes are missed');
      next.end().catch(() => {});
      if (!closed) retry = setTimeout(() => listen().catch(() => {}), options.reconnectMs ?? 1000);
    });
    await next.connect();
    await next.query(`LISTEN ${CATALOG_CHANNEL}`);
    client = next;
  };
  await listen();

  return {
    async publish(change) {
      await options.sql.query('SELECT pg_notify($1, $2)', [CATALOG_CHANNEL, `${origin}:${change.kind}:${change.id}`]);
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}

/** `<origin>:<kind>:<id>`; null for our own notifications and anything malformed. */
function parse(payload: string, self: string): CatalogChange | null {
  const match = /^([0-9a-f]{8}):(member|release):(\d+)$/.exec(payload);
  if (!match || match[1] === self) return null;
  return { kind: match[2] as CatalogChange['kind'], id: Number(match[3]) };
}

/**
 * Makes the service's catalog sync tell the other processes too; their notifications re-read
 * the row here without being sent on again.
 */
export async function shareCatalogSync(tracker: TrackerService, options: Omit<NotifierOptions, 'onChange'>): Promise<CatalogNotifier> {
  const syncMember = tracker.syncMember.bind(tracker);
  const syncRelease = tracker.syncRelease.bind(tracker);
  const notifier = await startCatalogNotifier({
    ...options,
    onChange: (change) => (change.kind === 'member' ? syncMember(change.id) : syncRelease(change.id)),
  });
  tracker.syncMember = async (id) => {
    await syncMember(id);
    await notifier.publish({ kind: 'member', id });
  };
  tracker.syncRelease = async (id) => {
    await syncRelease(id);
    await notifier.publish({ kind: 'release', id });
  };
  return notifier;
}
