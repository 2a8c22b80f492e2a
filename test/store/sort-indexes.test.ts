/**
 * The native API's sorts by name and newest first read merged runs of one owner and status, each walked
 * along an index of its own (migration 0019), on both engines: a cursor walk over public and private rows,
 * retired ones included, equals the naive order (names in code point order, as both engines compare them,
 * characters past U+FFFF included), and SQLite plans a run along the index, not a sort of every match.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { importRecords, nativeFixture, v1, type Harness } from '../helpers.js';
import { testEngines } from '../engines.js';
import { compareText } from '../../src/store/base.js';

/** Names that order differently by UTF-16 code unit and by code point, ties, and case. */
const NAMES = ['Alpha', 'alpha', 'Beta', '\u{1F600} smile', '\uE000 private use', '\uFF21 fullwidth A', 'Zeta', 'Ünïcode', 'same', 'same'];

for (const engine of await testEngines())
  describe(`sorts with an index: by name and newest first (${engine})`, () => {
    let h: Harness;
    let admin: string;
    let alphaKey: string;

    before(async () => {
      ({ h, admin, alphaKey } = await nativeFixture(engine));
      const records = [];
      for (let i = 0; i < 300; i++)
        records.push({
          kind: 'timbre',
          key: `sorted_${i}`,
          name: `${NAMES[i % NAMES.length]} ${i % 7}`,
          createdAt: 1_700_000_000_000 + (i % 13) * 1000,
          ...(i % 5 === 0 ? { owner: 'alpha' } : {}),
          ...(i % 11 === 0 ? { status: 'retired' } : {}),
        });
      await importRecords(h.services, records);
    });
    after(() => h?.close());

    const walk = async (query: string, token: string) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 500; pages++) {
        const r = await v1(h, 'GET', `/v1/timbres?${query}&limit=7${cursor ? `&cursor=${cursor}` : ''}`, token);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        ids.push(...r.body.items.map((t: { id: string }) => t.id));
        cursor = r.body.nextCursor ?? undefined;
        if (!cursor) return ids;
      }
      throw new Error('the walk did not end');
    };
    const naive = async (owners: string[], status: string[], by: 'name' | '-createdAt') => {
      const rows = await h.services.repo.db.selectFrom('timbres').selectAll().where('owner', 'in', owners).where('status', 'in', status).execute();
      return rows
        .sort((a, b) =>
          by === 'name' ? compareText(a.name, b.name) || compareText(a.id, b.id) : Number(b.created_at) - Number(a.created_at) || compareText(b.id, a.id),
        )
        .map((r) => r.id);
    };

    test('a cursor walk by name and newest first equals the naive order, for an app and for the operator', async () => {
      const alpha = (await h.services.apps.named('alpha')).id;
      for (const by of ['name', '-createdAt'] as const) {
        assert.deepEqual(await walk(`sort=${by}`, alphaKey), await naive(['', alpha], ['active'], by), `alpha, ${by}`);
        const every = (await h.services.repo.db.selectFrom('apps').select('id').execute()).map((a) => a.id);
        assert.deepEqual(await walk(`sort=${by}&status=active,retired`, admin), await naive(['', ...every], ['active', 'retired'], by), `operator, ${by}`);
      }
      // The code point order is not JavaScript's: U+1F600 sorts after U+FF21 here.
      const byName = await walk('sort=name&q=smile', alphaKey);
      assert.ok(byName.length > 0);
      assert.ok(compareText('\u{1F600}', '\uFF21') > 0 && '\u{1F600}' < '\uFF21');
    });

    if (engine === 'sqlite')
      test('SQLite walks a run along its index, not a sort of every match', async () => {
        for (const [order, index] of [
          ['name, id', 'timbres_by_name'],
          ['created_at DESC, id DESC', 'timbres_by_created'],
        ]) {
          const plan = await sql<{
            detail: string;
          }>`EXPLAIN QUERY PLAN SELECT * FROM timbres WHERE owner = ${''} AND status = ${'active'} ORDER BY ${sql.raw(order)} LIMIT 8`.execute(
            h.services.repo.db,
          );
          const text = plan.rows.map((r) => r.detail).join(' | ');
          assert.match(text, new RegExp(`USING INDEX ${index}`), text);
          assert.doesNotMatch(text, /TEMP B-TREE/, text);
        }
      });
  });
