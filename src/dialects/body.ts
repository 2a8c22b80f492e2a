import { TimbrelError } from '../core/errors.js';
import { storeError } from '../store/index.js';

/** How deep JSON may nest in any body timbrel reads (its own bodies nest 3 levels at most). */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests arrays and objects deeper than `max`: one pass over the text, brackets inside
 * strings skipped. A text shorter than 2 × max cannot, and is not scanned (every vendor catalog call).
 */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  if (text.length <= 2 * max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** A vendor body as sent: empty means "no parameters"; otherwise it must be JSON, nested at most MAX_JSON_DEPTH deep. */
export function parseJsonBody(raw: unknown): unknown {
  if (raw === undefined || raw === null) return undefined;
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
  if (text.trim() === '') return undefined;
  if (nestsDeeperThan(text)) throw new TimbrelError('body_unreadable', `body nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw new TimbrelError('body_unreadable', 'body is not valid JSON');
  }
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Turns unexpected failures into the error a client may see: storage contention is "busy", an unreachable
 * database "unavailable" (src/store/faults.ts), a uniqueness the engine enforced a conflict.
 */
export function asTimbrelError(err: unknown): TimbrelError {
  if (err instanceof TimbrelError) return err;
  return storeError(err) ?? new TimbrelError('internal', 'internal error');
}
