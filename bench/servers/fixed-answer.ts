// The ceiling of seedkeep's HTTP transport: its announce fast path (src/tracker/http/fast-path.ts:
// request head, query parse, bencoded reply, one write) in front of a core that answers every
// announce with the same result (counts and 50 compact peers), so no tracker work at all: no
// member or release lookup, no swarm, no ledger, no database. What seedkeep's own row falls
// short of this is the tracker's work; what this row falls short of the trivial node:http
// responder is the transport's (what holds the HTTP ratio, bench/README.md).
// Runs dist/ like bench/servers/seedkeep.ts (SEEDKEEP_CODE=src: the sources).
import { createServer } from 'node:http';
import type { AnnounceResult, TrackerCore } from '../../src/tracker/core/types.js';

const code = process.env.SEEDKEEP_CODE === 'src' ? '../../src' : '../../dist';
const { installFastPath } = (await import(`${code}/tracker/http/fast-path.js`)) as typeof import('../../src/tracker/http/fast-path.js');

const result: AnnounceResult = {
  interval: 1800,
  minInterval: 300,
  complete: 3,
  incomplete: 5,
  downloaded: 7,
  compact4: Buffer.alloc(50 * 6, 7),
  compact6: Buffer.alloc(0),
  peers4: [],
  peers6: [],
};
const core: TrackerCore = { announce: () => result, scrape: () => [] };

const port = Number(process.argv[2]);
const server = createServer((_request, response) => response.writeHead(404).end());
installFastPath(server, { core: () => core });
server.listen(port, '127.0.0.1', () => process.stdout.write(`READY ${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
