// Writes through /v1 under concurrency: 16 clients creating and then updating timbres for ROUND_SECONDS, on
// SQLite and on PostgreSQL. Every write appends its event to the log in its own transaction (PostgreSQL: under
// one advisory lock to its commit, docs/events.md), so this is where the log's cost on writers shows.
import http from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { BIN, PG_URL, ROUNDS, ROUND_SECONDS, f, load, log, median, pct, run, startTimbrel, work } from '../lib.mjs';

const CLIENTS = 16;

async function writeLoad(base, token, seconds, prefix) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const call = (method, path, body) =>
    new Promise((resolve, reject) => {
      const t0 = process.hrtime.bigint();
      const req = http.request(
        `${base}${path}`,
        { method, agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () =>
            res.statusCode < 300
              ? resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, body: text })
              : reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  const ms = [];
  const until = Date.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      while (Date.now() < until) {
        const i = n++;
        const made = await call('POST', '/v1/timbres', { key: `${prefix}_${c}_${i}`, name: `Written ${i}` });
        ms.push(made.ms);
        const { id } = JSON.parse(made.body);
        ms.push((await call('PATCH', `/v1/timbres/${id}`, { description: `changed ${i}` })).ms);
      }
    }),
  );
  agent.destroy();
  return { writesPerSecond: ms.length / seconds, p50: median(ms), p99: pct(ms, 0.99) };
}

async function measureEngine(name, extraEnv, port) {
  const dir = join(work, `data-writes-${name}`);
  const env = { ...process.env, TIMBREL_DATA_DIR: dir, TIMBREL_LOG_LEVEL: 'warn', ...extraEnv };
  const token = (await run(process.execPath, [BIN, 'admin-token', '--rotate'], { env })).stdout.trim();
  const { server, base } = await startTimbrel(env, port);
  const rounds = [];
  try {
    for (let r = 0; r < ROUNDS; r++) rounds.push(await writeLoad(base, token, ROUND_SECONDS, `w${r}`));
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
  const out = { writesPerSecond: median(rounds.map((x) => x.writesPerSecond)), p50: median(rounds.map((x) => x.p50)), p99: median(rounds.map((x) => x.p99)) };
  log(
    `${name.padEnd(10)} ${Math.round(out.writesPerSecond).toLocaleString('en')} writes/s, p50 ${f(out.p50)} ms, p99 ${f(out.p99)} ms (${CLIENTS} clients creating and updating timbres, median of ${ROUNDS} rounds)`,
  );
  return out;
}

export async function measureWrites() {
  const port = 24000 + Math.floor(Math.random() * 1000);
  log(`\n== writes through /v1 under concurrency, each with its event (load average ${load()}) ==`);
  const sqlite = await measureEngine('SQLite', {}, port);
  let postgres;
  if (PG_URL !== 'off') {
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: PG_URL });
    const db = `timbrel_bench_writes_${process.pid}`;
    await admin.connect();
    await admin.query(`CREATE DATABASE ${db}`);
    const url = new URL(PG_URL);
    url.pathname = `/${db}`;
    try {
      postgres = await measureEngine('PostgreSQL', { DATABASE_URL: url.toString() }, port + 1);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
    }
  }
  return { sqlite, postgres };
}
