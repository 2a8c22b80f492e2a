/**
 * /v1/timbres: every route's happy path, its errors, and its security cases (no token, a bad or revoked
 * token, another app's id answering exactly like a missing one); a /v1 write is seen at once by ZEGO and
 * IVH; cursors walk a list exactly once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Harness, ivh, nativeFixture, v1, zego } from '../helpers.js';
import { testEngines } from '../engines.js';
import type { App } from '../../src/core/types.js';
import fc from 'fast-check';

for (const engine of await testEngines())
  describe(`/v1/timbres (${engine})`, () => {
    let h: Harness;
    let alpha: App;
    let beta: App;
    let admin: string;
    let alphaKey: string;
    let betaKey: string;

    const call = (method: string, url: string, token: string | undefined, body?: unknown, headers?: Record<string, string>) =>
      v1(h, method, url, token, body, headers);
    const problem = (status: number, code: string, detail: string, extra: object = {}) => ({
      type: 'about:blank',
      title: (
        { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests' } as Record<number, string>
      )[status],
      status,
      code,
      detail,
      ...extra,
    });

    before(async () => {
      ({ h, alpha, beta, admin, alphaKey, betaKey } = await nativeFixture(engine));
    });
    after(() => h.close());

    describe('auth', () => {
      test('no token, a malformed header, an unknown token: 401 problem with WWW-Authenticate', async () => {
        for (const auth of [undefined, 'Basic abc', 'Bearer tbk_nope', 'Bearer tba_nope']) {
          const res = await h.inject({ method: 'GET', url: '/v1/timbres', headers: auth ? { authorization: auth } : {} });
          assert.equal(res.statusCode, 401);
          assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
          assert.equal(res.headers['www-authenticate'], 'Bearer realm="timbrel"');
          const detail = auth?.startsWith('Bearer') ? 'the token is not valid' : 'an Authorization: Bearer token is required';
          assert.deepEqual(JSON.parse(res.body), problem(401, 'unauthorized', detail));
        }
      });

      test('a revoked key stops at once; a rotated operator token replaces the old one', async () => {
        const { key, text } = await h.services.access.createKey(alpha, 'temp');
        assert.equal((await call('GET', '/v1/timbres', text)).status, 200);
        await h.services.repo.apiKeys.revoke(key.id, h.services.now());
        assert.equal((await call('GET', '/v1/timbres', text)).status, 401);
        const old = admin;
        admin = await h.services.access.rotateAdminToken();
        assert.equal((await call('GET', '/v1/timbres', old)).status, 401);
        assert.equal((await call('GET', '/v1/timbres', admin)).status, 200);
      });

      test("a disabled app's key answers 403 app_disabled", async () => {
        const gamma = await h.services.apps.create({ name: 'gamma' });
        const { text } = await h.services.access.createKey(gamma);
        await h.services.apps.setStatus('gamma', 'disabled');
        assert.deepEqual((await call('GET', '/v1/timbres', text)).body, problem(403, 'app_disabled', 'this app is disabled'));
      });

      test("an app's calls count against its rate limit (429 problem)", async () => {
        const slow = await h.services.apps.create({ name: 'slow', rateLimit: 2 });
        const { text } = await h.services.access.createKey(slow);
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await call('GET', '/v1/timbres', text)).status);
        assert.deepEqual(statuses, [200, 200, 429]);
        const refused = await call('GET', '/v1/timbres', text);
        assert.deepEqual(refused.body, problem(429, 'rate_limited', 'rate limit exceeded: at most 2 requests per second'));
        assert.deepEqual(
          [refused.headers['retry-after'], refused.headers['ratelimit-policy'], refused.headers.ratelimit],
          ['1', '2;w=1', 'limit=2, remaining=0, reset=1'],
        );
      });
    });

    describe('list', () => {
      test("an app sees public and its own, never another app's; owner=mine and owner=public narrow it", async () => {
        const all = (await call('GET', '/v1/timbres?limit=100', alphaKey)).body;
        const keys = all.items.map((t: any) => t.key);
        assert.ok(keys.includes('alpha_voice') && keys.includes('pub_00'));
        assert.ok(!keys.includes('beta_voice'), "beta's timbre is not listed");
        assert.ok(!keys.includes('pub_retired'), 'retired timbres are hidden');
        assert.deepEqual(
          (await call('GET', '/v1/timbres?owner=mine', alphaKey)).body.items.map((t: any) => t.key),
          ['alpha_voice'],
        );
        assert.equal((await call('GET', '/v1/timbres?owner=public&limit=100', alphaKey)).body.items.length, 25);
        assert.equal(all.items.find((t: any) => t.key === 'alpha_voice').owner, 'alpha');
        assert.equal(all.items.find((t: any) => t.key === 'pub_00').owner, null);
        assert.deepEqual(
          (await call('GET', '/v1/timbres?owner=beta', alphaKey)).body,
          problem(400, 'invalid_parameter', 'owner may only hold public, private, mine', { param: 'owner' }),
        );
      });

      test('the operator sees every owner and can pick one by app name', async () => {
        const keys = (await call('GET', '/v1/timbres?owner=private', admin)).body.items.map((t: any) => t.key).sort();
        assert.deepEqual(keys, ['alpha_voice', 'beta_voice']);
        assert.deepEqual(
          (await call('GET', '/v1/timbres?owner=beta', admin)).body.items.map((t: any) => t.key),
          ['beta_voice'],
        );
        assert.equal((await call('GET', '/v1/timbres?owner=nobody', admin)).status, 400);
      });

      test('filters take several values (repeated or comma-separated); q searches name, description and tags', async () => {
        const female = (await call('GET', '/v1/timbres?gender=female', alphaKey)).body.items.map((t: any) => t.key);
        assert.deepEqual(female, ['alpha_voice']);
        const both = (await call('GET', '/v1/timbres?gender=female,neutral&limit=100', alphaKey)).body.items.length;
        const both2 = (await call('GET', '/v1/timbres?gender=female&gender=neutral&limit=100', alphaKey)).body.items.length;
        assert.equal(both, 26);
        assert.equal(both2, 26);
        assert.deepEqual(
          (await call('GET', '/v1/timbres?q=ALPHA%20OWN', alphaKey)).body.items.map((t: any) => t.key),
          ['alpha_voice'],
        );
        assert.deepEqual(
          (await call('GET', '/v1/timbres?q=public%2024', alphaKey)).body.items.map((t: any) => t.key),
          ['pub_24'],
        );
        assert.deepEqual(
          (await call('GET', '/v1/timbres?status=retired', admin)).body.items.map((t: any) => t.key),
          ['pub_retired'],
        );
        assert.deepEqual(
          (await call('GET', '/v1/timbres?gender=robot', alphaKey)).body,
          problem(400, 'invalid_parameter', 'gender may only hold male, female, neutral', { param: 'gender' }),
        );
      });

      test('q follows writes: a new name is found, the old one no longer, in the same transaction as the row', async () => {
        const made = (await call('POST', '/v1/timbres', alphaKey, { key: 'unicorn', name: 'Findable Unicorn', tags: ['mythical'] })).body;
        const find = async (q: string) => (await call('GET', `/v1/timbres?owner=mine&q=${encodeURIComponent(q)}`, alphaKey)).body.items.map((t: any) => t.id);
        assert.deepEqual(await find('unicorn'), [made.id]);
        assert.deepEqual(await find('MYTHICAL findable'), [made.id], 'words in any order and field, case ignored');
        await call('PATCH', `/v1/timbres/${made.id}`, alphaKey, { name: 'Hidden Dragon' });
        assert.deepEqual(await find('unicorn'), []);
        assert.deepEqual(await find('dragon'), [made.id]);
        await h.services.repo.timbres.upsert(h.services.repo.db, [{ ...(await h.services.repo.timbres.byId(made.id))!, description: 'now with wings' }]);
        assert.deepEqual(await find('wings dragon'), [made.id], 'a write outside a transaction updates the index too');
      });

      test('language and tag filters match whole list elements', async () => {
        await call('POST', '/v1/timbres', alphaKey, { key: 'lang1', name: 'Lang one', languages: ['zh-CN', 'en-US'], tags: ['calm', 'news'] });
        await call('POST', '/v1/timbres', alphaKey, { key: 'lang2', name: 'Lang two', languages: ['en'], tags: ['calmer'] });
        const by = async (qs: string) => (await call('GET', `/v1/timbres?owner=mine&${qs}`, alphaKey)).body.items.map((t: any) => t.key).sort();
        assert.deepEqual(await by('language=en-US'), ['lang1']);
        assert.deepEqual(await by('language=en'), ['lang2']);
        assert.deepEqual(await by('language=en,zh-CN'), ['lang1', 'lang2']);
        assert.deepEqual(await by('tag=calm'), ['lang1']);
        assert.deepEqual(await by('tag=calm&language=en'), []);
      });

      test('cursor paging walks the whole list exactly once, in each sort; total on request', async () => {
        for (const sort of ['catalog', 'name', '-createdAt']) {
          const full = (await call('GET', `/v1/timbres?sort=${sort}&limit=100&total=true`, alphaKey)).body;
          assert.equal(full.hasMore, false);
          assert.equal(full.total, full.items.length);
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const page: any = (await call('GET', `/v1/timbres?sort=${sort}&limit=7${cursor ? `&cursor=${cursor}` : ''}`, alphaKey)).body;
            seen.push(...page.items.map((t: any) => t.id));
            assert.equal(page.hasMore, page.nextCursor !== null);
            cursor = page.nextCursor;
          } while (cursor);
          assert.deepEqual(
            seen,
            full.items.map((t: any) => t.id),
            `sort=${sort}`,
          );
        }
        const names = (await call('GET', '/v1/timbres?sort=name&limit=100', alphaKey)).body.items.map((t: any) => t.name);
        assert.deepEqual(
          names,
          [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
        );
      });

      test('a cursor is bound to its filters and caller; a forged one is refused', async () => {
        const first = (await call('GET', '/v1/timbres?limit=2', alphaKey)).body;
        assert.deepEqual(
          (await call('GET', `/v1/timbres?limit=2&gender=male&cursor=${first.nextCursor}`, alphaKey)).body,
          problem(400, 'cursor_invalid', 'cursor was made for other filters or another sort; start again without it', { param: 'cursor' }),
        );
        assert.equal((await call('GET', `/v1/timbres?limit=2&cursor=${first.nextCursor}`, betaKey)).body.code, 'cursor_invalid');
        assert.equal((await call('GET', '/v1/timbres?cursor=%%%', alphaKey)).body.code, 'cursor_invalid');
        assert.equal((await call('GET', `/v1/timbres?cursor=${Buffer.from('{"f":1}').toString('base64url')}`, alphaKey)).body.code, 'cursor_invalid');
      });

      test('paging edges: limit 0, 101, 1.5, text, unknown parameters and a NUL in a search are 400', async () => {
        for (const qs of ['limit=0', 'limit=101', 'limit=1.5', 'limit=many', 'sort=random', 'colour=red', 'q=a%00b', 'owner=alpha%00']) {
          const res = await call('GET', `/v1/timbres?${qs}`, alphaKey);
          assert.equal(res.status, 400, qs);
          assert.equal(res.body.code, 'invalid_parameter', qs);
        }
        assert.equal((await call('GET', '/v1/timbres?limit=100', alphaKey)).status, 200);
      });

      test('ETag: the same read again with If-None-Match answers 304 without a body', async () => {
        const first = await call('GET', '/v1/timbres?limit=3', alphaKey);
        const etag = first.headers.etag as string;
        assert.match(etag, /^W\/".+"$/);
        const again = await h.inject({ method: 'GET', url: '/v1/timbres?limit=3', headers: { authorization: `Bearer ${alphaKey}`, 'if-none-match': etag } });
        assert.equal(again.statusCode, 304);
        assert.equal(again.body, '');
        const other = await h.inject({ method: 'GET', url: '/v1/timbres?limit=4', headers: { authorization: `Bearer ${alphaKey}`, 'if-none-match': etag } });
        assert.equal(other.statusCode, 200);
      });
    });

    describe('get', () => {
      test("own and public by id (dashed or 32 hex); another app's id answers exactly like a missing one", async () => {
        const own = await call('GET', '/v1/timbres/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', alphaKey);
        assert.equal(own.status, 200);
        assert.equal(own.body.key, 'alpha_voice');
        assert.equal((await call('GET', '/v1/timbres/aaaaaaaaaaaa4aaa8aaaaaaaaaaaaaaa', alphaKey)).body.id, 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
        const others = await call('GET', '/v1/timbres/bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', alphaKey);
        const missing = await call('GET', '/v1/timbres/cccccccc-cccc-4ccc-8ccc-cccccccccccc', alphaKey);
        const junk = await call('GET', '/v1/timbres/not-an-id', alphaKey);
        assert.equal(others.status, 404);
        assert.equal(others.raw, missing.raw);
        assert.equal(junk.raw, missing.raw);
        assert.deepEqual(missing.body, problem(404, 'timbre_not_found', 'no such timbre'));
        assert.equal((await call('GET', '/v1/timbres/bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', admin)).body.owner, 'beta');
      });
    });

    describe('create, change, retire', () => {
      test("an app creates a private timbre: IVH lists it at once; the operator's public one: ZEGO lists it at once", async () => {
        const res = await call('POST', '/v1/timbres', alphaKey, {
          key: 'fresh',
          name: 'Fresh voice',
          gender: 'male',
          sortOrder: -1,
          sample: 'https://cdn.example/fresh.wav',
        });
        assert.equal(res.status, 201);
        assert.equal(res.headers.location, `/v1/timbres/${res.body.id}`);
        assert.equal(res.body.owner, 'alpha');
        assert.equal(res.body.status, 'active');
        const i = await ivh(h, alpha, 'describetimbre', { PageIndex: 1, PageSize: 100 });
        assert.ok(
          i.json.Payload.TimbreAssets.some((t: any) => t.TimbreKey === 'fresh' && t.PurchaseType === 'Custom'),
          'IVH lists it',
        );
        const b = await ivh(h, beta, 'describetimbre', { PageIndex: 1, PageSize: 100 });
        assert.ok(!b.json.Payload.TimbreAssets.some((t: any) => t.TimbreKey === 'fresh'), 'another app does not');
        const pub = await call('POST', '/v1/timbres', admin, { key: 'first_public', name: 'First public', sortOrder: -10 });
        const z = await zego(h, beta, 'GetTimbreList', { Offset: 0, Limit: 20 });
        assert.equal(z.json.Data.Timbres[0].TimbreId, pub.body.id, 'ZEGO lists the public one first');
      });

      test('create errors: wrong types, unknown fields, bad JSON, owner from an app, taken key, local file paths', async () => {
        const cases: [unknown, number, string][] = [
          [{ key: 'x' }, 400, 'invalid_parameter'],
          [{ key: 'x', name: 5 }, 400, 'invalid_parameter'],
          [{ key: 'x', name: 'X', sortOrder: '5' }, 400, 'invalid_parameter'],
          [{ key: 'x', name: 'X', colour: 'red' }, 400, 'invalid_parameter'],
          ['{"key":', 400, 'body_unreadable'],
          [{ key: 'x', name: 'X', owner: 'beta' }, 400, 'invalid_parameter'],
          [{ key: 'alpha_voice', name: 'Again' }, 409, 'conflict'],
          [{ key: 'x', name: 'X', image: '/etc/passwd' }, 400, 'invalid_parameter'],
          [{ key: 'x', name: 'X', image: 'stored:' + '0'.repeat(64) }, 400, 'invalid_parameter'],
          [{ key: 'x'.repeat(129), name: 'X' }, 400, 'invalid_parameter'],
          // PostgreSQL cannot store a NUL in text; neither engine takes one, so both answer alike.
          [{ key: 'x', name: 'nul\u0000name' }, 400, 'invalid_parameter'],
          [{ key: 'x', name: 'X', tags: ['a\u0000'] }, 400, 'invalid_parameter'],
          // An unpaired surrogate has no UTF-8 form: SQLite would store U+FFFD, PostgreSQL's JSON refuses it.
          [{ key: 'x', name: 'half \ud800 pair' }, 400, 'invalid_parameter'],
          [{ key: 'x', name: 'X', tags: ['\udfff'] }, 400, 'invalid_parameter'],
        ];
        for (const [body, status, code] of cases) {
          const res = await call('POST', '/v1/timbres', alphaKey, body);
          assert.equal(res.status, status, JSON.stringify(body));
          assert.equal(res.body.code, code, JSON.stringify(body));
          assert.ok(!res.raw.includes('    at '), 'no stack');
        }
        const big = await call('POST', '/v1/timbres', alphaKey, { key: 'big', name: 'B', description: 'x'.repeat(70_000) });
        assert.equal(big.status, 413);
        assert.equal(big.body.code, 'body_too_large');
      });

      test('the operator creates public timbres or ones for an app by name', async () => {
        const pub = await call('POST', '/v1/timbres', admin, { key: 'op_pub', name: 'Operator public' });
        assert.equal(pub.body.owner, null);
        const forBeta = await call('POST', '/v1/timbres', admin, { key: 'op_beta', name: 'For beta', owner: 'beta' });
        assert.equal(forBeta.body.owner, 'beta');
        assert.equal((await call('GET', `/v1/timbres/${forBeta.body.id}`, betaKey)).status, 200);
        assert.equal((await call('GET', `/v1/timbres/${forBeta.body.id}`, alphaKey)).status, 404);
      });

      test("samples per language: created, read back, replaced by PATCH, validated; ElevenLabs reads each language's own", async () => {
        const made = await call('POST', '/v1/timbres', alphaKey, {
          key: 'multi_lang',
          name: 'Multilingual',
          languages: ['en-US', 'fr-FR'],
          sample: 'https://cdn.example.com/en.wav',
          languageSamples: { 'fr-FR': 'https://cdn.example.com/fr.wav' },
        });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        assert.deepEqual(made.body.languageSamples, { 'fr-FR': 'https://cdn.example.com/fr.wav' });
        assert.deepEqual((await call('GET', `/v1/timbres/${made.body.id}`, alphaKey)).body.languageSamples, { 'fr-FR': 'https://cdn.example.com/fr.wav' });
        const voice = JSON.parse((await h.inject({ method: 'GET', url: '/elevenlabs/v1/voices/multi_lang', headers: { 'xi-api-key': alphaKey } })).body);
        assert.deepEqual(
          voice.verified_languages.map((l: { locale: string; preview_url: string }) => [l.locale, l.preview_url]),
          [
            ['en-US', 'https://cdn.example.com/en.wav'],
            ['fr-FR', 'https://cdn.example.com/fr.wav'],
          ],
        );
        const patched = await call('PATCH', `/v1/timbres/${made.body.id}`, alphaKey, { languageSamples: { 'en-US': 'https://cdn.example.com/en2.wav' } });
        assert.deepEqual(patched.body.languageSamples, { 'en-US': 'https://cdn.example.com/en2.wav' }, 'the map is replaced whole');
        assert.deepEqual(
          (await call('PATCH', `/v1/timbres/${made.body.id}`, alphaKey, { name: 'Renamed' })).body.languageSamples,
          { 'en-US': 'https://cdn.example.com/en2.wav' },
          'other changes keep it',
        );
        const bad = await call('PATCH', `/v1/timbres/${made.body.id}`, alphaKey, { languageSamples: { 'de-DE': 'https://cdn.example.com/de.wav' } });
        assert.deepEqual([bad.status, bad.body.detail], [400, 'languageSamples: "de-DE" is not one of the timbre\'s languages']);
        const local = await call('PATCH', `/v1/timbres/${made.body.id}`, alphaKey, { languageSamples: { 'en-US': '/etc/passwd' } });
        assert.deepEqual([local.status, local.body.param], [400, 'languageSamples.en-US']);
        const notString = await call('PATCH', `/v1/timbres/${made.body.id}`, alphaKey, { languageSamples: { 'en-US': 5 } });
        assert.equal(notString.status, 400);
        assert.deepEqual((await call('POST', '/v1/timbres', alphaKey, { key: 'plain2', name: 'Plain' })).body.languageSamples, {});
      });

      test("PATCH: an app changes its own; a public one is 403; another app's is 404 like a missing one", async () => {
        const res = await call('PATCH', '/v1/timbres/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', alphaKey, { name: 'Alpha voice 2', tags: ['warm'] });
        assert.equal(res.status, 200);
        assert.equal(res.body.name, 'Alpha voice 2');
        assert.deepEqual(res.body.tags, ['warm']);
        assert.equal(res.body.description, 'alpha own', 'other fields stay');
        assert.equal(res.body.key, 'alpha_voice');
        const pub = (await call('GET', '/v1/timbres?owner=public&limit=1', alphaKey)).body.items[0];
        assert.deepEqual(
          (await call('PATCH', `/v1/timbres/${pub.id}`, alphaKey, { name: 'Mine now' })).body,
          problem(403, 'forbidden', 'this timbre is in the public catalog; only the operator changes it'),
        );
        const others = await call('PATCH', '/v1/timbres/bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', alphaKey, { name: 'x' });
        const missing = await call('PATCH', '/v1/timbres/cccccccc-cccc-4ccc-8ccc-cccccccccccc', alphaKey, { name: 'x' });
        assert.equal(others.status, 404);
        assert.equal(others.raw, missing.raw);
        assert.equal((await call('PATCH', `/v1/timbres/${pub.id}`, admin, { name: 'Renamed by operator' })).body.name, 'Renamed by operator');
        assert.equal((await call('PATCH', '/v1/timbres/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', alphaKey, {})).status, 400);
        assert.equal((await call('PATCH', '/v1/timbres/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', alphaKey, { gender: 'robot' })).status, 400);
      });

      test('DELETE retires: hidden from lists and both vendor dialects, still found by id, with replacedBy', async () => {
        const made = (await call('POST', '/v1/timbres', admin, { key: 'old', name: 'Old voice', sortOrder: -50 })).body;
        const mine = (await call('POST', '/v1/timbres', alphaKey, { key: 'old_mine', name: 'Old mine' })).body;
        assert.equal((await call('DELETE', `/v1/timbres/${made.id}`, alphaKey)).status, 403, 'an app cannot retire a public timbre');
        assert.equal((await zego(h, alpha, 'GetTimbreList', { Offset: 0, Limit: 20 })).json.Data.Timbres[0].TimbreId, made.id);
        const next = (await call('POST', '/v1/timbres', alphaKey, { key: 'new', name: 'New voice' })).body;
        const res = await call('DELETE', `/v1/timbres/${made.id}`, admin, { replacedBy: next.id });
        assert.equal(res.status, 200);
        assert.equal(res.body.status, 'retired');
        assert.equal(res.body.replacedBy, next.id);
        assert.equal((await call('GET', `/v1/timbres/${made.id}`, alphaKey)).body.status, 'retired');
        assert.ok(!(await call('GET', '/v1/timbres?limit=100', alphaKey)).body.items.some((t: any) => t.id === made.id));
        assert.equal((await call('DELETE', `/v1/timbres/${mine.id}`, alphaKey)).body.status, 'retired');
        const z = await zego(h, alpha, 'GetTimbreList', { Offset: 0, Limit: 20 });
        assert.ok(!z.json.Data.Timbres.some((t: any) => t.TimbreId === made.id), 'ZEGO stops listing it');
        const i = await ivh(h, alpha, 'describetimbre', { PageIndex: 1, PageSize: 100 });
        assert.ok(!i.json.Payload.TimbreAssets.some((t: any) => t.TimbreKey === 'old_mine'), 'IVH stops listing it');
        assert.equal(
          (await call('DELETE', `/v1/timbres/${next.id}`, alphaKey, { replacedBy: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' })).status,
          400,
          "another app's timbre cannot replace it",
        );
        assert.equal((await call('DELETE', '/v1/timbres/bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', alphaKey)).status, 404);
        assert.equal((await call('DELETE', `/v1/timbres/${next.id}`, undefined)).status, 401);
      });
    });

    test('property: any q, filter values and cursor text answer 200 or a 400 problem, never a 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(
          // Control characters (NUL among them: PostgreSQL refuses it in text) and any code point, not just
          // printable ASCII.
          fc.record(
            {
              q: fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 })),
              gender: fc.string({ maxLength: 12 }),
              tag: fc.string({ unit: 'binary-ascii', maxLength: 12 }),
              cursor: fc.string({ maxLength: 30 }),
              limit: fc.oneof(fc.integer(), fc.string({ maxLength: 5 })),
            },
            { requiredKeys: [] },
          ),
          async (params) => {
            h.clock.ms += 1000; // a fresh rate-limit window each run
            const qs = Object.entries(params)
              .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
              .join('&');
            const res = await h.inject({ method: 'GET', url: `/v1/timbres?${qs}`, headers: { authorization: `Bearer ${alphaKey}` } });
            assert.ok(res.statusCode === 200 || res.statusCode === 400, `${res.statusCode} for ${qs}: ${res.body.slice(0, 200)}`);
            if (res.statusCode === 400) assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
          },
        ),
        { numRuns: 300 },
      );
    });

    describe('OpenAPI', () => {
      test('/v1/openapi.json is OpenAPI 3.1 from the route schemas; the docs page loads nothing from outside', async () => {
        const doc = JSON.parse((await h.inject({ method: 'GET', url: '/v1/openapi.json' })).body);
        assert.equal(doc.openapi, '3.1.0');
        assert.ok(doc.paths['/v1/timbres'].get && doc.paths['/v1/timbres'].post);
        assert.ok(doc.paths['/v1/timbres/{id}'].patch && doc.paths['/v1/timbres/{id}'].delete);
        assert.ok(doc.components.schemas.Timbre && doc.components.schemas.Problem);
        const page = await h.inject({ method: 'GET', url: '/v1/docs/' });
        assert.equal(page.statusCode, 200);
        const srcs = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
        assert.ok(srcs.length > 0);
        for (const s of srcs) assert.ok(!/^(https?:)?\/\//.test(s), `loads ${s} from outside`);
      });
    });
    test('restore: a retired timbre comes back into the lists and the vendor dialects; only its owner may, another app gets 404', async () => {
      const made = (await call('POST', '/v1/timbres', alphaKey, { key: 'restorable', name: 'Restorable' })).body;
      await call('DELETE', `/v1/timbres/${made.id}`, alphaKey);
      const listed = async () => (await call('GET', '/v1/timbres?owner=mine&limit=100', alphaKey)).body.items.map((t: any) => t.id);
      assert.ok(!(await listed()).includes(made.id));
      assert.equal((await call('POST', `/v1/timbres/${made.id}/restore`, betaKey)).status, 404);
      assert.equal((await call('POST', `/v1/timbres/${made.id}/restore`, alphaKey, undefined, { 'if-match': '"stale"' })).status, 412);
      const back = await call('POST', `/v1/timbres/${made.id}/restore`, alphaKey);
      assert.equal(back.status, 200);
      assert.deepEqual([back.body.status, back.body.replacedBy], ['active', null]);
      assert.ok((await listed()).includes(made.id));
      const pub = (await call('GET', '/v1/timbres?owner=public&limit=1', alphaKey)).body.items[0];
      assert.equal((await call('POST', `/v1/timbres/${pub.id}/restore`, alphaKey)).status, 403);
    });
  });
