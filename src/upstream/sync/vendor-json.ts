/**
 * The key vendors' list calls (ElevenLabs, OpenAI-compatible, HeyGen have no timbrel SDK client): a GET
 * through the sync's transport (paced, capped, budgeted, cancellable), retried on a timeout, a dropped
 * connection, 429 or 5xx until the transport's retry budget ends it; any other answer that is not 2xx
 * stops the sync with the vendor's status and words.
 */
import { TimbrelClientError } from '@timbrel/client';
import { TimbrelError } from '../../core/errors.js';
import type { SyncContext } from './context.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function getJson<T>(ctx: SyncContext, path: string, headers: Record<string, string>): Promise<T> {
  const { baseUrl, fetch, timeoutMs, maxDelayMs } = ctx.transport;
  for (let attempt = 0; ; attempt++) {
    const delay = Math.min(maxDelayMs, 250 * 2 ** Math.min(attempt, 5));
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      // The sync was stopped (cancelled, out of budget, an answer too large): no retry.
      if (err instanceof TimbrelClientError) throw err;
      await pause(delay);
      continue;
    }
    if (res.status === 429 || res.status >= 500) {
      await res.body?.cancel().catch(() => undefined);
      await pause(delay);
      continue;
    }
    const text = await res.text();
    if (res.status < 200 || res.status > 299) throw new TimbrelError('upstream_unavailable', `the upstream answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new TimbrelError('upstream_invalid', `the upstream's answer to ${path.split('?')[0]} is not JSON`);
    }
  }
}
