import { TimbrelError } from '../core/errors.js';
import { storeError } from '../store/faults.js';

/** A vendor body as sent: empty means "no parameters"; otherwise it must be JSON. */
export function parseJsonBody(raw: unknown): unknown {
  if (raw === undefined || raw === null) return undefined;
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new TimbrelError('body_unreadable', 'body is not valid JSON');
  }
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Turns unexpected failures into the error a client may see: storage contention is "busy", an unreachable
 * database "unavailable" (src/store/faults.ts), a uniqueness the engine enforced a conflict.
 */
export function asTimbrelError(err: unknown): TimbrelError {
  if (err instanceof TimbrelError) return err;
  return storeError(err) ?? new TimbrelError('internal', 'internal error');
}
