/** Waiting for SQLite's write lock on timers, never inside SQLite (engine/sqlite.ts says why). */
import { TimbrelError } from '../core/errors.js';
import { WriteLockBusy } from './engine.js';

/** How many times a transaction runs before a deadlock or serialization failure is answered "busy". */
export const WRITE_ATTEMPTS = 5;

/** How long a write waits for another connection's SQLite write lock before it is answered "busy". */
export const WRITE_LOCK_WAIT_MS = 5000;

/**
 * Begins a transaction by `begin`, again and again while another connection holds SQLite's write lock
 * (WriteLockBusy), pausing 1 ms, then 2, 4 … up to 8 ms, on timers: the event loop serves other requests
 * meanwhile. Past WRITE_LOCK_WAIT_MS the write is answered "busy". A CLI import's transaction holds the
 * lock for up to ~2 s at 5M timbres; its commits' checkpoints leave it free, and the next attempt takes it.
 */
export async function whileWriteLocked<T>(begin: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WRITE_LOCK_WAIT_MS;
  for (let pause = 1; ; pause = Math.min(pause * 2, 8)) {
    try {
      return await begin();
    } catch (err) {
      if (!(err instanceof WriteLockBusy)) throw err;
      if (Date.now() >= deadline) throw new TimbrelError('busy', 'system busy, try again');
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}
