/**
 * What a storage failure means for a request. The engines fail in three ways a client should tell apart:
 * contention (a lock, a deadlock, a serialization failure: retried inside the server, then "busy"), the
 * database out of reach (a refused or dropped connection, a timeout: "unavailable", answered at once and
 * retried by the client later), and a uniqueness the engine enforced between two writers ("conflict").
 */
import { TimbrelError } from '../core/errors.js';

/** PostgreSQL SQLSTATEs of contention that a transaction retried from the start can get past. */
const RETRYABLE = new Set(['40001', '40P01']);

/** Contention: SQLite's busy/locked file, PostgreSQL's lock waits, cancelled statements, too many clients. */
const BUSY = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', '57014', '53300', '55P03', ...RETRYABLE]);

/** Network errors of the driver's socket, and PostgreSQL's own "the server is going away / not there". */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown (pg_terminate_backend, server stopping)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '3D000', // the database does not exist (dropped, or a wrong DATABASE_URL): /readyz says which
  '28000', // no entry in pg_hba.conf
  '28P01', // password authentication failed
]);

/** pg's own messages for a connection that went away or never came (they carry no code). */
const UNREACHABLE_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection closed|not queryable|terminating connection|not currently accepting connections/i;

const UNIQUE = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

const codeOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
};

/** A failure worth running the whole transaction again for (PostgreSQL deadlock or serialization failure). */
export const isRetryable = (err: unknown): boolean => RETRYABLE.has(codeOf(err) ?? '');

/** The database is out of reach (not a fault of the request). */
export function isUnreachable(err: unknown): boolean {
  const code = codeOf(err);
  if (code && UNREACHABLE.has(code)) return true;
  const message = (err as { message?: unknown })?.message;
  return typeof message === 'string' && UNREACHABLE_MESSAGE.test(message);
}

/** The client's view of a storage failure, or undefined when it is not one (a bug: "internal"). */
export function storeError(err: unknown): TimbrelError | undefined {
  if (isUnreachable(err)) return new TimbrelError('unavailable', 'storage is unavailable; try again shortly');
  const code = codeOf(err);
  if (code && BUSY.has(code)) return new TimbrelError('busy', 'system busy, try again');
  if (code && UNIQUE.has(code)) return new TimbrelError('conflict', 'another write took this key or id first');
  return undefined;
}
