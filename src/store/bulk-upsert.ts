import { sql, type Compilable } from 'kysely';
import type { StoreEngine } from './engine.js';
import type { Db, Listable } from './sorts.js';
import { excludedExcept, literalSafe } from './sql.js';

/** `upsert`: insert a new id or update the owner's row of that id; `insert`: new ids only. */
export type WriteMode = 'upsert' | 'insert';

/**
 * What a bulk write did: SQLite's rowid after each row, the indexes of rows it did not write, and whether
 * each row was inserted (false: updated, or not written).
 */
export interface Written {
  rowids: number[];
  skipped: number[];
  inserted: boolean[];
}

/** StoreEngine.runEach's rowid for a row that changed nothing (a conflict left alone). */
export const NOT_WRITTEN = -1;

/** From this many rows a batch writes the values its rows share into the statement as literals. */
export const LITERALS_FROM_ROWS = 100;

/**
 * Inserts rows, given as values in `columns` order, or updates the row with the same id (all but `id` and
 * `created_at`), in bulk. SQLite: one single-row statement compiled once and run over every row (its
 * parameters must be the row's bound values in column order, checked), on the engine's one connection,
 * which a transaction owns; returns the connection's last insert rowid after each row. PostgreSQL:
 * `rowsPerStatement` rows a statement, sent as one JSON parameter that `json_populate_recordset` turns into
 * the table's own row type (a 500-row VALUES list meant compiling and serializing 11,500 parameters).
 */
export async function upsertRows(
  engine: StoreEngine,
  db: Db,
  table: Listable,
  columns: readonly string[],
  rows: readonly unknown[][],
  mode: WriteMode = 'upsert',
): Promise<Written> {
  const update = excludedExcept(columns, ['id', 'created_at']);
  // An existing id is updated only where the row keeps its owner: no write moves an asset from one owner
  // to another (an import naming another app's id, two apps creating one id at once). Such a row is
  // left as it is and reported as not written. `insert` writes new ids only.

  const upsert = (insert: any, returning = false): Compilable => {
    const q = insert.onConflict((oc: any) =>
      mode === 'insert'
        ? oc.column('id').doNothing()
        : oc
            .column('id')
            .doUpdateSet(update)
            .where(sql.ref(`${table}.owner`), '=', sql.ref('excluded.owner')),
    );
    // xmax is 0 on a row version the statement inserted, the updating transaction's id on one it updated.
    return returning ? q.returning(['id', sql<boolean>`(xmax = 0)`.as('inserted')]) : q;
  };
  const record = (r: readonly unknown[]) => Object.fromEntries(columns.map((c, i) => [c, r[i]]));
  const runEach = engine.runEach;
  if (!runEach) {
    const per = engine.rowsPerStatement;
    const names = sql.join(columns.map((c) => sql.ref(c)));
    const idAt = columns.indexOf('id');
    const written = new Map<string, boolean>();
    for (let i = 0; i < rows.length; i += per) {
      const json = JSON.stringify(rows.slice(i, i + per).map(record));
      const select = sql`SELECT ${names} FROM json_populate_recordset(NULL::${sql.table(table)}, ${json}::json)`;
      const result = await db.executeQuery<{ id: string; inserted: boolean }>(
        upsert(
          db
            .insertInto(table)
            .columns(columns as never)
            .expression(select),
          true,
        ).compile(),
      );
      for (const r of result.rows) written.set(r.id, r.inserted);
    }
    return {
      rowids: [],
      skipped: rows.flatMap((r, i) => (written.has(r[idAt] as string) ? [] : [i])),
      inserted: rows.map((r) => written.get(r[idAt] as string) === true),
    };
  }
  // A value every row shares is written into the statement as a literal rather than bound for each row:
  // binding converts and copies each string, ~11% of a bulk import's writer thread, and most columns of
  // an imported catalog repeat (owner, status, lists, times). The statement's text then depends on
  // those values, so only a batch worth a statement of its own does it (not a single API write).
  const first = rows[0];
  const literals = rows.length >= LITERALS_FROM_ROWS;
  const shared = columns.map((_, c) => literals && literalSafe(first[c]) && rows.every((r) => r[c] === first[c]));
  const bound = columns.flatMap((_, c) => (shared[c] ? [] : [c]));
  const compiled = upsert(
    db.insertInto(table).values(Object.fromEntries(columns.map((name, c) => [name, shared[c] ? sql.lit(first[c]) : first[c]])) as never),
  ).compile();
  if (compiled.parameters.length !== bound.length || compiled.parameters.some((v, i) => v !== first[bound[i]])) {
    throw new Error('bulk upsert: statement parameters are not the row values in column order');
  }
  const params = bound.length === columns.length ? rows : rows.map((r) => bound.map((c) => r[c]));
  // In a transaction this caller owns the connection; otherwise take it, so that nobody else's
  // transaction is open on it while the rows run.
  // A row the upsert inserted moves the connection's last insert rowid to its own; an updated row leaves it.
  const run = (): { rowids: number[]; last: number } => {
    const last = Number(engine.firstRow!('SELECT last_insert_rowid()', [])![0]);
    return { rowids: runEach(compiled.sql, params), last };
  };
  const { rowids, last } = db.isTransaction ? run() : await db.connection().execute(async () => run());
  let previous = last;
  const inserted = rowids.map((r) => {
    if (r === NOT_WRITTEN || r === previous) return false;
    previous = r;
    return true;
  });
  return { rowids, skipped: rowids.flatMap((r, i) => (r === NOT_WRITTEN ? [i] : [])), inserted };
}
