import { sql, type ControlledTransaction, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from './schema.js';
import { type StoreEngine } from './engine.js';
import { TokenCache } from './token-cache.js';
import { isRetryable } from './faults.js';
import { TimbrelError } from '../core/errors.js';
import { SecretBox } from '../core/secret-box.js';
import { eventSource, placeOf, versionOf, type EventObjectKind, type NewEvent } from '../core/events.js';
import { BLOCK_EVENTS, EventStore, type Appended } from './events.js';
import { anchorFromRow, anchorToRow, digitalHumanFromRow, digitalHumanToRow, timbreFromRow, timbreToRow } from './rows.js';

export * from './sorts.js';
export * from './sql.js';
export * from './write-lock.js';
export * from './bulk-upsert.js';
import { upsertRows, type WriteMode, type Written } from './bulk-upsert.js';
import { ListIndexes } from './list-indexes.js';
import { OffsetPages } from './offset-pages.js';
import { type Db, type Listable, type ListSort, type Narrowing, SORTS, DESCENDING, afterKey, type KeysetRequest } from './sorts.js';
import { NUL, NOTHING } from './sql.js';
import { WRITE_ATTEMPTS, whileWriteLocked } from './write-lock.js';

export interface WriteTransaction {
  db: Transaction<DB>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /**
   * PostgreSQL: COPY FROM STDIN on the transaction's connection (TimbreStore.stageRows). Undefined on SQLite,
   * whose in-process statements cost no round trips.
   */
  copyFrom?: (statement: string, text: string) => Promise<void>;
}

export const num = (v: unknown): number => Number(v);

export type { ListedRow } from './list-indexes.js';
import type { ListedRow } from './list-indexes.js';

/**
 * What every part of the store shares: the engine, the transaction (its write log, retries and the change
 * token), the read cache, and the lists: paging in the catalog order with the deep-offset index, keyset
 * pages for the native API, and the bulk upsert. Repository extends it with one store per aggregate.
 */
export class StoreBase {
  // 64 pages of up to 100 full rows plus their renderings: the hot pages of a read API are few. At 512 the
  // deep-offset benchmark left ~130 MB live and V8 let the heap grow to twice that before collecting
  // (server peak RSS 500 MB); at 128, 320 MB; at 64, 279 MB (docs/benchmarks.md).
  private readonly reads = new TokenCache(64);

  private readonly inFlight = new Map<string, Promise<unknown>>();

  /** The deep-offset indexes of the lists read lately, following the event log. */
  readonly indexes: ListIndexes;

  private readonly pages: OffsetPages;

  /** The events each open transaction will append just before it commits. */
  private readonly pending = new WeakMap<Transaction<DB>, Appended[]>();

  /** The event log: every change's event, in its transaction (docs/events.md). */
  readonly events = new EventStore(this);

  constructor(
    readonly engine: StoreEngine,
    /** Seals apps' signing secrets at rest (plain text when no key is configured). */
    readonly box: SecretBox = new SecretBox([]),
  ) {
    this.indexes = new ListIndexes(engine, this.events);
    this.pages = new OffsetPages(engine, this.indexes);
  }

  /**
   * A read remembered until the change token moves. The token is taken before the read, so a write that
   * lands during it leaves the result filed under the old token, never the new one.
   */
  async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const token = this.engine.changeToken();
    const hit = this.reads.get(key, token);
    if (hit) return hit.value as T;
    // Concurrent misses on one key share one load (no stampede of counts over a million rows).
    const flightKey = `${token}\u0000${key}`;
    let flight = this.inFlight.get(flightKey) as Promise<T> | undefined;
    if (!flight) {
      flight = load().finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, flight);
    }
    const value = await flight;
    this.reads.set(key, token, value);
    return value;
  }

  /** A round trip to the database (readiness). */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  get db(): Kysely<DB> {
    return this.engine.db;
  }

  /**
   * Runs `fn` in one transaction; the change token moves once it has committed. A deadlock or
   * serialization failure (PostgreSQL) runs `fn` again from the start, up to WRITE_ATTEMPTS times with a
   * short random pause, then answers "busy": `fn` must only write through its transaction.
   */
  async transaction<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await whileWriteLocked(() =>
          this.db.transaction().execute(async (trx) => {
            const events: Appended[] = [];
            this.pending.set(trx, events);
            try {
              const r = await fn(trx);
              await this.events.append(trx, events, Date.now());
              await this.engine.announce?.(trx);
              return r;
            } finally {
              this.pending.delete(trx);
            }
          }),
        );
        this.engine.noteWrite();
        return result;
      } catch (err) {
        if (!isRetryable(err)) throw err;
        if (attempt >= WRITE_ATTEMPTS) throw new TimbrelError('busy', 'system busy, try again');
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
      }
    }
  }

  /**
   * The stored row of an asset, locked for the rest of the transaction: PostgreSQL `SELECT … FOR UPDATE`
   * (a second writer of the same row waits for this one to commit, then reads what it wrote); SQLite's
   * transactions hold the database's write lock from their start (BEGIN IMMEDIATE), so a plain read is
   * already serialized with every other writer.
   */
  async lockedRow<T extends Listable>(trx: Transaction<DB>, table: T, id: string): Promise<DB[T] | undefined> {
    let q = trx
      .selectFrom(table as Listable)
      .selectAll()
      .where('id', '=', id);
    if (this.engine.kind === 'postgres') q = q.forUpdate();
    return (await q.executeTakeFirst()) as DB[T] | undefined;
  }

  /**
   * A write transaction its caller commits or rolls back, for writes that stream in (bulk import). The
   * change token moves once it has committed.
   */
  async beginWrite(): Promise<WriteTransaction> {
    // PostgreSQL: a connection of its own, so the load can COPY on the transaction's connection.
    const session = await this.engine.session?.();
    let released = false;
    const release = (destroy = false) => {
      if (!released) session?.release(destroy);
      released = true;
    };
    let trx: ControlledTransaction<DB>;
    try {
      trx = await whileWriteLocked(() => (session?.db ?? this.db).startTransaction().execute());
    } catch (err) {
      release(true);
      throw err;
    }
    const events: Appended[] = [];
    this.pending.set(trx, events);
    return {
      db: trx,
      commit: async () => {
        try {
          await this.events.append(trx, events, Date.now());
          await this.engine.announce?.(trx);
          await trx.commit().execute();
        } catch (err) {
          release(true);
          throw err;
        }
        release();
        this.engine.noteWrite();
      },
      rollback: async () => {
        if (released) return;
        try {
          await trx.rollback().execute();
          release();
        } finally {
          release(true);
        }
      },
      copyFrom: session && ((statement, text) => session.copyFrom(statement, text)),
    };
  }

  rowById<T extends Listable, R>(table: T, id: string, owners: string[] | undefined, fromRow: (r: DB[T]) => R): Promise<R | undefined> {
    return this.cached(`${table}:${id}|${owners?.join(',') ?? '*'}`, async () => {
      let q = this.db
        .selectFrom(table as Listable)
        .selectAll()
        .where('id', '=', id);
      if (owners) q = q.where('owner', 'in', owners);
      const r = (await q.executeTakeFirst()) as DB[T] | undefined;
      return r && fromRow(r);
    });
  }

  /**
   * After a bulk load, PostgreSQL's `VACUUM (ANALYZE)` of the catalog tables: it sets the rows' hint bits
   * and the visibility map, merges the text index's pending list (GIN `fastupdate`) and gathers the
   * planner's statistics, work the first reads would otherwise do, or pay for, until autovacuum comes by.
   * Measured on 200,000 timbres just imported: `/v1` search (q + 2 filters) p50 4-5 ms before, 1.1-1.7 ms
   * after (the bench's million: 11.9 ms p50 right after its import). SQLite: nothing to do.
   */
  async settleAfterBulkLoad(): Promise<void> {
    if (this.engine.kind !== 'postgres') return;
    await sql`VACUUM (ANALYZE) anchors, timbres, digital_humans, bindings`.execute(this.db);
  }

  /**
   * PostgreSQL's planner statistics for the catalog tables, taken in the middle of a bulk load, outside its
   * transactions: an import into a new database otherwise plans every chunk's key lookups on a table it
   * believes empty (autovacuum may be off, or not have come by yet), and a 1,000,000-row import fell from
   * 11,400 to 3,100 rows/s. ANALYZE samples a fixed number of rows, so taking it each time the table has
   * doubled costs a few hundred milliseconds, a logarithmic number of times. SQLite: nothing to do.
   */
  async analyzeAfterGrowth(): Promise<void> {
    if (this.engine.kind !== 'postgres') return;
    await sql`ANALYZE anchors, timbres, digital_humans, bindings`.execute(this.db);
  }

  /** The engine's write mark (StoreEngine.writeMark), where it has one. */
  writeMark(): string | undefined {
    return this.engine.writeMark?.();
  }

  /** Where each stored row of `ids` is (owner, status, sort key): an update's place in its list (logBulk). */
  async placesOf(db: Db, table: Listable, ids: string[]): Promise<Map<string, ListedRow>> {
    const found = new Map<string, ListedRow>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await db
        .selectFrom(table as 'timbres')
        .select(['id', 'owner', 'status', 'sort_order', 'created_at'])
        .where('id', 'in', ids.slice(i, i + 1000))
        .execute();
      for (const r of rows) found.set(r.id, { id: r.id, owner: r.owner, status: r.status, sortOrder: Number(r.sort_order), createdAt: Number(r.created_at) });
    }
    return found;
  }

  async ownersOf(db: Db, table: Listable, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await db.selectFrom(table).select(['id', 'owner']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.owner]));
  }

  /** Every row of a table, retired ones included, in id order, a batch at a time. */
  async *scan<T extends Listable | 'bindings'>(table: T, batch = 1000): AsyncGenerator<DB[T][]> {
    const idCol = table === 'bindings' ? 'timbre_id' : 'id';
    let after: string[] | undefined;
    for (;;) {
      let q = this.db.selectFrom(table as any).selectAll() as any;
      if (table === 'bindings') {
        if (after) q = q.where((eb: any) => eb(eb.refTuple('digital_human_id', 'owner', 'timbre_id'), '>', eb.tuple(...after!)));
        q = q.orderBy('digital_human_id').orderBy('owner').orderBy('timbre_id');
      } else {
        if (after) q = q.where(idCol, '>', after[0]);
        q = q.orderBy(idCol);
      }
      const rows: any[] = await q.limit(batch).execute();
      if (!rows.length) return;
      yield rows;
      const last = rows[rows.length - 1];
      after = table === 'bindings' ? [last.digital_human_id, last.owner, last.timbre_id] : [last.id];
      if (rows.length < batch) return;
    }
  }

  /**
   * A list in the catalog order, by name or newest first is read as one index run per (owner, status),
   * merged: each of those orders has an index starting with owner and status (the list index, and
   * migration 0019's), so each run is an index range walked from the cursor for at most limit + 1 rows,
   * where one query over several owners would sort every matching row first. The dialects' other orders
   * (ElevenLabs' name and creation time with ties in catalog order) have no index and are one query.
   */
  async runsOf(table: Listable, s: { owners?: string[]; privateOnly?: boolean; status: string[]; sort: ListSort }): Promise<Narrowing[] | undefined> {
    if (!RUN_SORTS.has(s.sort)) return undefined;
    let owners = s.owners;
    if (!owners) {
      const apps = await this.cached('app-ids', async () => (await this.db.selectFrom('apps').select('id').orderBy('id').execute()).map((r) => r.id));
      owners = s.privateOnly ? apps : ['', ...apps];
    }
    const runs: Narrowing[] = [];
    for (const o of owners) {
      for (const st of s.status) {
        // An owner with no active row has no active match (most apps have no private timbres): one query
        // fewer a page. Its list's index is kept and followed like every other (indexOf).
        if (st === 'active' && (await this.indexes.indexOf(table, [o], () => undefined, '{}', false)).total === 0) continue;
        runs.push({ owners: [o], status: [st], privateOnly: false });
      }
    }
    return runs;
  }

  /** Keyset paging shared by the searches: rows after `after` in the sort's order, limit + 1 of them. */
  async keysetPage<R, T extends { id: string }>(
    build: (narrow: Narrowing) => any,
    runs: Narrowing[] | undefined,
    s: KeysetRequest,
    fromRow: (r: R) => T,
    unindexed = false,
  ): Promise<{ rows: T[]; total?: number }> {
    const order = SORTS[s.sort];
    const descending = DESCENDING[s.sort];

    const page = async (base: any): Promise<R[]> => {
      let q = base.selectAll();
      if (s.after) q = q.where(afterKey(order, descending, s.after));
      // `+column` keeps SQLite from walking an index for the order when the rows come from a short list.
      order.forEach((c, i) => (q = q.orderBy(unindexed ? sql`+${sql.ref(c)}` : c, i < descending ? 'desc' : 'asc')));
      return q.limit(s.limit + 1).execute();
    };
    let raw: R[];
    if (!runs) raw = await page(build({}));
    else {
      const merged = (await Promise.all(runs.map((r) => page(build(r))))).flat() as Record<string, unknown>[];
      merged.sort((a, b) => {
        for (let i = 0; i < order.length; i++) {
          const c = order[i];
          const by = c === 'sort_order' || c === 'created_at' ? Number(a[c]) - Number(b[c]) : compareText(a[c] as string, b[c] as string);
          if (by !== 0) return (by < 0 ? -1 : 1) * (i < descending ? -1 : 1);
        }
        return 0;
      });
      raw = merged.slice(0, s.limit + 1) as R[];
    }
    const rows = raw.map(fromRow);
    if (!s.total) return { rows };
    const n = await build({})
      .select((eb: ExpressionBuilder<DB, 'timbres'>) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return { rows, total: Number(n.n) };
  }

  containsExpr(column: string, needle: string, caseInsensitive = false): Expression<SqlBool> {
    if (needle.includes(NUL)) return NOTHING;
    const col = caseInsensitive ? sql`lower(${sql.ref(column)})` : sql.ref(column);
    return this.engine.kind === 'postgres' ? sql<SqlBool>`strpos(${col}, ${needle}) > 0` : sql<SqlBool>`instr(${col}, ${needle}) > 0`;
  }

  /**
   * One page of an owner-scoped, active-only list in the catalog order (OffsetPages.page): the list's
   * deep-offset index gives its total and where the page starts.
   */
  page(...args: Parameters<OffsetPages['page']>): ReturnType<OffsetPages['page']> {
    return this.pages.page(...args);
  }

  /** Takes the public lists' deep-offset indexes ahead, for a server about to listen (ListIndexes.warm). */
  warmLists(): Promise<void> {
    return this.indexes.warm();
  }

  /** How many times a list's index was taken from the store (tests and metrics: writes should not). */
  get indexesTaken(): number {
    return this.indexes.taken;
  }

  /**
   * Bulk insert-or-update by id (upsertRows). Its caller logs each row's event (logMove, or the import's
   * own): the lists of every process follow the writes by them.
   */
  async upsertById(db: Db, table: Listable, columns: readonly string[], rows: readonly unknown[][], mode: WriteMode = 'upsert'): Promise<Written> {
    return upsertRows(this.engine, db, table, columns, rows, mode);
  }

  /** Logs the event of an asset's write (its place in its list included: store/list-indexes.ts follows it). */
  logMove(trx: Db, table: Listable, before: ListedRow | undefined, after: ListedRow | undefined): void {
    const e = assetEvent(table, before, after);
    if (e) this.logEvent(trx, e);
  }

  /**
   * The events of a bulk write's rows (an import's), as blocks (store/events.ts): `created` for a row it
   * inserted, `updated` for one it updated (its fields not itemised, its etag empty), each with its place
   * in its list, an update's from `before` (where the row was; `?` when that is not known, and followers
   * take the list again).
   */
  logBulk(trx: Db, table: Listable, rows: { asset: ListedRow; inserted: boolean; before?: ListedRow }[]): void {
    const events = this.pending.get(trx as Transaction<DB>);
    if (!events) throw new Error('an event outside a write transaction');
    const { kind } = EVENT_TABLES[table];
    const source = eventSource();
    const blocks = new Map<string, [string, string, string | null][]>();
    for (const { asset, inserted, before } of rows) {
      const type = `${kind}.${inserted ? 'created' : 'updated'}`;
      const group = `${type}\u0000${asset.owner}`;
      let objects = blocks.get(group);
      if (!objects) blocks.set(group, (objects = []));
      // No etag: a version of each row cost a third of an import's speed (docs/events.md).
      objects.push([asset.id, '', placeOf(inserted ? undefined : (before ?? null), asset) ?? null]);
      if (objects.length === BLOCK_EVENTS) {
        events.push({ block: true, type, kind, owner: asset.owner, source, objects });
        blocks.delete(group);
      }
    }
    for (const [group, objects] of blocks) {
      const [type, owner] = group.split('\u0000');
      events.push({ block: true, type, kind, owner, source, objects });
    }
  }

  /** Records an event of the transaction `trx`: appended just before it commits, gone if it rolls back. */
  logEvent(trx: Db, e: NewEvent): void {
    const events = this.pending.get(trx as Transaction<DB>);
    if (!events) throw new Error('an event outside a write transaction');
    events.push({ ...e, source: eventSource() });
  }
}

/** The sorts read as merged runs of one owner and status (runsOf): those with an index of their own. */
const RUN_SORTS = new Set<ListSort>(['catalog', 'name', '-createdAt']);

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Texts in the order both engines compare them (SQLite's BINARY and PostgreSQL's "C": the bytes of their
 * UTF-8, which is code point order). JavaScript's `<` compares UTF-16 code units, which puts a character
 * past U+FFFF before U+E000–U+FFFF; the two agree on every text without surrogates.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : 1;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0)! - y[i].codePointAt(0)!;
  }
  return x.length - y.length;
}

/** How each asset table's rows are read back (an event's etag is the version of the asset as a read shows it). */
const EVENT_TABLES: Record<Listable, { kind: EventObjectKind; canonical: (a: any) => unknown }> = {
  timbres: { kind: 'timbre', canonical: (a) => timbreFromRow(timbreToRow(a)) },
  digital_humans: { kind: 'digital_human', canonical: (a) => digitalHumanFromRow(digitalHumanToRow(a)) },
  anchors: { kind: 'anchor', canonical: (a) => anchorFromRow(anchorToRow(a)) },
};

/** Fields whose change alone is no change of the asset's. */
const UNCOUNTED = new Set(['updatedAt']);

/** The event of an asset's write (undefined for a write that changed nothing but its time). */
export function assetEvent(table: Listable, before: ListedRow | undefined, after: ListedRow | undefined): NewEvent | undefined {
  const { kind, canonical } = EVENT_TABLES[table];
  const now = after ?? before!;
  const was = before && (canonical(before) as Record<string, unknown>);
  const is = after && (canonical(after) as Record<string, unknown>);
  let type: string;
  let changed: string[] = [];
  if (!was) type = 'created';
  else if (!is) type = 'deleted';
  else {
    changed = Object.keys(is).filter((k) => !UNCOUNTED.has(k) && JSON.stringify(is[k]) !== JSON.stringify(was[k]));
    if (!changed.length) return undefined;
    type = was.status !== 'retired' && is.status === 'retired' ? 'retired' : was.status === 'retired' && is.status !== 'retired' ? 'restored' : 'updated';
  }
  const place = placeOf(before, after);
  return { type: `${kind}.${type}`, kind, objectId: now.id, owner: now.owner, etag: `"${versionOf(is ?? was)}"`, changed, ...(place ? { place } : {}) };
}
