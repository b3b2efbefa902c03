// Per-account login throttling (the per-IP limit is @fastify/rate-limit on the route): after
// MAX_FAILURES wrong passwords for one username within WINDOW_MS, that username's logins are
// refused until the window passes, whatever address they come from.
const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60 * 1000;
const MAX_TRACKED = 100_000;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  /** minutes until this username may try again, or 0 */
  lockedFor(username: string): number {
    const recent = this.recent(username.toLowerCase());
    if (recent.length < MAX_FAILURES) return 0;
    return Math.max(1, Math.ceil((recent[0] + WINDOW_MS - this.now()) / 60_000));
  }

  recordFailure(username: string): void {
    const key = username.toLowerCase();
    if (this.failures.size >= MAX_TRACKED && !this.failures.has(key)) this.failures.clear();
    this.failures.set(key, [...this.recent(key), this.now()]);
  }

  recordSuccess(username: string): void {
    this.failures.delete(username.toLowerCase());
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - WINDOW_MS;
    return (this.failures.get(key) ?? []).filter((t) => t > cutoff);
  }
}
