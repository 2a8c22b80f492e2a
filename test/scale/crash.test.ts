/**
 * The crash test: kill -9 a bulk import and a serving instance (writing through /v1) at once,
 * restart, and check that every acknowledged write is there, that no transaction is half there, and that
 * the database is sound (SQLite integrity_check and its text index's check; PostgreSQL reopens and
 * migrates clean). Repeated in a loop on each engine.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { freshPostgres, testEngines } from '../engines.js';
import { BIN, serve } from '../processes.js';
import { loadConfig } from '../../src/config.js';
import { openServices } from '../../src/services.js';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3);
const RECORDS = 150_000;
/** Records per import transaction (src/catalog-io/import.ts). */
const PER_TRANSACTION = 50_000;
const ADMIN = 'crash-test-operator-token-0123456789abcdef';

async function catalogFile(path: string, prefix: string) {
  const out = createWriteStream(path);
  for (let i = 0; i < RECORDS; i++) {
    if (!out.write(`{"kind":"timbre","key":"${prefix}${i}","name":"Crash ${i}","description":"round ${prefix}","tags":["crash"],"sortOrder":${i % 97}}\n`))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

for (const engine of await testEngines()) {
  describe(`kill -9 during a large import and API writes, restart (${engine})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'timbrel-crash-'));
    let drop: (() => Promise<void>) | undefined;
    after(async () => {
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    test(`${ROUNDS} rounds: every acknowledged write survives, no transaction is torn, the database is sound`, async () => {
      const env: Record<string, string> = { TIMBREL_DATA_DIR: join(dir, 'data'), TIMBREL_ADMIN_TOKEN: ADMIN };
      if (engine === 'postgres') {
        const db = await freshPostgres();
        drop = db.drop;
        env.DATABASE_URL = db.url;
      }
      for (let round = 0; round < ROUNDS; round++) {
        const prefix = `r${round}-`;
        const file = join(dir, `catalog-${round}.ndjson`);
        await catalogFile(file, prefix);

        const server = await serve(env);
        const importer = spawn(process.execPath, [BIN, 'import', '--json', file], { env: { ...process.env, ...env } });
        let acknowledgedImport = 0;
        let lines = '';
        let importErr = '';
        importer.stderr!.on('data', (d) => (importErr += d));
        const firstCommit = new Promise<void>((resolve, reject) => {
          importer.on('exit', (code) => reject(new Error(`the import exited (${code}) before its first commit: ${importErr}`)));
          importer.stdout!.on('data', (d) => {
            lines += d;
            for (const line of lines.split('\n').slice(0, -1)) {
              const e = JSON.parse(line);
              if (e.event === 'progress') {
                acknowledgedImport = Math.max(acknowledgedImport, e.timbres);
                resolve();
              }
            }
            lines = lines.slice(lines.lastIndexOf('\n') + 1);
          });
        });
        // Writes through the API (50 a second) until the kill; an id counts once its 201 has arrived.
        const acknowledgedApi: string[] = [];
        let killed = false;
        const writer = (async () => {
          for (let i = 0; !killed; i++) {
            try {
              const res = await fetch(`${server.url}/v1/timbres`, {
                method: 'POST',
                headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
                body: JSON.stringify({ key: `${prefix}api-${i}`, name: `API ${i}` }),
              });
              if (res.status === 201) acknowledgedApi.push(((await res.json()) as { id: string }).id);
            } catch {
              // the kill
            }
            await new Promise((r) => setTimeout(r, 20));
          }
        })();
        await firstCommit;
        await new Promise((r) => setTimeout(r, Math.random() * 400));
        killed = true;
        importer.kill('SIGKILL');
        server.proc.kill('SIGKILL');
        await Promise.all([once(importer, 'exit'), server.exited, writer]);

        const services = await openServices(loadConfig(env));
        try {
          const db = services.repo.db;
          const count = async (like: string) =>
            Number(
              (
                await db
                  .selectFrom('timbres')
                  .select((eb) => eb.fn.countAll().as('n'))
                  .where('key', 'like', like)
                  .executeTakeFirstOrThrow()
              ).n,
            );
          const imported = (await count(`${prefix}%`)) - (await count(`${prefix}api-%`));
          assert.ok(imported >= acknowledgedImport, `round ${round}: ${imported} imported rows ≥ ${acknowledgedImport} acknowledged`);
          assert.equal(imported % PER_TRANSACTION, 0, `round ${round}: whole transactions only (${imported})`);
          const ids = new Set((await db.selectFrom('timbres').select('id').where('key', 'like', `${prefix}api-%`).execute()).map((r) => r.id));
          const lost = acknowledgedApi.filter((id) => !ids.has(id));
          assert.deepEqual(lost, [], `round ${round}: acknowledged API writes lost`);
          // The event log: every acknowledged write has its event, and no event names a write that is not there.
          const created = await db.selectFrom('events').select('object_id').where('type', '=', 'timbre.created').where('source', '=', 'api').execute();
          const evented = new Set(created.map((r) => r.object_id));
          assert.deepEqual(
            acknowledgedApi.filter((id) => !evented.has(id)),
            [],
            `round ${round}: acknowledged writes without their event`,
          );
          // (earlier rounds' events included: every one names a timbre that is there)
          const there = new Set<string>();
          const named = [...evented];
          for (let i = 0; i < named.length; i += 500)
            for (const r of await db
              .selectFrom('timbres')
              .select('id')
              .where('id', 'in', named.slice(i, i + 500))
              .execute())
              there.add(r.id);
          assert.deepEqual(
            named.filter((id) => !there.has(id)),
            [],
            `round ${round}: events of writes that are not there`,
          );
          if (engine === 'sqlite') {
            const check = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db);
            assert.deepEqual(
              check.rows.map((r) => r.integrity_check),
              ['ok'],
            );
            await sql`INSERT INTO timbres_fts(timbres_fts) VALUES ('integrity-check')`.execute(db);
          }
          // The text index holds exactly the imported rows that made it (their description names the round).
          const found = await services.repo.timbres.search({ q: `round ${prefix.slice(0, -1)}`, status: ['active'], sort: 'catalog', limit: 1, total: true });
          assert.equal(found.total, imported, `round ${round}: text index matches`);
          process.stdout.write(
            `# ${engine} round ${round}: ${acknowledgedImport} import rows acknowledged, ${imported} present; ${acknowledgedApi.length} API writes acknowledged, 0 lost\n`,
          );
        } finally {
          await services.close();
        }
      }
    });
  });
}
