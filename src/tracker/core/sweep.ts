// The expiry sweep: peers silent for 1.5 intervals plus a margin leave their swarms (their rows
// become inactive), and baselines older than the retention are forgotten. It runs a slice at a
// time (docs/architecture.md, "The sliced sweep"): a pass over every peer at once would hold the
// event loop, every announce waiting behind it, for a time that grows with the swarms.
import type { Ledger } from './ledger.js';
import type { Swarm } from './swarm.js';

/** margin past 1.5 intervals before a silent peer is dropped */
const EXPIRY_MARGIN_MS = 120_000;

export interface SweepTally {
  expired: number;
  forgotten: number;
}

/** Peers last seen before this are expired (`announceInterval` in seconds). */
export function expireBefore(now: number, announceInterval: number): number {
  return now - (announceInterval * 1500 + EXPIRY_MARGIN_MS);
}

/** Where the sweep stands across slices, over the engine's swarms. */
export class SweepCursor {
  /** where the next step() resumes; null: at the first swarm */
  private cursor: Iterator<[number, Swarm]> | null = null;
  private visited = 0;
  /** peers looked at by the last finished pass (the service sizes its slices by it) */
  lastPass = 0;

  private readonly swarms: Map<number, Swarm>;
  private readonly ledger: Ledger;

  constructor(
    swarms: Map<number, Swarm>,
    ledger: Ledger,
  ) {
    this.swarms = swarms;
    this.ledger = ledger;
  }

  /** The next step() starts a new pass. */
  restart(): void {
    this.cursor = null;
  }

  /**
   * Whole swarms until about `budget` peers were looked at, resuming where the previous call
   * stopped. Returns true when this call finished a pass (the next call starts another).
   */
  step(budget: number, expireAt: number, forgetBefore: number, tally: SweepTally): boolean {
    // a Map iterator survives deletes (an emptied swarm) and sees swarms added after it
    const cursor = (this.cursor ??= this.swarms.entries());
    let visited = 0;
    while (visited < budget) {
      const next = cursor.next();
      if (next.done) {
        this.cursor = null;
        this.lastPass = this.visited + visited;
        this.visited = 0;
        return true;
      }
      visited += this.sweepSwarm(next.value[0], next.value[1], expireAt, forgetBefore, tally);
    }
    this.visited += visited;
    return false;
  }

  /** Returns how many peers the swarm held. */
  private sweepSwarm(releaseId: number, swarm: Swarm, expireAt: number, forgetBefore: number, tally: SweepTally): number {
    const size = swarm.size;
    for (const peer of swarm.all()) {
      if (peer.active && peer.lastSeen < expireAt) {
        swarm.deactivate(peer);
        this.ledger.touchPeer(peer);
        tally.expired++;
      } else if (!peer.active && peer.lastSeen < forgetBefore) {
        swarm.forget(peer);
        tally.forgotten++;
      }
    }
    if (swarm.size === 0) this.swarms.delete(releaseId);
    return size;
  }
}
