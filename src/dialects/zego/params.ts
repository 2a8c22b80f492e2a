import { TimbrelError } from '../../core/errors.js';

/**
 * Business parameters of a ZEGO body. Types are strict (no coercion): a number must be a JSON number
 * and an integer. `null` counts as absent (docs/dialects/zego.md decision), as does "" for an optional id.
 */
export type Body = Record<string, unknown>;

export function optionalInt(body: Body, name: string, min: number, max: number, dflt: number): number {
  const v = body[name];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new TimbrelError('invalid_parameter', `invalid parameter: ${name} must be an integer in [${min}, ${max}]`, name);
  }
  return v;
}

export function optionalId(body: Body, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new TimbrelError('invalid_parameter', `invalid parameter: ${name} must be a string`, name);
  return v;
}

export function requiredId(body: Body, name: string): string {
  const v = optionalId(body, name);
  if (v === undefined) throw new TimbrelError('invalid_parameter', `invalid parameter: ${name} is required`, name);
  return v;
}

export function oneOf(body: Body, name: string, allowed: number[], dflt: number): number {
  const v = body[name];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !allowed.includes(v)) {
    throw new TimbrelError('invalid_parameter', `invalid parameter: ${name} must be one of ${allowed.join(', ')}`, name);
  }
  return v;
}

export const OFFSET_MAX = 1_000_000;
export const LIMIT_MAX = 20;

export const paging = (body: Body) => ({
  offset: optionalInt(body, 'Offset', 0, OFFSET_MAX, 0),
  limit: optionalInt(body, 'Limit', 1, LIMIT_MAX, LIMIT_MAX),
});
