import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, SqliteDriver, sql, type SqliteDialectConfig, type Transaction } from 'kysely';
import type { DB } from './schema.js';
import { migrateToLatest } from './migrations.js';

/**
 * A storage engine: a Kysely database plus a change token. The token changes whenever the catalog may
 * have changed (a write by this process or by any other), so per-process caches keyed by it stay coherent.
 */
export interface StoreEngine {
  readonly kind: 'sqlite' | 'postgres';
  readonly db: Kysely<DB>;
  /**
   * Rows per statement in bulk writes (a server engine wants many per round trip). An engine that can run
   * one prepared statement over many parameter rows in-process offers `runEach` instead.
   */
  readonly rowsPerStatement: number;
  /**
   * Runs one statement once per parameter row, synchronously on the connection (inside whatever
   * transaction it has open). SQLite: a 500-row VALUES list measured 25% slower than this, and going
   * through Kysely per row costs an async round per row.
   */
  /**
   * Returns the connection's last inserted rowid after each row (unchanged when a row was updated), or -1
   * for a row the statement did not write (a conflict it left alone).
   */
  readonly runEach?: (sql: string, rows: readonly unknown[][]) => number[];
  /**
   * Runs one statement synchronously on the connection and returns its first row as an array (SQLite).
   * Like runEach, only for a caller that holds the connection.
   */
  readonly firstRow?: (sql: string, params: readonly unknown[]) => unknown[] | undefined;
  changeToken(): string;
  /**
   * A mark that moves with every commit but the caller's own since it last read it: another connection's
   * (SQLite's `data_version`, read now, not the token's 50 ms view) or another write through this process
   * (`noteWrite`). Read it right after committing and again inside the next transaction: equal marks mean
   * nothing else wrote in between. Only SQLite offers it.
   */
  readonly writeMark?: () => string;
  /** Called after every committed write made through this process. */
  noteWrite(): void;
  /** Runs inside every write transaction before it commits (PostgreSQL: tells the other instances). */
  readonly announce?: (trx: Transaction<DB>) => Promise<void>;
  /**
   * One connection of the pool, held until `release`, with a Kysely of its own and COPY FROM STDIN on it
   * (PostgreSQL: a bulk load streams its rows into a staging table rather than sending them as statement
   * parameters).
   */
  readonly session?: () => Promise<CopySession>;
  /**
   * Resolves when the change token has settled after start-up (PostgreSQL: listening for the other
   * instances' changes, after which the token moves only with them), or after `withinMs` regardless.
   */
  readonly settled?: (withinMs: number) => Promise<void>;
  /**
   * Marks a statement as one of the hot paths' (StoreBase.prepared): PostgreSQL then runs it as a named
   * prepared statement on each connection, parsed and planned once there instead of every time. Only a
   * statement naming its columns: a `*` would break once a migration of a newer instance adds a column
   * ("cached plan must not change result type").
   */
  readonly hot?: (sql: string) => void;
  close(): Promise<void>;
}

export interface CopySession {
  readonly db: Kysely<DB>;
  /** Runs `COPY … FROM STDIN` (text format) with the given rows, already encoded (copyText). */
  copyFrom(statement: string, text: string): Promise<void>;
  /** Back to the pool; `destroy`: closed instead (its transaction's state is unknown). */
  release(destroy?: boolean): void;
}

/**
 * One value in COPY's text format: NULL as \N; backslash, tab, newline and carriage return escaped.
 * Strings, numbers and null are all a row holds.
 */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

/**
 * What the change signal (PostgreSQL LISTEN/NOTIFY) keeps: a version that moves on every other process's
 * message, and on every (re)connection, since messages may have been missed meanwhile. `me` tags this
 * process's own messages, which its cache has already seen.
 */
export function changeVersion() {
  const me = randomBytes(8).toString('hex');
  let version = 0;
  return {
    me,
    heard: (from: string | undefined) => {
      if (from !== me) version++;
    },
    lost: () => {
      version++;
    },
    version: () => version,
  };
}

/** How stale a process's view of another process's writes may be (the CLI importing beside a server). */
export const OTHER_WRITES_SEEN_WITHIN_MS = 50;

export interface SqliteOptions {
  /** Directory of the data; the database is `<dir>/timbrel.db`. `:memory:` for a throwaway store. */
  dataDir: string;
}

/** The SQLite database's file in the data directory. */
export const SQLITE_FILE = 'timbrel.db';

export async function openSqlite(opts: SqliteOptions): Promise<StoreEngine> {
  let file = ':memory:';
  if (opts.dataDir !== ':memory:') {
    mkdirSync(opts.dataDir, { recursive: true });
    file = join(opts.dataDir, SQLITE_FILE);
  }
  const sqlite = new Database(file);
  // WAL lets readers run beside one writer (the CLI importing while the server serves); FULL makes an
  // acknowledged commit durable across power loss, not just a process crash.
  // 16 KiB pages for a new database (an existing one keeps its own): a bulk import dirties fewer pages per
  // row, measured 48k → 54k rows/s on a million timbres. Must come before WAL is switched on.
  sqlite.pragma('page_size = 16384');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  // 32 MiB of page cache: with 64 an import's peak RSS passed 300 MB for ~2% more speed; the OS page cache
  // holds the rest of the indexes.
  sqlite.pragma('cache_size = -32768');
  const statements = withStatementCache(sqlite);
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: statements }, sqlite) });
  await migrateToLatest(db);

  // data_version changes when another connection (another process) commits; local writes bump `local`
  // at once. Reading data_version takes the WAL read locks (system calls), which under load cost more
  // than serving a cached page, so it is re-read at most every OTHER_WRITES_SEEN_WITHIN_MS.
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  let local = 0;
  let version = dataVersion.get();
  let checkedAt = performance.now();
  return {
    kind: 'sqlite',
    db,
    rowsPerStatement: 1,
    runEach: (sql, rows) => {
      const stmt = statements.statement(sql);
      return rows.map((r) => {
        const done = stmt.run(...r);
        return done.changes ? Number(done.lastInsertRowid) : -1;
      });
    },
    firstRow: (sql, params) =>
      statements
        .statement(sql)
        .raw(true)
        .get(...params) as unknown[] | undefined,
    writeMark: () => `${dataVersion.get()}.${local}`,
    changeToken: () => {
      const now = performance.now();
      if (now - checkedAt >= OTHER_WRITES_SEEN_WITHIN_MS) {
        version = dataVersion.get();
        checkedAt = now;
      }
      return `${version}.${local}`;
    },
    noteWrite: () => {
      local++;
    },
    close: () => db.destroy(),
  };
}

/** How long a statement outside BEGIN waits for another connection's write lock (SQLite's busy handler). */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Another connection (a CLI import, another process) holds SQLite's write lock: thrown by BEGIN IMMEDIATE
 * at once instead of waiting, so that the caller waits off the event loop (StoreBase.whileWriteLocked).
 */
export class WriteLockBusy extends Error {
  readonly code = 'SQLITE_BUSY';
  constructor() {
    super('another connection holds the write lock');
  }
}

/**
 * Every transaction timbrel opens writes, so it takes the write lock when it begins (BEGIN IMMEDIATE). A
 * deferred BEGIN reads first and upgrades later; if another process committed in between, the upgrade
 * fails at once with "database is locked", whatever the timeout (found by test/scale/crash.test.ts: a CLI
 * import beside a server taking writes).
 *
 * BEGIN does not wait inside SQLite: better-sqlite3 is synchronous, so its busy handler would hold the
 * event loop, and every other request of the process with it, for as long as the other connection keeps
 * the lock (a CLI import's transaction: 1.7 s at 5M timbres; measured: `/healthz` 1,744 ms at worst while
 * the server waited to write). It fails at once (WriteLockBusy) and the store tries again after a pause.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    settings: SqliteDialectConfig,
    private readonly sqlite: Database.Database,
  ) {
    super(settings);
  }

  private begin?: Database.Statement;

  /**
   * `PRAGMA busy_timeout` takes effect when it is prepared, not when a prepared statement runs again: a
   * cached one left the first BEGIN of a connection waiting 5 s inside SQLite (holding the event loop), and
   * every statement after it without any wait. So each is prepared where it is meant (`pragma()` does).
   */
  override async beginTransaction(): Promise<void> {
    const begin = (this.begin ??= this.sqlite.prepare('BEGIN IMMEDIATE'));
    this.sqlite.pragma('busy_timeout = 0');
    try {
      begin.run();
    } catch (err) {
      // SQLITE_BUSY, or an extended code of it (SQLITE_BUSY_RECOVERY: another connection is recovering the WAL).
      if (String((err as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw new WriteLockBusy();
      throw err;
    } finally {
      this.sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(
    private readonly settings: SqliteDialectConfig,
    private readonly sqlite: Database.Database,
  ) {
    super(settings);
  }

  override createDriver() {
    return new ImmediateSqliteDriver(this.settings, this.sqlite);
  }
}

/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running a small
 * query, and an import re-sends the same multi-row INSERT thousands of times. Reuse prepared statements
 * by SQL text (bounded, least recently used out). Kysely never iterates a statement while another query
 * runs on the connection, so sharing one is safe.
 *
 * A statement that returns rows reads them as arrays (better-sqlite3's raw mode) and makes each row an
 * object of one fixed shape, by a function compiled once per statement from its column names: 21 whole
 * timbre rows took 120-129 µs as better-sqlite3's own objects, 64-68 µs this way (the query itself:
 * 13 µs), and code reading the rows sees one shape.
 */
function withStatementCache(sqlite: Database.Database, max = 256) {
  const cache = new Map<string, Database.Statement<unknown[]>>();
  const shaped = new Map<string, Database.Statement | ShapedStatement>();
  const lru = <T>(map: Map<string, T>, sql: string, make: () => T): T => {
    let v = map.get(sql);
    if (v !== undefined) map.delete(sql);
    else {
      v = make();
      if (map.size >= max) map.delete(map.keys().next().value!);
    }
    map.set(sql, v);
    return v;
  };
  return {
    close: () => sqlite.close(),
    /** The statement itself (runEach, firstRow). */
    statement: (sql: string) => lru(cache, sql, () => sqlite.prepare<unknown[]>(sql)),
    /** What Kysely's driver runs: rows as objects of one shape. */
    prepare: (sql: string) => lru(shaped, sql, () => shapeRows(sqlite.prepare(sql))),
  };
}

/** The part of a statement Kysely's SQLite driver uses (reader, all, run, iterate). */
interface ShapedStatement {
  readonly reader: true;
  all(params: unknown[]): Record<string, unknown>[];
  run(params: unknown[]): Database.RunResult;
  iterate(params: unknown[]): IterableIterator<Record<string, unknown>>;
}

function shapeRows(stmt: Database.Statement): Database.Statement | ShapedStatement {
  if (!stmt.reader) return stmt;
  stmt.raw(true);
  // Column names become string literals (JSON.stringify quotes them); a name twice keeps its last value,
  // as better-sqlite3's objects do.
  const names = stmt.columns().map((c) => c.name);
  const make = new Function('r', `return {${names.map((n, i) => `${JSON.stringify(n)}: r[${i}]`).join(', ')}};`) as (r: unknown[]) => Record<string, unknown>;
  const shapedRows: ShapedStatement = {
    reader: true,
    all: (params) => (stmt.all(params) as unknown[][]).map(make),
    run: (params) => stmt.run(params),
    *iterate(params) {
      for (const r of stmt.iterate(params) as IterableIterator<unknown[]>) yield make(r);
    },
  };
  return shapedRows;
}

export interface PostgresOptions {
  /** A libpq connection URL (postgres://user:pass@host:port/db). */
  url: string;
  /** Connections in this process's pool. */
  poolSize?: number;
  /**
   * How long a request may wait for a connection (a new one, or a free one from the pool) before it is
   * answered "unavailable"; also the change listener's connect timeout. 0: no limit (the CLI's import).
   */
  timeoutMs?: number;
}

/** A fixed key for the migration lock, so that instances starting together migrate one after another. */
const MIGRATION_LOCK = 0x74696d62; // 'timb'

export async function openPostgres(opts: PostgresOptions): Promise<StoreEngine> {
  // Loaded only for PostgreSQL (an SQLite process never needs the driver).
  const pg = (await import('pg')).default;
  /** The hot statements' names (StoreEngine.hot): one name per text, the same on every connection. */
  const named = new Map<string, string>();
  const timeoutMs = opts.timeoutMs ?? 3000;
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'timbrel',
    // bigint columns hold epoch milliseconds and counts, all below 2^53: numbers, as SQLite returns them.
    types: { getTypeParser: (oid: number, format?: any) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) } as any,
  });
  // A dropped connection (network cut, server restart, pg_terminate_backend, a pooler restarting) makes
  // its client emit 'error'. The pool listens only while a client is idle: one checked out between two
  // queries of a transaction would crash the process. Every client gets a listener of its own; the query
  // that was running fails (answered "unavailable"), and the pool discards the client when it comes back.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    // The hot statements (StoreEngine.hot) by name: pg parses a name's statement on a connection once and
    // binds it after that. Measured on a million timbres, random GetTimbreList pages: 15-20% more of them
    // a second, the server's parse and plan of each gone from the machine's CPU (docs/benchmarks.md).
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
      const name = typeof text === 'string' ? named.get(text) : undefined;
      return name ? query({ name, text, values }, callback) : query(text, values, callback);
    };
  });
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    // A session lock on one connection for the whole run: Kysely's own lock covers each migration's
    // transaction, but not the creation of its bookkeeping tables, which two instances would race.
    await db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
      try {
        await migrateToLatest(conn);
      } finally {
        await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
      }
    });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  let local = 0;
  const signal = listenForChanges(pg, opts.url, timeoutMs);
  return {
    kind: 'postgres',
    hot: (text) => {
      if (!named.has(text) && !text.includes('*')) named.set(text, `timbrel_${named.size}`);
    },
    db,
    // Rows travel as one JSON parameter a statement (StoreBase.upsertById): 2,000 timbres is ~1 MB.
    rowsPerStatement: 2000,
    // While the instance cannot hear other instances' changes it trusts nothing it read more than a
    // second ago: the token moves every second (an app disabled or a key revoked elsewhere is refused
    // within 1 s, whatever the signal's state).
    changeToken: () => (signal.live() ? `${signal.version()}.${local}` : `${signal.version()}.${local}.${Math.floor(Date.now() / 1000)}`),
    // Every write transaction tells the others as it commits: NOTIFY is delivered with the commit, or not
    // at all, so no acknowledged write goes unannounced (not even when this process dies right after).
    announce: async (trx) => {
      await sql`select pg_notify(${CHANNEL}, ${signal.me})`.execute(trx);
    },
    noteWrite: () => {
      local++;
    },
    settled: (withinMs) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs)));
      return Promise.race([signal.listening, late]).finally(() => clearTimeout(timer));
    },
    session: async () => {
      const client = await pool.connect();
      // Kysely sees a pool of this one connection; releasing it is the session's to do.
      const own = new Kysely<DB>({
        dialect: new PostgresDialect({ pool: { connect: async () => ({ query: client.query.bind(client), release: () => {} }), end: async () => {} } as any }),
      });
      return {
        db: own,
        copyFrom: async (statement, text) => {
          const { from } = await import('pg-copy-streams');
          const { pipeline } = await import('node:stream/promises');
          const { Readable } = await import('node:stream');
          await pipeline(Readable.from([text]), client.query(from(statement)));
        },
        release: (destroy) => client.release(destroy || undefined),
      };
    },
    close: async () => {
      signal.close();
      await db.destroy();
    },
  };
}

const CHANNEL = 'timbrel_changes';

/** How often the change listener's connection is checked, and how long an answer may take. */
const HEARTBEAT_MS = 250;
const HEARTBEAT_TIMEOUT_MS = 500;
/** The listener counts as hearing while its last heartbeat answered within this. */
const LIVE_WITHIN_MS = 1000;

/**
 * The change signal: PostgreSQL's LISTEN/NOTIFY on one dedicated connection, so every writer reaches every
 * instance (API, console and CLI alike, with or without Redis). A heartbeat checks the connection every
 * HEARTBEAT_MS; a lost one moves the version (notifications may have been missed) and is opened again with
 * backoff (100 ms doubling to 2 s) for as long as the process runs. `live()` says whether changes are
 * heard now.
 */
function listenForChanges(pg: typeof import('pg').default, url: string, timeoutMs: number) {
  const changes = changeVersion();
  let closed = false;
  let client: import('pg').Client | undefined;
  let answeredAt = -Infinity;
  let backoff = 100;
  let retry: NodeJS.Timeout | undefined;
  let beating = false;
  const dropped = new WeakSet<object>();
  let heard: () => void = () => {};
  /** Resolves once the first LISTEN is in place (from then on the version moves only with changes). */
  const listening = new Promise<void>((resolve) => (heard = resolve));

  const drop = (c: import('pg').Client) => {
    if (dropped.has(c)) return;
    dropped.add(c);
    // Losing the listening connection may have lost notifications; a failed attempt to reopen it has not.
    if (client === c) {
      client = undefined;
      changes.lost();
    }
    c.end().catch(() => {});
    reopenLater();
  };
  const reopenLater = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void open();
    }, backoff);
    retry.unref();
    backoff = Math.min(backoff * 2, 2000);
  };
  const open = async () => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs || undefined, keepAlive: true, application_name: 'timbrel-listen' });
    c.on('error', () => drop(c));
    c.on('end', () => drop(c));
    c.on('notification', (n) => changes.heard(n.payload));
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
    } catch {
      drop(c);
      return;
    }
    if (closed) return void c.end().catch(() => {});
    client = c;
    backoff = 100;
    answeredAt = performance.now();
    // Whatever was written while nobody listened: read again.
    changes.lost();
    heard();
  };
  const heartbeat = setInterval(() => {
    const c = client;
    if (!c || beating) return;
    beating = true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('heartbeat timed out')), HEARTBEAT_TIMEOUT_MS)));
    Promise.race([c.query('select 1'), late])
      .then(
        () => {
          answeredAt = performance.now();
        },
        () => drop(c),
      )
      .finally(() => {
        clearTimeout(timer);
        beating = false;
      });
  }, HEARTBEAT_MS);
  heartbeat.unref();
  void open();
  return {
    me: changes.me,
    version: changes.version,
    live: () => client !== undefined && performance.now() - answeredAt < LIVE_WITHIN_MS,
    listening,
    close: () => {
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(retry);
      const c = client;
      client = undefined;
      if (c) {
        dropped.add(c);
        c.end().catch(() => {});
      }
    },
  };
}

/** The store the configuration names: PostgreSQL when a database URL is given, else SQLite in the data dir. */
export async function openStore(config: { databaseUrl?: string; dataDir: string; dbPoolSize?: number; dbTimeoutMs?: number }): Promise<StoreEngine> {
  if (!config.databaseUrl) return openSqlite({ dataDir: config.dataDir });
  try {
    return await openPostgres({ url: config.databaseUrl, poolSize: config.dbPoolSize, timeoutMs: config.dbTimeoutMs });
  } catch (err) {
    // Name the setting (its password left out): "connect ECONNREFUSED" alone does not say what to fix.
    const e = new Error(`cannot open the PostgreSQL store at DATABASE_URL=${withoutPassword(config.databaseUrl)}: ${(err as Error)?.message ?? err}`, {
      cause: err,
    });
    (e as { code?: unknown }).code = (err as { code?: unknown })?.code;
    throw e;
  }
}

/** A database URL fit for a message: its password replaced by `***`. */
export function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(a value that is not a URL)';
  }
}
