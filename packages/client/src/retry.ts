import { TimbrelClientError, type Dialect } from './errors.js';

export interface RetryOptions {
  /** Attempts after the first (default 10: with the default delays, at least 6.5 s of waiting in all). */
  retries?: number;
  /** First backoff in ms (default 100); doubles each attempt, capped at `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-attempt timeout in ms (default 10,000). */
  timeoutMs?: number;
}

export interface Transport extends RetryOptions {
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof fetch;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `attempt` until it succeeds, retrying with exponential backoff and equal jitter (half the delay fixed,
 * half random: clients of one burst spread out, and the total wait has a floor) when it fails with a
 * rate-limit code, or (when `idempotent`) with a network error or timeout. Anything else is thrown at once.
 */
export async function withRetries<T>(dialect: Dialect, opts: RetryOptions, idempotent: boolean, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const retries = opts.retries ?? 10;
  const base = opts.baseDelayMs ?? 100;
  const cap = opts.maxDelayMs ?? 2000;
  for (let n = 0; ; n++) {
    try {
      return await attempt(AbortSignal.timeout(opts.timeoutMs ?? 10_000));
    } catch (raw) {
      const err = asClientError(dialect, raw);
      const retriable = err.rateLimited || (idempotent && (err.code === 'network' || err.code === 'timeout'));
      if (!retriable || n >= retries) throw err;
      const delay = Math.min(cap, base * 2 ** n);
      await sleep(delay / 2 + (Math.random() * delay) / 2);
    }
  }
}

function asClientError(dialect: Dialect, err: unknown): TimbrelClientError {
  if (err instanceof TimbrelClientError) return err;
  const e = err as { name?: string; message?: string };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return new TimbrelClientError(dialect, 'timeout', 'the request timed out', 0);
  return new TimbrelClientError(dialect, 'network', e?.message ?? String(err), 0);
}
