// Active peers per member across every swarm, kept by the swarms as peers join and leave, so
// the announce checklist can cap them without walking the swarms (or asking the database).
// A passkey holder announcing random peer_ids would otherwise grow the tracker's memory
// without bound; the caps themselves are policy (policy.ts).

export class MemberPeerCounts {
  private readonly active = new Map<number, number>();

  /** Active peers of a member, in every swarm. */
  of(userId: number): number {
    return this.active.get(userId) ?? 0;
  }

  /** +1 when a peer of the member becomes active, -1 when it leaves its swarm. */
  change(userId: number, delta: 1 | -1): void {
    const count = (this.active.get(userId) ?? 0) + delta;
    if (count > 0) this.active.set(userId, count);
    else this.active.delete(userId);
  }

  /** Members with at least one active peer. */
  get members(): number {
    return this.active.size;
  }
}
