/**
 * Bulk upserts (StoreBase.upsertById): one compiled single-row statement run over every row on SQLite. Inside a
 * transaction the rows go with it (a rollback leaves none); outside one they commit on their own; the
 * update half of the upsert keeps created_at; values every row of a batch shares go into the statement as
 * literals and come back exactly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from '../helpers.js';
import { testEngines } from '../engines.js';
import type { Timbre } from '../../src/core/types.js';
import { stableId } from '../../src/core/ids.js';

const timbre = (key: string, name: string, createdAt: number): Timbre => ({
  id: stableId('bulk', key),
  owner: '',
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
  tags: ['a'],
  age: '',
  accent: '',
  useCases: [],
  status: 'active',
  replacedBy: null,
  sortOrder: 1,
  createdAt,
  updatedAt: createdAt,
});

for (const engine of await testEngines())
  describe(`bulk upserts (${engine})`, () => {
    let h: Harness;
    before(async () => {
      h = await harness({}, Date.now(), engine);
    });
    after(() => h.close());

    const count = async () =>
      Number(
        (
          await h.services.repo.db
            .selectFrom('timbres')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test('rows written in a transaction that rolls back are gone', async () => {
      const w = await h.services.repo.beginWrite();
      await h.services.repo.timbres.upsert(w.db, [timbre('a', 'A', 1), timbre('b', 'B', 1)]);
      await w.rollback();
      assert.equal(await count(), 0);
    });

    test('outside a transaction rows commit; a second upsert updates in place and keeps createdAt', async () => {
      await h.services.repo.timbres.upsert(h.services.repo.db, [timbre('a', 'A', 1), timbre('b', 'B', 1)]);
      assert.equal(await count(), 2);
      await h.services.repo.timbres.upsert(h.services.repo.db, [timbre('a', 'A2', 99)]);
      const a = await h.services.repo.db.selectFrom('timbres').selectAll().where('key', '=', 'a').executeTakeFirstOrThrow();
      assert.equal(a.name, 'A2');
      assert.equal(Number(a.created_at), 1);
      assert.equal(a.languages, '["en-US"]');
      assert.equal(await count(), 2);
    });

    test('the text index stays sound through inserts, updates and a rollback', async () => {
      const { sql } = await import('kysely');
      const w = await h.services.repo.beginWrite();
      await h.services.repo.timbres.upsert(w.db, [timbre('c', 'Gamma ray', 3)]);
      await w.rollback();
      await h.services.repo.timbres.upsert(h.services.repo.db, [timbre('a', 'Alpha beam', 1), timbre('d', 'Delta wave', 4)]);
      // SQLite's FTS5 table is kept by hand (TimbreStore.upsertRows): its own consistency check.
      if (engine === 'sqlite') await sql`INSERT INTO timbres_fts(timbres_fts) VALUES ('integrity-check')`.execute(h.services.repo.db);
      const hits = async (q: string) => (await h.services.repo.timbres.search({ q, status: ['active'], sort: 'catalog', limit: 10 })).rows.length;
      assert.equal(await hits('alpha'), 1);
      assert.equal(await hits('a2'), 0, 'the old name left the index');
      assert.equal(await hits('gamma'), 0, 'the rolled-back row never entered it');
      assert.equal(await hits('delta'), 1);
    });

    test('a batch whose rows share values (quotes, SQL, unicode, NUL) stores every value exactly', async () => {
      const nasty = "it's'); DROP TABLE timbres; --";
      // A NUL cannot be a literal in SQLite's statement text, so that value stays bound. (PostgreSQL stores
      // no NUL at all; the API and the import refuse one before it gets here.)
      const description = engine === 'sqlite' ? 'nul \u0000 inside' : 'no nul inside';
      const batch = (n: number, name: (i: number) => string) =>
        Array.from({ length: n }, (_, i) => ({
          ...timbre(`shared-${i}`, name(i), 7),
          age: nasty,
          accent: 'ünïcødé 🎙 "quoted"',
          tags: ["o'clock", 'x\\y'],
          description,
          sample: i === 42 ? 'https://example.com/only-one.wav' : null,
          expiresAt: 2_000_000_000_000,
        }));
      await h.services.repo.timbres.upsert(
        h.services.repo.db,
        batch(150, (i) => `Shared ${i}`),
      );
      const rows = await h.services.repo.db.selectFrom('timbres').selectAll().where('key', 'like', 'shared-%').orderBy('key').execute();
      assert.equal(rows.length, 150);
      for (const r of rows) {
        assert.equal(r.age, nasty);
        assert.equal(r.accent, 'ünïcødé 🎙 "quoted"');
        assert.deepEqual(JSON.parse(r.tags), ["o'clock", 'x\\y']);
        assert.equal(r.description, description);
        assert.equal(Number(r.expires_at), 2_000_000_000_000);
        assert.equal(r.sample, r.key === 'shared-42' ? 'https://example.com/only-one.wav' : null);
      }
      // The same batch again with a new shared value: a new statement, the update half of the upsert.
      await h.services.repo.timbres.upsert(
        h.services.repo.db,
        batch(150, () => 'Renamed'),
      );
      const names = await h.services.repo.db.selectFrom('timbres').select('name').distinct().where('key', 'like', 'shared-%').execute();
      assert.deepEqual(
        names.map((r) => r.name),
        ['Renamed'],
      );
    });

    test('more rows than one statement carries (PostgreSQL: 2,000 as one JSON parameter) are all written exactly', async () => {
      const text = (i: number) => `row ${i}: "quoted" \\ back\\slash, tab\tnewline\n, ünïcødé 🎙, </script>, \u2028, \\u0041 not an escape`;
      const rows = Array.from({ length: 2_500 }, (_, i) => ({
        ...timbre(`many-${String(i).padStart(4, '0')}`, text(i), i),
        sortOrder: i,
        tags: [`t${i % 7}`, '{"json":"in a tag"}'],
        expiresAt: i % 2 ? null : 8_640_000_000_000_000 - i,
      }));
      await h.services.repo.timbres.upsert(h.services.repo.db, rows);
      const stored = await h.services.repo.db.selectFrom('timbres').selectAll().where('key', 'like', 'many-%').orderBy('key').execute();
      assert.equal(stored.length, 2_500);
      stored.forEach((r, i) => {
        assert.equal(r.name, text(i));
        assert.deepEqual(JSON.parse(r.tags), [`t${i % 7}`, '{"json":"in a tag"}']);
        assert.equal(r.expires_at === null ? null : Number(r.expires_at), i % 2 ? null : 8_640_000_000_000_000 - i);
        assert.equal(Number(r.sort_order), i);
      });
    });
  });
