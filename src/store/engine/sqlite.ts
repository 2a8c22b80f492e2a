/** SQLite through better-sqlite3 and Kysely: WAL, BEGIN IMMEDIATE that never waits inside SQLite, prepared statements kept. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, SqliteDriver, type SqliteDialectConfig } from 'kysely';
import type { DB } from '../schema.js';
import { migrateToLatest } from '../migrations.js';
import { OTHER_WRITES_SEEN_WITHIN_MS, type SnapshotRun, type StoreEngine } from './contract.js';

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
  // Snapshots (readSnapshot) read on a connection of their own, one at a time; an in-memory store has one
  // connection only, held for the snapshot.
  let reader: Database.Database | undefined;
  let snapshots: Promise<unknown> = Promise.resolve();
  const readSnapshot = <T>(fn: (run: SnapshotRun) => Promise<T>): Promise<T> => {
    if (file === ':memory:') {
      const run: SnapshotRun = async (text, params) =>
        statements
          .statement(text)
          .raw(true)
          .all(...params) as unknown[][];
      return db.connection().execute(() => fn(run));
    }
    const go = async () => {
      if (!reader) {
        reader = new Database(file, { readonly: true });
        reader.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
      const conn = reader;
      const prepared = new Map<string, Database.Statement<unknown[]>>();
      const run: SnapshotRun = async (text, params) => {
        let stmt = prepared.get(text);
        if (!stmt) prepared.set(text, (stmt = conn.prepare<unknown[]>(text).raw(true)));
        return stmt.all(...params) as unknown[][];
      };
      conn.exec('BEGIN');
      try {
        // The snapshot starts with the transaction's first read.
        conn.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
        return await fn(run);
      } finally {
        conn.exec('COMMIT');
      }
    };
    const result = snapshots.then(go, go);
    snapshots = result.catch(() => undefined);
    return result;
  };
  return {
    kind: 'sqlite',
    db,
    readSnapshot,
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
    close: async () => {
      await snapshots;
      reader?.close();
      await db.destroy();
    },
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
