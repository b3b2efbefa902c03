// Every request the web answers (pages, the API, /healthz) counts as a page on PGlite's one
// connection while it is answered, so the tracker's flush lets its queries go first
// (src/db/pglite-lanes.ts). The tracker's own routes read no table: they are left out, or a
// load of HTTP announces would hold every flush back.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SqlDriver } from '../db/driver.js';

const TRACKER_ROUTE = /(^|\/)(announce|scrape)(\/|$)/;

export function installPageLane(app: FastifyInstance, sql: Pick<SqlDriver, 'beginPage'>): void {
  const ends = new WeakMap<FastifyRequest, () => void>();
  const end = async (request: FastifyRequest): Promise<void> => {
    ends.get(request)?.();
    ends.delete(request);
  };
  app.addHook('onRequest', async (request) => {
    if (!TRACKER_ROUTE.test(request.routeOptions.url ?? '')) ends.set(request, sql.beginPage());
  });
  app.addHook('onResponse', end);
  app.addHook('onRequestAbort', end);
}
