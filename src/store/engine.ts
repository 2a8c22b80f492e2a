import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type SqliteDialectConfig } from 'kysely';
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
  /** Returns the connection's last inserted rowid after each row (unchanged when a row was updated). */
  readonly runEach?: (sql: string, rows: readonly unknown[][]) => number[];
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
  close(): Promise<void>;
}

/**
 * Tells every instance on one database that the catalog changed, so their read caches move on (Redis
 * pub/sub, src/limits/redis.ts). `version` moves on every other instance's write, and whenever the signal
 * may have missed one (a reconnect).
 */
export interface ChangeSignal {
  publish(): void;
  version(): number;
}

/**
 * What both change signals (Redis pub/sub, PostgreSQL LISTEN/NOTIFY) keep: a version that moves on every
 * other process's message, and on every (re)connection, since messages may have been missed meanwhile.
 * `me` tags this process's own messages, which its cache has already seen.
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

export async function openSqlite(opts: SqliteOptions): Promise<StoreEngine> {
  let file = ':memory:';
  if (opts.dataDir !== ':memory:') {
    mkdirSync(opts.dataDir, { recursive: true });
    file = join(opts.dataDir, 'timbrel.db');
  }
  const sqlite = new Database(file);
  // WAL lets readers run beside one writer (the CLI importing while the server serves); FULL makes an
  // acknowledged commit durable across power loss, not just a process crash.
  // 16 KiB pages for a new database (an existing one keeps its own): a bulk import dirties fewer pages per
  // row, measured 48k → 54k rows/s on a million timbres. Must come before WAL is switched on.
  sqlite.pragma('page_size = 16384');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // 32 MiB of page cache: with 64 an import's peak RSS passed 300 MB for ~2% more speed; the OS page cache
  // holds the rest of the indexes.
  sqlite.pragma('cache_size = -32768');
  const statements = withStatementCache(sqlite);
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: statements }) });
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
      const stmt = statements.prepare(sql);
      return rows.map((r) => Number(stmt.run(...r).lastInsertRowid));
    },
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

/**
 * Every transaction timbrel opens writes, so it takes the write lock when it begins (BEGIN IMMEDIATE) and
 * waits for it under busy_timeout. A deferred BEGIN reads first and upgrades later; if another process
 * committed in between, the upgrade fails at once with "database is locked", whatever the timeout (found
 * by test/scale/crash.test.ts: a CLI import beside a server taking writes).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver() {
    return new ImmediateSqliteDriver(this.settings);
  }
}

/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running a small
 * query, and an import re-sends the same multi-row INSERT thousands of times. Reuse prepared statements
 * by SQL text (bounded, least recently used out). Kysely never iterates a statement while another query
 * runs on the connection, so sharing one is safe.
 */
function withStatementCache(sqlite: Database.Database, max = 256) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

export interface PostgresOptions {
  /** A libpq connection URL (postgres://user:pass@host:port/db). */
  url: string;
  /** Connections in this process's pool. */
  poolSize?: number;
  /** Other instances' writes (Redis); without one, PostgreSQL's own LISTEN/NOTIFY carries them. */
  signal?: ChangeSignal;
}

/** A fixed key for the migration lock, so that instances starting together migrate one after another. */
const MIGRATION_LOCK = 0x74696d62; // 'timb'

export async function openPostgres(opts: PostgresOptions): Promise<StoreEngine> {
  // Loaded only for PostgreSQL (an SQLite process never needs the driver).
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    // bigint columns hold epoch milliseconds and counts, all below 2^53: numbers, as SQLite returns them.
    types: { getTypeParser: (oid: number, format?: any) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) } as any,
  });
  // An idle client's error (the server restarted) must not crash the process; the pool replaces it.
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
  const notify = opts.signal ? undefined : await listenForChanges(pg, pool, opts.url);
  const signal = opts.signal ?? notify!;
  return {
    kind: 'postgres',
    db,
    // Rows travel as one JSON parameter a statement (Repository.upsertById): 2,000 timbres is ~1 MB.
    rowsPerStatement: 2000,
    changeToken: () => `${signal.version()}.${local}`,
    noteWrite: () => {
      local++;
      signal.publish();
    },
    close: async () => {
      await notify?.close();
      await db.destroy();
    },
  };
}

const CHANNEL = 'timbrel_changes';

/**
 * The change signal without Redis: PostgreSQL's LISTEN/NOTIFY on one dedicated connection. A lost
 * connection moves the version (notifications may have been missed) and is reopened.
 */
async function listenForChanges(pg: typeof import('pg').default, pool: import('pg').Pool, url: string): Promise<ChangeSignal & { close(): Promise<void> }> {
  const changes = changeVersion();
  let closed = false;
  let client: import('pg').Client | undefined;
  const pending = new Set<Promise<void>>();
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => changes.heard(n.payload));
    c.on('error', () => {
      changes.lost();
      c.end().catch(() => {});
      if (!closed) setTimeout(() => void connect().catch(changes.lost), 500).unref();
    });
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
    changes.lost();
  };
  await connect();
  return {
    version: changes.version,
    publish: () => {
      const sent = pool.query('select pg_notify($1, $2)', [CHANNEL, changes.me]).then(
        () => {},
        () => {},
      );
      pending.add(sent);
      void sent.finally(() => pending.delete(sent));
    },
    close: async () => {
      closed = true;
      // A process that writes and exits (the CLI) still tells the others.
      await Promise.all(pending);
      await client?.end().catch(() => {});
    },
  };
}

/** The store the configuration names: PostgreSQL when a database URL is given, else SQLite in the data dir. */
export function openStore(config: { databaseUrl?: string; dataDir: string; dbPoolSize?: number }, signal?: ChangeSignal): Promise<StoreEngine> {
  return config.databaseUrl ? openPostgres({ url: config.databaseUrl, poolSize: config.dbPoolSize, signal }) : openSqlite({ dataDir: config.dataDir });
}
