/** The lists' sorts and keyset SQL: which columns each sort orders by, and the condition for rows after a key. */
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from './schema.js';

export type Listable = 'timbres' | 'digital_humans' | 'anchors';
export type Db = Kysely<DB> | Transaction<DB>;

/**
 * The native API's sorts, and those of the dialects whose vendors sort both ways with ties in catalog
 * order (ElevenLabs: `name`/`created_at_unix`, `asc`/`desc`).
 */
export type ListSort = 'catalog' | 'name' | '-createdAt' | 'name,catalog' | '-name,catalog' | 'createdAt,catalog' | '-createdAt,catalog';

type SortColumn = 'sort_order' | 'created_at' | 'id' | 'name';

/** Sort orders and their keyset columns (the last is the unique tiebreak). */
export const SORTS: Record<ListSort, SortColumn[]> = {
  catalog: ['sort_order', 'created_at', 'id'],
  name: ['name', 'id'],
  '-createdAt': ['created_at', 'id'],
  'name,catalog': ['name', 'sort_order', 'created_at', 'id'],
  '-name,catalog': ['name', 'sort_order', 'created_at', 'id'],
  'createdAt,catalog': ['created_at', 'sort_order', 'id'],
  '-createdAt,catalog': ['created_at', 'sort_order', 'id'],
};

const FIELD = { sort_order: 'sortOrder', created_at: 'createdAt', id: 'id', name: 'name' } as const;

/** The keyset values of a row in a sort order (what a cursor carries). */
export const sortKeyOf = (sort: ListSort, row: { id: string; name: string; sortOrder: number; createdAt: number }): (string | number)[] =>
  SORTS[sort].map((c) => row[FIELD[c]]);

/** How many leading columns of a sort descend (the rest ascend). */
export const DESCENDING: Record<ListSort, number> = {
  catalog: 0,
  name: 0,
  '-createdAt': 2,
  'name,catalog': 0,
  '-name,catalog': 1,
  'createdAt,catalog': 0,
  '-createdAt,catalog': 1,
};

/**
 * Rows after `after` in a sort order: one row-value comparison when every column runs one way, else the
 * expanded form (a < x, or a = x and the rest after theirs).
 */
export function afterKey(order: readonly SortColumn[], descending: number, after: readonly (string | number)[]): Expression<SqlBool> {
  const cmp = (i: number) => (i < descending ? sql.raw('<') : sql.raw('>'));
  if (descending === 0 || descending === order.length) {
    const cols = sql.join(order.map((c) => sql.ref(c)));
    const vals = sql.join(after.map((v) => sql`${v}`));
    return sql<SqlBool>`(${cols}) ${cmp(0)} (${vals})`;
  }
  const rest = (i: number): Expression<SqlBool> =>
    i === order.length - 1
      ? sql<SqlBool>`${sql.ref(order[i])} ${cmp(i)} ${after[i]}`
      : sql<SqlBool>`(${sql.ref(order[i])} ${cmp(i)} ${after[i]} or (${sql.ref(order[i])} = ${after[i]} and ${rest(i + 1)}))`;
  return rest(0);
}

/** One run of a merged list: a single owner and status. */
export interface Narrowing {
  owners?: string[];
  status?: string[];
  privateOnly?: boolean;
}

export interface KeysetRequest {
  sort: ListSort;
  after?: (string | number)[];
  limit: number;
  total?: boolean;
}
