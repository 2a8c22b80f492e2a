import { TimbrelError } from '../core/errors.js';

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

/** Turns unexpected failures into the error a client may see; storage contention is "busy". */
export function asTimbrelError(err: unknown): TimbrelError {
  if (err instanceof TimbrelError) return err;
  const code = (err as { code?: string })?.code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === '57014' || code === '53300') {
    return new TimbrelError('busy', 'system busy, try again');
  }
  return new TimbrelError('internal', 'internal error');
}
