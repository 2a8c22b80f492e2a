/**
 * Following other writers (docs/events.md): a process's deep-offset indexes follow the event log, so
 * another process's writes (a CLI import, another instance) move them in place instead of having them taken
 * again. Two stores on one database, on both engines: the reader's pages at every offset equal the naive
 * answer after each kind of write by the other, and its public list is never taken again; an import's
 * commit that lands hundreds of rows in one block has that block walked again, not the list.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, importRecords, type Harness } from '../helpers.js';
import { OTHER_WRITES_SEEN_WITHIN_MS } from '../../src/store/engine.js';
import { testEngines } from '../engines.js';
import { CatalogImporter, recordSource } from '../../src/catalog-io/import.js';
import { openServices, type Services } from '../../src/services.js';
import type { App } from '../../src/core/types.js';
import { newId } from '../../src/core/ids.js';

const N = 3000;

for (const engine of await testEngines())
  describe(`following other writers (${engine})`, () => {
    let h: Harness;
    let other: Services;
    let app: App;

    before(async () => {
      h = await harness({}, Date.now(), engine);
      app = await h.services.apps.create({ name: 'p' });
      const records = [];
      // Ties on sortOrder and createdAt, so the id tiebreak matters.
      for (let i = 0; i < N; i++)
        records.push({ kind: 'timbre', key: `t${i}`, name: `T${i}`, sortOrder: (i * 7919) % 50, createdAt: 1_700_000_000_000 + (i % 3) });
      for (let i = 0; i < 300; i++) records.push({ kind: 'timbre', owner: 'p', key: `mine${i}`, name: `M${i}`, sortOrder: (i * 31) % 60 });
      await importRecords(h.services, records);
      // Another process on the same store (the CLI, another instance).
      other = await openServices(h.services.config);
    });
    after(async () => {
      await other?.close();
      await h?.close();
    });

    const naive = async (owners: string[]) => {
      const all = await h.services.repo.db.selectFrom('timbres').selectAll().where('status', '=', 'active').where('owner', 'in', owners).execute();
      return all
        .sort((a, b) => Number(a.sort_order) - Number(b.sort_order) || Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((r) => r.id);
    };
    /** Every probed offset of the reader's list equals the naive answer. */
    const check = async (what: string, scope: 'public' | 'visible' = 'public') => {
      const expected = await naive(scope === 'public' ? [''] : ['', app.id]);
      for (const offset of [0, 255, 256, 700, 1500, 2048, 2999, 3300, 4100, expected.length - 3]) {
        if (offset < 0 || offset >= expected.length) continue;
        const page = await h.services.catalog.listTimbres(app, scope, {}, { offset, limit: 3 });
        assert.equal(page.total, expected.length, `${what}: total`);
        assert.deepEqual(
          page.items.map((t) => t.id),
          expected.slice(offset, offset + 3),
          `${what}: offset ${offset}`,
        );
      }
    };
    /** The reader sees the other's commit (SQLite: data_version within its bound; PostgreSQL: NOTIFY). */
    const seen = () => new Promise((r) => setTimeout(r, OTHER_WRITES_SEEN_WITHIN_MS + 100));

    test("another process's single-asset writes move the reader's index in place", async () => {
      await check('before');
      const repo = h.services.repo;
      const taken = repo.indexesTaken;
      const ids = await naive(['']);
      const now = Date.now();
      const created: string[] = [];
      for (let i = 0; i < 4; i++) {
        const t = { ...(await other.repo.timbres.byId(ids[0]))!, id: newId(), key: `other${i}`, sortOrder: i * 13, createdAt: now, updatedAt: now };
        await other.repo.timbres.create(t);
        created.push(t.id);
      }
      await other.repo.timbres.change(ids[10], undefined, (t) => ({ ...t, sortOrder: 49 }));
      await other.repo.timbres.change(ids[2500], undefined, (t) => ({ ...t, sortOrder: -5 }));
      await other.repo.timbres.change(ids[300], undefined, (t) => ({ ...t, status: 'retired' }));
      await other.repo.timbres.change(created[1], undefined, (t) => ({ ...t, status: 'retired' }));
      await other.repo.timbres.change(ids[300], undefined, (t) => ({ ...t, status: 'active', sortOrder: 20 }));
      // A change that moves nothing (a name) is followed too, and moves nothing.
      await other.repo.timbres.change(ids[1200], undefined, (t) => ({ ...t, name: 'renamed elsewhere' }));
      await seen();
      await check('after the writes');
      assert.equal(repo.indexesTaken, taken, 'no write of the other process had the index taken again');
    });

    test("another process's import (new rows in one block, updates that move rows) is followed: blocks walked again, the list never taken", async () => {
      await check('before');
      const repo = h.services.repo;
      const taken = repo.indexesTaken;
      const mended = repo.indexes.mended;
      // 1,500 new rows landing together at the list's end (one block grows far past its size), then 200
      // stored rows moved to the front by a re-import (updates whose places the import reads first).
      const added = Array.from({ length: 1500 }, (_, i) => ({ kind: 'timbre', key: `added${i}`, name: `A${i}`, sortOrder: 100 + (i % 7) }));
      const result = await new CatalogImporter(other, undefined, 600).run(recordSource(added.map((record, i) => ({ where: `r${i}`, record }))));
      assert.equal(result.timbres, 1500);
      await seen();
      await check('after the new rows');
      const moved = Array.from({ length: 200 }, (_, i) => ({ kind: 'timbre', key: `t${i * 11}`, name: `T${i * 11}`, sortOrder: -10 }));
      await importRecords(other, moved);
      await seen();
      await check('after the moves');
      assert.equal(repo.indexesTaken, taken, 'the public list never taken again');
      assert.ok(repo.indexes.mended > mended, 'the grown block was walked again');
      // A list of several owners follows too (taken here, when first read).
      await check('public + own', 'visible');
      const visibleTaken = repo.indexesTaken;
      await importRecords(other, [{ kind: 'timbre', owner: 'p', key: 'late', name: 'Late', sortOrder: 3 }]);
      await other.repo.timbres.change((await naive(['']))[40], undefined, (t) => ({ ...t, status: 'retired' }));
      await seen();
      await check('public + own, after writes', 'visible');
      assert.equal(repo.indexesTaken, visibleTaken);
    });

    test('a reader paging deep while another process imports in many transactions ends exact, the list never taken again', async () => {
      const repo = h.services.repo;
      await check('before');
      const taken = repo.indexesTaken;
      const rows = Array.from({ length: 6000 }, (_, i) => ({ kind: 'timbre', key: `stream${i}`, name: `S${i}`, sortOrder: (i * 37) % 300 }));
      let done = false;
      const importing = new CatalogImporter(other, undefined, 500)
        .run(recordSource(rows.map((record, i) => ({ where: `r${i}`, record }))))
        .finally(() => (done = true));
      let reads = 0;
      while (!done) {
        const offset = Math.floor(Math.random() * 8000);
        const page = await h.services.catalog.listTimbres(app, 'public', {}, { offset, limit: 5 });
        assert.ok(page.items.length <= 5);
        reads++;
      }
      assert.equal((await importing).timbres, 6000);
      assert.ok(reads > 10, `the reader read while the import ran (${reads} pages)`);
      await seen();
      await check('after the import');
      assert.equal(repo.indexesTaken, taken, 'the list followed every commit');
    });
  });
