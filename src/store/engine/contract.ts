/** What every storage engine is (StoreEngine: a Kysely database and a change token) and the helpers they share. */
import { randomBytes } from 'node:crypto';
import { Kysely, type Transaction } from 'kysely';
import type { DB } from '../schema.js';

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
  /**
   * Runs `fn` against one consistent state of the store: every statement `run` sends sees the same
   * snapshot, across awaits (store/list-indexes.ts takes a list's index and the event log's head from one
   * state, so it can follow the log from there). PostgreSQL: a REPEATABLE READ transaction on a pool
   * connection. SQLite: a read transaction on a connection of its own (writers go on meanwhile; an
   * in-memory store, which no other connection can open, holds its one connection instead). Rows come
   * back as arrays. `fn` must read through `run` only.
   */
  readSnapshot<T>(fn: (run: SnapshotRun) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** One statement in a snapshot (StoreEngine.readSnapshot), its parameters written `?`: its rows as arrays. */
export type SnapshotRun = (sql: string, params: readonly unknown[]) => Promise<unknown[][]>;

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
