import { TimbrelError } from '../../core/errors.js';

/** Payload parameters, looked up by lower-cased key. `null` counts as absent. */
export type Payload = Map<string, unknown>;

const get = (p: Payload, name: string) => {
  const v = p.get(name.toLowerCase());
  return v === null ? undefined : v;
};

export function requiredInt(p: Payload, name: string, min: number, max: number): number {
  const v = get(p, name);
  if (v === undefined) throw new TimbrelError('invalid_parameter', `${name} is required`, name);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TimbrelError('invalid_parameter', `${name} must be an integer`, name);
  if (v < min || v > max) throw new TimbrelError('invalid_parameter_value', `${name} must be in [${min}, ${max}]`, name);
  return v;
}

/** A string; a number is accepted as its decimal string (docs/dialects/tencent-ivh.md decision). */
export function optionalString(p: Payload, name: string, max = 256): string | undefined {
  const v = get(p, name);
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') throw new TimbrelError('invalid_parameter', `${name} must be a string`, name);
  if (v.length > max) throw new TimbrelError('invalid_parameter_value', `${name} must be at most ${max} characters`, name);
  return v;
}

export function requiredString(p: Payload, name: string): string {
  const v = optionalString(p, name);
  if (v === undefined || v === '') throw new TimbrelError('invalid_parameter', `${name} is required`, name);
  return v;
}

/** A string array; [] counts as not given (docs/dialects/tencent-ivh.md decision). */
export function optionalStringList(p: Payload, name: string, maxItems = 1000): string[] | undefined {
  const v = get(p, name);
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new TimbrelError('invalid_parameter', `${name} must be an array of strings`, name);
  if (v.length > maxItems) throw new TimbrelError('invalid_parameter_value', `${name} must have at most ${maxItems} items`, name);
  const out: string[] = [];
  for (const item of v) {
    if (typeof item === 'number' && Number.isFinite(item)) out.push(String(item));
    else if (typeof item === 'string' && item.length <= 256) out.push(item);
    else throw new TimbrelError('invalid_parameter', `${name} must be an array of strings`, name);
  }
  return out.length ? out : undefined;
}

export const PAGE_SIZE_MAX = 100;
/** PageIndex is unbounded in Tencent's docs; timbrel caps it where (PageIndex-1)*PageSize stays exact. */
export const PAGE_INDEX_MAX = 1_000_000_000;

export function paging(p: Payload) {
  const pageIndex = requiredInt(p, 'PageIndex', 1, PAGE_INDEX_MAX);
  const pageSize = requiredInt(p, 'PageSize', 1, PAGE_SIZE_MAX);
  return { offset: (pageIndex - 1) * pageSize, limit: pageSize };
}

export function optionalBool(p: Payload, name: string): boolean | undefined {
  const v = get(p, name);
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new TimbrelError('invalid_parameter', `${name} must be a boolean`, name);
  return v;
}

/**
 * A string array that may also come as one string (a one-item list) under an alias (docs/dialects/tencent-ivh.md:
 * the en page's `AnchorCode`); [] counts as not given.
 */
export function stringListOrOne(p: Payload, name: string): string[] | undefined {
  const v = get(p, name);
  if (typeof v === 'string') return v === '' ? undefined : [v];
  return optionalStringList(p, name);
}
