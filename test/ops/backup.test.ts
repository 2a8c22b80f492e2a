/**
 * `timbrel backup` / `restore`, on both engines: a backup taken while writes run holds every write
 * acknowledged before it began and only whole ones; one taken at rest, restored into an empty store, gives
 * the same `export` output; every app's credentials (ZEGO secret, IVH token, API key) still verify there,
 * and every stored file is served with its own bytes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harness, importRecords, ivh, PUBLIC_URL, v1, zego, type Harness } from '../helpers.js';
import { freshPostgres, testEngines } from '../engines.js';
import { loadConfig } from '../../src/config.js';
import { backup, restore } from '../../src/ops/backup.js';
import { exportCatalog } from '../../src/catalog-io/export.js';
import type { Services } from '../../src/services.js';

const SECRET = randomBytes(32).toString('base64');

async function exported(services: Services): Promise<string[]> {
  const lines: string[] = [];
  for await (const r of exportCatalog(services)) lines.push(JSON.stringify(r));
  return lines;
}

for (const engine of await testEngines())
  describe(`backup and restore (${engine})`, () => {
    let h: Harness;
    let alphaKey: string;
    const work = mkdtempSync(join(tmpdir(), 'timbrel-backup-'));
    const restored: { h: Harness; drop?: () => Promise<void> }[] = [];

    /** A store restored from `dir`: a fresh data directory (and, on PostgreSQL, a fresh database). */
    async function restoreInto(dir: string) {
      const database = engine === 'postgres' ? await freshPostgres() : undefined;
      const env = {
        TIMBREL_DATA_DIR: join(work, `restored-${restored.length}`),
        TIMBREL_SECRET_KEY: SECRET,
        ...(database ? { DATABASE_URL: database.url } : {}),
      };
      const counts = await restore(loadConfig({ TIMBREL_PUBLIC_URL: PUBLIC_URL, ...env }), dir);
      const r = { h: await harness(env), drop: database?.drop };
      restored.push(r);
      return { h: r.h, counts };
    }

    before(async () => {
      h = await harness({ TIMBREL_SECRET_KEY: SECRET }, Date.now(), engine);
      await h.services.apps.create({ name: 'demo', rateLimit: 1_000_000 });
      const alpha = await h.services.apps.create({ name: 'alpha', rateLimit: 1_000_000 });
      alphaKey = (await h.services.access.createKey(alpha)).text;
      // The demo catalog: anchors, looks, timbres, bindings and stored pictures, samples, videos, packages.
      const doc = JSON.parse(readFileSync('demo/catalog.json', 'utf8'));
      const kinds = [
        ['anchors', 'anchor'],
        ['digitalHumans', 'digitalHuman'],
        ['timbres', 'timbre'],
        ['bindings', 'binding'],
      ];
      await importRecords(
        h.services,
        kinds.flatMap(([group, kind]) => doc[group].map((r: object) => ({ kind, ...r }))),
        'demo',
      );
    });
    after(async () => {
      for (const r of restored) {
        await r.h.close();
        await r.drop?.();
      }
      await h.close();
      rmSync(work, { recursive: true, force: true });
    });

    test('a backup while writes run holds every write acknowledged before it began, and only whole ones', async () => {
      const create = (i: number) => v1(h, 'POST', '/v1/timbres', alphaKey, { key: `during_${i}`, name: `During ${i}`, description: 'x'.repeat(200) });
      const before = await Promise.all(Array.from({ length: 20 }, (_, i) => create(i)));
      assert.ok(before.every((r) => r.status === 201));
      let writing = true;
      let n = 20;
      const acknowledged: string[] = [];
      const writer = (async () => {
        while (writing) {
          const r = await create(n++);
          if (r.status === 201) acknowledged.push(r.body.id);
        }
      })();
      const dir = join(work, 'while-writing');
      const manifest = await backup(h.services, h.services.config, dir);
      writing = false;
      await writer;
      assert.ok(acknowledged.length > 0, 'writes ran during the backup');
      assert.deepEqual(manifest.missingFiles, []);
      assert.ok(manifest.files >= 10, `${manifest.files} files`);

      const { h: r } = await restoreInto(dir);
      const source = new Set(await exported(h.services));
      const copy = await exported(r.services);
      for (const line of copy) assert.ok(source.has(line), `a restored record is one the source holds: ${line.slice(0, 200)}`);
      const ids = new Set(copy.map((l) => JSON.parse(l).id));
      for (const b of before) assert.ok(ids.has(b.body.id), 'acknowledged before the backup began, so in it');
    });

    test("restored at rest: the same export; every app's credentials verify; every stored file is served", async () => {
      const dir = join(work, 'at-rest');
      await backup(h.services, h.services.config, dir);
      const { h: r, counts } = await restoreInto(dir);
      assert.deepEqual(await exported(r.services), await exported(h.services));
      assert.equal(counts.apps, 2);
      assert.ok(counts.anchors >= 4 && counts.files >= 10, JSON.stringify(counts));

      for (const app of await h.services.apps.list()) {
        const z = await zego(r, app, 'GetTimbreList', { Limit: 1 });
        assert.equal(z.json.Code, 0, `${app.name}'s ZEGO secret verifies: ${JSON.stringify(z.json)}`);
        const i = await ivh(r, app, 'describetimbre', { PageIndex: 1, PageSize: 1 });
        assert.equal(i.json.Header.Code, 0, `${app.name}'s IVH token verifies`);
      }
      assert.equal((await v1(r, 'GET', '/v1/timbres?limit=1', alphaKey)).status, 200, "the app's API key verifies");

      const rows = await r.services.repo.db.selectFrom('files').select(['id', 'content_type']).execute();
      assert.equal(rows.length, counts.files);
      for (const row of rows) {
        const url = r.services.urls.resolve(`stored:${row.id}`);
        const res = await r.inject({ method: 'GET', url: url.slice(PUBLIC_URL.length) });
        assert.equal(res.statusCode, 200, url);
        assert.equal(createHash('sha256').update(res.rawPayload).digest('hex'), row.id);
        assert.equal(res.headers['content-type'], row.content_type);
      }
    });

    test('restore refuses a store that already holds a catalog, and a directory that is not a backup', async () => {
      const dir = join(work, 'refused');
      await backup(h.services, h.services.config, dir);
      await assert.rejects(restore(h.services.config, dir), /already holds a catalog/);
      await assert.rejects(restore(loadConfig({ TIMBREL_DATA_DIR: join(work, 'nothing') }), work), /is not a timbrel backup/);
      await assert.rejects(backup(h.services, h.services.config, dir), /is not empty/);
    });

    test('restore is all or nothing: a damaged backup writes nothing, and the good one then restores into the same store', async () => {
      const good = join(work, 'good');
      await backup(h.services, h.services.config, good);
      const files = readdirSync(join(good, 'files')).flatMap((p) => readdirSync(join(good, 'files', p)).map((id) => join(good, 'files', p, id)));
      const manifest = JSON.parse(readFileSync(join(good, 'backup.json'), 'utf8'));
      const damaged: [string, (dir: string) => void, RegExp][] = [
        ['a tampered file', (d) => appendFileSync(join(d, 'files', files[0].split('/').slice(-2).join('/')), 'x'), /does not hold the bytes its name says/],
        [
          'a file not named by its sha256',
          (d) => renameSync(join(d, 'files', files[1].split('/').slice(-2).join('/')), join(d, 'files', files[1].split('/').at(-2)!, 'picture.png')),
          /does not belong in a backup/,
        ],
        ['a stray file under files/', (d) => writeFileSync(join(d, 'files', 'notes.txt'), 'hello'), /does not belong in a backup/],
        [
          'a database outside the backup',
          (d) => writeFileSync(join(d, 'backup.json'), JSON.stringify({ ...manifest, database: '../outside/x.db' })),
          /names the database/,
        ],
        [
          'an absolute database path',
          (d) => writeFileSync(join(d, 'backup.json'), JSON.stringify({ ...manifest, database: '/etc/passwd' })),
          /names the database/,
        ],
      ];
      const database = engine === 'postgres' ? await freshPostgres() : undefined;
      const env = {
        TIMBREL_PUBLIC_URL: PUBLIC_URL,
        TIMBREL_DATA_DIR: join(work, 'all-or-nothing'),
        TIMBREL_SECRET_KEY: SECRET,
        ...(database ? { DATABASE_URL: database.url } : {}),
      };
      try {
        for (const [what, damage, words] of damaged) {
          const dir = join(work, `damaged-${damaged.findIndex((x) => x[0] === what)}`);
          cpSync(good, dir, { recursive: true });
          damage(dir);
          await assert.rejects(restore(loadConfig(env), dir), words, what);
          assert.ok(!existsSync(join(env.TIMBREL_DATA_DIR, 'timbrel.db')), `${what}: no database was put in place`);
        }
        const counts = await restore(loadConfig(env), good);
        assert.equal(counts.files, files.length);
        assert.equal(counts.apps, 2);
      } finally {
        await database?.drop();
      }
    });
  });
