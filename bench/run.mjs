// timbrel benchmark: prints figures, never passes or fails on time (docs/benchmarks.md).
// Everything runs against the built CLI and server as separate processes on loopback, and each figure is set
// against a baseline from the same run. The scenarios live in bench/scenarios/, their targets in targets.mjs.
import { mkdirSync, rmSync } from 'node:fs';
import { LOOKS, PG_URL, SIZES, log, work } from './lib.mjs';
import { measureCatalog, writeCatalog, writeLooks } from './scenarios/catalog.mjs';
import { measureUnpaged } from './scenarios/unpaged.mjs';
import { measureGateway } from './scenarios/gateway.mjs';
import { measureSpeech } from './scenarios/speech.mjs';
import { measureWrites } from './scenarios/writes.mjs';
import { sideBySide } from './report.mjs';
import { printTargets } from './targets.mjs';

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

/** The catalog on PostgreSQL: a fresh database on BENCH_POSTGRES_URL's server, dropped afterwards. */
async function measurePostgres(rows) {
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: PG_URL });
  const name = `timbrel_bench_${process.pid}`;
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (err) {
    log(`\nPostgreSQL at ${PG_URL} is not reachable (${err.message}): its figures are skipped.`);
    return undefined;
  }
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  try {
    return await measureCatalog('PostgreSQL', { DATABASE_URL: url.toString() }, rows);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

// BENCH_ONLY=gateway: only the gateway's figures (relay, sync, speech), a minute or two instead of half an hour;
// BENCH_ONLY=writes: only the writes under concurrency (a minute); BENCH_ONLY=catalog: the catalog on each
// engine and size, without the writes, the unpaged lists and the gateway.
const ONLY = process.env.BENCH_ONLY ?? '';
const results = [];
const writes = ONLY === '' || ONLY === 'writes' ? await measureWrites() : undefined;
if (ONLY === 'writes') process.exit(0);
if (ONLY !== 'gateway') {
  if (LOOKS > 0) await writeLooks();
  for (const size of SIZES) {
    log(`\nwriting a catalog of ${size.toLocaleString('en')} timbres…`);
    await writeCatalog(size);
    results.push(await measureCatalog('SQLite', {}, size));
    if (PG_URL !== 'off') {
      const pg = await measurePostgres(size);
      if (pg) results.push(pg);
    }
  }
  if (results.length > 1) sideBySide(results);
}
const unpaged = ONLY === 'gateway' || ONLY === 'catalog' ? undefined : await measureUnpaged();
const gateway = ONLY === 'catalog' ? undefined : { ...(await measureGateway()), speech: await measureSpeech() };
printTargets({ results, unpaged, gateway, writes });
log('');
log(JSON.stringify({ results, unpaged, gateway }));
