/** The per-app request limit (requests per second), shared by every dialect. */
export interface RateLimiter {
  /** true when the app may make one more request now. */
  take(appId: string, perSecond: number): Promise<boolean> | boolean;
}

/**
 * One process's limit: fixed one-second windows aligned to the clock (so at most `perSecond` requests
 * are admitted in any calendar second, as ZEGO's "10 requests per second" reads). Synchronous and
 * allocation-free on the hot path; windows of idle apps are dropped as the map is swept.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { second: number; used: number }>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  take(appId: string, perSecond: number): boolean {
    const second = Math.floor(this.now() / 1000);
    if (second - this.lastSweep >= 60) this.sweep(second);
    let w = this.windows.get(appId);
    if (!w) this.windows.set(appId, (w = { second, used: 0 }));
    if (w.second !== second) {
      w.second = second;
      w.used = 0;
    }
    if (w.used >= perSecond) return false;
    w.used++;
    return true;
  }

  private sweep(second: number): void {
    this.lastSweep = second;
    for (const [k, w] of this.windows) if (w.second < second - 1) this.windows.delete(k);
  }
}
