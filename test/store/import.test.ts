/**
 * How the importer gives a timbre its id (docs/catalog-format.md): an id given in the file, else the id its
 * owner's key is stored under, else a stable id derived from owner and key. Run on both engines, through the
 * same CatalogImporter the CLI uses, with records handed over in-process.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { harness, type Harness } from '../helpers.js';
import { testEngines } from '../engines.js';
import { newId, stableId } from '../../src/core/ids.js';
import { CatalogImporter, ImportError, recordSource } from '../../src/catalog-io/import.js';
import type { Timbre } from '../../src/core/types.js';

const stored = (id: string, owner: string, key: string, name: string): Timbre => ({
  id,
  owner,
  key,
  name,
  description: '',
  gender: 'female',
  languages: ['en-US'],
  emotions: [],
  timbreType: 'Boutique',
  supportedAvatarTypes: [],
  driverTypes: ['Text'],
  expiresAt: null,
  image: null,
  sample: null,
  languageSamples: {},
  tags: [],
  age: '',
  accent: '',
  useCases: [],
  status: 'active',
  replacedBy: null,
  sortOrder: 0,
  createdAt: 1,
  updatedAt: 1,
});

for (const engine of await testEngines())
  describe(`import: timbre ids (${engine})`, () => {
    let h: Harness;
    let appId: string;
    before(async () => {
      h = await harness({}, Date.now(), engine);
      appId = (await h.services.apps.create({ name: 'gamma', rateLimit: 1000 })).id;
    });
    after(() => h.close());

    const run = (records: object[]) => new CatalogImporter(h.services).run(recordSource(records.map((record, i) => ({ where: `line ${i + 1}`, record }))));
    const row = (id: string) => h.services.repo.db.selectFrom('timbres').selectAll().where('id', '=', id).executeTakeFirst();
    const countKey = async (key: string) =>
      Number(
        (
          await h.services.repo.db
            .selectFrom('timbres')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('key', '=', key)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const failure = async (records: object[]) => {
      const err = await run(records).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ImportError, `expected an ImportError, got ${String(err)}`);
      return err;
    };

    test('progress between commits: the records read so far, chunk by chunk, before the transaction commits', async () => {
      const reads: number[] = [];
      const commits: number[] = [];
      const records = Array.from({ length: 3500 }, (_, i) => ({ kind: 'timbre', key: `progress_${i}`, name: `P${i}` }));
      await new CatalogImporter(
        h.services,
        (r) => void commits.push(r.timbres),
        100_000,
        (n) => reads.push(n),
      ).run(recordSource(records.map((record, i) => ({ where: `line ${i + 1}`, record }))));
      assert.deepEqual(reads, [1000, 2000, 3000, 3500]);
      assert.equal(commits.length, 1, 'one transaction');
    });

    test('a key stored under another id is updated in place, in the text index too', async () => {
      const id = newId();
      await h.services.repo.timbres.upsert(h.services.repo.db, [stored(id, '', 'made-by-api', 'Quartz')]);
      const result = await run([
        { kind: 'timbre', key: 'fresh', name: 'Fresh' },
        { kind: 'timbre', key: 'made-by-api', name: 'Obsidian' },
      ]);
      assert.equal(result.timbres, 2);
      assert.equal((await row(id))?.name, 'Obsidian');
      assert.equal(await countKey('made-by-api'), 1);
      assert.equal(await row(stableId('timbre', '', 'made-by-api')), undefined, 'no second row under the derived id');
      assert.equal((await row(stableId('timbre', '', 'fresh')))?.name, 'Fresh', 'a new key gets the derived id');
      if (engine === 'sqlite') await sql`INSERT INTO timbres_fts(timbres_fts) VALUES ('integrity-check')`.execute(h.services.repo.db);
      const hits = async (q: string) => (await h.services.repo.timbres.search({ q, status: ['active'], sort: 'catalog', limit: 10 })).rows.map((r) => r.id);
      assert.deepEqual(await hits('obsidian'), [id]);
      assert.deepEqual(await hits('quartz'), []);
    });

    test('an id given for a key stored under another id is a conflict, and nothing of its transaction stays', async () => {
      const owner = newId();
      await h.services.repo.timbres.upsert(h.services.repo.db, [stored(owner, '', 'taken', 'Taken')]);
      const given = newId();
      const err = await failure([
        { kind: 'timbre', key: 'before-conflict', name: 'Before' },
        { kind: 'timbre', id: given, key: 'taken', name: 'Thief' },
      ]);
      assert.equal(err.where, 'line 2');
      assert.equal(err.message, `line 2: key "taken" already belongs to timbre ${owner}`);
      assert.equal((await row(owner))?.name, 'Taken');
      assert.equal(await row(given), undefined);
      assert.equal(await countKey('before-conflict'), 0);
    });

    test('one key with two different ids in one file is refused', async () => {
      const err = await failure([
        { kind: 'timbre', id: newId(), key: 'twice', name: 'One' },
        { kind: 'timbre', id: newId(), key: 'twice', name: 'Two' },
      ]);
      assert.equal(err.message, 'line 2: key "twice" appears twice with different ids');
      assert.equal(await countKey('twice'), 0);
    });

    test('one id twice in one file: the later record is written, once', async () => {
      const id = newId();
      const result = await run([
        { kind: 'timbre', id, key: 'same-id', name: 'First' },
        { kind: 'timbre', key: 'between', name: 'Between' },
        { kind: 'timbre', id, key: 'same-id', name: 'Second' },
      ]);
      assert.equal(result.skipped, 0);
      assert.equal((await row(id))?.name, 'Second');
      assert.equal(await countKey('same-id'), 1);
    });

    test('a public and a private record of one key in one transaction: the private one is skipped with its line', async () => {
      await h.services.apps.create({ name: 'eta', rateLimit: 1000 });
      const result = await run([
        { kind: 'timbre', key: 'both-scopes', name: 'Public' },
        { kind: 'timbre', owner: 'eta', key: 'both-scopes', name: 'Private' },
        { kind: 'timbre', owner: 'eta', key: 'eta-own', name: 'Own' },
      ]);
      assert.equal(result.timbres, 2);
      assert.deepEqual(result.conflicts, ['line 2: key "both-scopes" is a public timbre\'s key (skipped)']);
      assert.equal((await row(stableId('timbre', '', 'both-scopes')))?.name, 'Public');
      assert.equal(await row(stableId('timbre', 'eta', 'both-scopes')), undefined);
      assert.equal((await row(stableId('timbre', 'eta', 'eta-own')))?.name, 'Own');
    });

    test("an app's timbre may not shadow a public one's key: skipped and reported, the binding by key finds the public one", async () => {
      const result = await run([
        { kind: 'digitalHuman', name: 'Iris', anchorCode: 'iris' },
        { kind: 'timbre', key: 'shared-key', name: 'Public one' },
        { kind: 'timbre', owner: 'gamma', key: 'shared-key', name: 'Private one' },
        { kind: 'binding', owner: 'gamma', digitalHuman: stableId('digitalHuman', '', 'Iris', 'iris', '', ''), timbre: 'shared-key', isDefault: true },
      ]);
      assert.deepEqual(result, {
        anchors: 1,
        timbres: 1,
        digitalHumans: 1,
        bindings: 1,
        files: 0,
        skipped: 1,
        conflicts: ['line 3: key "shared-key" is a public timbre\'s key (skipped)'],
      });
      // The look's anchorCode named no anchor: one was made for it (domain.md decision), public as the look.
      assert.equal((await h.services.repo.anchors.byId(stableId('anchor', '', 'iris')))?.name, 'Iris');
      assert.equal(await row(stableId('timbre', 'gamma', 'shared-key')), undefined);
      const pub = await row(stableId('timbre', '', 'shared-key'));
      assert.equal(pub?.owner, '');
      const bindings = await h.services.repo.bindings.of(stableId('digitalHuman', '', 'Iris', 'iris', '', ''));
      assert.deepEqual(
        bindings.map((b) => [b.owner, b.timbreId, b.isDefault]),
        [[appId, pub!.id, true]],
      );
      // Stored first, the public key also stops a later import's private one (and the other way round).
      const again = await run([{ kind: 'timbre', owner: 'gamma', key: 'shared-key', name: 'Private one' }]);
      assert.equal(again.skipped, 1);
      await run([{ kind: 'timbre', owner: 'gamma', key: 'gamma-only', name: 'Private' }]);
      const pubLater = await run([{ kind: 'timbre', key: 'gamma-only', name: 'Public' }]);
      assert.deepEqual([pubLater.timbres, pubLater.conflicts], [0, ['line 1: key "gamma-only" is held by an app\'s private timbre (skipped)']]);
    });

    test("an id that is another owner's row is never moved to the importing owner: skipped and reported", async () => {
      const theirs = newId();
      await run([{ kind: 'timbre', id: theirs, owner: 'gamma', key: 'gamma-own', name: 'Gamma own' }]);
      const result = await run([
        { kind: 'timbre', id: theirs, key: 'taken-over', name: 'Taken over' },
        { kind: 'timbre', key: 'fine', name: 'Fine' },
      ]);
      assert.deepEqual([result.timbres, result.skipped, result.conflicts], [1, 1, [`line 1: timbre ${theirs} belongs to another owner (skipped)`]]);
      const stored = await row(theirs);
      assert.deepEqual([stored?.owner, stored?.name], [appId, 'Gamma own']);
    });

    // An owner with nothing stored skips the key lookups while only this import writes its timbres
    // (CatalogImporter.freshOwners). Transactions of one 1,000-record chunk, so a second chunk is a second
    // transaction.
    const filler = (from: number, n: number, owner: string) =>
      Array.from({ length: n }, (_, i) => ({ kind: 'timbre', owner, key: `filler_${from + i}`, name: `Filler ${from + i}` }));
    const runChunked = (records: object[], between?: () => Promise<void>) =>
      new CatalogImporter(h.services, between, 1000).run(recordSource(records.map((record, i) => ({ where: `line ${i + 1}`, record }))));

    test('an owner with nothing stored: a key written under its derived id, given another id a transaction later, is a conflict', async () => {
      await h.services.apps.create({ name: 'delta', rateLimit: 1000 });
      const given = newId();
      const err = await runChunked([
        ...filler(0, 999, 'delta'),
        { kind: 'timbre', owner: 'delta', key: 'again', name: 'First' },
        { kind: 'timbre', owner: 'delta', id: given, key: 'again', name: 'Second' },
        ...filler(999, 10, 'delta'),
      ]).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ImportError);
      assert.equal(err.where, 'line 1001');
      assert.equal(err.message, `line 1001: key "again" already belongs to timbre ${stableId('timbre', 'delta', 'again')}`);
      assert.equal(err.committed.timbres, 1000);
    });

    // A second connection to the file is a SQLite case; PostgreSQL keeps its lookups (no write mark).
    for (const writer of engine === 'sqlite' ? (['this process', 'another connection'] as const) : (['this process'] as const)) {
      test(`an owner with nothing stored: a key stored by ${writer} between two of the import's transactions is updated in place`, async () => {
        const name = writer === 'this process' ? 'epsilon' : 'zeta';
        const app = await h.services.apps.create({ name, rateLimit: 1000 });
        const id = newId();
        let once = false;
        const result = await runChunked([...filler(0, 1000, name), { kind: 'timbre', owner: name, key: 'late', name: 'From the file' }], async () => {
          if (once) return;
          once = true;
          if (writer === 'this process')
            await h.services.repo.transaction((trx) => h.services.repo.timbres.upsert(trx, [stored(id, app.id, 'late', 'From elsewhere')]));
          else {
            const other = new Database(join(h.dir, 'timbrel.db'));
            other
              .prepare(
                `INSERT INTO timbres (id, owner, name, key, description, gender, languages, emotions, timbre_type, supported_avatar_types, driver_types, tags, age, accent, use_cases, status, sort_order, created_at, updated_at)
            VALUES (?, ?, 'From elsewhere', 'late', '', 'female', '[]', '[]', 'Boutique', '[]', '[]', '[]', '', '', '[]', 'active', 0, 1, 1)`,
              )
              .run(id, app.id);
            other.close();
          }
        });
        assert.equal(result.timbres, 1001);
        assert.equal((await row(id))?.name, 'From the file');
        assert.equal(
          Number(
            (
              await h.services.repo.db
                .selectFrom('timbres')
                .select((eb) => eb.fn.countAll().as('n'))
                .where('owner', '=', app.id)
                .where('key', '=', 'late')
                .executeTakeFirstOrThrow()
            ).n,
          ),
          1,
        );
      });
    }

    if (engine === 'postgres') {
      test('PostgreSQL: a finished import leaves the catalog vacuumed and analysed (Repository.settleAfterBulkLoad)', async () => {
        await run([{ kind: 'timbre', key: 'settled', name: 'Settled' }]);
        const { rows } = await sql<{
          last_vacuum: Date | null;
          last_analyze: Date | null;
        }>`SELECT last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = 'timbres'`.execute(h.services.repo.db);
        assert.ok(rows[0].last_vacuum, 'vacuumed');
        assert.ok(rows[0].last_analyze, 'analysed');
      });
    }

    test('a file naming an app that does not exist stops at its line', async () => {
      const err = await failure([{ kind: 'timbre', owner: 'nobody', key: 'x', name: 'X' }]);
      assert.match(err.message, /^line 1: owner: no app named "nobody"/);
    });
  });
