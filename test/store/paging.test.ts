/**
 * The catalog order and the deep-offset index (CHECKPOINT_EVERY in src/store/repository.ts): every page at every offset equals
 * the naive answer (sort everything, slice), for one owner and for public + own, and the index follows
 * writes made by this process and by another connection (the CLI importing beside a running server).
 * A filter that can match nothing answers an empty page on both engines.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, importRecords, type Harness } from '../helpers.js';
import { openSqlite, OTHER_WRITES_SEEN_WITHIN_MS } from '../../src/store/engine.js';
import { testEngines } from '../engines.js';
import { Repository } from '../../src/store/repository.js';
import { CatalogImporter, recordSource } from '../../src/catalog-io/import.js';
import { openServices } from '../../src/services.js';
import type { App } from '../../src/core/types.js';
import { newId } from '../../src/core/ids.js';

const N = 3000;

for (const engine of await testEngines())
  describe(`paging (${engine})`, () => {
    let h: Harness;
    let app: App;
    let naivePublic: string[];
    let naiveVisible: string[];

    before(async () => {
      h = await harness({}, Date.now(), engine);
      app = await h.services.apps.create({ name: 'p' });
      // Many ties on sortOrder and createdAt, so the id tiebreak matters; private rows interleave.
      const records = [];
      for (let i = 0; i < N; i++) {
        records.push({ kind: 'timbre', key: `t${i}`, name: `T${i}`, sortOrder: (i * 7919) % 50, createdAt: 1_700_000_000_000 + (i % 3) });
      }
      for (let i = 0; i < 400; i++) records.push({ kind: 'timbre', owner: 'p', key: `mine${i}`, name: `M${i}`, sortOrder: (i * 31) % 60 });
      for (let i = 0; i < 30; i++) records.push({ kind: 'timbre', key: `gone${i}`, name: 'gone', status: 'retired', sortOrder: i });
      await importRecords(h.services, records);
      const all = await h.services.repo.db.selectFrom('timbres').selectAll().where('status', '=', 'active').execute();
      const sorted = (rows: typeof all) =>
        rows
          .sort(
            (a, b) => Number(a.sort_order) - Number(b.sort_order) || Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
          )
          .map((r) => r.id);
      naivePublic = sorted(all.filter((r) => r.owner === ''));
      naiveVisible = sorted(all.filter((r) => r.owner === '' || r.owner === app.id));
    });
    after(() => h.close());

    const offsets = [0, 1, 255, 256, 257, 511, 512, 1000, 2047, 2999, 3000, 3001, 3390, 3399, 3400, 5000];

    test('public list: every offset matches the naive order', async () => {
      for (const offset of offsets) {
        const page = await h.services.catalog.listTimbres(app, 'public', {}, { offset, limit: 20 });
        assert.equal(page.total, N);
        assert.deepEqual(
          page.items.map((t) => t.id),
          naivePublic.slice(offset, offset + 20),
          `offset ${offset}`,
        );
      }
    });

    test('public + own list: every offset matches the naive merged order', async () => {
      for (const offset of offsets) {
        const page = await h.services.catalog.listTimbres(app, 'visible', {}, { offset, limit: 100 });
        assert.equal(page.total, N + 400);
        assert.deepEqual(
          page.items.map((t) => t.id),
          naiveVisible.slice(offset, offset + 100),
          `offset ${offset}`,
        );
      }
    });

    test("summaries (ZEGO's GetTimbreList) are the same pages, timbre for timbre, as whole timbres", async () => {
      for (const scope of ['public', 'visible'] as const) {
        // Page sizes are written into the page statement (src/store/base.ts): several sizes, several statements.
        for (const [i, offset] of offsets.entries()) {
          const limit = [20, 1, 7, 100][i % 4];
          const whole = await h.services.catalog.listTimbres(app, scope, {}, { offset, limit });
          const summed = await h.services.catalog.listTimbreSummaries(app, scope, { offset, limit });
          assert.equal(summed.total, whole.total);
          assert.deepEqual(
            summed.items,
            whole.items.map((t) => ({ id: t.id, owner: t.owner, name: t.name, image: t.image })),
            `${scope} offset ${offset}`,
          );
        }
      }
    });

    test('a filter value holding a NUL, or an empty list, matches nothing (PostgreSQL cannot compare a NUL)', async () => {
      const repo = h.services.repo;
      const none = { total: 0, items: [] };
      assert.deepEqual(await repo.timbres.list([''], { keys: ['t1\u0000'] }, 0, 10), none);
      assert.deepEqual(await repo.timbres.list([''], { keys: [] }, 0, 10), none);
      assert.deepEqual(await repo.timbres.list([''], { nameContains: 'T\u0000' }, 0, 10), none);
      assert.deepEqual(await repo.digitalHumans.list([''], { anchorCodes: ['\u0000'] }, 0, 10), none);
      assert.deepEqual(await repo.digitalHumans.list([''], { ids: [] }, 0, 10), none);
      // A usable value beside one holding a NUL still matches.
      assert.deepEqual(
        (await repo.timbres.list([''], { keys: ['t1', 't1\u0000'] }, 0, 10)).items.map((t) => t.key),
        ['t1'],
      );
    });

    test('walking all pages visits every timbre exactly once', async () => {
      const seen: string[] = [];
      for (let offset = 0; offset < N + 400; offset += 97) {
        seen.push(...(await h.services.catalog.listTimbres(app, 'visible', {}, { offset, limit: 97 })).items.map((t) => t.id));
      }
      assert.deepEqual(seen, naiveVisible);
    });

    test('a write through this process moves totals and deep pages at once', async () => {
      const before = await h.services.catalog.listTimbres(app, 'public', {}, { offset: 2000, limit: 5 });
      await importRecords(h.services, [{ kind: 'timbre', key: 'first', name: 'First', sortOrder: -1 }]);
      const after = await h.services.catalog.listTimbres(app, 'public', {}, { offset: 2001, limit: 5 });
      assert.equal(after.total, before.total + 1);
      assert.deepEqual(
        after.items.map((t) => t.id),
        before.items.map((t) => t.id),
      );
    });

    test('the public lists taken ahead (warmLists, at server start) serve deep pages without another taking', async () => {
      // Another process's write (a second connection to the same store) leaves every held index stale.
      const other = await openServices(h.services.config);
      const repo = h.services.repo;
      await other.repo.timbres.change(naivePublic[5], undefined, (t) => ({ ...t, description: 'seen by another process' }));
      await other.close();
      await new Promise((r) => setTimeout(r, OTHER_WRITES_SEEN_WITHIN_MS + 250));
      await repo.warmLists();
      const taken = repo.indexesTaken;
      const all = await repo.db
        .selectFrom('timbres')
        .select(['id', 'sort_order', 'created_at'])
        .where('status', '=', 'active')
        .where('owner', '=', '')
        .execute();
      const expected = all
        .sort((a, b) => Number(a.sort_order) - Number(b.sort_order) || Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((r) => r.id);
      for (const offset of [0, 1000, expected.length - 5]) {
        const page = await h.services.catalog.listTimbres(app, 'public', {}, { offset, limit: 5 });
        assert.equal(page.total, expected.length);
        assert.deepEqual(
          page.items.map((t) => t.id),
          expected.slice(offset, offset + 5),
          `offset ${offset}`,
        );
      }
      assert.equal(repo.indexesTaken, taken, 'the deep pages found the index taken');
    });

    test("this process's single-asset writes move the index in place: every offset right, the index never taken again", async () => {
      const repo = h.services.repo;
      const naive = async () => {
        const all = await repo.db.selectFrom('timbres').selectAll().where('status', '=', 'active').where('owner', '=', '').execute();
        return all
          .sort(
            (a, b) => Number(a.sort_order) - Number(b.sort_order) || Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
          )
          .map((r) => r.id);
      };
      const check = async (what: string) => {
        const expected = await naive();
        for (const offset of [0, 255, 256, 700, 1500, 2048, expected.length - 3]) {
          const page = await h.services.catalog.listTimbres(app, 'public', {}, { offset, limit: 3 });
          assert.equal(page.total, expected.length, `${what}: total`);
          assert.deepEqual(
            page.items.map((t) => t.id),
            expected.slice(offset, offset + 3),
            `${what}: offset ${offset}`,
          );
        }
      };
      await check('before');
      const taken = repo.indexesTaken;
      const ids = await naive();
      const now = Date.now();
      // Creates, moves (sortOrder), retirements and a return, each its own committed write.
      const created: string[] = [];
      for (let i = 0; i < 5; i++) {
        const t = { ...(await repo.timbres.byId(ids[0]))!, id: newId(), key: `inplace${i}`, sortOrder: i * 11, createdAt: now, updatedAt: now };
        await repo.timbres.create(t);
        created.push(t.id);
      }
      await repo.timbres.change(ids[10], undefined, (t) => ({ ...t, sortOrder: 49 }));
      await repo.timbres.change(ids[2500], undefined, (t) => ({ ...t, sortOrder: -5 }));
      await repo.timbres.change(ids[300], undefined, (t) => ({ ...t, status: 'retired' }));
      await repo.timbres.change(ids[1800], undefined, (t) => ({ ...t, status: 'retired' }));
      await repo.timbres.change(created[2], undefined, (t) => ({ ...t, status: 'retired' }));
      await repo.timbres.change(ids[300], undefined, (t) => ({ ...t, status: 'active', sortOrder: 20 }));
      await check('after the writes');
      assert.equal(repo.indexesTaken, taken, 'no write had the index taken again');
    });

    // SQLite: the other process's commit moves data_version (re-read every 50 ms). PostgreSQL without Redis:
    // LISTEN/NOTIFY moves the other instance's token on commit (test/scale/redis.test.ts has the Redis signal).
    const bound = engine === 'sqlite' ? OTHER_WRITES_SEEN_WITHIN_MS : 100;
    test(`a write by another connection (another process) is seen without a restart, within ${bound} ms`, async () => {
      const page1 = await h.services.catalog.listTimbres(app, 'public', {}, { offset: 1500, limit: 3 });
      const other = await openServices(h.services.config);
      try {
        await new CatalogImporter(other).run(recordSource([{ where: 'x', record: { kind: 'timbre', key: 'zeroth', name: 'Zeroth', sortOrder: -2 } }]));
      } finally {
        await other.close();
      }
      const committed = performance.now();
      let page2 = await h.services.catalog.listTimbres(app, 'public', {}, { offset: 1501, limit: 3 });
      while (page2.total === page1.total && performance.now() - committed < 3 * bound) {
        await new Promise((r) => setTimeout(r, 5));
        page2 = await h.services.catalog.listTimbres(app, 'public', {}, { offset: 1501, limit: 3 });
      }
      assert.ok(performance.now() - committed < bound + 40, 'seen within the documented bound');
      assert.equal(page2.total, page1.total + 1);
      assert.deepEqual(
        page2.items.map((t) => t.id),
        page1.items.map((t) => t.id),
      );
    });
  });

test('SQLite is opened in WAL mode with synchronous=FULL and foreign keys on', async () => {
  const h = await harness();
  try {
    const engine = await openSqlite({ dataDir: h.dir });
    const repo = new Repository(engine);
    const { sql } = await import('kysely');
    const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(repo.db);
    const sync = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(repo.db);
    const fk = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(repo.db);
    assert.equal(mode.rows[0].journal_mode, 'wal');
    assert.equal(sync.rows[0].synchronous, 2, 'FULL');
    assert.equal(fk.rows[0].foreign_keys, 1);
    await engine.close();
  } finally {
    await h.close();
  }
});

for (const engine of await testEngines()) {
  test(`${engine}: an import writes a chunk's rows in the list's order${engine === 'sqlite' ? ', and a summary page is read from the list index alone' : ''}`, async () => {
    const h = await harness({}, Date.now(), engine);
    try {
      // Shuffled in the file: the import writes rows in list order, so a page's rows are neighbours in the
      // table (a whole-row page reads a table page or two, not one per row).
      const n = 900;
      const records = Array.from({ length: n }, (_, i) => ({ kind: 'timbre', key: `k${i}`, name: `K${i}`, sortOrder: (i * 577) % n }));
      await importRecords(h.services, records);
      const { sql } = await import('kysely');
      // Where each row is in the table: SQLite's rowid, PostgreSQL's (block, line) of the heap.
      const place = engine === 'sqlite' ? sql`rowid` : sql`(ctid::text::point)[0] * 1000000 + (ctid::text::point)[1]`;
      const inOrder = await sql<{ at: number }>`SELECT ${place} AS at FROM timbres WHERE owner = '' ORDER BY sort_order, created_at, id`.execute(
        h.services.repo.db,
      );
      assert.equal(inOrder.rows.length, n);
      assert.ok(
        inOrder.rows.every((r, i) => i === 0 || Number(r.at) > Number(inOrder.rows[i - 1].at)),
        'places follow the list order',
      );
      if (engine === 'sqlite') await coveredSummaries(h);
    } finally {
      await h.close();
    }
  });
}

async function coveredSummaries(h: Harness) {
  {
    const { sql } = await import('kysely');
    const plan = await sql<{
      detail: string;
    }>`EXPLAIN QUERY PLAN SELECT id, owner, name, image, sort_order, created_at FROM timbres WHERE owner = ${''} AND status = ${'active'} AND (sort_order, created_at, id) > (${0}, ${0}, ${''}) ORDER BY sort_order, created_at, id LIMIT 20 OFFSET ${3}`.execute(
      h.services.repo.db,
    );
    assert.match(plan.rows.map((r) => r.detail).join(' | '), /USING COVERING INDEX timbres_list_order/);
  }
}

if ((await testEngines()).includes('postgres')) {
  test('PostgreSQL runs the hot page statements by name, parsed once a connection; never a statement with *', async () => {
    // One connection, so the statements the pages ran are in the session that answers the check.
    const h = await harness({ TIMBREL_DB_POOL_SIZE: '1' }, Date.now(), 'postgres');
    try {
      const app = await h.services.apps.create({ name: 'n' });
      await importRecords(
        h.services,
        Array.from({ length: 600 }, (_, i) => ({ kind: 'timbre', key: `k${i}`, name: `K${i}`, sortOrder: i })),
      );
      const pages = [0, 300, 310, 320];
      for (const offset of pages) {
        const summed = await h.services.catalog.listTimbreSummaries(app, 'public', { offset, limit: 20 });
        const whole = await h.services.catalog.listTimbres(app, 'public', {}, { offset, limit: 20 });
        assert.deepEqual(
          summed.items.map((t) => t.id),
          whole.items.map((t) => t.id),
          `offset ${offset}`,
        );
      }
      const { sql } = await import('kysely');
      const prepared = (await sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements`.execute(h.services.repo.db)).rows;
      const pagesRun = prepared.filter((p) => p.statement.includes('from "timbres"') && p.statement.includes('limit 20'));
      assert.ok(pagesRun.length >= 1, `a summary page statement is prepared by name: ${JSON.stringify(prepared)}`);
      assert.ok(pagesRun.every((p) => p.name.startsWith('timbrel_')));
      assert.ok(!prepared.some((p) => p.statement.includes('*')), 'no statement selecting * is kept by name');
    } finally {
      await h.close();
    }
  });
}
