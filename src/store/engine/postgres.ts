/** PostgreSQL through pg and Kysely: a pool with a wait limit, migrations under an advisory lock, COPY sessions, named hot statements. */
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { DB } from '../schema.js';
import { migrateToLatest } from '../migrations.js';
import { type SnapshotRun, type StoreEngine } from './contract.js';
import { CHANNEL, listenForChanges } from './change-listener.js';

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
    readSnapshot: async (fn) => {
      const client = await pool.connect();
      let ok = false;
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const run: SnapshotRun = async (text, params) => {
          let n = 0;
          const numbered = text.replace(/\?/g, () => `$${++n}`);
          return (await client.query({ text: numbered, values: params as unknown[], rowMode: 'array' })).rows as unknown[][];
        };
        const result = await fn(run);
        await client.query('COMMIT');
        ok = true;
        return result;
      } finally {
        if (!ok) await client.query('ROLLBACK').catch(() => undefined);
        client.release(!ok || undefined);
      }
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
