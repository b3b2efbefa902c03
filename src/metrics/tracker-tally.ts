// Counts what the tracker core answers, for the Prometheus metrics, without the core knowing:
// a TrackerCore that wraps the real one, counts each announce and scrape by transport and
// outcome, and times the core's work. Plain typed-array increments on the announce path (no
// prom-client there, no label hashing, no allocation); the metrics module reads the arrays
// when Prometheus scrapes (src/metrics/collectors.ts).
import { TrackerError, type AnnounceRequest, type AnnounceResult, type ScrapeEntry, type TrackerCore } from '../tracker/core/types.js';

export const TRANSPORTS = ['http', 'udp'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/**
 * Outcome classes: answered (`ok`, or `warned` when told it announced too soon) or the class
 * of the refusal the member read (the texts of the README's tracker table).
 */
export const OUTCOMES = ['ok', 'warned', 'malformed', 'passkey', 'client', 'account', 'torrent', 'busy', 'leech', 'refused', 'error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Upper bounds of the core-time histogram, seconds (the core answers in microseconds). */
export const LATENCY_BUCKETS = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.05];

const PREFIXES: Array<[string, Outcome]> = [
  ['Invalid passkey', 'passkey'],
  ['Your client is not allowed', 'client'],
  ['This client does not send', 'client'],
  ['Account disabled', 'account'],
  ['Unregistered torrent', 'torrent'],
  ['Tracker is busy', 'busy'],
  ['Access denied', 'leech'],
  ['Missing', 'malformed'],
  ['Invalid', 'malformed'],
  ['Full scrape', 'malformed'],
  ['Query string', 'malformed'],
];

export function outcomeOf(error: unknown): Outcome {
  if (!(error instanceof TrackerError)) return 'error';
  for (const [prefix, outcome] of PREFIXES) if (error.message.startsWith(prefix)) return outcome;
  return 'refused';
}

const OUTCOME_INDEX = new Map(OUTCOMES.map((o, i) => [o, i]));
const transportIndex = (transport: Transport): number => (transport === 'udp' ? 1 : 0);
const OK = OUTCOMES.indexOf('ok');
const WARNED = OUTCOMES.indexOf('warned');

export class TrackerTally {
  /** [transport][outcome] counts */
  readonly announces = new Float64Array(TRANSPORTS.length * OUTCOMES.length);
  readonly scrapes = new Float64Array(TRANSPORTS.length * OUTCOMES.length);
  /** per transport: non-cumulative bucket counts (one more for +Inf), then sum and count */
  readonly latency = TRANSPORTS.map(() => ({ buckets: new Float64Array(LATENCY_BUCKETS.length + 1), sum: 0, count: 0 }));

  countAnnounce(transport: Transport, outcome: Outcome, seconds: number): void {
    this.countAnnounceAt(transportIndex(transport), OUTCOME_INDEX.get(outcome)!, seconds);
  }

  /** countAnnounce by indexes: an answered announce, the common case, looks nothing up. */
  countAnnounceAt(t: number, outcome: number, seconds: number): void {
    this.announces[t * OUTCOMES.length + outcome]++;
    const histogram = this.latency[t];
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[bucket]) bucket++;
    histogram.buckets[bucket]++;
    histogram.sum += seconds;
    histogram.count++;
  }

  countScrape(transport: Transport, outcome: Outcome): void {
    this.scrapes[transportIndex(transport) * OUTCOMES.length + OUTCOME_INDEX.get(outcome)!]++;
  }

  /** A core that counts into this tally; `transport` labels its scrapes (announces carry theirs). */
  wrap(inner: TrackerCore, transport: Transport): TrackerCore {
    return new CountingCore(inner, this, transport);
  }
}

class CountingCore implements TrackerCore {
  /** session-boundary replies wait for the inner core's commit, metrics on or off (docs/accounting.md) */
  readonly durable?: () => Promise<void>;

  private readonly inner: TrackerCore;
  private readonly tally: TrackerTally;
  private readonly transport: Transport;

  constructor(
    inner: TrackerCore,
    tally: TrackerTally,
    transport: Transport,
  ) {
    this.inner = inner;
    this.tally = tally;
    this.transport = transport;
    this.durable = inner.durable?.bind(inner);
  }

  announce(request: AnnounceRequest): AnnounceResult | Promise<AnnounceResult> {
    const started = performance.now();
    let result: AnnounceResult | Promise<AnnounceResult>;
    try {
      result = this.inner.announce(request);
    } catch (error) {
      this.countRefusal(request, started, error);
      throw error;
    }
    if (result instanceof Promise) {
      // the shared mode: the time includes the store's round trip
      return result.then(
        (answered) => this.countAnswer(request, started, answered),
        (error: unknown) => {
          this.countRefusal(request, started, error);
          throw error;
        },
      );
    }
    return this.countAnswer(request, started, result);
  }

  private countAnswer(request: AnnounceRequest, started: number, result: AnnounceResult): AnnounceResult {
    this.tally.countAnnounceAt(transportIndex(request.transport), result.warning ? WARNED : OK, (performance.now() - started) / 1000);
    return result;
  }

  private countRefusal(request: AnnounceRequest, started: number, error: unknown): void {
    this.tally.countAnnounce(request.transport, outcomeOf(error), (performance.now() - started) / 1000);
  }

  /** the member's language for refusals is the core's to tell */
  reasonText(error: TrackerError): string {
    return this.inner.reasonText ? this.inner.reasonText(error) : error.message;
  }

  scrape(passkey: string, infoHashes: Buffer[]): ScrapeEntry[] | Promise<ScrapeEntry[]> {
    try {
      const entries = this.inner.scrape(passkey, infoHashes);
      if (entries instanceof Promise) {
        return entries.then(
          (scraped) => (this.tally.countScrape(this.transport, 'ok'), scraped),
          (error: unknown) => {
            this.tally.countScrape(this.transport, outcomeOf(error));
            throw error;
          },
        );
      }
      this.tally.countScrape(this.transport, 'ok');
      return entries;
    } catch (error) {
      this.tally.countScrape(this.transport, outcomeOf(error));
      throw error;
    }
  }
}
