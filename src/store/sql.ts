/** SQL helpers every store file shares: NUL-safe text matching, literals, upserts' excluded columns. */
import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * No stored text holds a NUL (the API and the import refuse one), and PostgreSQL cannot even compare text
 * with one: a filter value holding a NUL matches nothing, on both engines, without reaching the engine.
 */
export const NUL = '\u0000';
export const NOTHING = sql<SqlBool>`1 = 0`;

/** `column` equals one of `values`; an empty list, or values that hold a NUL, match nothing. */
export function oneOfTexts(eb: any, column: string, values: string[]): Expression<SqlBool> {
  const usable = values.filter((v) => !v.includes(NUL));
  return usable.length ? eb(column, 'in', usable) : NOTHING;
}

/**
 * A value that Kysely's `sql.lit` writes into SQL text exactly: null, a safe integer, or a string without
 * NUL (SQLite reads statement text only up to a NUL; quotes are doubled by the compiler).
 */
export function literalSafe(v: unknown): boolean {
  return v === null || Number.isSafeInteger(v) || (typeof v === 'string' && !v.includes(NUL));
}

export function excludedExcept(columns: readonly string[], keep: string[]) {
  return (eb: any) => {
    const set: Record<string, unknown> = {};
    for (const col of columns) if (!keep.includes(col)) set[col] = eb.ref(`excluded.${col}`);
    return set;
  };
}
