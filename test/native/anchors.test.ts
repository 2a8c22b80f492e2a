/**
 * /v1/anchors, on both engines: list, filters, search, cursors and totals; get, create, patch (If-Match),
 * retire and restore, delete (409 while it has looks); who may write what; another app's anchor is a 404;
 * the header-image upload; a digital human names its anchor; the new digital-human files upload, a
 * package of any bytes up to its own limit, and reach ZEGO GetDigitalHumanRenderInfo at once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type Harness, nativeFixture, PUBLIC_URL, v1, zego } from '../helpers.js';
import { testEngines } from '../engines.js';
import type { App } from '../../src/core/types.js';
import { stableId } from '../../src/core/ids.js';

const PUB_DH = '11111111-1111-4111-8111-111111111111';
const ALPHA_DH = '22222222-2222-4222-8222-222222222222';
const PNG = readFileSync('demo/assets/amber.png');
const ZIP = readFileSync('demo/assets/render-package-kai.zip');

for (const engine of await testEngines())
  describe(`/v1/anchors (${engine})`, () => {
    let h: Harness;
    let alpha: App;
    let admin: string;
    let alphaKey: string;
    let betaKey: string;
    const PUB_ANCHOR = stableId('anchor', '', 'pub');
    const ALPHA_ANCHOR = stableId('anchor', 'alpha', 'alpha_anchor');
    const BETA_ANCHOR = stableId('anchor', 'beta', 'beta_anchor');

    const call = (method: string, url: string, token: string | undefined, body?: unknown, headers?: Record<string, string>) =>
      v1(h, method, url, token, body, headers);
    const put = async (url: string, token: string, payload: Buffer, headers: Record<string, string> = {}) => {
      const res = await h.inject({
        method: 'PUT',
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', ...headers },
        payload,
      });
      return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
    };

    before(async () => {
      ({ h, alpha, admin, alphaKey, betaKey } = await nativeFixture(engine, { TIMBREL_MAX_UPLOAD_BYTES: '2048', TIMBREL_MAX_PACKAGE_BYTES: '8192' }));
    });
    after(() => h.close());

    test("the seeded looks made their anchors; an app lists public and its own, never another app's", async () => {
      const list = (await call('GET', '/v1/anchors?total=true', alphaKey)).body;
      assert.deepEqual(
        list.items.map((a: any) => [a.id, a.code, a.owner]).sort(),
        [
          [ALPHA_ANCHOR, 'alpha_anchor', 'alpha'],
          [PUB_ANCHOR, 'pub', null],
        ].sort(),
      );
      assert.equal(list.total, 2);
      const one = list.items.find((a: any) => a.id === PUB_ANCHOR);
      assert.deepEqual(Object.keys(one).sort(), [
        'avatarType',
        'code',
        'createdAt',
        'gender',
        'headerImage',
        'id',
        'name',
        'owner',
        'replacedBy',
        'sortOrder',
        'status',
        'tag',
        'updatedAt',
      ]);
      assert.deepEqual(
        [one.name, one.gender, one.tag, one.avatarType, one.headerImage],
        ['Public DH', 'neutral', 'Basic', 'real_man_2d', 'https://img.example/pub.png'],
      );
      for (const url of [
        `/v1/anchors/${BETA_ANCHOR}`,
        `/v1/anchors/${BETA_ANCHOR.replace(/-/g, '')}`,
        `/v1/anchors/${BETA_ANCHOR}/digital-humans`,
        '/v1/anchors/ffffffff-ffff-4fff-8fff-ffffffffffff',
        '/v1/anchors/nope',
      ]) {
        const r = await call('GET', url, alphaKey);
        assert.equal(r.status, 404, url);
        assert.equal(r.body.code, 'anchor_not_found');
      }
      assert.equal((await call('GET', '/v1/anchors', undefined)).status, 401);
    });

    test('create, filter, search and page: cursors walk once, totals count every match', async () => {
      for (let i = 0; i < 12; i++) {
        const r = await call('POST', '/v1/anchors', admin, {
          code: `host_${i}`,
          name: `Host ${i}`,
          gender: i % 2 ? 'male' : 'female',
          tag: i % 3 === 0 ? 'Advanced' : 'Standard',
          avatarType: i < 6 ? 'real_man_3d' : 'cartoon_3d',
          sortOrder: 100 + i,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.headers.location, `/v1/anchors/${r.body.id}`);
        assert.match(r.headers.etag as string, /^"/);
      }
      const q = async (query: string) => (await call('GET', `/v1/anchors?${query}`, alphaKey)).body;
      assert.deepEqual(
        (await q('avatarType=real_man_3d&gender=male&total=true')).items.map((a: any) => a.code),
        ['host_1', 'host_3', 'host_5'],
      );
      assert.deepEqual(
        (await q('tag=Advanced&avatarType=cartoon_3d')).items.map((a: any) => a.code),
        ['host_6', 'host_9'],
      );
      assert.deepEqual((await q('q=HOST 1')).items.map((a: any) => a.code).sort(), ['host_1', 'host_10', 'host_11']);
      assert.equal((await q('gender=other')).items, undefined, 'an unknown gender is a 400');
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await q(`limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        seen.push(...page.items.map((a: any) => a.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.equal(seen.length, 14);
      assert.equal(new Set(seen).size, 14);
      const byName = (await q('sort=name&limit=3')).items.map((a: any) => a.name);
      assert.deepEqual(byName, ['Alpha DH', 'Host 0', 'Host 1']);
    });

    test('who writes what: an app creates its own (no owner, no id), may not change public anchors; codes collide as for timbre keys', async () => {
      const mine = await call('POST', '/v1/anchors', alphaKey, { code: 'alpha_host', name: 'Alpha host', avatarType: 'real_man_2d' });
      assert.equal(mine.status, 201);
      assert.equal(mine.body.owner, 'alpha');
      assert.equal((await call('POST', '/v1/anchors', alphaKey, { code: 'x', name: 'X', avatarType: 'real_man_2d', owner: 'beta' })).status, 400);
      assert.equal(
        (await call('POST', '/v1/anchors', alphaKey, { id: 'ffffffff-ffff-4fff-8fff-fffffffffff1', code: 'x', name: 'X', avatarType: 'real_man_2d' })).status,
        400,
      );
      const shadow = await call('POST', '/v1/anchors', alphaKey, { code: 'pub', name: 'Shadow', avatarType: 'real_man_2d' });
      assert.equal(shadow.status, 409);
      assert.match(shadow.body.detail, /public anchor's code/);
      assert.equal(
        (await call('POST', '/v1/anchors', betaKey, { code: 'alpha_host', name: 'Beta host', avatarType: 'real_man_2d' })).status,
        201,
        "another app's private code is free",
      );
      const taken = await call('POST', '/v1/anchors', admin, { code: 'alpha_host', name: 'Public', avatarType: 'real_man_2d' });
      assert.equal(taken.status, 409);
      const forbidden = await call('PATCH', `/v1/anchors/${PUB_ANCHOR}`, alphaKey, { name: 'Mine now' });
      assert.equal(forbidden.status, 403);
      assert.equal((await call('PATCH', `/v1/anchors/${BETA_ANCHOR}`, alphaKey, { name: 'Mine now' })).status, 404);
      assert.equal((await call('POST', '/v1/anchors', alphaKey, { code: 'no_type', name: 'No type' })).status, 400, 'avatarType is required');
      assert.equal((await call('POST', '/v1/anchors', alphaKey, { code: 'bad', name: 'Bad', avatarType: 'real_man_2d', tag: 'Premium' })).status, 400);
    });

    test('patch with If-Match; the code stays; retire and restore; delete only without looks', async () => {
      const got = await call('GET', `/v1/anchors/${ALPHA_ANCHOR}`, alphaKey);
      const etag = got.headers.etag as string;
      const stale = await call('PATCH', `/v1/anchors/${ALPHA_ANCHOR}`, alphaKey, { name: 'Renamed' }, { 'if-match': '"stale"' });
      assert.equal(stale.status, 412);
      const renamed = await call(
        'PATCH',
        `/v1/anchors/${ALPHA_ANCHOR}`,
        alphaKey,
        { name: 'Renamed', gender: 'female', tag: 'Advanced' },
        { 'if-match': etag },
      );
      assert.equal(renamed.status, 200);
      assert.deepEqual([renamed.body.name, renamed.body.gender, renamed.body.tag, renamed.body.code], ['Renamed', 'female', 'Advanced', 'alpha_anchor']);
      assert.equal((await call('PATCH', `/v1/anchors/${ALPHA_ANCHOR}`, alphaKey, { code: 'other' })).status, 400, 'the code is not a patchable field');
      // Its look names it.
      const look = (await call('GET', `/v1/digital-humans/${ALPHA_DH}`, alphaKey)).body;
      assert.deepEqual(look.anchor, { id: ALPHA_ANCHOR, code: 'alpha_anchor', name: 'Renamed', status: 'active' });
      const looks = (await call('GET', `/v1/anchors/${ALPHA_ANCHOR}/digital-humans`, alphaKey)).body;
      assert.deepEqual(
        looks.items.map((d: any) => d.id),
        [ALPHA_DH],
      );
      // Delete: 409 while a look names it.
      const refused = await call('DELETE', `/v1/anchors/${ALPHA_ANCHOR}`, alphaKey);
      assert.equal(refused.status, 409);
      assert.match(refused.body.detail, /retire it/);
      const retired = await call('POST', `/v1/anchors/${ALPHA_ANCHOR}/retire`, alphaKey, {});
      assert.equal(retired.body.status, 'retired');
      assert.ok(!(await call('GET', '/v1/anchors', alphaKey)).body.items.some((a: any) => a.id === ALPHA_ANCHOR), 'a retired anchor leaves the list');
      assert.equal((await call('GET', '/v1/anchors?status=retired', alphaKey)).body.items[0].id, ALPHA_ANCHOR);
      assert.equal((await call('GET', `/v1/digital-humans/${ALPHA_DH}`, alphaKey)).body.anchor.status, 'retired', 'its looks keep naming it');
      assert.equal((await call('POST', `/v1/anchors/${ALPHA_ANCHOR}/restore`, alphaKey)).body.status, 'active');
      const lone = await call('POST', '/v1/anchors', alphaKey, { code: 'lone', name: 'Lone', avatarType: 'real_man_2d' });
      assert.equal((await call('DELETE', `/v1/anchors/${lone.body.id}`, alphaKey, undefined, { 'if-match': '"stale"' })).status, 412);
      assert.equal((await call('DELETE', `/v1/anchors/${lone.body.id}`, alphaKey)).status, 204);
      assert.equal((await call('GET', `/v1/anchors/${lone.body.id}`, alphaKey)).status, 404);
      assert.equal((await call('DELETE', `/v1/anchors/${PUB_ANCHOR}`, alphaKey)).status, 403);
    });

    test('a digital human created with a new anchorCode makes its anchor; the new fields round-trip', async () => {
      const made = await call('POST', '/v1/digital-humans', alphaKey, {
        name: 'Nova studio',
        anchorCode: 'nova',
        avatarType: 'real_man_3d',
        actions: [{ code: 'wave', name: 'Wave hello' }],
        extraParams: [{ ClothesColor: '#112233' }],
        smallImageMode: true,
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.deepEqual(made.body.anchor, { id: stableId('anchor', 'alpha', 'nova'), code: 'nova', name: 'Nova studio', status: 'active' });
      assert.deepEqual(
        [made.body.actions, made.body.extraParams, made.body.smallImageMode, made.body.renderPackage],
        [[{ code: 'wave', name: 'Wave hello', previewVideo: null }], [{ ClothesColor: '#112233' }], true, null],
      );
      const nova = (await call('GET', `/v1/anchors/${stableId('anchor', 'alpha', 'nova')}`, alphaKey)).body;
      assert.deepEqual([nova.owner, nova.avatarType], ['alpha', 'real_man_3d']);
      const bad = await call('POST', '/v1/digital-humans', alphaKey, { name: 'Bad', extraParams: [1, 2] });
      assert.equal(bad.status, 400);
      const dup = await call('POST', '/v1/digital-humans', alphaKey, { name: 'Dup', actions: [{ code: 'a' }, { code: 'a' }] });
      assert.equal(dup.status, 400);
      assert.match(dup.body.detail, /twice/);
      const filtered = (await call('GET', '/v1/digital-humans?anchorCode=nova', alphaKey)).body;
      assert.deepEqual(
        filtered.items.map((d: any) => d.name),
        ['Nova studio'],
      );
    });

    test("uploads: an anchor's header image; a look's cover image, render and frame-fill packages (any bytes, their own limit)", async () => {
      const header = await put(`/v1/anchors/${ALPHA_ANCHOR}/header-image`, alphaKey, PNG);
      assert.equal(header.status, 200, JSON.stringify(header.body));
      assert.ok(header.body.headerImage.startsWith(`${PUBLIC_URL}/files/`));
      assert.equal((await put(`/v1/anchors/${PUB_ANCHOR}/header-image`, alphaKey, PNG)).status, 403);
      assert.equal((await put(`/v1/anchors/${BETA_ANCHOR}/header-image`, alphaKey, PNG)).status, 404);
      assert.equal((await put(`/v1/anchors/${ALPHA_ANCHOR}/header-image`, alphaKey, ZIP)).status, 415, 'a header image is a picture');

      const cover = await put(`/v1/digital-humans/${ALPHA_DH}/cover-image`, alphaKey, PNG);
      assert.equal(cover.status, 200);
      const pkg = await put(`/v1/digital-humans/${ALPHA_DH}/render-package`, alphaKey, ZIP);
      assert.equal(pkg.status, 200, JSON.stringify(pkg.body));
      const served = await h.inject({ method: 'GET', url: pkg.body.renderPackage.slice(PUBLIC_URL.length) });
      assert.equal(served.statusCode, 200);
      assert.equal(served.headers['content-type'], 'application/zip');
      assert.ok(Buffer.from(served.rawPayload).equals(ZIP));
      const opaque = Buffer.alloc(5000, 7); // no known format, over the picture limit, under the package limit
      const frame = await put(`/v1/digital-humans/${ALPHA_DH}/frame-fill-package`, alphaKey, opaque);
      assert.equal(frame.status, 200, JSON.stringify(frame.body));
      const fetched = await h.inject({ method: 'GET', url: frame.body.frameFillPackage.slice(PUBLIC_URL.length) });
      assert.equal(fetched.headers['content-type'], 'application/octet-stream');
      assert.equal((await put(`/v1/digital-humans/${ALPHA_DH}/frame-fill-package`, alphaKey, Buffer.alloc(9000, 1))).status, 413);
      assert.equal((await put(`/v1/digital-humans/${ALPHA_DH}/cover-image`, alphaKey, Buffer.alloc(3000, 1))).status, 413);
      assert.equal((await put(`/v1/digital-humans/${PUB_DH}/render-package`, alphaKey, ZIP)).status, 403);

      // ZEGO's render info answers the package at once (a signed URL), small-image mode once it is set.
      await call('PATCH', `/v1/digital-humans/${ALPHA_DH}`, alphaKey, { smallImageMode: true });
      const info = await zego(h, alpha, 'GetDigitalHumanRenderInfo', { DigitalHumanId: ALPHA_DH });
      assert.equal(info.json.Code, 0);
      assert.ok(info.json.Data.ClientInferencePackageUrl.startsWith(`${PUBLIC_URL}/files/`));
      assert.equal(info.json.Data.IsSupportSmallImageMode, true);
    });

    test('the OpenAPI document has the anchor operations and schemas', async () => {
      const doc = (await call('GET', '/v1/openapi.json', undefined)).body;
      for (const path of [
        '/v1/anchors',
        '/v1/anchors/{id}',
        '/v1/anchors/{id}/digital-humans',
        '/v1/anchors/{id}/retire',
        '/v1/anchors/{id}/header-image',
        '/v1/digital-humans/{id}/render-package',
      ]) {
        assert.ok(doc.paths[path], path);
      }
      assert.ok(doc.components.schemas.Anchor);
    });
  });
