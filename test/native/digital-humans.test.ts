/**
 * /v1/digital-humans and their bindings: happy, error and security cases per route; a binding made
 * through /v1 is what ZEGO GetTimbreList (with a DigitalHumanId) and IVH getimagetimbre return at once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Harness, ivh, nativeFixture, v1, zego } from '../helpers.js';
import { testEngines } from '../engines.js';
import type { App } from '../../src/core/types.js';

const PUB_DH = '11111111-1111-4111-8111-111111111111';
const ALPHA_DH = '22222222-2222-4222-8222-222222222222';
const BETA_DH = '33333333-3333-4333-8333-333333333333';
const ALPHA_T = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const BETA_T = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

for (const engine of await testEngines())
  describe(`/v1/digital-humans (${engine})`, () => {
    let h: Harness;
    let alpha: App;
    let admin: string;
    let alphaKey: string;
    let betaKey: string;

    const call = (method: string, url: string, token: string | undefined, body?: unknown, headers?: Record<string, string>) =>
      v1(h, method, url, token, body, headers);

    before(async () => {
      ({ h, alpha, admin, alphaKey, betaKey } = await nativeFixture(engine));
    });
    after(() => h.close());

    test('list: an app sees public and its own, with actions; q and avatarType filter; cursors walk once', async () => {
      const list = (await call('GET', '/v1/digital-humans', alphaKey)).body;
      assert.deepEqual(list.items.map((d: any) => d.id).sort(), [PUB_DH, ALPHA_DH].sort());
      const pub = list.items.find((d: any) => d.id === PUB_DH);
      assert.deepEqual(pub.actions, [{ code: 'wave', name: '', previewVideo: 'https://v.example/wave.mp4' }]);
      assert.equal(pub.owner, null);
      assert.equal(pub.originZoom, 0.497);
      assert.deepEqual(
        (await call('GET', '/v1/digital-humans?q=ALPHA_ANCHOR', alphaKey)).body.items.map((d: any) => d.id),
        [ALPHA_DH],
      );
      assert.equal((await call('GET', '/v1/digital-humans?avatarType=real_man_3d', alphaKey)).body.items.length, 0);
      assert.equal((await call('GET', '/v1/digital-humans?owner=private', admin)).body.items.length, 2);
      const first = (await call('GET', '/v1/digital-humans?limit=1', alphaKey)).body;
      const second = (await call('GET', `/v1/digital-humans?limit=1&cursor=${first.nextCursor}`, alphaKey)).body;
      assert.deepEqual(
        [...first.items, ...second.items].map((d: any) => d.id),
        list.items.map((d: any) => d.id),
      );
      assert.equal(second.hasMore, false);
      assert.equal((await call('GET', '/v1/digital-humans', undefined)).status, 401);
    });

    test("get: own and public; another app's answers exactly like a missing one", async () => {
      assert.equal((await call('GET', `/v1/digital-humans/${ALPHA_DH.replace(/-/g, '')}`, alphaKey)).body.id, ALPHA_DH);
      const other = await call('GET', `/v1/digital-humans/${BETA_DH}`, alphaKey);
      const missing = await call('GET', '/v1/digital-humans/44444444-4444-4444-8444-444444444444', alphaKey);
      assert.equal(other.status, 404);
      assert.equal(other.raw, missing.raw);
      assert.equal(missing.body.code, 'digital_human_not_found');
    });

    test("create, patch, retire; an app cannot change a public one (403) or see another app's (404)", async () => {
      const made = await call('POST', '/v1/digital-humans', alphaKey, {
        name: 'Mine',
        anchorCode: 'mine',
        actions: [{ code: 'nod', previewVideo: 'https://v.example/nod.mp4' }],
      });
      assert.equal(made.status, 201);
      assert.equal(made.body.owner, 'alpha');
      const patched = await call('PATCH', `/v1/digital-humans/${made.body.id}`, alphaKey, { resolution: '1080x1920', actions: [] });
      assert.equal(patched.body.resolution, '1080x1920');
      assert.deepEqual(patched.body.actions, []);
      assert.equal(patched.body.anchorCode, 'mine');
      assert.equal((await call('PATCH', `/v1/digital-humans/${PUB_DH}`, alphaKey, { name: 'x' })).status, 403);
      assert.equal((await call('PATCH', `/v1/digital-humans/${BETA_DH}`, alphaKey, { name: 'x' })).status, 404);
      assert.equal((await call('POST', '/v1/digital-humans', alphaKey, { name: 'x', originZoom: '1' })).status, 400);
      assert.equal((await call('POST', '/v1/digital-humans', alphaKey, { name: 'x', avatarType: 'robot' })).status, 400);
      assert.equal((await call('POST', '/v1/digital-humans', alphaKey, { name: 'x', headerImage: 'file:///etc/passwd' })).status, 400);
      const dup = await call('POST', '/v1/digital-humans', admin, { id: made.body.id, name: 'again' });
      assert.equal(dup.status, 409);
      const retired = await call('DELETE', `/v1/digital-humans/${made.body.id}`, alphaKey);
      assert.equal(retired.body.status, 'retired');
      assert.equal((await call('GET', `/v1/digital-humans/${made.body.id}`, alphaKey)).body.status, 'retired');
      assert.ok(!(await call('GET', '/v1/digital-humans', alphaKey)).body.items.some((d: any) => d.id === made.body.id));
      const z = await zego(h, alpha, 'GetDigitalHumanList', { Offset: 0, Limit: 20 });
      assert.ok(!z.raw.includes(made.body.id), 'ZEGO stops listing it');
      const pub = await call('POST', '/v1/digital-humans', admin, { name: 'Operator DH' });
      assert.equal(pub.body.owner, null);
      assert.ok(
        (await zego(h, alpha, 'GetDigitalHumanList', { Offset: 0, Limit: 20, FetchMode: 2 })).raw.includes(pub.body.id),
        'ZEGO lists the new public one at once',
      );
    });

    describe('bindings', () => {
      test('bind through /v1, and ZEGO GetTimbreList and IVH getimagetimbre return it at once', async () => {
        const own = (await call('POST', '/v1/timbres', alphaKey, { key: 'bound_voice', name: 'Bound voice' })).body;
        const res = await call('PUT', `/v1/digital-humans/${PUB_DH}/timbres/${own.id}`, alphaKey, { isDefault: true });
        assert.equal(res.status, 200);
        const mine = res.body.items.filter((b: any) => b.owner === 'alpha');
        assert.deepEqual(
          mine.map((b: any) => [b.timbre.id, b.isDefault]),
          [
            [ALPHA_T, false],
            [own.id, true],
          ],
        );
        assert.ok(
          res.body.items.some((b: any) => b.owner === null && b.timbre.key === 'pub_03'),
          'the public binding shows too',
        );
        assert.ok(!res.raw.includes(BETA_T), "beta's binding never shows");
        const z = await zego(h, alpha, 'GetTimbreList', { DigitalHumanId: PUB_DH, Offset: 0, Limit: 20 });
        assert.deepEqual(
          z.json.Data.Timbres.map((t: any) => t.TimbreId),
          [ALPHA_T, own.id],
        );
        const i = await ivh(h, alpha, 'getimagetimbre', { VirtualmanKey: PUB_DH.replace(/-/g, '') });
        assert.ok(i.raw.includes('bound_voice'));
      });

      test('reorder and default; unbind; errors', async () => {
        const list = (await call('GET', `/v1/digital-humans/${PUB_DH}/timbres`, alphaKey)).body.items.filter((b: any) => b.owner === 'alpha');
        const ids = list.map((b: any) => b.timbre.id);
        const reordered = await call('PUT', `/v1/digital-humans/${PUB_DH}/timbres`, alphaKey, { order: [...ids].reverse(), default: ids[0] });
        assert.equal(reordered.status, 200);
        const mine = reordered.body.items.filter((b: any) => b.owner === 'alpha');
        assert.deepEqual(
          mine.map((b: any) => b.timbre.id),
          [...ids].reverse(),
        );
        assert.deepEqual(
          mine.map((b: any) => b.isDefault),
          [false, true],
        );
        const z = await zego(h, alpha, 'GetTimbreList', { DigitalHumanId: PUB_DH, Offset: 0, Limit: 20 });
        assert.deepEqual(
          z.json.Data.Timbres.map((t: any) => t.TimbreId),
          [...ids].reverse(),
        );
        assert.equal((await call('PUT', `/v1/digital-humans/${PUB_DH}/timbres`, alphaKey, { order: [ids[0]] })).body.code, 'invalid_parameter');
        assert.equal((await call('PUT', `/v1/digital-humans/${PUB_DH}/timbres`, alphaKey, { order: ids, default: BETA_T })).status, 400);
        const un = await call('DELETE', `/v1/digital-humans/${PUB_DH}/timbres/${ids[1]}`, alphaKey);
        assert.deepEqual(
          un.body.items.filter((b: any) => b.owner === 'alpha').map((b: any) => b.timbre.id),
          [ids[0]],
        );
        assert.equal((await call('DELETE', `/v1/digital-humans/${PUB_DH}/timbres/${ids[1]}`, alphaKey)).status, 404);
      });

      test("security: another app's digital human or timbre is 404 like a missing one; the operator binds public only", async () => {
        const a = await call('PUT', `/v1/digital-humans/${BETA_DH}/timbres/${ALPHA_T}`, alphaKey, {});
        const b = await call('PUT', '/v1/digital-humans/44444444-4444-4444-8444-444444444444/timbres/' + ALPHA_T, alphaKey, {});
        assert.equal(a.status, 404);
        assert.equal(a.raw, b.raw);
        const c = await call('PUT', `/v1/digital-humans/${ALPHA_DH}/timbres/${BETA_T}`, alphaKey, {});
        const d = await call('PUT', `/v1/digital-humans/${ALPHA_DH}/timbres/cccccccc-cccc-4ccc-8ccc-cccccccccccc`, alphaKey, {});
        assert.equal(c.status, 404);
        assert.equal(c.raw, d.raw);
        assert.equal((await call('GET', `/v1/digital-humans/${BETA_DH}/timbres`, alphaKey)).status, 404);
        assert.equal((await call('PUT', `/v1/digital-humans/${ALPHA_DH}/timbres/${ALPHA_T}`, admin, {})).status, 400);
        const pub = (await call('GET', '/v1/timbres?owner=public&limit=1', admin)).body.items[0];
        const op = await call('PUT', `/v1/digital-humans/${PUB_DH}/timbres/${pub.id}`, admin, { sortOrder: -1 });
        assert.equal(op.body.items[0].timbre.id, pub.id);
        assert.equal(op.body.items[0].owner, null);
        assert.equal((await call('PUT', `/v1/digital-humans/${PUB_DH}/timbres/${ALPHA_T}`, undefined, {})).status, 401);
      });
    });
    test('restore: a retired digital human comes back into the lists; only its owner may', async () => {
      const made = (await call('POST', '/v1/digital-humans', alphaKey, { name: 'Restorable host' })).body;
      await call('DELETE', `/v1/digital-humans/${made.id}`, alphaKey);
      assert.equal((await call('GET', `/v1/digital-humans/${made.id}`, alphaKey)).body.status, 'retired');
      assert.equal((await call('POST', `/v1/digital-humans/${made.id}/restore`, betaKey)).status, 404, "another app's is not found");
      const back = await call('POST', `/v1/digital-humans/${made.id}/restore`, alphaKey);
      assert.deepEqual([back.status, back.body.status], [200, 'active']);
      const listed = (await call('GET', '/v1/digital-humans?q=Restorable', alphaKey)).body.items.map((d: any) => d.id);
      assert.deepEqual(listed, [made.id]);
    });
  });
