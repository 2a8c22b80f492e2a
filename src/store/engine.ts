/**
 * The storage engines behind one contract (engine/contract.ts): SQLite (engine/sqlite.ts) and PostgreSQL
 * (engine/postgres.ts, with its change listener in engine/change-listener.ts), and which one a
 * configuration names.
 */
import { openPostgres } from './engine/postgres.js';
import { openSqlite } from './engine/sqlite.js';
import type { StoreEngine } from './engine/contract.js';

export * from './engine/contract.js';
export { openSqlite, SQLITE_FILE, WriteLockBusy, type SqliteOptions } from './engine/sqlite.js';
export { openPostgres, type PostgresOptions } from './engine/postgres.js';

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
