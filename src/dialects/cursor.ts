/**
 * Keyset cursors shared by the dialects that page by an opaque token (native /v1, ElevenLabs): the last
 * row's sort key, bound to a digest of the filters and sort it was made for.
 */
import { createHash } from 'node:crypto';
import { TimbrelError } from '../core/errors.js';

/** Opaque cursors: the last row's sort key, bound to a digest of the filters and sort it was made under. */
export function digest(filters: unknown): string {
  return createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 16);
}

export function encodeCursor(filterDigest: string, key: (string | number)[]): string {
  return Buffer.from(JSON.stringify({ f: filterDigest, k: key })).toString('base64url');
}

export function decodeCursor(cursor: string, filterDigest: string): (string | number)[] {
  let parsed: { f?: unknown; k?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new TimbrelError('cursor_invalid', 'cursor is not one timbrel made', 'cursor');
  }
  if (!parsed || !Array.isArray(parsed.k) || !parsed.k.every((v) => typeof v === 'string' || typeof v === 'number')) {
    throw new TimbrelError('cursor_invalid', 'cursor is not one timbrel made', 'cursor');
  }
  if (parsed.f !== filterDigest)
    throw new TimbrelError('cursor_invalid', 'cursor was made for other filters or another sort; start again without it', 'cursor');
  return parsed.k as (string | number)[];
}
