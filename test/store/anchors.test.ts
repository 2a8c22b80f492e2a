/**
 * Anchors in the store, on both engines (domain.md "Anchors"): the migration that adds them makes one for
 * every code in use, once; a look whose code resolves to nothing makes its anchor; the code rules across
 * owners; an anchor with looks cannot be deleted; anchor lists page in the catalog order at every offset,
 * following this process's writes; export and import carry anchors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { harness, importRecords, type Harness } from '../helpers.js';
import { freshPostgres, testEngines } from '../engines.js';
import { migrateTo } from '../../src/store/migrations.js';
import { stableId, newId } from '../../src/core/ids.js';
import type { Anchor, App } from '../../src/core/types.js';
import { exportCatalog } from '../../src/catalog-io/export.js';
import { CHECKPOINT_EVERY } from '../../src/store/lists.js';

const anchor = (over: Partial<Anchor>): Anchor => ({
  id: newId(),
  owner: '',
  code: 'code',
  name: 'Name',
  gender: 'neutral',
  tag: 'Basic',
  headerImage: null,
  avatarType: 'real_man_2d',
  status: 'active',
  replacedBy: null,
  sortOrder: 0,
  createdAt: 1_700_000_000_000,
  updatedAt: 1_700_000_000_000,
  ...over,
});

for (const engine of await testEngines()) {
  describe(`anchors: the migration from a store without them (${engine})`, () => {
    let h: Harness;
    let cleanup: () => Promise<void>;
    before(async () => {
      // A store as release 0007 left it: an app, and looks that name codes.
      let env: Record<string, string>;
      let db: Kysely<any>;
      if (engine === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'timbrel-migrate-'));
        db = new Kysely({ dialect: new SqliteDialect({ database: new Database(join(dir, 'timbrel.db')) }) });
        env = { TIMBREL_DATA_DIR: dir };
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
      } else {
        const database = await freshPostgres();
        db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url }) }) });
        env = { DATABASE_URL: database.url };
        cleanup = () => database.drop();
      }
      await migrateTo(db, '0007_stored_file_references');
      const t = 1_700_000_000_000;
      await db
        .insertInto('apps')
        .values({
          id: 'app-1',
          name: 'acme',
          rate_limit: 10,
          status: 'active',
          zego_app_id: 1,
          zego_server_secret: 'x',
          ivh_appkey: 'k',
          ivh_accesstoken: 'y',
          created_at: t,
          updated_at: t,
        })
        .execute();
      const look = (id: string, owner: string, name: string, code: string, sort: number, type = 'real_man_2d') => ({
        id,
        owner,
        name,
        anchor_code: code,
        clothes_name: '',
        pose_name: '',
        resolution: '',
        avatar_type: type,
        header_image: `https://img.example/${id}.png`,
        pose_image: null,
        clothes_image: null,
        actions: '[{"code":"wave","previewVideo":null}]',
        driver_types: '[]',
        background_changeable: 0,
        origin_zoom: 1,
        effective_at: null,
        expires_at: null,
        status: 'active',
        replaced_by: null,
        sort_order: sort,
        created_at: t,
        updated_at: t,
      });
      await db
        .insertInto('digital_humans')
        .values([
          look('00000000-0000-4000-8000-000000000002', '', 'Ava second', 'ava', 2),
          look('00000000-0000-4000-8000-000000000001', '', 'Ava first', 'ava', 1, 'real_man_3d'),
          look('00000000-0000-4000-8000-000000000003', 'app-1', 'Acme Ava', 'ava', 0),
          look('00000000-0000-4000-8000-000000000004', 'app-1', 'Acme own', 'own', 5),
          look('00000000-0000-4000-8000-000000000005', '', 'No anchor', '', 0),
        ])
        .execute();
      await db.destroy();
      h = await harness(env);
    });
    after(async () => {
      await h.close();
      await cleanup();
    });

    test('every code in use gets its anchor once: public first, the first look in domain order supplies it', async () => {
      const rows = await h.services.repo.db.selectFrom('anchors').selectAll().orderBy('code').execute();
      assert.deepEqual(
        rows.map((r) => [r.id, r.owner, r.code, r.name, r.avatar_type, r.header_image, r.gender, r.tag, r.status]),
        [
          [
            stableId('anchor', '', 'ava'),
            '',
            'ava',
            'Ava first',
            'real_man_3d',
            'https://img.example/00000000-0000-4000-8000-000000000001.png',
            'neutral',
            'Basic',
            'active',
          ],
          [
            stableId('anchor', 'acme', 'own'),
            'app-1',
            'own',
            'Acme own',
            'real_man_2d',
            'https://img.example/00000000-0000-4000-8000-000000000004.png',
            'neutral',
            'Basic',
            'active',
          ],
        ],
      );
    });

    test('existing looks read with the new fields at their defaults, and resolve to their anchors', async () => {
      const d = (await h.services.repo.digitalHumans.byId('00000000-0000-4000-8000-000000000003'))!;
      assert.deepEqual(
        {
          actions: d.actions,
          extraParams: d.extraParams,
          coverImage: d.coverImage,
          renderPackage: d.renderPackage,
          smallImageMode: d.smallImageMode,
          frameFillPackage: d.frameFillPackage,
        },
        {
          actions: [{ code: 'wave', name: '', previewVideo: null }],
          extraParams: [],
          coverImage: null,
          renderPackage: null,
          smallImageMode: false,
          frameFillPackage: null,
        },
      );
      const [a] = await h.services.repo.anchors.ofLooks([d]);
      assert.equal(a?.code, 'ava');
      assert.equal(a?.owner, '', "the app's look hangs under the public anchor");
    });
  });

  describe(`anchors: writes, rules and lists (${engine})`, () => {
    let h: Harness;
    let acme: App;
    let beta: App;
    before(async () => {
      h = await harness({}, Date.now(), engine);
      acme = await h.services.apps.create({ name: 'acme' });
      beta = await h.services.apps.create({ name: 'beta' });
    });
    after(() => h.close());

    const repo = () => h.services.repo;

    test('a look whose code names no anchor makes one, of its owner; a second look of that code does not', async () => {
      const result = await importRecords(h.services, [
        { kind: 'digitalHuman', owner: 'acme', name: 'Zed', anchorCode: 'zed', avatarType: 'cartoon_3d', headerImage: 'https://img.example/zed.png' },
        { kind: 'digitalHuman', owner: 'acme', name: 'Zed 2', anchorCode: 'zed', avatarType: 'cartoon_3d' },
      ]);
      assert.equal(result.anchors, 1);
      const made = await repo().anchors.byId(stableId('anchor', 'acme', 'zed'));
      assert.deepEqual([made?.owner, made?.name, made?.avatarType, made?.headerImage], [acme.id, 'Zed', 'cartoon_3d', 'https://img.example/zed.png']);
      const again = await importRecords(h.services, [{ kind: 'digitalHuman', owner: 'acme', name: 'Zed 3', anchorCode: 'zed', avatarType: 'cartoon_3d' }]);
      assert.equal(again.anchors, 0);
      // The first look of the file supplies the anchor, whatever the ids' order.
      await importRecords(h.services, [
        { kind: 'digitalHuman', id: 'ffffffff-0000-4000-8000-000000000001', owner: 'acme', name: 'First in the file', anchorCode: 'ordered' },
        { kind: 'digitalHuman', id: '00000000-0000-4000-8000-0000000000aa', owner: 'acme', name: 'Second in the file', anchorCode: 'ordered' },
      ]);
      assert.equal((await repo().anchors.byId(stableId('anchor', 'acme', 'ordered')))?.name, 'First in the file');
    });

    test('one transaction of 20,000 looks with distinct new codes makes their anchors (one lock, not one a code)', async () => {
      // PostgreSQL's lock table holds ~6,400 locks by default: a lock a code overflowed it ("out of shared memory").
      const result = await importRecords(
        h.services,
        Array.from({ length: 20_000 }, (_, i) => ({ kind: 'digitalHuman', name: `Bulk ${i}`, anchorCode: `bulk_${i}`, avatarType: 'real_man_3d' })),
      );
      assert.deepEqual([result.digitalHumans, result.anchors, result.skipped], [20_000, 20_000, 0]);
      assert.equal((await repo().anchors.list([''], { avatarType: 'real_man_3d' }, 0, 1)).total, 20_000);
    });

    test('codes are unique among what one app sees: no private shadow of a public code, no public code an app holds', async () => {
      await repo().anchors.create(anchor({ code: 'shared', name: 'Public' }));
      await assert.rejects(repo().anchors.create(anchor({ owner: acme.id, code: 'shared' })), /public anchor's code/);
      await repo().anchors.create(anchor({ owner: acme.id, code: 'acme_only' }));
      await assert.rejects(repo().anchors.create(anchor({ code: 'acme_only' })), /held by an app's private anchor/);
      await assert.rejects(repo().anchors.create(anchor({ owner: acme.id, code: 'acme_only' })), /already belongs to anchor/);
      // Another app may hold the same private code: they never see each other's.
      await repo().anchors.create(anchor({ owner: beta.id, code: 'acme_only' }));
      // A public look naming a code only an app holds is refused; the import reports and skips it.
      const result = await importRecords(h.services, [{ kind: 'digitalHuman', name: 'Public look', anchorCode: 'acme_only' }]);
      assert.equal(result.digitalHumans, 0);
      assert.equal(result.skipped, 1);
      assert.match(result.conflicts[0], /a public digital human may name only a public anchor/);
    });

    test('one import naming a code publicly and privately: the first wins, the other is reported (never both)', async () => {
      const result = await importRecords(h.services, [
        { kind: 'anchor', code: 'same_file', name: 'Public first', avatarType: 'real_man_2d' },
        { kind: 'anchor', owner: 'acme', code: 'same_file', name: 'Private second', avatarType: 'real_man_2d' },
        { kind: 'anchor', owner: 'beta', code: 'other_file', name: 'Beta private', avatarType: 'real_man_2d' },
        { kind: 'anchor', owner: 'acme', code: 'other_file', name: 'Acme private too', avatarType: 'real_man_2d' },
        { kind: 'anchor', code: 'other_file', name: 'Public last', avatarType: 'real_man_2d' },
      ]);
      assert.equal(result.anchors, 3);
      assert.deepEqual(result.conflicts, [
        'record 2: code "same_file" is a public anchor\'s code; a private anchor may not shadow it (skipped)',
        'record 5: code "other_file" is held by an app\'s private anchor; a public anchor may not take it (skipped)',
      ]);
      const holders = await repo().db.selectFrom('anchors').select(['code', 'name']).where('code', 'in', ['same_file', 'other_file']).orderBy('name').execute();
      assert.deepEqual(
        holders.map((r) => r.name),
        ['Acme private too', 'Beta private', 'Public first'],
      );
    });

    test("a look resolves to its owner's anchor, else the public one; another app's never", async () => {
      await importRecords(h.services, [
        { kind: 'digitalHuman', id: '10000000-0000-4000-8000-000000000001', owner: 'acme', name: 'A', anchorCode: 'acme_only' },
        { kind: 'digitalHuman', id: '10000000-0000-4000-8000-000000000002', owner: 'beta', name: 'B', anchorCode: 'acme_only' },
        { kind: 'digitalHuman', id: '10000000-0000-4000-8000-000000000003', owner: 'beta', name: 'C', anchorCode: 'shared' },
      ]);
      const looks = await Promise.all(['1', '2', '3'].map((n) => repo().digitalHumans.byId(`10000000-0000-4000-8000-00000000000${n}`)));
      const anchors = await repo().anchors.ofLooks(looks.map((d) => d!));
      assert.deepEqual(
        anchors.map((a) => [a?.owner, a?.code]),
        [
          [acme.id, 'acme_only'],
          [beta.id, 'acme_only'],
          ['', 'shared'],
        ],
      );
      // The public anchor's looks as each app sees them: its own private looks hang there for it alone.
      const shared = (await repo().anchors.list([''], { codes: ['shared'] }, 0, 1)).items[0];
      assert.deepEqual(
        (await repo().anchors.looks(shared, ['', acme.id])).map((d) => d.name),
        [],
      );
      assert.deepEqual(
        (await repo().anchors.looks(shared, ['', beta.id])).map((d) => d.name),
        ['C'],
      );
    });

    test('an anchor with looks cannot be deleted (retire it); one without can', async () => {
      const zed = stableId('anchor', 'acme', 'zed');
      await assert.rejects(
        repo().anchors.remove(zed, undefined, () => {}),
        /still has 3 looks/,
      );
      const lone = anchor({ owner: acme.id, code: 'lonely' });
      await repo().anchors.create(lone);
      assert.equal((await repo().anchors.remove(lone.id, undefined, () => {}))?.id, lone.id);
      assert.equal(await repo().anchors.byId(lone.id), undefined);
    });

    test('the anchor list pages in the catalog order at every offset (public + own), and follows writes', async () => {
      const n = CHECKPOINT_EVERY * 2 + 37;
      const records = Array.from({ length: n }, (_, i) => ({
        kind: 'anchor',
        code: `p${i}`,
        name: `P${i}`,
        avatarType: 'real_man_2d',
        sortOrder: (i * 7919) % 40,
        createdAt: 1_700_000_000_000 + (i % 3),
      }));
      for (let i = 0; i < 60; i++)
        records.push({ kind: 'anchor', owner: 'acme', code: `m${i}`, name: `M${i}`, avatarType: 'real_man_2d', sortOrder: (i * 31) % 50 } as never);
      await importRecords(h.services, records);
      const naive = async () => {
        const rows = await repo()
          .db.selectFrom('anchors')
          .selectAll()
          .where('status', '=', 'active')
          .where('owner', 'in', ['', acme.id])
          .where('avatar_type', '=', 'real_man_2d')
          .execute();
        return rows
          .sort(
            (a, b) => Number(a.sort_order) - Number(b.sort_order) || Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
          )
          .map((r) => r.id);
      };
      const check = async () => {
        const want = await naive();
        for (const offset of [0, 1, CHECKPOINT_EVERY - 1, CHECKPOINT_EVERY, CHECKPOINT_EVERY + 13, want.length - 20, want.length - 1, want.length]) {
          const page = await repo().anchors.list(['', acme.id], { avatarType: 'real_man_2d' }, offset, 20);
          assert.equal(page.total, want.length);
          assert.deepEqual(
            page.items.map((a) => a.id),
            want.slice(offset, offset + 20),
            `offset ${offset}`,
          );
        }
        const unfiltered = await repo().anchors.list([''], {}, CHECKPOINT_EVERY + 5, 10);
        const all = (
          await repo().db.selectFrom('anchors').select(['id', 'sort_order', 'created_at']).where('owner', '=', '').where('status', '=', 'active').execute()
        )
          .sort(
            (a, b) => Number(a.sort_order) - Number(b.sort_order) || Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
          )
          .map((r) => r.id);
        assert.deepEqual(
          unfiltered.items.map((a) => a.id),
          all.slice(CHECKPOINT_EVERY + 5, CHECKPOINT_EVERY + 15),
        );
      };
      await check();
      // Writes of this process: a new anchor at the front, one retired in the middle.
      await repo().anchors.create(anchor({ code: 'front', sortOrder: -1 }));
      const middle = (await repo().anchors.list([''], {}, CHECKPOINT_EVERY, 1)).items[0];
      await repo().anchors.change(middle.id, undefined, (a) => ({ ...a, status: 'retired', updatedAt: Date.now() }));
      await check();
    });

    test('export writes anchors first; importing the export into an empty store gives the same anchors', async () => {
      const records: Record<string, unknown>[] = [];
      for await (const r of exportCatalog(h.services)) records.push(r);
      const firstOther = records.findIndex((r) => r.kind !== 'anchor');
      assert.ok(
        records.slice(firstOther).every((r) => r.kind !== 'anchor'),
        'anchors come first',
      );
      const h2 = await harness({}, Date.now(), engine);
      try {
        await h2.services.apps.create({ name: 'acme' });
        await h2.services.apps.create({ name: 'beta' });
        const result = await importRecords(h2.services, records);
        assert.equal(result.skipped, 0, result.conflicts.join('\n'));
        const shape = async (s: Harness) =>
          (await s.services.repo.db.selectFrom('anchors').select(['id', 'code', 'name', 'status', 'sort_order']).orderBy('id').execute()).map((r) => [
            r.id,
            r.code,
            r.name,
            r.status,
            Number(r.sort_order),
          ]);
        assert.deepEqual(await shape(h2), await shape(h));
      } finally {
        await h2.close();
      }
    });
  });
}
