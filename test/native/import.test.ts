/**
 * POST /v1/import: NDJSON records streamed in the body. The operator imports for any owner; an app imports
 * its own records only (an owner it names must be itself); files must be URLs or stored files, never a
 * path on the server; a bad line is a 400 naming it; a body over the limit is a 413.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { nativeFixture, type Harness } from '../helpers.js';

let h: Harness;
let admin: string;
let alphaKey: string;
const post = (token: string, body: string, headers: Record<string, string> = {}) =>
  h.inject({
    method: 'POST',
    url: '/v1/import',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', ...headers },
    payload: body,
  });
const ndjson = (records: object[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;

before(async () => {
  ({ h, admin, alphaKey } = await nativeFixture('sqlite', { TIMBREL_MAX_UPLOAD_BYTES: '4096' }));
});
after(() => h.close());

test('the operator imports for any owner; the records land and a second import updates them in place', async () => {
  const body = ndjson([
    { kind: 'anchor', code: 'api_host', name: 'API host', avatarType: 'real_man_2d' },
    { kind: 'digitalHuman', name: 'API look', anchorCode: 'api_host', headerImage: 'https://img.example/a.png' },
    { kind: 'timbre', key: 'api_voice', name: 'API voice' },
    { kind: 'timbre', owner: 'beta', key: 'beta_api_voice', name: 'Beta API voice' },
  ]);
  const res = await post(admin, body);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(JSON.parse(res.body), { anchors: 1, timbres: 2, digitalHumans: 1, bindings: 0, files: 0, skipped: 0, conflicts: [] });
  assert.equal((await post(admin, body)).statusCode, 200);
  const count = Number(
    (
      await h.services.repo.db
        .selectFrom('timbres')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('key', 'like', '%api_voice')
        .executeTakeFirstOrThrow()
    ).n,
  );
  assert.equal(count, 2, 'updated, not duplicated');
});

test('an app imports as itself: no owner means its own, another owner is refused, the public catalog too', async () => {
  const ok = await post(
    alphaKey,
    ndjson([
      { kind: 'timbre', key: 'alpha_api', name: 'Alpha API' },
      { kind: 'timbre', owner: 'alpha', key: 'alpha_api_2', name: 'Alpha API 2' },
    ]),
  );
  assert.equal(ok.statusCode, 200, ok.body);
  const rows = await h.services.repo.db.selectFrom('timbres').select(['key', 'owner']).where('key', 'in', ['alpha_api', 'alpha_api_2']).execute();
  const alpha = (await h.services.apps.byName('alpha'))!;
  assert.deepEqual(
    rows.map((r) => r.owner),
    [alpha.id, alpha.id],
  );
  for (const owner of ['beta', null]) {
    const refused = await post(alphaKey, ndjson([{ kind: 'timbre', owner, key: 'x', name: 'X' }]));
    if (owner === null) {
      // null is "none": the app's own.
      assert.equal(refused.statusCode, 200);
      continue;
    }
    assert.equal(refused.statusCode, 400);
    assert.match(JSON.parse(refused.body).detail, /line 1: owner: an app imports its own records only/);
  }
});

test("an app names no ids but its own records': another app's and a free one are refused alike", async () => {
  const mine = await h.services.repo.db.selectFrom('timbres').select(['id', 'key']).where('key', '=', 'alpha_voice').executeTakeFirstOrThrow();
  const own = await post(alphaKey, ndjson([{ kind: 'timbre', id: mine.id, key: 'alpha_voice', name: 'Renamed by import' }]));
  assert.equal(own.statusCode, 200, own.body);
  const theirs = await post(alphaKey, ndjson([{ kind: 'timbre', id: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', key: 'probe', name: 'Probe' }]));
  const free = await post(alphaKey, ndjson([{ kind: 'timbre', id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', key: 'probe', name: 'Probe' }]));
  assert.equal(theirs.statusCode, 400);
  assert.equal(JSON.parse(theirs.body).detail, JSON.parse(free.body).detail, 'the same answer whether the id is taken or free');
  assert.match(JSON.parse(theirs.body).detail, /id: an app gives only the ids of its own stored records/);
});

test('files: a URL or a stored file; a path on the server is refused, and nothing is read from it', async () => {
  const res = await post(admin, ndjson([{ kind: 'timbre', key: 'sneaky', name: 'Sneaky', sample: '/etc/passwd' }]));
  assert.equal(res.statusCode, 400);
  assert.match(
    JSON.parse(res.body).detail,
    /line 1: sample: "\/etc\/passwd" is neither an http\(s\) URL nor stored:<sha256>; local files are read by `timbrel import` only/,
  );
  assert.equal(await h.services.repo.db.selectFrom('timbres').select('id').where('key', '=', 'sneaky').executeTakeFirst(), undefined);
});

test('a bad line is a 400 naming it, with what was committed before it', async () => {
  const res = await post(admin, `${JSON.stringify({ kind: 'timbre', key: 'fine', name: 'Fine' })}\n{not json\n`);
  assert.equal(res.statusCode, 400);
  assert.match(JSON.parse(res.body).detail, /^line 2: is not valid JSON \(committed before it: 0 anchors, 0 timbres/);
  assert.equal((await post(admin, '{"kind":"spaceship"}\n')).statusCode, 400);
});

test('a body over TIMBREL_MAX_UPLOAD_BYTES is a 413, declared or sent without a length', async () => {
  const big = ndjson(Array.from({ length: 80 }, (_, i) => ({ kind: 'timbre', key: `big_${i}`, name: `Big ${i} ${'x'.repeat(20)}` })));
  assert.ok(big.length > 4096);
  const declared = await post(admin, big);
  assert.equal(declared.statusCode, 413);
  const chunked = await h.inject({
    method: 'POST',
    url: '/v1/import',
    headers: { authorization: `Bearer ${admin}`, 'transfer-encoding': 'chunked' },
    payload: Readable.from([Buffer.from(big.slice(0, 3000)), Buffer.from(big.slice(3000))]),
  });
  assert.equal(chunked.statusCode, 413, chunked.body);
  assert.equal((await h.inject({ method: 'POST', url: '/v1/import', payload: 'x' })).statusCode, 401);
});
