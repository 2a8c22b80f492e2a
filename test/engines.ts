/**
 * The engines a suite runs on. SQLite always; PostgreSQL and Redis when their servers answer (this machine's
 * and CI's do). Without them a user's `npm test` skips those suites with a visible notice; in CI
 * (CI=true) a missing server fails the run instead.
 */
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { Redis } from 'ioredis';

export const TEST_POSTGRES_URL = process.env.TIMBREL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TIMBREL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type EngineName = 'sqlite' | 'postgres';

async function reachable(what: string, probe: () => Promise<void>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (err) {
    const msg = `${what} is not reachable (${(err as Error).message})`;
    if (process.env.CI) throw new Error(`${msg}: CI needs it (see README, "Running the tests")`);
    process.stderr.write(`\n  NOTICE: ${msg}; its suites are SKIPPED. Start it to run them (README, "Running the tests").\n\n`);
    // The run's summary counts skipped tests, not suites that were never registered or were skipped
    // whole: one skipped test per file says that this file's suites on it did not run.
    test(`${what}: this file's suites on it`, { skip: msg }, () => {});
    return false;
  }
}

let pgUp: Promise<boolean> | undefined;
export function postgresUp(): Promise<boolean> {
  return (pgUp ??= reachable(`PostgreSQL at ${TEST_POSTGRES_URL}`, async () => {
    const c = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
    await c.connect();
    await c.end();
  }));
}

let redisUp: Promise<boolean> | undefined;
export function redisReachable(): Promise<boolean> {
  return (redisUp ??= reachable(`Redis at ${TEST_REDIS_URL}`, async () => {
    const r = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await r.connect();
      await r.ping();
    } finally {
      r.disconnect();
    }
  }));
}

/** SQLite, and PostgreSQL when it is up. */
export async function testEngines(): Promise<EngineName[]> {
  return (await postgresUp()) ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A new, empty PostgreSQL database for one suite; `drop` removes it (after its pools are closed). */
export async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `timbrel_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
