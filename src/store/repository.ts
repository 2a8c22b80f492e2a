import { CompiledQuery, sql, type ControlledTransaction, type Compilable, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { PUBLIC_OWNER as PUBLIC, type App, type Binding, type DigitalHuman, type Page, type Timbre, type TimbreSummary } from '../core/types.js';
import type { DB } from './schema.js';
import { copyValue, type StoreEngine } from './engine.js';
import { TokenCache } from './token-cache.js';
import { CHECKPOINT_EVERY, DeepIndex, type SortKey } from './lists.js';
import { isRetryable } from './faults.js';
import { TimbrelError } from '../core/errors.js';
import { SecretBox } from '../core/secret-box.js';
import { POSTGRES_TIMBRE_TEXT } from './migrations.js';
import { TIMBRE_COLUMN, TIMBRE_COLUMNS, digitalHumanFromRow, digitalHumanToRow, timbreFromRow, timbreValues, type TimbreValues } from './rows.js';

export interface TimbreFilter {
  /** Exact keys; any of them. */
  keys?: string[];
  /** Case-sensitive substring of the name. */
  nameContains?: string;
}

export interface DigitalHumanFilter {
  anchorCodes?: string[];
  ids?: string[];
}

export interface StoredFile {
  id: string;
  contentType: string;
  size: number;
  createdAt: number;
}

type Listable = 'timbres' | 'digital_humans';
export type Db = Kysely<DB> | Transaction<DB>;

export interface ApiKey {
  id: string;
  appId: string;
  name: string;
  hash: string;
  createdAt: number;
  revokedAt: number | null;
}

const apiKeyFromRow = (r: DB['api_keys']): ApiKey => ({
  id: r.id,
  appId: r.app_id,
  name: r.name,
  hash: r.hash,
  createdAt: Number(r.created_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

export type ListSort = 'catalog' | 'name' | '-createdAt';

/** Sort orders and their keyset columns (the last is the unique tiebreak). */
export const SORTS: Record<ListSort, ('sort_order' | 'created_at' | 'id' | 'name')[]> = {
  catalog: ['sort_order', 'created_at', 'id'],
  name: ['name', 'id'],
  '-createdAt': ['created_at', 'id'],
};

/** Up to this many text matches, a search is driven from them rather than from the list index. */
const FEW_MATCHES = 5000;

/** The words of a search `q` that a text match looks for (at most 16). */
const searchWords = (q: string) => q.split(/\s+/).filter(Boolean).slice(0, 16);

/**
 * An FTS5 query: every word of `q`, each quoted (no operator of q's is interpreted). Whole words, not
 * prefixes: a prefix query merges the doclists of every word it starts before the first row comes out
 * (~300 ms for a word in every row of a million), a word query reads its doclist lazily.
 */
const ftsQuery = (q: string) =>
  searchWords(q)
    .map((w) => `"${w.replace(/"/g, '""')}"`)
    .join(' ');

/** One run of a merged list: a single owner and status. */
interface Narrowing {
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

export interface DigitalHumanSearch extends KeysetRequest {
  owners?: string[];
  privateOnly?: boolean;
  status: string[];
  avatarType?: string[];
  q?: string;
}

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
}

export interface WriteTransaction {
  db: Transaction<DB>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /**
   * PostgreSQL: COPY FROM STDIN on the transaction's connection (stageTimbreRows). Undefined on SQLite,
   * whose in-process statements cost no round trips.
   */
  copyFrom?: (statement: string, text: string) => Promise<void>;
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

const STAGE = 'timbrel_stage';

const num = (v: unknown): number => Number(v);

function appFromRow(r: DB['apps'], box: SecretBox): App {
  const open = (v: string, column: string) => box.open(v, `${r.id}:${column}`);
  return {
    id: r.id,
    name: r.name,
    rateLimit: num(r.rate_limit),
    status: r.status as App['status'],
    zegoAppId: num(r.zego_app_id),
    zegoServerSecret: open(r.zego_server_secret, 'zego_server_secret'),
    ivhAppKey: r.ivh_appkey,
    ivhAccessToken: open(r.ivh_accesstoken, 'ivh_accesstoken'),
    zegoPreviousSecret: r.zego_previous_secret === null ? null : open(r.zego_previous_secret, 'zego_previous_secret'),
    zegoPreviousUntil: r.zego_previous_until === null ? null : num(r.zego_previous_until),
    ivhPreviousToken: r.ivh_previous_token === null ? null : open(r.ivh_previous_token, 'ivh_previous_token'),
    ivhPreviousUntil: r.ivh_previous_until === null ? null : num(r.ivh_previous_until),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

function appToRow(a: App, box: SecretBox): DB['apps'] {
  const seal = (v: string, column: string) => box.seal(v, `${a.id}:${column}`);
  return {
    id: a.id,
    name: a.name,
    rate_limit: a.rateLimit,
    status: a.status,
    zego_app_id: a.zegoAppId,
    zego_server_secret: seal(a.zegoServerSecret, 'zego_server_secret'),
    ivh_appkey: a.ivhAppKey,
    ivh_accesstoken: seal(a.ivhAccessToken, 'ivh_accesstoken'),
    zego_previous_secret: a.zegoPreviousSecret === null ? null : seal(a.zegoPreviousSecret, 'zego_previous_secret'),
    zego_previous_until: a.zegoPreviousUntil,
    ivh_previous_token: a.ivhPreviousToken === null ? null : seal(a.ivhPreviousToken, 'ivh_previous_token'),
    ivh_previous_until: a.ivhPreviousUntil,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

const ORDER = ['sort_order', 'created_at', 'id'] as const;

/** Every statement timbrel runs is in this class; the core and the dialects never see SQL. */
export class Repository {
  // 64 pages of up to 100 full rows plus their renderings: the hot pages of a read API are few. At 512 the
  // deep-offset benchmark left ~130 MB live and V8 let the heap grow to twice that before collecting
  // (server peak RSS 500 MB); at 128, 320 MB; at 64, 279 MB (docs/benchmarks.md).
  private readonly reads = new TokenCache(64);
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** Deep-offset indexes of the lists read lately, with the change token each is right for (indexOf). */
  private readonly lists = new Map<string, { token: string; table: Listable; owners: string[]; followable: boolean; index: DeepIndex }>();
  /** Statements compiled once per shape (prepared). */
  private readonly shapes = new Map<string, { sql: string; fixed: readonly unknown[]; read: (string[] | undefined)[] }>();
  /** How many times a list's index was taken from the store (tests and metrics: writes should not). */
  indexesTaken = 0;
  /** The write log of each open transaction of this process's (transaction, followWrites). */
  private readonly logs = new WeakMap<Transaction<DB>, WriteLog>();
  /** Bulk-load transactions whose staging table exists (stageTimbreRows). */
  private readonly staging = new WeakSet<WriteTransaction>();

  constructor(
    readonly engine: StoreEngine,
    /** Seals apps' signing secrets at rest (plain text when no key is configured). */
    readonly box: SecretBox = new SecretBox([]),
  ) {}

  /**
   * Seals every app's secrets under the current key (after a key is set or rotated); returns how many apps
   * were rewritten. Values already under the current key are left alone.
   */
  async reencryptSecrets(now: number): Promise<number> {
    let n = 0;
    await this.transaction(async (trx) => {
      // The key that signs file URLs is a secret too.
      for (const key of SECRET_SETTINGS) {
        const r = await trx.selectFrom('settings').select('value').where('key', '=', key).$if(this.engine.kind === 'postgres', (q) => q.forUpdate()).executeTakeFirst();
        if (!r || this.box.isCurrent(r.value)) continue;
        const sealed = this.box.seal(this.box.open(r.value, `settings:${key}`), `settings:${key}`);
        await trx.updateTable('settings').set({ value: sealed }).where('key', '=', key).execute();
      }
      const rows = await trx.selectFrom('apps').selectAll().$if(this.engine.kind === 'postgres', (q) => q.forUpdate()).execute();
      for (const r of rows) {
        const stored = [r.zego_server_secret, r.ivh_accesstoken, r.zego_previous_secret, r.ivh_previous_token].filter((v): v is string => v !== null);
        if (stored.every((v) => this.box.isCurrent(v))) continue;
        await trx.updateTable('apps').set(this.secretColumns(appFromRow(r, this.box), now)).where('id', '=', r.id).execute();
        n++;
      }
    });
    return n;
  }

  /**
   * A read remembered until the change token moves. The token is taken before the read, so a write that
   * lands during it leaves the result filed under the old token, never the new one.
   */
  private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
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
        const log: WriteLog = { rows: new Map(), moves: [] };
        const result = await this.db.transaction().execute(async (trx) => {
          this.logs.set(trx, log);
          try {
            const r = await fn(trx);
            await this.engine.announce?.(trx);
            return r;
          } finally {
            this.logs.delete(trx);
          }
        });
        const before = this.engine.changeToken();
        this.engine.noteWrite();
        this.followWrites(log, before, this.engine.changeToken());
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
    let q = trx.selectFrom(table as Listable).selectAll().where('id', '=', id);
    if (this.engine.kind === 'postgres') q = q.forUpdate();
    return (await q.executeTakeFirst()) as DB[T] | undefined;
  }

  /**
   * Serializes the writers of the given timbre keys until the transaction ends (PostgreSQL: one
   * transaction-scoped advisory lock per key, taken in a fixed order; SQLite: already serialized). The
   * key rules span owners (a private key may not shadow a public one), which no unique index expresses.
   */
  async lockTimbreKeys(trx: Transaction<DB>, keys: string[]): Promise<void> {
    if (this.engine.kind !== 'postgres' || !keys.length) return;
    for (const k of [...new Set(keys)].sort()) await sql`select pg_advisory_xact_lock(${KEY_LOCK_SPACE}, hashtext(${k}))`.execute(trx);
  }

  /**
   * Who holds each of `keys` among `owners` (undefined: any owner): key → [{id, owner}]. Walks the
   * (key, owner) index (migration 0006), a seek per key.
   */
  async timbreKeyHolders(db: Db, keys: string[], owners?: string[]): Promise<Map<string, { id: string; owner: string }[]>> {
    const found = new Map<string, { id: string; owner: string }[]>();
    const usable = [...new Set(keys)].filter((k) => !k.includes(NUL));
    for (let i = 0; i < usable.length; i += 1000) {
      let q = db.selectFrom('timbres').select(['key', 'id', 'owner']).where('key', 'in', usable.slice(i, i + 1000));
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
      trx = await (session?.db ?? this.db).startTransaction().execute();
    } catch (err) {
      release(true);
      throw err;
    }
    return {
      db: trx,
      commit: async () => {
        try {
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

  /**
   * Timbre rows into the transaction's staging table (PostgreSQL), to be checked and written together by
   * settleStagedTimbres: a bulk load sends its rows by COPY, and the store resolves keys, scopes and owners
   * set by set rather than a lookup per chunk.
   */
  async stageTimbreRows(w: WriteTransaction, rows: readonly StagedTimbre[]): Promise<void> {
    if (!w.copyFrom) throw new Error('stageTimbreRows: this engine has no COPY');
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
  async settleStagedTimbres(w: WriteTransaction): Promise<StageSettled> {
    const db = w.db;
    if (!this.staging.has(w)) return { written: 0, skipped: [] };
    const stage = sql.table(STAGE);
    const skipped: StageSettled['skipped'] = [];
    const scopes = (await sql<{ pub: boolean | null; priv: boolean | null; n: number }>`SELECT bool_or(owner = '') AS pub, bool_or(owner <> '') AS priv, count(*)::int AS n FROM ${stage}`.execute(db)).rows[0];
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
    // In id order: neighbouring ids share primary-key pages, so fewer pages are dirtied.
    const upsert = () => sql<{ seq: number; key: string; id: string }>`
      WITH w AS (
        INSERT INTO timbres (${columns}) SELECT ${columns} FROM ${stage} ORDER BY id
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

  // ---- apps -------------------------------------------------------------------------------------------

  async insertApp(app: App): Promise<void> {
    await this.transaction((trx) => trx.insertInto('apps').values(appToRow(app, this.box)).execute());
  }

  async updateApp(id: string, patch: Partial<Pick<App, 'name' | 'rateLimit' | 'status'>>, now: number): Promise<void> {
    const set: Partial<DB['apps']> = { updated_at: now };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.rateLimit !== undefined) set.rate_limit = patch.rateLimit;
    if (patch.status !== undefined) set.status = patch.status;
    await this.transaction((trx) => trx.updateTable('apps').set(set).where('id', '=', id).execute());
  }

  /**
   * Rotates an app's signing secrets: `change` turns the app as stored (its row locked for the
   * transaction) into the app with new secrets, so two rotations at once never lose one's new secret.
   */
  async rotateAppSecrets(name: string, now: number, change: (current: App) => App): Promise<App | undefined> {
    return this.transaction(async (trx) => {
      const row = await trx.selectFrom('apps').selectAll().where('name', '=', name).$if(this.engine.kind === 'postgres', (q) => q.forUpdate()).executeTakeFirst();
      if (!row) return undefined;
      const next = change(appFromRow(row, this.box));
      await trx.updateTable('apps').set(this.secretColumns(next, now)).where('id', '=', row.id).execute();
      return { ...next, updatedAt: now };
    });
  }

  /** An app's signing-secret columns, sealed under the current key. */
  private secretColumns(a: App, now: number): Partial<DB['apps']> {
    const row = appToRow(a, this.box);
    return {
      zego_server_secret: row.zego_server_secret,
      zego_previous_secret: row.zego_previous_secret,
      zego_previous_until: row.zego_previous_until,
      ivh_accesstoken: row.ivh_accesstoken,
      ivh_previous_token: row.ivh_previous_token,
      ivh_previous_until: row.ivh_previous_until,
      updated_at: now,
    };
  }

  appByZegoId(appId: number): Promise<App | undefined> {
    return this.cached(`app:zego:${appId}`, async () => {
      const r = await this.db.selectFrom('apps').selectAll().where('zego_app_id', '=', appId).executeTakeFirst();
      return r && appFromRow(r, this.box);
    });
  }

  appByIvhKey(appkey: string): Promise<App | undefined> {
    return this.cached(`app:ivh:${appkey}`, async () => {
      const r = await this.db.selectFrom('apps').selectAll().where('ivh_appkey', '=', appkey).executeTakeFirst();
      return r && appFromRow(r, this.box);
    });
  }

  async appByName(name: string, db: Db = this.db): Promise<App | undefined> {
    const r = await db.selectFrom('apps').selectAll().where('name', '=', name).executeTakeFirst();
    return r && appFromRow(r, this.box);
  }

  appById(id: string): Promise<App | undefined> {
    return this.cached(`app:id:${id}`, async () => {
      const r = await this.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
      return r && appFromRow(r, this.box);
    });
  }

  /** Through the cache: an operator's catalog-order list reads one run per app, on every page. */
  listApps(): Promise<App[]> {
    return this.cached('apps', async () => {
      const rows = await this.db.selectFrom('apps').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map((r) => appFromRow(r, this.box));
    });
  }

  // ---- catalog reads ----------------------------------------------------------------------------------

  async listTimbres(owners: string[], filter: TimbreFilter, offset: number, limit: number): Promise<Page<Timbre>> {
    const where = (eb: any): Expression<SqlBool> | undefined => {
      const parts: Expression<SqlBool>[] = [];
      if (filter.keys) parts.push(oneOfTexts(eb, 'key', filter.keys));
      if (filter.nameContains) parts.push(this.containsExpr('name', filter.nameContains));
      return parts.length ? eb.and(parts) : undefined;
    };
    const filterKey = JSON.stringify(filter);
    return this.cached(`list:timbres|${owners.join(',')}|${filterKey}|${offset}|${limit}`, async () => {
      const page = await this.page('timbres', owners, where, filterKey, offset, limit);
      return { total: page.total, items: page.rows.map(timbreFromRow) };
    });
  }

  /**
   * The same page as listTimbres (unfiltered), with only what a timbre's summary needs (id, name,
   * picture): ZEGO's GetTimbreList. A full timbre row is most of a page's cost in the store (20 rows:
   * ~215 µs whole, ~100 µs summarized, on a million-row SQLite catalog).
   */
  async listTimbreSummaries(owners: string[], offset: number, limit: number): Promise<Page<TimbreSummary>> {
    return this.cached(`list:timbre-summaries|${owners.join(',')}|${offset}|${limit}`, async () => {
      const page = await this.page('timbres', owners, () => undefined, '{}', offset, limit, SUMMARY_COLUMNS);
      return { total: page.total, items: page.rows.map((r) => ({ id: r.id, owner: r.owner, name: r.name, image: r.image })) };
    });
  }

  async listDigitalHumans(
    owners: string[],
    filter: DigitalHumanFilter,
    offset: number,
    limit: number,
  ): Promise<Page<DigitalHuman>> {
    const where = (eb: any): Expression<SqlBool> | undefined => {
      const parts: Expression<SqlBool>[] = [];
      if (filter.anchorCodes) parts.push(oneOfTexts(eb, 'anchor_code', filter.anchorCodes));
      if (filter.ids) parts.push(oneOfTexts(eb, 'id', filter.ids));
      return parts.length ? eb.and(parts) : undefined;
    };
    const filterKey = JSON.stringify(filter);
    return this.cached(`list:dh|${owners.join(',')}|${filterKey}|${offset}|${limit}`, async () => {
      const page = await this.page('digital_humans', owners, where, filterKey, offset, limit);
      return { total: page.total, items: page.rows.map(digitalHumanFromRow) };
    });
  }

  /** A digital human by id, if its owner is one of `owners` (undefined = any); retired ones still resolve. */
  digitalHumanById(id: string, owners?: string[]): Promise<DigitalHuman | undefined> {
    return this.byId('digital_humans', id, owners, digitalHumanFromRow);
  }

  /** A timbre by id, if its owner is one of `owners` (undefined = any); retired ones still resolve. */
  timbreById(id: string, owners?: string[]): Promise<Timbre | undefined> {
    return this.byId('timbres', id, owners, timbreFromRow);
  }

  private byId<T extends Listable, R>(table: T, id: string, owners: string[] | undefined, fromRow: (r: DB[T]) => R): Promise<R | undefined> {
    return this.cached(`${table}:${id}|${owners?.join(',') ?? '*'}`, async () => {
      let q = this.db.selectFrom(table as Listable).selectAll().where('id', '=', id);
      if (owners) q = q.where('owner', 'in', owners);
      const r = (await q.executeTakeFirst()) as DB[T] | undefined;
      return r && fromRow(r);
    });
  }


  /**
   * The active timbres bound to a digital human, in binding order. A timbre bound under several owners
   * (the operator's public binding and the app's own) is listed once, where it first appears.
   */
  boundTimbres(digitalHumanId: string, bindingOwners: string[], timbreOwners: string[]): Promise<Timbre[]> {
    return this.cached(`bound:${digitalHumanId}|${bindingOwners.join(',')}|${timbreOwners.join(',')}`, () =>
      this.loadBoundTimbres(digitalHumanId, bindingOwners, timbreOwners),
    );
  }

  private async loadBoundTimbres(digitalHumanId: string, bindingOwners: string[], timbreOwners: string[]): Promise<Timbre[]> {
    const rows = await this.db
      .selectFrom('bindings as b')
      .innerJoin('timbres as t', 't.id', 'b.timbre_id')
      .selectAll('t')
      .where('b.digital_human_id', '=', digitalHumanId)
      .where('b.owner', 'in', bindingOwners)
      .where('t.owner', 'in', timbreOwners)
      .where('t.status', '=', 'active')
      .orderBy('b.sort_order')
      .orderBy('b.created_at')
      .orderBy('t.id')
      .execute();
    const seen = new Set<string>();
    const out: Timbre[] = [];
    for (const r of rows) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(timbreFromRow(r));
    }
    return out;
  }

  // ---- catalog writes ---------------------------------------------------------------------------------

  /** Timbres; returns the indexes of those not written (upsertTimbreRows). */
  upsertTimbres(db: Db, timbres: Timbre[], mode: WriteMode = 'upsert'): Promise<number[]> {
    return this.upsertTimbreRows(db, timbres.map(timbreValues), mode);
  }

  /**
   * Timbres given as their row values (TIMBRE_COLUMNS order), as the import's parse worker builds them.
   * Returns the indexes of rows not written: their id is another owner's (or, with `insert`, taken).
   */
  async upsertTimbreRows(db: Db, rows: TimbreValues[], mode: WriteMode = 'upsert'): Promise<number[]> {
    if (!rows.length) return [];
    // Outside a transaction: one of this process's own, so the change token moves and lists follow.
    if (!db.isTransaction) return this.transaction((trx) => this.upsertTimbreRows(trx, rows, mode));
    const upsert = (db: Db) => this.upsertById(db, 'timbres', TIMBRE_COLUMNS, rows, mode);
    if (!this.engine.runEach) return (await upsert(db)).skipped;
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
        await sql`INSERT INTO timbres_fts(rowid, name, description, tags) SELECT rowid, name, description, tags FROM timbres WHERE rowid BETWEEN ${Math.min(...inserted)} AND ${Math.max(...inserted)}`.execute(trx);
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

  /** Digital humans; like upsertTimbreRows, returns the indexes of those not written. */
  async upsertDigitalHumans(db: Db, dhs: DigitalHuman[], mode: WriteMode = 'upsert'): Promise<number[]> {
    if (!dhs.length) return [];
    if (!db.isTransaction) return this.transaction((trx) => this.upsertDigitalHumans(trx, dhs, mode));
    const rows = dhs.map(digitalHumanToRow);
    return (await this.upsertById(db, 'digital_humans', Object.keys(rows[0]), rows.map(Object.values), mode)).skipped;
  }

  /**
   * Inserts rows, given as values in `columns` order, or updates the row with the same id (all but `id` and
   * `created_at`), in bulk. SQLite: one single-row statement compiled once and run over every row (its
   * parameters must be the row's bound values in column order, checked), on the engine's one connection,
   * which a transaction owns; returns the connection's last insert rowid after each row. PostgreSQL:
   * `rowsPerStatement` rows a statement, sent as one JSON parameter that `json_populate_recordset` turns into
   * the table's own row type (a 500-row VALUES list meant compiling and serializing 11,500 parameters).
   */
  private async upsertById(db: Db, table: 'timbres' | 'digital_humans', columns: readonly string[], rows: readonly unknown[][], mode: WriteMode = 'upsert'): Promise<Written> {
    const update = excludedExcept(columns, ['id', 'created_at']);
    // An existing id is updated only where the row keeps its owner: no write moves an asset from one owner
    // to another (an import naming another app's id, two apps creating one id at once). Such a row is
    // left as it is and reported as not written. `insert` writes new ids only.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one statement shape for two tables
    const log = this.logs.get(db as Transaction<DB>);
    if (log) log.rows.set(table, (log.rows.get(table) ?? 0) + rows.length);
    const upsert = (insert: any, returning = false): Compilable => {
      const q = insert.onConflict((oc: any) =>
        mode === 'insert' ? oc.column('id').doNothing() : oc.column('id').doUpdateSet(update).where(sql.ref(`${table}.owner`), '=', sql.ref('excluded.owner')),
      );
      return returning ? q.returning('id') : q;
    };
    const record = (r: readonly unknown[]) => Object.fromEntries(columns.map((c, i) => [c, r[i]]));
    const runEach = this.engine.runEach;
    if (!runEach) {
      const per = this.engine.rowsPerStatement;
      const names = sql.join(columns.map((c) => sql.ref(c)));
      const idAt = columns.indexOf('id');
      const written = new Set<string>();
      for (let i = 0; i < rows.length; i += per) {
        const json = JSON.stringify(rows.slice(i, i + per).map(record));
        const select = sql`SELECT ${names} FROM json_populate_recordset(NULL::${sql.table(table)}, ${json}::json)`;
        const result = await db.executeQuery<{ id: string }>(upsert(db.insertInto(table).columns(columns as never).expression(select), true).compile());
        for (const r of result.rows) written.add(r.id);
      }
      return { rowids: [], skipped: rows.flatMap((r, i) => (written.has(r[idAt] as string) ? [] : [i])) };
    }
    // A value every row shares is written into the statement as a literal rather than bound for each row:
    // binding converts and copies each string, ~11% of a bulk import's writer thread, and most columns of
    // an imported catalog repeat (owner, status, lists, times). The statement's text then depends on
    // those values, so only a batch worth a statement of its own does it (not a single API write).
    const first = rows[0];
    const literals = rows.length >= LITERALS_FROM_ROWS;
    const shared = columns.map((_, c) => literals && literalSafe(first[c]) && rows.every((r) => r[c] === first[c]));
    const bound = columns.flatMap((_, c) => (shared[c] ? [] : [c]));
    const compiled = upsert(db.insertInto(table).values(Object.fromEntries(columns.map((name, c) => [name, shared[c] ? sql.lit(first[c]) : first[c]])) as never)).compile();
    if (compiled.parameters.length !== bound.length || compiled.parameters.some((v, i) => v !== first[bound[i]])) {
      throw new Error('bulk upsert: statement parameters are not the row values in column order');
    }
    const params = bound.length === columns.length ? rows : rows.map((r) => bound.map((c) => r[c]));
    // In a transaction this caller owns the connection; otherwise take it, so that nobody else's
    // transaction is open on it while the rows run.
    const rowids = db.isTransaction ? runEach(compiled.sql, params) : await db.connection().execute(async () => runEach(compiled.sql, params));
    return { rowids, skipped: rowids.flatMap((r, i) => (r === NOT_WRITTEN ? [i] : [])) };
  }

  async upsertBindings(db: Db, bindings: Binding[]): Promise<void> {
    if (!bindings.length) return;
    await db
      .insertInto('bindings')
      .values(
        bindings.map((b) => ({
          owner: b.owner,
          digital_human_id: b.digitalHumanId,
          timbre_id: b.timbreId,
          sort_order: b.sortOrder,
          is_default: b.isDefault ? 1 : 0,
          created_at: b.createdAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['digital_human_id', 'owner', 'timbre_id']).doUpdateSet((eb) => ({
          sort_order: eb.ref('excluded.sort_order'),
          is_default: eb.ref('excluded.is_default'),
        })),
      )
      .execute();
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
    await sql`VACUUM (ANALYZE) timbres, digital_humans, bindings`.execute(this.db);
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
    await sql`ANALYZE timbres, digital_humans, bindings`.execute(this.db);
  }

  /** Whether `owner` has any timbre stored, as `db` sees it. */
  async ownerHasTimbres(db: Db, owner: string): Promise<boolean> {
    return (await db.selectFrom('timbres').select('id').where('owner', '=', owner).limit(1).executeTakeFirst()) !== undefined;
  }

  /** The engine's write mark (StoreEngine.writeMark), where it has one. */
  writeMark(): string | undefined {
    return this.engine.writeMark?.();
  }

  /** Ids of existing timbres among `ids`, with their owner and key (for import conflict checks). */
  async timbreOwnersByKey(db: Db, owner: string, keys: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    // A thousand keys a statement: engines limit bound parameters (SQLite 32,766, PostgreSQL 65,535).
    for (let i = 0; i < keys.length; i += 1000) {
      const rows = await db.selectFrom('timbres').select(['key', 'id']).where('owner', '=', owner).where('key', 'in', keys.slice(i, i + 1000)).execute();
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
    const holders = await this.timbreKeyHolders(db, keys, owner === PUBLIC ? undefined : [PUBLIC]);
    return new Set([...holders].filter(([, hs]) => hs.some((h) => h.owner !== owner)).map(([k]) => k));
  }

  async ownersOf(db: Db, table: Listable, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await db.selectFrom(table).select(['id', 'owner']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.owner]));
  }

  // ---- export -----------------------------------------------------------------------------------------

  /** Every row of a table, retired ones included, in id order, a batch at a time. */
  async *scan<T extends 'timbres' | 'digital_humans' | 'bindings'>(table: T, batch = 1000): AsyncGenerator<DB[T][]> {
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

  // ---- files and settings -----------------------------------------------------------------------------

  /**
   * Records a stored file. Recording one that is already there renews its `created_at` (the moment it was
   * last recorded), which the garbage collection's grace period counts from.
   */
  async insertFile(f: StoredFile, db: Db = this.db): Promise<void> {
    await db
      .insertInto('files')
      .values({ id: f.id, content_type: f.contentType, size: f.size, created_at: f.createdAt })
      .onConflict((oc) => oc.column('id').doUpdateSet({ created_at: f.createdAt }))
      .execute();
  }

  /**
   * Marks the stored files an asset write references as in use now, in the write's transaction (locking
   * their rows), so that the garbage collection cannot take a file a write is about to reference. Throws
   * invalid_parameter for one that is not stored.
   */
  async touchFiles(db: Db, refs: (string | null | undefined)[], now: number): Promise<void> {
    for (const ref of new Set(refs)) {
      if (!ref?.startsWith(STORED)) continue;
      const r = await db.updateTable('files').set({ created_at: now }).where('id', '=', ref.slice(STORED.length)).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw new TimbrelError('invalid_parameter', `${ref} is not a stored file`);
    }
  }

  /**
   * The garbage collection's first half: deletes (in one transaction, their rows locked) up to `limit`
   * file rows last recorded before `before` that no timbre or digital human references, and returns their
   * ids. The bytes are the caller's to remove once it has waited long enough for an upload that was
   * recording the same file again (FileGc).
   */
  async deleteUnreferencedFiles(before: number, limit = 1000): Promise<string[]> {
    return this.transaction(async (trx) => {
      let q = trx.selectFrom('files').select('id').where('created_at', '<', before).orderBy('created_at').limit(limit);
      if (this.engine.kind === 'postgres') q = q.forUpdate().skipLocked();
      const candidates = (await q.execute()).map((r) => r.id);
      if (!candidates.length) return [];
      // Digital humans are few: their references are read at once (pictures and action preview videos).
      const byDigitalHumans = new Set<string>();
      for (const r of await trx.selectFrom('digital_humans').select(['header_image', 'pose_image', 'clothes_image', 'actions']).execute()) {
        for (const m of `${r.header_image} ${r.pose_image} ${r.clothes_image} ${r.actions}`.matchAll(/stored:([0-9a-f]{64})/g)) byDigitalHumans.add(m[1]);
      }
      const gone: string[] = [];
      for (const id of candidates) {
        if (byDigitalHumans.has(id)) continue;
        const ref = `${STORED}${id}`;
        // The partial indexes of migration 0007: a seek each.
        const used = await trx
          .selectFrom('timbres')
          .select('id')
          .where((eb) => eb.or([eb.and([eb('image', '=', ref), sql<SqlBool>`image like 'stored:%'`]), eb.and([eb('sample', '=', ref), sql<SqlBool>`sample like 'stored:%'`])]))
          .limit(1)
          .executeTakeFirst();
        if (used) continue;
        await trx.deleteFrom('files').where('id', '=', id).execute();
        gone.push(id);
      }
      return gone;
    });
  }

  async fileById(id: string, db: Db = this.db): Promise<StoredFile | undefined> {
    const r = await db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, contentType: r.content_type, size: num(r.size), createdAt: num(r.created_at) };
  }

  /** Read through the cache: the operator token is checked on every operator request. */
  setting(key: string): Promise<string | undefined> {
    return this.cached(`setting:${key}`, async () => {
      const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      return r?.value;
    });
  }

  /**
   * A setting that is a secret (the key that signs file URLs): sealed at rest under TIMBREL_SECRET_KEY like
   * the apps' secrets (plain text is read as it is, from before a key was set; reencryptSecrets seals it).
   */
  async secretSetting(key: string): Promise<string | undefined> {
    const stored = await this.setting(key);
    return stored === undefined ? undefined : this.box.open(stored, `settings:${key}`);
  }

  /** Seals secret settings still stored in plain text (a new database's signing key) once a key is configured. */
  async sealPlainSecretSettings(): Promise<void> {
    if (!this.box.encrypting) return;
    for (const key of SECRET_SETTINGS) {
      const stored = await this.setting(key);
      if (stored !== undefined && !this.box.isSealed(stored)) await this.setSetting(key, this.box.seal(stored, `settings:${key}`));
    }
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.transaction((trx) =>
      trx
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute(),
    );
  }

  // ---- API keys ---------------------------------------------------------------------------------------

  async insertApiKey(k: ApiKey): Promise<void> {
    await this.transaction((trx) =>
      trx.insertInto('api_keys').values({ id: k.id, app_id: k.appId, name: k.name, hash: k.hash, created_at: k.createdAt, revoked_at: null }).execute(),
    );
  }

  /** A key that is not revoked, by the hash of its text. */
  apiKeyByHash(hash: string): Promise<ApiKey | undefined> {
    return this.cached(`apikey:${hash}`, async () => {
      const r = await this.db.selectFrom('api_keys').selectAll().where('hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
      return r && apiKeyFromRow(r);
    });
  }

  async listApiKeys(appId: string): Promise<ApiKey[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().where('app_id', '=', appId).orderBy('created_at').orderBy('id').execute();
    return rows.map(apiKeyFromRow);
  }

  /** Revokes a key; false when there is no such live key. */
  async revokeApiKey(id: string, now: number): Promise<boolean> {
    const r = await this.transaction((trx) => trx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst());
    return Number(r.numUpdatedRows) > 0;
  }

  // ---- native API reads -------------------------------------------------------------------------------

  /**
   * The native API's timbre search: filters (each any of its values), a case-insensitive text match over
   * name, description and tags, one of the sort orders, and keyset paging after `after` (the previous
   * page's last sort key). Returns up to limit + 1 rows so the caller can tell whether there are more.
   */
  async searchTimbres(s: TimbreSearch): Promise<{ rows: Timbre[]; total?: number }> {
    // A selective text search drives the query from its few matches (looked up by rowid, then sorted);
    // a common one walks the list index, where matches are dense and the page fills early.
    // (SQLite: rowids from its FTS5 table; PostgreSQL: ids from its GIN index, where a walk of the list
    // index would compute every row's tsvector until the page fills: 60 ms at 20,000 rows.)
    let matches: Expression<SqlBool> | undefined;
    if (s.q && this.engine.kind === 'sqlite') {
      const found = await sql<{ rowid: number }>`SELECT rowid FROM timbres_fts WHERE timbres_fts MATCH ${ftsQuery(s.q)} LIMIT ${FEW_MATCHES + 1}`.execute(this.db);
      if (found.rows.length <= FEW_MATCHES) {
        matches = sql<SqlBool>`${sql.ref('timbres.rowid')} in (select value from json_each(${JSON.stringify(found.rows.map((r) => Number(r.rowid)))}))`;
      }
    } else if (s.q) {
      const found = await this.db
        .selectFrom('timbres')
        .select('id')
        .where(this.textMatch(s.q))
        .limit(FEW_MATCHES + 1)
        .execute();
      if (found.length <= FEW_MATCHES) matches = sql<SqlBool>`${sql.ref('timbres.id')} = any(${found.map((r) => r.id)})`;
    }
    const build = (narrow: Narrowing) =>
      this.db.selectFrom('timbres').where((eb) => {
        const all = this.conditions(eb, { ...s, ...narrow, q: matches ? undefined : s.q });
        if (matches) all.push(matches);
        return eb.and(all);
      });
    return this.keysetPage(build, matches ? undefined : await this.runsOf('timbres', s), s, timbreFromRow, Boolean(matches) && this.engine.kind === 'sqlite');
  }

  /** The native API's digital-human search; like searchTimbres. */
  async searchDigitalHumans(s: DigitalHumanSearch): Promise<{ rows: DigitalHuman[]; total?: number }> {
    const build = (narrow: Narrowing) =>
      this.db.selectFrom('digital_humans').where((eb) => {
        const f = { ...s, ...narrow };
        const all: Expression<SqlBool>[] = [eb('status', 'in', f.status)];
        if (f.owners) all.push(eb('owner', 'in', f.owners));
        if (f.privateOnly) all.push(eb('owner', '!=', ''));
        if (f.avatarType?.length) all.push(eb('avatar_type', 'in', f.avatarType));
        if (f.q) {
          const needle = f.q.toLowerCase();
          all.push(eb.or(['name', 'anchor_code', 'clothes_name', 'pose_name'].map((c) => this.containsExpr(c, needle, true))));
        }
        return eb.and(all);
      });
    return this.keysetPage(build, await this.runsOf('digital_humans', s), s, digitalHumanFromRow);
  }

  /**
   * In the catalog order a list is read as one index run per (owner, status), merged: the list index
   * starts with owner and status, so each run is an index range walked from the cursor for at most
   * limit + 1 rows, where one query over several owners would sort every matching row first.
   * Other orders have no index and are one query.
   */
  private async runsOf(table: Listable, s: { owners?: string[]; privateOnly?: boolean; status: string[]; sort: ListSort }): Promise<Narrowing[] | undefined> {
    if (s.sort !== 'catalog') return undefined;
    let owners = s.owners;
    if (!owners) {
      const apps = (await this.listApps()).map((a) => a.id);
      owners = s.privateOnly ? apps : ['', ...apps];
    }
    const runs: Narrowing[] = [];
    for (const o of owners) {
      for (const st of s.status) {
        // An owner with no active row has no active match (most apps have no private timbres): one query
        // fewer a page. Its list's index is kept and followed like every other (indexOf).
        if (st === 'active' && (await this.indexOf(table, [o], () => undefined, '{}', false)).total === 0) continue;
        runs.push({ owners: [o], status: [st], privateOnly: false });
      }
    }
    return runs;
  }

  /** Keyset paging shared by the searches: rows after `after` in the sort's order, limit + 1 of them. */
  private async keysetPage<R, T extends { id: string }>(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    build: (narrow: Narrowing) => any,
    runs: Narrowing[] | undefined,
    s: KeysetRequest,
    fromRow: (r: R) => T,
    unindexed = false,
  ): Promise<{ rows: T[]; total?: number }> {
    const order = SORTS[s.sort];
    const desc = s.sort === '-createdAt';
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const page = async (base: any): Promise<R[]> => {
      let q = base.selectAll();
      if (s.after) {
        const cols = sql.join(order.map((c) => sql.ref(c)));
        const vals = sql.join(s.after.map((v) => sql`${v}`));
        q = q.where(desc ? sql<SqlBool>`(${cols}) < (${vals})` : sql<SqlBool>`(${cols}) > (${vals})`);
      }
        // `+column` keeps SQLite from walking an index for the order when the rows come from a short list.
      for (const c of order) q = q.orderBy(unindexed ? sql`+${sql.ref(c)}` : c, desc ? 'desc' : 'asc');
      return q.limit(s.limit + 1).execute();
    };
    let raw: R[];
    if (!runs) raw = await page(build({}));
    else {
      const merged = (await Promise.all(runs.map((r) => page(build(r))))).flat() as Record<string, unknown>[];
      merged.sort((a, b) => {
        for (const c of order) {
          const x = c === 'sort_order' || c === 'created_at' ? Number(a[c]) : (a[c] as string);
          const y = c === 'sort_order' || c === 'created_at' ? Number(b[c]) : (b[c] as string);
          if (x !== y) return (x < y ? -1 : 1) * (desc ? -1 : 1);
        }
        return 0;
      });
      raw = merged.slice(0, s.limit + 1) as R[];
    }
    const rows = raw.map(fromRow);
    if (!s.total) return { rows };
    const n = await build({}).select((eb: ExpressionBuilder<DB, 'timbres'>) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return { rows, total: Number(n.n) };
  }

  // ---- single-asset writes (native API) ---------------------------------------------------------------

  /**
   * Creates a timbre, in one transaction: its id must be new (another writer's row of the same id, whoever
   * owns it, is a conflict, never overwritten), and its key must pass the key rules (checkTimbreKey).
   */
  async createTimbre(t: Timbre): Promise<void> {
    await this.transaction(async (trx) => {
      await this.touchFiles(trx, [t.image, t.sample], t.updatedAt);
      await this.checkTimbreKey(trx, t);
      if ((await this.upsertTimbres(trx, [t], 'insert')).length) throw new TimbrelError('conflict', `a timbre with id ${t.id} exists`, 'id');
      this.logMove(trx, 'timbres', undefined, t);
    });
  }

  /**
   * Changes a stored timbre: reads it locked (lockedRow), hands it to `change`, and writes what that
   * returns, all in one transaction, so that two writers of one timbre never undo each other. Undefined
   * when there is no such timbre among `owners` (undefined = any).
   */
  changeTimbre(id: string, owners: string[] | undefined, change: (current: Timbre) => Timbre | Promise<Timbre>): Promise<Timbre | undefined> {
    return this.transaction((trx) => this.changeTimbreIn(trx, id, owners, change));
  }

  /** changeTimbre inside the caller's transaction (an upload records its file in the same one). */
  async changeTimbreIn(trx: Transaction<DB>, id: string, owners: string[] | undefined, change: (current: Timbre) => Timbre | Promise<Timbre>): Promise<Timbre | undefined> {
    const row = await this.lockedRow(trx, 'timbres', id);
    if (!row || (owners && !owners.includes(row.owner))) return undefined;
    const current = timbreFromRow(row);
    const next = { ...(await change(current)), id: current.id, owner: current.owner };
    await this.touchFiles(trx, [next.image, next.sample].filter((r) => r !== current.image && r !== current.sample), next.updatedAt);
    if (next.key !== current.key) await this.checkTimbreKey(trx, next);
    await this.upsertTimbres(trx, [next]);
    this.logMove(trx, 'timbres', current, next);
    return next;
  }

  /**
   * A timbre's key is unique among its owner's timbres (a unique index, so two writers cannot both insert
   * one: the second gets 409), and among what one app
   * can see: an app's private key may not be a public timbre's key, nor a public key one that an app holds
   * privately. The public catalog is visible to every app, so the rule never tells an app about another.
   */
  private async checkTimbreKey(trx: Transaction<DB>, t: Timbre): Promise<void> {
    await this.lockTimbreKeys(trx, [t.key]);
    const holders = (await this.timbreKeyHolders(trx, [t.key], t.owner === PUBLIC ? undefined : [PUBLIC, t.owner])).get(t.key) ?? [];
    for (const h of holders) {
      if (h.id === t.id) continue;
      if (h.owner === t.owner) throw new TimbrelError('conflict', `key ${JSON.stringify(t.key)} already belongs to timbre ${h.id}`, 'key');
      if (h.owner === PUBLIC) throw new TimbrelError('conflict', `key ${JSON.stringify(t.key)} is a public timbre's key; a private timbre may not shadow it`, 'key');
      throw new TimbrelError('conflict', `key ${JSON.stringify(t.key)} is held by an app's private timbre; a public timbre may not take it`, 'key');
    }
  }

  /** Creates a digital human whose id must be new (like createTimbre). */
  async createDigitalHuman(d: DigitalHuman): Promise<void> {
    await this.transaction(async (trx) => {
      await this.touchFiles(trx, digitalHumanFiles(d), d.updatedAt);
      if ((await this.upsertDigitalHumans(trx, [d], 'insert')).length) throw new TimbrelError('conflict', `a digital human with id ${d.id} exists`, 'id');
      this.logMove(trx, 'digital_humans', undefined, d);
    });
  }

  /** Changes a stored digital human under its row lock (like changeTimbre). */
  changeDigitalHuman(id: string, owners: string[] | undefined, change: (current: DigitalHuman) => DigitalHuman | Promise<DigitalHuman>): Promise<DigitalHuman | undefined> {
    return this.transaction((trx) => this.changeDigitalHumanIn(trx, id, owners, change));
  }

  /** changeDigitalHuman inside the caller's transaction. */
  async changeDigitalHumanIn(
    trx: Transaction<DB>,
    id: string,
    owners: string[] | undefined,
    change: (current: DigitalHuman) => DigitalHuman | Promise<DigitalHuman>,
  ): Promise<DigitalHuman | undefined> {
    const row = await this.lockedRow(trx, 'digital_humans', id);
    if (!row || (owners && !owners.includes(row.owner))) return undefined;
    const current = digitalHumanFromRow(row);
    const next = { ...(await change(current)), id: current.id, owner: current.owner };
    const had = new Set(digitalHumanFiles(current));
    await this.touchFiles(trx, digitalHumanFiles(next).filter((r) => !had.has(r)), next.updatedAt);
    await this.upsertDigitalHumans(trx, [next]);
    this.logMove(trx, 'digital_humans', current, next);
    return next;
  }

  // ---- bindings (native API) --------------------------------------------------------------------------

  /**
   * Changes one owner's bindings of a digital human (bind, unbind, reorder, default): the digital human's
   * row is locked (lockedRow) while `change` turns the owner's current bindings into the new ones, so
   * concurrent binders to one digital human take turns and each sees the others' acknowledged bindings.
   */
  async changeBindings(digitalHumanId: string, owner: string, change: (mine: Binding[]) => Binding[] | Promise<Binding[]>): Promise<void> {
    await this.transaction(async (trx) => {
      if (!(await this.lockedRow(trx, 'digital_humans', digitalHumanId))) throw new TimbrelError('digital_human_not_found', 'no such digital human');
      const next = await change(await this.bindingsOf(digitalHumanId, [owner], trx));
      await trx.deleteFrom('bindings').where('digital_human_id', '=', digitalHumanId).where('owner', '=', owner).execute();
      if (next.length) await this.upsertBindings(trx, next);
    });
  }

  /** A digital human's bindings whose owner is one of `owners` (undefined = any), in binding order. */
  async bindingsOf(digitalHumanId: string, owners?: string[], db: Db = this.db): Promise<Binding[]> {
    let q = db.selectFrom('bindings').selectAll().where('digital_human_id', '=', digitalHumanId);
    if (owners) q = q.where('owner', 'in', owners);
    const rows = await q.orderBy('sort_order').orderBy('created_at').orderBy('timbre_id').execute();
    return rows.map((r) => ({
      owner: r.owner,
      digitalHumanId: r.digital_human_id,
      timbreId: r.timbre_id,
      sortOrder: Number(r.sort_order),
      isDefault: Boolean(Number(r.is_default)),
      createdAt: Number(r.created_at),
    }));
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
      if (values?.length) all.push(eb.or(values.map((v) => this.containsExpr(column, JSON.stringify(v)))));
    };
    anyOf('languages', s.language);
    anyOf('tags', s.tag);
    anyOf('emotions', s.emotion);
    anyOf('supported_avatar_types', s.avatarType);
    if (s.q) all.push(this.textMatch(s.q));
    return all;
  };

  // ---- paging -----------------------------------------------------------------------------------------

  /**
   * Timbres whose name, description or tags hold every word of `q` (whole words, case ignored; SQLite also
   * ignores accents). Each engine answers from its own text index.
   */
  private textMatch(q: string): Expression<SqlBool> {
    if (q.includes(NUL)) return NOTHING;
    if (this.engine.kind === 'sqlite') {
      // Row by row as the list index is walked (a rowid seek in the index per row): used when matches are
      // many, so the page fills after a few rows.
      return sql<SqlBool>`exists (select 1 from timbres_fts where timbres_fts match ${ftsQuery(q)} and timbres_fts.rowid = ${sql.ref('timbres.rowid')})`;
    }
    // PostgreSQL: its GIN index over the same words (migration 0005); every word must be there.
    return sql<SqlBool>`${POSTGRES_TIMBRE_TEXT} @@ plainto_tsquery('simple'::regconfig, ${searchWords(q).join(' ')})`;
  }

  private containsExpr(column: string, needle: string, caseInsensitive = false): Expression<SqlBool> {
    if (needle.includes(NUL)) return NOTHING;
    const col = caseInsensitive ? sql`lower(${sql.ref(column)})` : sql.ref(column);
    return this.engine.kind === 'postgres' ? sql<SqlBool>`strpos(${col}, ${needle}) > 0` : sql<SqlBool>`instr(${col}, ${needle}) > 0`;
  }

  /**
   * One page of an owner-scoped, active-only list in the catalog order: the list's deep-offset index
   * (src/store/lists.ts) gives its total and where the page starts, so an Offset near a million seeks to
   * the nearest checkpoint instead of walking a million rows.
   */
  private async page(
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
      for (const o of owners) if ((await this.indexOf(table, [o], where, filterKey, false)).total > 0) holding.push(o);
      if (holding.length < owners.length) return this.page(table, holding.length ? holding : [owners[0]], where, filterKey, offset, limit, columns);
    }
    const index = await this.indexOf(table, owners, where, filterKey, offset >= CHECKPOINT_EVERY);
    const total = index.total;
    if (offset >= total || limit <= 0) return { total, rows: [] };
    const { seek, skip } = index.locate(offset);

    const query = (v: { owners: unknown[]; seek?: unknown[]; limit: unknown; skip: unknown; run: unknown }) => {
      const ordered = (owner: unknown, only?: readonly string[]) => {
        const scoped = this.scoped(table, [owner as string], where);
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
    const found: any[] =
      filterKey !== '{}'
        ? await query(values).execute()
        : await this.prepared(`page|${table}|${owners.length}|${seek ? 1 : 0}|${columns?.join(',') ?? '*'}`, () =>
            query({ owners: owners.map((_, i) => slot(`owners.${i}`)), seek: seek && [0, 1, 2].map((i) => slot(`seek.${i}`)), limit: slot('limit'), skip: slot('skip'), run: slot('run') }),
          )(values);
    if (owners.length === 1 || !found.length) return { total, rows: found };
    // The merged page's keys, then its rows, in that order.
    const ids = found.map((r) => r.id as string);
    const read = await this.prepared(`rows|${table}|${ids.length}|${columns?.join(',') ?? '*'}`, () => {
      const q = this.db.selectFrom(table as Listable);
      return (columns ? q.select(columns as any) : q.selectAll()).where('id', 'in', ids.map((_, i) => slot(`ids.${i}`)));
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
    }
    const { sql: text, fixed, read } = compiled;
    return async (values) => {
      const params = read.map((path, i) => (path ? path.reduce((v: any, k) => v[k], values) : fixed[i]));
      return (await this.db.executeQuery(CompiledQuery.raw(text, params))).rows as any[];
    };
  }

  /**
   * A list's deep-offset index, taken when the list is first read (its checkpoints when a deep offset
   * first asks for them), then kept: this process's own writes move it (followWrites), so only another
   * process's write, or a write it cannot follow (a bulk import, a filtered list), has it taken again.
   */
  private async indexOf(table: Listable, owners: string[], where: (eb: any) => Expression<SqlBool> | undefined, filterKey: string, deep: boolean): Promise<DeepIndex> {
    const list = `${table}|${owners.join(',')}|${filterKey}`;
    const token = this.engine.changeToken();
    const held = this.lists.get(list);
    if (held && held.token === token && !held.index.worn && (held.index.complete || !deep)) {
      // Least recently used last.
      this.lists.delete(list);
      this.lists.set(list, held);
      return held.index;
    }
    const flightKey = `index\u0000${token}\u0000${deep}\u0000${list}`;
    let flight = this.inFlight.get(flightKey) as Promise<DeepIndex> | undefined;
    if (!flight) {
      const take = this.engine.firstRow && owners.length === 1 && filterKey === '{}' ? this.walkIndex(table, owners[0]) : this.takeIndex(table, owners, where, deep);
      flight = take.finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, flight);
    }
    const index = await flight;
    // Taken under `token`: a write that landed meanwhile has moved the token, and the next read takes it again.
    this.lists.delete(list);
    this.lists.set(list, { token, table, owners, followable: filterKey === '{}', index });
    if (this.lists.size > INDEXED_LISTS) this.lists.delete(this.lists.keys().next().value!);
    return index;
  }

  /**
   * One owner's whole list, unfiltered, on SQLite: its checkpoints by a walk along the list's own index
   * (each step seeks past the last checkpoint and skips CHECKPOINT_EVERY - 1 entries), its total from the
   * last step. The walk holds the connection for WALK_SLICE_MS at a time and lets other requests run in
   * between, so taking the index of a large list never stalls the server. Measured on 5,000,000 timbres:
   * 0.37-0.45 s of walking, against 2.2 s for a row_number() pass plus 0.23-0.32 s for a count, both in
   * one synchronous call.
   */
  private async walkIndex(table: Listable, owner: string): Promise<DeepIndex> {
    this.indexesTaken++;
    const row = this.engine.firstRow!;
    const list = `FROM ${table} WHERE owner = ? AND status = 'active'`;
    const order = `ORDER BY sort_order, created_at, id LIMIT 1 OFFSET ${CHECKPOINT_EVERY - 1}`;
    const first = `SELECT sort_order, created_at, id ${list} ${order}`;
    const next = `SELECT sort_order, created_at, id ${list} AND (sort_order, created_at, id) > (?, ?, ?) ${order}`;
    const keys: SortKey[] = [];
    let at: unknown[] | undefined;
    let done = false;
    while (!done) {
      await this.db.connection().execute(async () => {
        const until = performance.now() + WALK_SLICE_MS;
        do {
          at = at ? row(next, [owner, ...at]) : row(first, [owner]);
          if (!at) done = true;
          else keys.push([Number(at[0]), Number(at[1]), String(at[2])]);
        } while (!done && performance.now() < until);
      });
      // Other requests run here, between two slices of the walk.
      if (!done) await new Promise((resolve) => setImmediate(resolve));
    }
    const last = keys.at(-1);
    const rest = await this.db.connection().execute(async () =>
      last
        ? row(`SELECT count(*) FROM (SELECT 1 ${list} AND (sort_order, created_at, id) > (?, ?, ?) LIMIT ${CHECKPOINT_EVERY})`, [owner, ...last])!
        : row(`SELECT count(*) FROM (SELECT 1 ${list} LIMIT ${CHECKPOINT_EVERY})`, [owner])!,
    );
    // Slices apart, a write between two of them is seen by the next read (the token has moved).
    return new DeepIndex(keys.length * CHECKPOINT_EVERY + Number(rest[0]), keys, true);
  }

  /** The list's total and (when `withCheckpoints`) every CHECKPOINT_EVERY-th sort key, from the store. */
  private async takeIndex(table: Listable, owners: string[], where: (eb: any) => Expression<SqlBool> | undefined, withCheckpoints: boolean): Promise<DeepIndex> {
    this.indexesTaken++;
    const counted = await this.scoped(table, owners, where)
      .select((eb: any) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const total = Number(counted.n);
    if (!withCheckpoints) return new DeepIndex(total, [], false);
    // keys[j] is the sort key of the row at position (j + 1) * CHECKPOINT_EVERY - 1.
    const inner = this.scoped(table, owners, where).select([...ORDER, sql<number>`row_number() over (order by sort_order, created_at, id)`.as('rn')]);
    const rows = await this.db
      .selectFrom(inner.as('x'))
      .select(ORDER as any)
      .where(sql<SqlBool>`rn % ${sql.lit(CHECKPOINT_EVERY)} = 0`)
      .orderBy('rn' as any)
      .execute();
    // The count and the checkpoints are two statements: a write between them is seen by the next read.
    return new DeepIndex(Math.max(total, rows.length * CHECKPOINT_EVERY), rows.map((r: any) => [Number(r.sort_order), Number(r.created_at), String(r.id)] as SortKey), true);
  }

  /**
   * After a write transaction of this process commits (the token moved from `before` to `after`): the
   * lists it could not have changed, and those whose every changed row it logged, follow to `after`; the
   * others stay where they were, and are taken again when next read.
   */
  private followWrites(log: WriteLog, before: string, after: string): void {
    for (const held of this.lists.values()) {
      if (held.token !== before) continue;
      const rows = log.rows.get(held.table);
      if (rows !== undefined) {
        const moves = log.moves.filter((m) => m.table === held.table);
        if (!held.followable || moves.length !== rows) continue;
        const inList = (a: ListedRow | undefined): a is ListedRow => a !== undefined && a.status === 'active' && held.owners.includes(a.owner);
        for (const m of moves) {
          if (inList(m.before)) held.index.move([m.before.sortOrder, m.before.createdAt, m.before.id], -1);
          if (inList(m.after)) held.index.move([m.after.sortOrder, m.after.createdAt, m.after.id], 1);
        }
      }
      held.token = after;
    }
  }

  /** Logs a row written by one of the single-asset writes, for followWrites. */
  private logMove(trx: Db, table: Listable, before: ListedRow | undefined, after: ListedRow | undefined): void {
    this.logs.get(trx as Transaction<DB>)?.moves.push({ table, before, after });
  }

  private scoped(table: Listable, owners: string[], where: (eb: any) => Expression<SqlBool> | undefined): any {
    let q: any = this.db
      .selectFrom(table as any)
      .where('owner' as any, owners.length === 1 ? '=' : 'in', owners.length === 1 ? owners[0] : owners)
      .where('status' as any, '=', 'active');
    q = q.where((eb: any) => where(eb) ?? eb.lit(true));
    return q;
  }
}

const LITERALS_FROM_ROWS = 100;

/** How long walkIndex holds the connection before it lets other requests run. */
const WALK_SLICE_MS = 8;

/** What a timbre's summary reads: its id, owner, name and picture, and its sort key (listTimbreSummaries). */
const SUMMARY_COLUMNS = ['id', 'owner', 'name', 'image', 'sort_order', 'created_at'] as const;

/** The placeholder of a value in a statement compiled once per shape (Repository.prepared). */
const SLOT = '\u0000slot:';
const slot = (name: string): string => `${SLOT}${name}`;

/** Lists whose deep-offset index a process keeps (least recently read out). */
const INDEXED_LISTS = 64;

/** What a list needs to know of a row: whether it is in the list, and where. */
interface ListedRow {
  id: string;
  owner: string;
  status: string;
  sortOrder: number;
  createdAt: number;
}

/** The rows a transaction wrote per table, and those of them whose before and after it knows. */
interface WriteLog {
  rows: Map<Listable, number>;
  moves: { table: Listable; before?: ListedRow; after?: ListedRow }[];
}

/** The file fields of a digital human: its pictures and its actions' preview videos. */
const digitalHumanFiles = (d: DigitalHuman) => [d.headerImage, d.poseImage, d.clothesImage, ...d.actions.map((a) => a.previewVideo)].filter((r): r is string => Boolean(r));

/** `upsert`: insert a new id or update the owner's row of that id; `insert`: new ids only. */
export type WriteMode = 'upsert' | 'insert';

/** What a bulk write did: SQLite's rowid after each row, and the indexes of rows it did not write. */
interface Written {
  rowids: number[];
  skipped: number[];
}

/** StoreEngine.runEach's rowid for a row that changed nothing (a conflict left alone). */
const NOT_WRITTEN = -1;

/** How many times a transaction runs before a deadlock or serialization failure is answered "busy". */
const WRITE_ATTEMPTS = 5;

/** How a file field names a file timbrel stores (src/files/urls.ts STORED_PREFIX). */
const STORED = 'stored:';

/** Settings that hold secrets, sealed at rest (secretSetting). */
const SECRET_SETTINGS = ['url_signing_key'];

/** The first key of the advisory locks that serialize writers of one timbre key ('tkey'). */
const KEY_LOCK_SPACE = 0x746b6579;

/**
 * No stored text holds a NUL (the API and the import refuse one), and PostgreSQL cannot even compare text
 * with one: a filter value holding a NUL matches nothing, on both engines, without reaching the engine.
 */
const NUL = '\u0000';
const NOTHING = sql<SqlBool>`1 = 0`;

/** `column` equals one of `values`; an empty list, or values that hold a NUL, match nothing. */
function oneOfTexts(eb: any, column: string, values: string[]): Expression<SqlBool> {
  const usable = values.filter((v) => !v.includes(NUL));
  return usable.length ? eb(column, 'in', usable) : NOTHING;
}

/**
 * A value that Kysely's `sql.lit` writes into SQL text exactly: null, a safe integer, or a string without
 * NUL (SQLite reads statement text only up to a NUL; quotes are doubled by the compiler).
 */
function literalSafe(v: unknown): boolean {
  return v === null || Number.isSafeInteger(v) || (typeof v === 'string' && !v.includes(NUL));
}

function excludedExcept(columns: readonly string[], keep: string[]) {
  return (eb: any) => {
    const set: Record<string, unknown> = {};
    for (const col of columns) if (!keep.includes(col)) set[col] = eb.ref(`excluded.${col}`);
    return set;
  };
}
