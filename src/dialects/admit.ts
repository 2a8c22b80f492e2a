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
    throw new TimbrelError('rate_limited', `rate limit exceeded: at most ${app.rateLimit} requests per second`);
  }
}

/** Bounded, printable echo of client input inside an error message. */
export function quote(value: string, max = 64): string {
  const s = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(s);
}
