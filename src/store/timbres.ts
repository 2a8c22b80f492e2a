import { sql, type Expression, type SqlBool, type Transaction } from 'kysely';
import { PUBLIC_OWNER as PUBLIC, type Page, type Timbre, type TimbreSummary } from '../core/types.js';
import type { DB } from './schema.js';
import { TimbrelError } from '../core/errors.js';
import { TIMBRE_COLUMN, TIMBRE_COLUMNS, timbreFromRow, timbreValues, type TimbreValues } from './rows.js';
import { type Db, type WriteTransaction, type WriteMode, NUL, oneOfTexts } from './base.js';
import type { Repository } from './repository.js';
import { TimbreStaging, type StagedTimbre, type StageSettled } from './timbre-staging.js';
import { TimbreSearches, type TimbreSearch } from './timbre-search.js';

export { StageError, STAGE, type StagedTimbre, type StageSettled } from './timbre-staging.js';
export { FEW_MATCHES, searchWords, ftsQuery, type TimbreSearch } from './timbre-search.js';

export interface TimbreFilter {
  /** Exact keys; any of them. */
  keys?: string[];
  /** Case-sensitive substring of the name. */
  nameContains?: string;
}

/** The file fields of a timbre: its picture, its sample and its samples per language. */
export const timbreFiles = (t: Timbre): string[] => [t.image, t.sample, ...Object.values(t.languageSamples ?? {})].filter((r): r is string => Boolean(r));

/** What a timbre's summary reads: its id, owner, name and picture, and its sort key (TimbreStore.listSummaries). */
export const SUMMARY_COLUMNS = ['id', 'owner', 'name', 'image', 'sort_order', 'created_at'] as const;

/** The first key of the advisory locks that serialize writers of one timbre key ('tkey'). */
export const KEY_LOCK_SPACE = 0x746b6579;

/** Timbres: lists, reads and searches, single-asset writes with their key rules, and bulk writes. */
export class TimbreStore {
  private readonly staging: TimbreStaging;
  private readonly searches: TimbreSearches;

  constructor(private readonly store: Repository) {
    this.staging = new TimbreStaging();
    this.searches = new TimbreSearches(store);
  }

  /**
   * Serializes the writers of the given timbre keys until the transaction ends (PostgreSQL: one
   * transaction-scoped advisory lock per key, taken in a fixed order; SQLite: already serialized). The
   * key rules span owners (a private key may not shadow a public one), which no unique index expresses.
   */
  async lockKeys(trx: Transaction<DB>, keys: string[]): Promise<void> {
    if (this.store.engine.kind !== 'postgres' || !keys.length) return;
    for (const k of [...new Set(keys)].sort()) await sql`select pg_advisory_xact_lock(${KEY_LOCK_SPACE}, hashtext(${k}))`.execute(trx);
  }

  /**
   * Who holds each of `keys` among `owners` (undefined: any owner): key → [{id, owner}]. Walks the
   * (key, owner) index (migration 0006), a seek per key.
   */
  async keyHolders(db: Db, keys: string[], owners?: string[]): Promise<Map<string, { id: string; owner: string }[]>> {
    const found = new Map<string, { id: string; owner: string }[]>();
    const usable = [...new Set(keys)].filter((k) => !k.includes(NUL));
    for (let i = 0; i < usable.length; i += 1000) {
      let q = db
        .selectFrom('timbres')
        .select(['key', 'id', 'owner'])
        .where('key', 'in', usable.slice(i, i + 1000));
      if (owners) q = q.where('owner', 'in', owners);
      for (const r of await q.execute()) {
        const list = found.get(r.key);
        if (list) list.push({ id: r.id, owner: r.owner });
        else found.set(r.key, [{ id: r.id, owner: r.owner }]);
      }
    }
    return found;
  }

  /** Timbre rows into the transaction's staging table (PostgreSQL; TimbreStaging.stageRows). */
  stageRows(w: WriteTransaction, rows: readonly StagedTimbre[]): Promise<void> {
    return this.staging.stageRows(w, rows);
  }

  /** Writes the staged timbres as the import's rules say (TimbreStaging.settleStaged). */
  settleStaged(w: WriteTransaction): Promise<StageSettled> {
    return this.staging.settleStaged(w);
  }

  /** The native API's timbre search, keyset-paged (TimbreSearches.search). */
  search(s: TimbreSearch): Promise<{ rows: Timbre[]; total?: number }> {
    return this.searches.search(s);
  }

  /** A page of a search by offset, for vendors that page by number (TimbreSearches.offsetPage). */
  offsetPage(s: Omit<TimbreSearch, 'after' | 'limit' | 'total'>, offset: number, limit: number): Promise<Page<Timbre>> {
    return this.searches.offsetPage(s, offset, limit);
  }

  async list(owners: string[], filter: TimbreFilter, offset: number, limit: number): Promise<Page<Timbre>> {
    const where = (eb: any): Expression<SqlBool> | undefined => {
      const parts: Expression<SqlBool>[] = [];
      if (filter.keys) parts.push(oneOfTexts(eb, 'key', filter.keys));
      if (filter.nameContains) parts.push(this.store.containsExpr('name', filter.nameContains));
      return parts.length ? eb.and(parts) : undefined;
    };
    const filterKey = JSON.stringify(filter);
    return this.store.cached(`list:timbres|${owners.join(',')}|${filterKey}|${offset}|${limit}`, async () => {
      const page = await this.store.page('timbres', owners, where, filterKey, offset, limit);
      return { total: page.total, items: page.rows.map(timbreFromRow) };
    });
  }

  /**
   * The same page as list (unfiltered), with only what a timbre's summary needs (id, name,
   * picture): ZEGO's GetTimbreList. A full timbre row is most of a page's cost in the store (20 rows:
   * ~215 µs whole, ~100 µs summarized, on a million-row SQLite catalog).
   */
  async listSummaries(owners: string[], offset: number, limit: number): Promise<Page<TimbreSummary>> {
    return this.store.cached(`list:timbre-summaries|${owners.join(',')}|${offset}|${limit}`, async () => {
      const page = await this.store.page('timbres', owners, () => undefined, '{}', offset, limit, SUMMARY_COLUMNS);
      return { total: page.total, items: page.rows.map((r) => ({ id: r.id, owner: r.owner, name: r.name, image: r.image })) };
    });
  }

  /** A timbre by id, if its owner is one of `owners` (undefined = any); retired ones still resolve. */
  byId(id: string, owners?: string[]): Promise<Timbre | undefined> {
    return this.store.rowById('timbres', id, owners, timbreFromRow);
  }

  /**
   * The timbre of a key among `owners`' (retired ones too): an app's own first (the key rules keep a
   * private key from shadowing a public one, so at most one is found).
   */
  async byKey(key: string, owners: string[]): Promise<Timbre | undefined> {
    if (key.includes(NUL)) return undefined;
    const rows = await this.store.db
      .selectFrom('timbres')
      .selectAll()
      .where('key', '=', key)
      .where('owner', 'in', owners)
      .orderBy('owner', 'desc')
      .limit(1)
      .execute();
    return rows.length ? timbreFromRow(rows[0]) : undefined;
  }

  /** Whether any timbre (any owner, any status) has this key. */
  async keyHeld(key: string): Promise<boolean> {
    if (key.includes(NUL)) return false;
    return (await this.store.db.selectFrom('timbres').select('id').where('key', '=', key).limit(1).executeTakeFirst()) !== undefined;
  }

  /** Timbres; returns the indexes of those not written (upsertRows). */
  upsert(db: Db, timbres: Timbre[], mode: WriteMode = 'upsert'): Promise<number[]> {
    return this.upsertRows(db, timbres.map(timbreValues), mode);
  }

  /**
   * Timbres given as their row values (TIMBRE_COLUMNS order), as the import's parse worker builds them.
   * Returns the indexes of rows not written: their id is another owner's (or, with `insert`, taken).
   */
  async upsertRows(db: Db, rows: TimbreValues[], mode: WriteMode = 'upsert'): Promise<number[]> {
    return (await this.writeRows(db, rows, mode)).skipped;
  }

  /** upsertRows, saying also which rows were inserted (the others written were updated). */
  async writeRows(db: Db, rows: TimbreValues[], mode: WriteMode = 'upsert'): Promise<{ skipped: number[]; inserted: boolean[] }> {
    if (!rows.length) return { skipped: [], inserted: [] };
    // Outside a transaction: one of this process's own, so the change token moves.
    if (!db.isTransaction) return this.store.transaction((trx) => this.writeRows(trx, rows, mode));
    const { skipped, inserted, rowids } = await this.store.upsertById(db, 'timbres', TIMBRE_COLUMNS, rows, mode);
    if (!this.store.engine.runEach) return { skipped, inserted };
    // SQLite keeps its text index (migration 0004) in step in the same transaction: new rows enter it by
    // one rowid range; updated ones leave and re-enter it by rowid.
    const skip = new Set(skipped);
    const updatedIds = rows.flatMap((r, i) => (skip.has(i) || inserted[i] ? [] : [r[TIMBRE_COLUMN.id] as string]));
    const newRowids = rowids.filter((_, i) => inserted[i]);
    if (newRowids.length) {
      await sql`INSERT INTO timbres_fts(rowid, name, description, tags) SELECT rowid, name, description, tags FROM timbres WHERE rowid BETWEEN ${Math.min(...newRowids)} AND ${Math.max(...newRowids)}`.execute(
        db,
      );
    }
    for (let i = 0; i < updatedIds.length; i += 500) {
      const ids = sql.join(updatedIds.slice(i, i + 500));
      await sql`DELETE FROM timbres_fts WHERE rowid IN (SELECT rowid FROM timbres WHERE id IN (${ids}))`.execute(db);
      await sql`INSERT INTO timbres_fts(rowid, name, description, tags) SELECT rowid, name, description, tags FROM timbres WHERE id IN (${ids})`.execute(db);
    }
    return { skipped, inserted };
  }

  /** Whether `owner` has any timbre stored, as `db` sees it. */
  async ownerHasAny(db: Db, owner: string): Promise<boolean> {
    return (await db.selectFrom('timbres').select('id').where('owner', '=', owner).limit(1).executeTakeFirst()) !== undefined;
  }

  /** Ids of existing timbres among `ids`, with their owner and key (for import conflict checks). */
  async idsByKey(db: Db, owner: string, keys: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    // A thousand keys a statement: engines limit bound parameters (SQLite 32,766, PostgreSQL 65,535).
    for (let i = 0; i < keys.length; i += 1000) {
      const rows = await db
        .selectFrom('timbres')
        .select(['key', 'id'])
        .where('owner', '=', owner)
        .where('key', 'in', keys.slice(i, i + 1000))
        .execute();
      for (const r of rows) found.set(r.key, r.id);
    }
    return found;
  }

  /**
   * Keys among `keys` that the other scope holds: for the public owner, keys an app holds privately; for
   * an app, public keys. One cheap probe first: most catalogs have one scope only.
   */
  async keysHeldAcrossScopes(db: Db, owner: string, keys: string[]): Promise<Set<string>> {
    const other = db.selectFrom('timbres').select('id');
    const any = await (owner === PUBLIC ? other.where('owner', '>', PUBLIC) : other.where('owner', '=', PUBLIC)).limit(1).executeTakeFirst();
    if (!any) return new Set();
    const holders = await this.keyHolders(db, keys, owner === PUBLIC ? undefined : [PUBLIC]);
    return new Set([...holders].filter(([, hs]) => hs.some((h) => h.owner !== owner)).map(([k]) => k));
  }

  /**
   * Creates a timbre, in one transaction: its id must be new (another writer's row of the same id, whoever
   * owns it, is a conflict, never overwritten), and its key must pass the key rules (checkKey).
   */
  async create(t: Timbre): Promise<void> {
    await this.store.transaction(async (trx) => {
      await this.store.files.touch(trx, timbreFiles(t), t.updatedAt);
      await this.checkKey(trx, t);
      if ((await this.upsert(trx, [t], 'insert')).length) throw new TimbrelError('conflict', `a timbre with id ${t.id} exists`, 'id');
      this.store.logMove(trx, 'timbres', undefined, t);
    });
  }

  /**
   * Changes a stored timbre: reads it locked (lockedRow), hands it to `change`, and writes what that
   * returns, all in one transaction, so that two writers of one timbre never undo each other. Undefined
   * when there is no such timbre among `owners` (undefined = any).
   */
  change(id: string, owners: string[] | undefined, change: (current: Timbre) => Timbre | Promise<Timbre>): Promise<Timbre | undefined> {
    return this.store.transaction((trx) => this.changeIn(trx, id, owners, change));
  }

  /** change inside the caller's transaction (an upload records its file in the same one). */
  async changeIn(
    trx: Transaction<DB>,
    id: string,
    owners: string[] | undefined,
    change: (current: Timbre) => Timbre | Promise<Timbre>,
  ): Promise<Timbre | undefined> {
    const row = await this.store.lockedRow(trx, 'timbres', id);
    if (!row || (owners && !owners.includes(row.owner))) return undefined;
    const current = timbreFromRow(row);
    const next = { ...(await change(current)), id: current.id, owner: current.owner };
    const had = new Set(timbreFiles(current));
    await this.store.files.touch(
      trx,
      timbreFiles(next).filter((r) => !had.has(r)),
      next.updatedAt,
    );
    if (next.key !== current.key) await this.checkKey(trx, next);
    await this.upsert(trx, [next]);
    this.store.logMove(trx, 'timbres', current, next);
    return next;
  }

  /**
   * A timbre's key is unique among its owner's timbres (a unique index, so two writers cannot both insert
   * one: the second gets 409), and among what one app
   * can see: an app's private key may not be a public timbre's key, nor a public key one that an app holds
   * privately. The public catalog is visible to every app, so the rule never tells an app about another.
   */
  private async checkKey(trx: Transaction<DB>, t: Timbre): Promise<void> {
    await this.lockKeys(trx, [t.key]);
    const holders = (await this.keyHolders(trx, [t.key], t.owner === PUBLIC ? undefined : [PUBLIC, t.owner])).get(t.key) ?? [];
    for (const h of holders) {
      if (h.id === t.id) continue;
      if (h.owner === t.owner) throw new TimbrelError('conflict', `key ${JSON.stringify(t.key)} already belongs to timbre ${h.id}`, 'key');
      if (h.owner === PUBLIC)
        throw new TimbrelError('conflict', `key ${JSON.stringify(t.key)} is a public timbre's key; a private timbre may not shadow it`, 'key');
      throw new TimbrelError('conflict', `key ${JSON.stringify(t.key)} is held by an app's private timbre; a public timbre may not take it`, 'key');
    }
  }
}
