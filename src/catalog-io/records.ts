/**
 * The catalog file format (docs/catalog-format.md): one record per NDJSON line, `kind` saying what it is,
 * or a JSON document {timbres:[…], digitalHumans:[…], bindings:[…]}. Owners are app names (null = public);
 * files are URLs, local paths (stored on import) or `stored:<sha256>` of a file already stored.
 */
import { TimbrelError } from '../core/errors.js';

export type Kind = 'timbre' | 'digitalHuman' | 'anchor' | 'binding';

const bad = (field: string, rule: string) => new TimbrelError('invalid_parameter', `${field} ${rule}`, field);

export type Rec = Record<string, unknown>;

/** PostgreSQL cannot store a NUL in text; no field takes one, on either engine. */
const NUL = '\u0000';

/**
 * Text both engines store exactly as given: no NUL, and no unpaired surrogate (a JSON "\ud800" escape):
 * it has no UTF-8 form, so SQLite would store U+FFFD in its place and PostgreSQL's JSON refuses it.
 */
function checkText(f: string, v: string): void {
  if (v.includes(NUL)) throw bad(f, 'must not contain NUL characters');
  if (!wellFormed(v)) throw bad(f, 'must be well-formed Unicode (it holds an unpaired surrogate)');
}

/** String.prototype.isWellFormed (Node 20; not in the ES2022 lib this project compiles against). */
const wellFormed = (v: string): boolean => (v as string & { isWellFormed(): boolean }).isWellFormed();

export function str(r: Rec, f: string, opts: { required?: boolean; max?: number; dflt?: string } = {}): string {
  const v = r[f];
  if (v === undefined || v === null) {
    if (opts.required) throw bad(f, 'is required');
    return opts.dflt ?? '';
  }
  if (typeof v !== 'string') throw bad(f, 'must be a string');
  if (opts.required && v === '') throw bad(f, 'must not be empty');
  if (v.length > (opts.max ?? 1024)) throw bad(f, `must be at most ${opts.max ?? 1024} characters`);
  checkText(f, v);
  return v;
}

export function optStr(r: Rec, f: string, max = 4096): string | null {
  const v = r[f];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') throw bad(f, 'must be a string');
  if (v.length > max) throw bad(f, `must be at most ${max} characters`);
  checkText(f, v);
  return v;
}

export function strList(r: Rec, f: string, allowed?: readonly string[]): string[] {
  const v = r[f];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > 100) throw bad(f, 'must be an array of at most 100 strings');
  for (const s of v) {
    if (typeof s !== 'string' || s.length > 256) throw bad(f, 'must be an array of strings');
    checkText(f, s);
    if (allowed && !allowed.includes(s)) throw bad(f, `may only hold ${allowed.join(', ')}`);
  }
  return v as string[];
}

export function oneOf<T extends string>(r: Rec, f: string, allowed: readonly T[], dflt: T): T {
  const v = r[f];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw bad(f, `must be one of ${allowed.join(', ')}`);
  return v as T;
}

/** An integer within [min, max]; by default a 32-bit one (every sortOrder), the same on both engines. */
export function int(r: Rec, f: string, dflt: number, min = -2147483648, max = 2147483647): number {
  const v = r[f];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) throw bad(f, `must be an integer in [${min}, ${max}]`);
  return v;
}

export function bool(r: Rec, f: string, dflt: boolean): boolean {
  const v = r[f];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw bad(f, 'must be true or false');
  return v;
}

export function num(r: Rec, f: string, dflt: number, min = -Number.MAX_VALUE, max = Number.MAX_VALUE): number {
  const v = r[f];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw bad(f, `must be a number in [${min}, ${max}]`);
  return v;
}

/** An instant: ISO 8601 text or epoch milliseconds. */
export function instant(r: Rec, f: string): number | null {
  const v = r[f];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) {
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return ms;
  }
  throw bad(f, 'must be an ISO 8601 date-time or epoch milliseconds');
}

export function owner(r: Rec): string | null {
  const v = r.owner;
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || v.includes(NUL) || !wellFormed(v)) throw bad('owner', 'must be an app name or null (public)');
  return v;
}

export function kindOf(r: unknown): Kind {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new TimbrelError('invalid_parameter', 'a record must be a JSON object');
  const k = (r as Rec).kind;
  if (k === 'timbre' || k === 'digitalHuman' || k === 'anchor' || k === 'binding') return k;
  throw bad('kind', 'must be anchor, digitalHuman, timbre or binding');
}
