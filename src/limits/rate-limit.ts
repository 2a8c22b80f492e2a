import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** The per-app request limit (requests per second), shared by every dialect. */
export interface RateLimiter {
  /** true when the app may make one more request now. */
  take(appId: string, perSecond: number): Promise<boolean>;
}

/** One process's limit (one window per app, one limiter per distinct limit value). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly byLimit = new Map<number, RateLimiterAbstract>();

  async take(appId: string, perSecond: number): Promise<boolean> {
    let limiter = this.byLimit.get(perSecond);
    if (!limiter) {
      limiter = new RateLimiterMemory({ points: perSecond, duration: 1, keyPrefix: `l${perSecond}` });
      this.byLimit.set(perSecond, limiter);
    }
    try {
      await limiter.consume(appId, 1);
      return true;
    } catch (err) {
      if (err instanceof Error) throw err; // a failure, not a rejection
      return false;
    }
  }
}
