import { CompiledQuery, sql, type Compilable, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from './schema.js';
import type { StoreEngine } from './engine.js';
import { CHECKPOINT_EVERY } from './lists.js';
import { ORDER, type ListIndexes } from './list-indexes.js';
import type { Listable } from './sorts.js';

/** The placeholder of a value in a statement compiled once per shape (OffsetPages.prepared). */
export const SLOT = '\u0000slot:';
export const slot = (name: string): string => `${SLOT}${name}`;

/** Pages of a list in the catalog order by offset, as the vendors page: the deep-offset index finds where a page starts. */
export class OffsetPages {
  /** Statements compiled once per shape (prepared). */
  private readonly shapes = new Map<string, { sql: string; fixed: readonly unknown[]; read: (string[] | undefined)[] }>();

  constructor(
    private readonly engine: StoreEngine,
    private readonly indexes: ListIndexes,
  ) {}

  private get db(): Kysely<DB> {
    return this.engine.db;
  }

  /**
   * One page of an owner-scoped, active-only list in the catalog order: the list's deep-offset index
   * (src/store/lists.ts, ListIndexes) gives its total and where the page starts, so an Offset near a million seeks to
   * the nearest checkpoint instead of walking a million rows.
   */
  async page(
    table: Listable,
    owners: string[],
    where: (eb: any) => Expression<SqlBool> | undefined,
    filterKey: string,
    offset: number,
    limit: number,
    /** The columns a page reads (its sort key always among them); all by default. */
    columns?: readonly string[],
  ): Promise<{ total: number; rows: any[] }> {
    if (owners.length > 1 && filterKey === '{}') {
      // An owner with nothing in the list (most apps have no private timbres) leaves it: the page is then
      // one owner's index range, not a merge. Each owner's total is its own list's index (kept, followed).
      const holding: string[] = [];
      for (const o of owners) if ((await this.indexes.indexOf(table, [o], where, filterKey, false)).total > 0) holding.push(o);
      if (holding.length < owners.length) return this.page(table, holding.length ? holding : [owners[0]], where, filterKey, offset, limit, columns);
    }
    // Written into the statement below: a whole number, whatever a caller's validation let through.
    if (!Number.isSafeInteger(limit) || !Number.isSafeInteger(offset)) throw new TypeError('page: offset and limit must be whole numbers');
    const index = await this.indexes.indexOf(table, owners, where, filterKey, offset >= CHECKPOINT_EVERY);
    const total = index.total;
    if (offset >= total || limit <= 0) return { total, rows: [] };
    const { seek, skip } = index.locate(offset);

    const query = (v: { owners: unknown[]; seek?: unknown[]; limit: unknown; skip: unknown; run: unknown }) => {
      const ordered = (owner: unknown, only?: readonly string[]) => {
        const scoped = this.indexes.scoped(table, [owner as string], where);
        let q = only ? scoped.select(only) : scoped.selectAll();
        if (v.seek) q = q.where((eb: any) => eb(eb.refTuple(...ORDER), '>', eb.tuple(...v.seek!)));
        return q.orderBy('sort_order').orderBy('created_at').orderBy('id');
      };
      if (v.owners.length === 1) return ordered(v.owners[0], columns).limit(v.limit).offset(v.skip);
      // Several owners (public + mine): merge each owner's own index-ordered run; each run needs at most
      // skip + limit rows, so the merge never sorts more than that per owner. The runs read the sort key
      // alone (the list index covers it): the page's rows are read afterwards, by id, and only those.
      const runs = v.owners.map((o) => this.db.selectFrom(ordered(o, ORDER).limit(v.run).as('r')).selectAll());
      let union: any = runs[0];
      for (const r of runs.slice(1)) union = union.unionAll(r);
      return this.db
        .selectFrom(union.as('u'))
        .selectAll()
        .orderBy('sort_order' as any)
        .orderBy('created_at' as any)
        .orderBy('id' as any)
        .limit(v.limit as number)
        .offset(v.skip as number);
    };
    const values = { owners, seek, limit, skip, run: skip + limit };
    // A filter's values shape its SQL; an unfiltered list (every vendor page) runs one statement per shape.
    // The page size is written into the statement: SQLite ran a page with a bound LIMIT ~14 µs slower than
    // the same page with a literal one (a client keeps one page size, so a shape has few sizes).
    const found: any[] =
      filterKey !== '{}'
        ? await query(values).execute()
        : await this.prepared(`page|${table}|${owners.length}|${seek ? 1 : 0}|${limit}|${columns?.join(',') ?? '*'}`, () =>
            query({
              owners: owners.map((_, i) => slot(`owners.${i}`)),
              seek: seek && [0, 1, 2].map((i) => slot(`seek.${i}`)),
              limit: sql.lit(limit),
              skip: slot('skip'),
              run: slot('run'),
            }),
          )(values);
    if (owners.length === 1 || !found.length) return { total, rows: found };
    // The merged page's keys, then its rows, in that order.
    const ids = found.map((r) => r.id as string);
    const read = await this.prepared(`rows|${table}|${ids.length}|${columns?.join(',') ?? '*'}`, () => {
      const q = this.db.selectFrom(table as Listable);
      return (columns ? q.select(columns as any) : q.selectAll()).where(
        'id',
        'in',
        ids.map((_, i) => slot(`ids.${i}`)),
      );
    })({ ids });
    const byId = new Map(read.map((r) => [r.id as string, r]));
    return { total, rows: ids.map((id) => byId.get(id)).filter((r) => r !== undefined) };
  }

  /**
   * A query compiled once per shape, then run with new values: on a hot path Kysely's builder and compiler
   * cost more than the statement itself. `build` gets a slot (`slot(name)`) for each value; the compiled
   * parameters are matched back to the slots, and every other parameter is kept as compiled.
   */
  private prepared(shape: string, build: () => Compilable): (values: Record<string, unknown>) => Promise<any[]> {
    let compiled = this.shapes.get(shape);
    if (!compiled) {
      const c = build().compile();
      const read = c.parameters.map((p) => (typeof p === 'string' && p.startsWith(SLOT) ? p.slice(SLOT.length).split('.') : undefined));
      compiled = { sql: c.sql, fixed: c.parameters, read };
      this.shapes.set(shape, compiled);
      this.engine.hot?.(c.sql);
    }
    const { sql: text, fixed, read } = compiled;
    return async (values) => {
      const params = read.map((path, i) => (path ? path.reduce((v: any, k) => v[k], values) : fixed[i]));
      return (await this.db.executeQuery(CompiledQuery.raw(text, params))).rows as any[];
    };
  }
}
