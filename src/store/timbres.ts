import { sql, type Expression, type ExpressionBuilder, type SqlBool, type Transaction } from 'kysely';
import { PUBLIC_OWNER as PUBLIC, type Page, type Timbre, type TimbreSummary } from '../core/types.js';
import type { DB } from './schema.js';
import { copyValue } from './engine.js';
import { TimbrelError } from '../core/errors.js';
import { POSTGRES_TIMBRE_TEXT } from './migrations.js';
import { TIMBRE_COLUMN, TIMBRE_COLUMNS, timbreFromRow, timbreValues, type TimbreValues } from './rows.js';
import {
  type Db,
  type Narrowing,
  type KeysetRequest,
  type WriteTransaction,
  SORTS,
  DESCENDING,
  type WriteMode,
  NOT_WRITTEN,
  NUL,
  NOTHING,
  oneOfTexts,
} from './base.js';
import type { Repository } from './repository.js';

export interface TimbreFilter {
  /** Exact keys; any of them. */
  keys?: string[];
  /** Case-sensitive substring of the name. */
  nameContains?: string;
}

/** The file fields of a timbre: its picture, its sample and its samples per language. */
export const timbreFiles = (t: Timbre): string[] => [t.image, t.sample, ...Object.values(t.languageSamples ?? {})].filter((r): r is string => Boolean(r));

/** Up to this many text matches, a search is driven from them rather than from the list index. */
export const FEW_MATCHES = 5000;

/** The words of a search `q` that a text match looks for (at most 16). */
export const searchWords = (q: string) => q.split(/\s+/).filter(Boolean).slice(0, 16);

/**
 * An FTS5 query: every word of `q`, each quoted (no operator of q's is interpreted). Whole words, not
 * prefixes: a prefix query merges the doclists of every word it starts before the first row comes out
 * (~300 ms for a word in every row of a million), a word query reads its doclist lazily.
 */
export const ftsQuery = (q: string) =>
  searchWords(q)
    .map((w) => `"${w.replace(/"/g, '""')}"`)
    .join(' ');

export interface TimbreSearch extends KeysetRequest {
  /** Owners allowed (undefined = any). */
  owners?: string[];
  /** Only private timbres (owner ≠ public). */
  privateOnly?: boolean;
  status: string[];
  gender?: string[];
  language?: string[];
  tag?: string[];
  emotion?: string[];
  timbreType?: string[];
  avatarType?: string[];
  q?: string;
  /** Exact keys; any of them. */
  keys?: string[];
  /** Case-insensitive equality with the timbre's age or accent. */
  age?: string;
  accent?: string;
  /** Any of them equals (case-insensitive) a language tag of the timbre or its primary subtag (`en` ~ `en-US`). */
  languageOrSubtag?: string[];
  /** Any of them equals (case-insensitive) a language tag with a region subtag. */
  locale?: string[];
  /** Any of them equals (case-insensitive) one of the timbre's use cases / tags. */
  useCase?: string[];
  tagCi?: string[];
}

/** A timbre row staged for a bulk write: its values, its place in the load, whether the source gave its id. */
export interface StagedTimbre {
  row: TimbreValues;
  seq: number;
  idGiven: boolean;
}

/** What settling the staged timbres did: rows written, and those left out (with why). */
export interface StageSettled {
  written: number;
  skipped: { seq: number; reason: 'shadows' | 'shadowed' | 'other-owner'; key: string; id: string }[];
}

/** A staged row the load cannot write: it stops the load (a given id against a stored key, a key given two ids). */
export class StageError extends Error {
  constructor(
    readonly seq: number,
    message: string,
  ) {
    super(message);
  }
}

export const STAGE = 'timbrel_stage';

/** What a timbre's summary reads: its id, owner, name and picture, and its sort key (TimbreStore.listSummaries). */
export const SUMMARY_COLUMNS = ['id', 'owner', 'name', 'image', 'sort_order', 'created_at'] as const;

/** The first key of the advisory locks that serialize writers of one timbre key ('tkey'). */
export const KEY_LOCK_SPACE = 0x746b6579;

/** Timbres: lists, reads and searches, single-asset writes with their key rules, and bulk writes. */
export class TimbreStore {
  /** Bulk-load transactions whose staging table exists (stageRows). */
  private readonly staging = new WeakSet<WriteTransaction>();

  constructor(private readonly store: Repository) {}

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

  /**
   * Timbre rows into the transaction's staging table (PostgreSQL), to be checked and written together by
   * settleStaged: a bulk load sends its rows by COPY, and the store resolves keys, scopes and owners
   * set by set rather than a lookup per chunk.
   */
  async stageRows(w: WriteTransaction, rows: readonly StagedTimbre[]): Promise<void> {
    if (!w.copyFrom) throw new Error('stageRows: this engine has no COPY');
    if (!rows.length) return;
    if (!this.staging.has(w)) {
      // LIKE copies the columns and NOT NULLs, not the indexes: the table takes rows as fast as COPY sends them.
      await sql`CREATE TEMP TABLE ${sql.table(STAGE)} (LIKE timbres, seq integer NOT NULL, id_given boolean NOT NULL) ON COMMIT DROP`.execute(w.db);
      this.staging.add(w);
    }
    let text = '';
    for (const { row, seq, idGiven } of rows) {
      for (const v of row) text += `${copyValue(v)}\t`;
      text += `${seq}\t${idGiven ? 't' : 'f'}\n`;
    }
    await w.copyFrom(`COPY ${STAGE} (${TIMBRE_COLUMNS.join(', ')}, seq, id_given) FROM STDIN`, text);
  }

  /**
   * Writes the staged timbres, as the import's rules say, then empties the stage:
   * - a key the other scope holds (stored, or staged earlier in the load) is left out: a private key may not
   *   shadow a public one, nor a public key take one an app holds;
   * - a row whose source gave no id takes the stored id of its owner and key (a re-import updates in place);
   * - a given id against a stored key of another id, or one key staged with two ids, throws StageError;
   * - the same id staged twice: the later row is written;
   * - an id another owner holds is left out (never moved).
   */
  async settleStaged(w: WriteTransaction): Promise<StageSettled> {
    const db = w.db;
    if (!this.staging.has(w)) return { written: 0, skipped: [] };
    const stage = sql.table(STAGE);
    const skipped: StageSettled['skipped'] = [];
    const scopes = (
      await sql<{
        pub: boolean | null;
        priv: boolean | null;
        n: number;
      }>`SELECT bool_or(owner = '') AS pub, bool_or(owner <> '') AS priv, count(*)::int AS n FROM ${stage}`.execute(db)
    ).rows[0];
    if (!scopes.n) return { written: 0, skipped: [] };
    // `owner > ''` rather than `<> ''`: a range of the list index, not a scan past every public row.
    const otherStored = async (pub: boolean) =>
      (await sql`SELECT 1 FROM timbres WHERE ${pub ? sql`owner > ''` : sql`owner = ''`} LIMIT 1`.execute(db)).rows.length > 0;
    if ((scopes.pub && (await otherStored(true))) || (scopes.priv && (await otherStored(false)))) {
      const gone = await sql<{ seq: number; owner: string; key: string; id: string }>`
        DELETE FROM ${stage} s WHERE EXISTS (SELECT 1 FROM timbres t WHERE t.key = s.key AND (t.owner = '') <> (s.owner = ''))
        RETURNING s.seq, s.owner, s.key, s.id`.execute(db);
      for (const r of gone.rows) skipped.push({ seq: r.seq, reason: r.owner === PUBLIC ? 'shadows' : 'shadowed', key: r.key, id: r.id });
    }
    if (scopes.pub && scopes.priv) {
      // The first row of a key in the load decides its scope; rows of the other scope are left out.
      const gone = await sql<{ seq: number; owner: string; key: string; id: string }>`
        WITH firsts AS (SELECT DISTINCT ON (key) key, owner = '' AS pub FROM ${stage} ORDER BY key, seq)
        DELETE FROM ${stage} s USING firsts f WHERE f.key = s.key AND f.pub <> (s.owner = '')
        RETURNING s.seq, s.owner, s.key, s.id`.execute(db);
      for (const r of gone.rows) skipped.push({ seq: r.seq, reason: r.owner === PUBLIC ? 'shadows' : 'shadowed', key: r.key, id: r.id });
    }
    await sql`UPDATE ${stage} s SET id = t.id FROM timbres t WHERE NOT s.id_given AND t.key = s.key AND t.owner = s.owner AND t.id <> s.id`.execute(db);
    const columns = sql.join(TIMBRE_COLUMNS.map((c) => sql.ref(c)));
    const update = sql.join(TIMBRE_COLUMNS.filter((c) => c !== 'id' && c !== 'created_at').map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`));
    // In the list order: the rows of a page then share a heap page or two, and a page that is not in the
    // cache reads those, not one heap page per row (random pages 1.6-1.9× faster on a million timbres; the
    // import's speed the same as in id order, docs/benchmarks.md).
    const upsert = () =>
      sql<{ seq: number; key: string; id: string }>`
      WITH w AS (
        INSERT INTO timbres (${columns}) SELECT ${columns} FROM ${stage} ORDER BY sort_order, created_at, id
        ON CONFLICT (id) DO UPDATE SET ${update} WHERE timbres.owner = excluded.owner
        RETURNING id
      )
      SELECT s.seq, s.key, s.id FROM ${stage} s WHERE NOT EXISTS (SELECT 1 FROM w WHERE w.id = s.id)`.execute(db);
    // Most loads give each id and key once, and the stored ids are the staged ones: written at once. A
    // load that does not trips the primary key (one id twice) or the key index (a key given two ids, or a
    // given id against a stored key); it is then checked row by row, from the savepoint.
    await sql`SAVEPOINT timbrel_stage`.execute(db);
    let left: Awaited<ReturnType<typeof upsert>> | undefined;
    try {
      left = await upsert();
      await sql`RELEASE SAVEPOINT timbrel_stage`.execute(db);
    } catch (err) {
      const code = (err as { code?: string }).code;
      // 23505 unique_violation; 21000 cardinality_violation ("cannot affect row a second time").
      if (code !== '23505' && code !== '21000') throw err;
      await sql`ROLLBACK TO SAVEPOINT timbrel_stage`.execute(db);
    }
    if (!left) {
      const taken = (
        await sql<{ seq: number; key: string; stored: string }>`
        SELECT s.seq, s.key, t.id AS stored FROM ${stage} s JOIN timbres t ON t.key = s.key AND t.owner = s.owner
        WHERE s.id_given AND t.id <> s.id ORDER BY s.seq LIMIT 1`.execute(db)
      ).rows[0];
      if (taken) throw new StageError(taken.seq, `key ${JSON.stringify(taken.key)} already belongs to timbre ${taken.stored}`);
      const twice = (
        await sql<{ seq: number; key: string }>`
        SELECT seq, key FROM (SELECT seq, key, id, first_value(id) OVER (PARTITION BY owner, key ORDER BY seq) AS first FROM ${stage}) x
        WHERE id <> first ORDER BY seq LIMIT 1`.execute(db)
      ).rows[0];
      if (twice) throw new StageError(twice.seq, `key ${JSON.stringify(twice.key)} appears twice with different ids`);
      await sql`DELETE FROM ${stage} a USING ${stage} b WHERE a.id = b.id AND a.seq < b.seq`.execute(db);
      left = await upsert();
    }
    for (const r of left.rows) skipped.push({ seq: r.seq, reason: 'other-owner', key: r.key, id: r.id });
    const count = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${stage}`.execute(db)).rows[0].n;
    await sql`TRUNCATE ${stage}`.execute(db);
    return { written: count - left.rows.length, skipped: skipped.sort((a, b) => a.seq - b.seq) };
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

  /** Timbres; returns the indexes of those not written (upsertRows). */
  upsert(db: Db, timbres: Timbre[], mode: WriteMode = 'upsert'): Promise<number[]> {
    return this.upsertRows(db, timbres.map(timbreValues), mode);
  }

  /**
   * Timbres given as their row values (TIMBRE_COLUMNS order), as the import's parse worker builds them.
   * Returns the indexes of rows not written: their id is another owner's (or, with `insert`, taken).
   */
  async upsertRows(db: Db, rows: TimbreValues[], mode: WriteMode = 'upsert'): Promise<number[]> {
    if (!rows.length) return [];
    // Outside a transaction: one of this process's own, so the change token moves and lists follow.
    if (!db.isTransaction) return this.store.transaction((trx) => this.upsertRows(trx, rows, mode));
    const upsert = (db: Db) => this.store.upsertById(db, 'timbres', TIMBRE_COLUMNS, rows, mode);
    if (!this.store.engine.runEach) return (await upsert(db)).skipped;
    // SQLite keeps its text index (migration 0004) in step in the same transaction. A row the upsert
    // inserted moved the connection's last insert rowid to its own; an updated row left it alone. New
    // rows enter the index by one rowid range; updated ones leave and re-enter it by rowid.
    const write = async (trx: Db): Promise<number[]> => {
      let last = Number((await sql<{ r: number }>`SELECT last_insert_rowid() AS r`.execute(trx)).rows[0].r);
      const { rowids, skipped } = await upsert(trx);
      const inserted: number[] = [];
      const updatedIds: string[] = [];
      rowids.forEach((rowid, i) => {
        if (rowid === NOT_WRITTEN) return;
        if (rowid !== last) inserted.push((last = rowid));
        else updatedIds.push(rows[i][TIMBRE_COLUMN.id] as string);
      });
      if (inserted.length) {
        await sql`INSERT INTO timbres_fts(rowid, name, description, tags) SELECT rowid, name, description, tags FROM timbres WHERE rowid BETWEEN ${Math.min(...inserted)} AND ${Math.max(...inserted)}`.execute(
          trx,
        );
      }
      for (let i = 0; i < updatedIds.length; i += 500) {
        const ids = sql.join(updatedIds.slice(i, i + 500));
        await sql`DELETE FROM timbres_fts WHERE rowid IN (SELECT rowid FROM timbres WHERE id IN (${ids}))`.execute(trx);
        await sql`INSERT INTO timbres_fts(rowid, name, description, tags) SELECT rowid, name, description, tags FROM timbres WHERE id IN (${ids})`.execute(trx);
      }
      return skipped;
    };
    return write(db);
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
   * The native API's timbre search: filters (each any of its values), a case-insensitive text match over
   * name, description and tags, one of the sort orders, and keyset paging after `after` (the previous
   * page's last sort key). Returns up to limit + 1 rows so the caller can tell whether there are more.
   */
  async search(s: TimbreSearch): Promise<{ rows: Timbre[]; total?: number }> {
    // A selective text search drives the query from its few matches (looked up by rowid, then sorted);
    // a common one walks the list index, where matches are dense and the page fills early.
    // (SQLite: rowids from its FTS5 table; PostgreSQL: ids from its GIN index, where a walk of the list
    // index would compute every row's tsvector until the page fills: 60 ms at 20,000 rows.)
    let matches: Expression<SqlBool> | undefined;
    if (s.q && this.store.engine.kind === 'sqlite') {
      const found = await sql<{ rowid: number }>`SELECT rowid FROM timbres_fts WHERE timbres_fts MATCH ${ftsQuery(s.q)} LIMIT ${FEW_MATCHES + 1}`.execute(
        this.store.db,
      );
      if (found.rows.length <= FEW_MATCHES) {
        matches = sql<SqlBool>`${sql.ref('timbres.rowid')} in (select value from json_each(${JSON.stringify(found.rows.map((r) => Number(r.rowid)))}))`;
      }
    } else if (s.q) {
      const found = await this.store.db
        .selectFrom('timbres')
        .select('id')
        .where(this.textMatch(s.q))
        .limit(FEW_MATCHES + 1)
        .execute();
      if (found.length <= FEW_MATCHES) matches = sql<SqlBool>`${sql.ref('timbres.id')} = any(${found.map((r) => r.id)})`;
    }
    const build = (narrow: Narrowing) =>
      this.store.db.selectFrom('timbres').where((eb) => {
        const all = this.conditions(eb, { ...s, ...narrow, q: matches ? undefined : s.q });
        if (matches) all.push(matches);
        return eb.and(all);
      });
    return this.store.keysetPage(
      build,
      matches ? undefined : await this.store.runsOf('timbres', s),
      s,
      timbreFromRow,
      Boolean(matches) && this.store.engine.kind === 'sqlite',
    );
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

  private conditions = (eb: ExpressionBuilder<DB, 'timbres'>, s: TimbreSearch): Expression<SqlBool>[] => {
    const all: Expression<SqlBool>[] = [];
    if (s.owners) all.push(eb('owner', 'in', s.owners));
    if (s.privateOnly) all.push(eb('owner', '!=', ''));
    all.push(eb('status', 'in', s.status));
    if (s.gender?.length) all.push(eb('gender', 'in', s.gender));
    if (s.timbreType?.length) all.push(eb('timbre_type', 'in', s.timbreType));
    // Lists are JSON text: a value is matched as its JSON string, which no other element can contain.
    const anyOf = (column: 'languages' | 'tags' | 'emotions' | 'supported_avatar_types', values?: string[]) => {
      if (values?.length) all.push(eb.or(values.map((v) => this.store.containsExpr(column, JSON.stringify(v)))));
    };
    anyOf('languages', s.language);
    anyOf('tags', s.tag);
    anyOf('emotions', s.emotion);
    anyOf('supported_avatar_types', s.avatarType);
    if (s.q) all.push(this.textMatch(s.q));
    if (s.keys) all.push(oneOfTexts(eb, 'key', s.keys));
    // Case-insensitive matches compare lower(column) with the value lowered the way the engine lowers
    // (SQLite's lower() folds ASCII only).
    const lower = (v: string) => (this.store.engine.kind === 'sqlite' ? v.replace(/[A-Z]+/g, (c) => c.toLowerCase()) : v.toLowerCase());
    const eqCi = (column: 'age' | 'accent', v?: string) => {
      if (v !== undefined) all.push(v.includes(NUL) ? NOTHING : sql<SqlBool>`lower(${sql.ref(column)}) = ${lower(v)}`);
    };
    eqCi('age', s.age);
    eqCi('accent', s.accent);
    const anyCi = (column: 'languages' | 'tags' | 'use_cases', needles: string[]) =>
      all.push(needles.length ? eb.or(needles.map((n) => this.store.containsExpr(column, n, true))) : NOTHING);
    if (s.languageOrSubtag)
      anyCi(
        'languages',
        s.languageOrSubtag.flatMap((v) => (v.includes('-') ? [JSON.stringify(lower(v))] : [JSON.stringify(lower(v)), `"${lower(v)}-`])),
      );
    if (s.locale)
      anyCi(
        'languages',
        s.locale.filter((v) => v.includes('-')).map((v) => JSON.stringify(lower(v))),
      );
    if (s.useCase)
      anyCi(
        'use_cases',
        s.useCase.map((v) => JSON.stringify(lower(v))),
      );
    if (s.tagCi)
      anyCi(
        'tags',
        s.tagCi.map((v) => JSON.stringify(lower(v))),
      );
    return all;
  };

  /**
   * A page of a search by offset (vendors that page by number): the rows at `offset` in the sort's order
   * and how many match. For filtered lists; an unfiltered catalog-order page is `list`'s (deep-offset index).
   */
  async offsetPage(s: Omit<TimbreSearch, 'after' | 'limit' | 'total'>, offset: number, limit: number): Promise<Page<Timbre>> {
    const base = this.store.db.selectFrom('timbres').where((eb) => eb.and(this.conditions(eb, { ...s, limit })));
    const order = SORTS[s.sort];
    const descending = DESCENDING[s.sort];
    let q = base.selectAll();
    order.forEach((c, i) => (q = q.orderBy(c, i < descending ? 'desc' : 'asc')));
    const [rows, n] = await Promise.all([q.limit(limit).offset(offset).execute(), base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()]);
    return { total: Number(n.n), items: rows.map(timbreFromRow) };
  }

  /**
   * Timbres whose name, description or tags hold every word of `q` (whole words, case ignored; SQLite also
   * ignores accents). Each engine answers from its own text index.
   */
  private textMatch(q: string): Expression<SqlBool> {
    if (q.includes(NUL)) return NOTHING;
    if (this.store.engine.kind === 'sqlite') {
      // Row by row as the list index is walked (a rowid seek in the index per row): used when matches are
      // many, so the page fills after a few rows.
      return sql<SqlBool>`exists (select 1 from timbres_fts where timbres_fts match ${ftsQuery(q)} and timbres_fts.rowid = ${sql.ref('timbres.rowid')})`;
    }
    // PostgreSQL: its GIN index over the same words (migration 0005); every word must be there.
    return sql<SqlBool>`${POSTGRES_TIMBRE_TEXT} @@ plainto_tsquery('simple'::regconfig, ${searchWords(q).join(' ')})`;
  }
}
