import { TimbrelError } from '../core/errors.js';
import type { App } from '../core/types.js';
import type { Services } from '../services.js';

/**
 * What every dialect does once a request is authenticated: a disabled app is refused, then the app's
 * per-second limit is taken. Kept here so that all dialects count against the same limit.
 */
export async function admit(services: Services, app: App): Promise<void> {
  if (app.status !== 'active') throw new TimbrelError('app_disabled', 'this app is disabled');
  if (!(await services.limiter.take(app.id, app.rateLimit))) {
    services.metrics.rateLimited.inc({ app: app.name });
    // The limit travels with the error: the native API states it in RateLimit headers (the vendor dialects
    // answer in their own envelopes, which have no place for it).
    throw Object.assign(new TimbrelError('rate_limited', `rate limit exceeded: at most ${app.rateLimit} requests per second`), {
      retryAfter: 1,
      perSecond: app.rateLimit,
    });
  }
}

/** Bounded, printable echo of client input inside an error message. */
export function quote(value: string, max = 64): string {
  const s = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(s);
}
