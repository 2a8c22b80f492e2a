/**
 * Tencent IVH dialect contract (shared/spec/tencent-ivh.md): the seed's example, the signature encodings
 * real clients send, every code of §3 with the exact body, paging edges, and security per path.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, importRecords, ivh, ivhQuery, seedTwoApps, HEX32_RE, IVH_PATH, type Harness } from '../helpers.js';
import type { App } from '../../src/core/types.js';
import { ivhSignature } from '../../src/dialects/tencent-ivh/signature.js';

const PATHS = ['getimagetimbre', 'describetimbre', 'describesmallsampleimage'] as const;
const PUBLIC_KEY = '11111111111141118111111111111111';
const BETA_KEY = '33333333333343338333333333333333';

function header(json: any) {
  assert.match(json.Header.RequestID, /^.+$/);
  const { RequestID, ...rest } = json.Header;
  void RequestID;
  return rest;
}

describe('IVH golden example (tencent-ivh.md §6, seed 000)', () => {
  let h: Harness;
  before(async () => {
    h = await harness({}, 1717639699 * 1000);
    await h.services.apps.create({ name: 'example', ivhAppKey: 'example_appkey', ivhAccessToken: 'example_accesstoken' });
    await importRecords(h.services, [
      { kind: 'digitalHuman', id: '963a2a7d4c734a6ca2984835d9eae765', name: 'Lin' },
      { kind: 'timbre', key: 'female_1', name: 'female voice 1', description: 'Natural and graceful', sample: 'https://samples.example/female_1.wav' },
      { kind: 'binding', digitalHuman: '963a2a7d4c734a6ca2984835d9eae765', timbre: 'female_1' },
    ]);
  });
  after(() => h.close());

  const url = `${IVH_PATH}getimagetimbre?appkey=example_appkey&timestamp=1717639699&signature=aCNWYzZdplxWVo%2BJsqzZc9%2BJ9XrwWWITfX3eQpsLVno%3D`;

  test('the documented request gets the documented answer', async () => {
    const res = await h.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json;charset=utf-8' },
      payload: '{"Header":{},"Payload":{"VirtualmanKey":"963a2a7d4c734a6ca2984835d9eae765"}}',
    });
    assert.equal(res.statusCode, 200);
    const json = res.json();
    assert.match(json.Header.RequestID, HEX32_RE, 'a fresh 32-hex RequestID when none was sent');
    assert.deepEqual(json, {
      Header: { Code: 0, Message: 'ok', RequestID: json.Header.RequestID, SessionID: '', DialogID: '' },
      Payload: {
        Timbres: [
          { TimbreKey: 'female_1', TimbreName: 'female voice 1', TimbreSample: 'https://samples.example/female_1.wav', TimbreDesc: 'Natural and graceful' },
        ],
      },
    });
  });

  test('Header.RequestID is echoed', async () => {
    const res = await h.inject({
      method: 'POST',
      url,
      payload: '{"Header":{"RequestID":"123","SessionID":"s"},"Payload":{"VirtualmanKey":"963a2a7d4c734a6ca2984835d9eae765"}}',
    });
    assert.equal(res.json().Header.RequestID, '123');
  });

  test('every signature encoding real clients send is accepted', async () => {
    const sig = 'aCNWYzZdplxWVo+JsqzZc9+J9XrwWWITfX3eQpsLVno=';
    const body = '{"Header":{},"Payload":{"VirtualmanKey":"963a2a7d4c734a6ca2984835d9eae765"}}';
    const variants = [
      `appkey=example_appkey&timestamp=1717639699&signature=${encodeURIComponent(sig)}`, // URLSearchParams/Go/Java
      `appkey=example_appkey&timestamp=1717639699&signature=${sig.replace(/\+/g, '%2B').replace(/=/g, '%3D')}`, // Python quote
      `appkey=example_appkey&timestamp=1717639699&signature=${sig}`, // raw + read as space by a form decoder
      `signature=${encodeURIComponent(sig)}&timestamp=1717639699&appkey=example_appkey`, // signature first (Go re-sorts)
      `appkey=example_appkey&signature=${encodeURIComponent(sig).replace(/%2B/g, '%2b').replace(/%3D/g, '%3d')}&timestamp=1717639699`, // lower-case escapes
    ];
    for (const q of variants) {
      const res = await h.inject({ method: 'POST', url: `${IVH_PATH}getimagetimbre?${q}`, payload: body });
      assert.equal(res.json().Header.Code, 0, q);
    }
  });

  test('a slash in the signature is accepted raw or as %2F', async () => {
    const params = { appkey: 'example_appkey', timestamp: '1717639699', requestid: 'example_requestid' };
    const sig = ivhSignature(params, 'example_accesstoken');
    assert.ok(sig.includes('/'));
    for (const enc of [sig.replace(/\+/g, '%2B').replace(/=/g, '%3D'), encodeURIComponent(sig)]) {
      const res = await h.inject({
        method: 'POST',
        url: `${IVH_PATH}getimagetimbre?appkey=example_appkey&timestamp=1717639699&requestid=example_requestid&signature=${enc}`,
        payload: '{"Header":{},"Payload":{"VirtualmanKey":"963a2a7d4c734a6ca2984835d9eae765"}}',
      });
      assert.equal(res.json().Header.Code, 0);
    }
  });
});

describe('IVH paths', () => {
  let h: Harness;
  let alpha: App;
  let beta: App;
  before(async () => {
    h = await harness();
    ({ alpha, beta } = await seedTwoApps(h));
  });
  after(() => h.close());

  test('describetimbre lists public + own timbres with every documented field', async () => {
    const { json } = await ivh(h, alpha, 'describetimbre', { PageIndex: 1, PageSize: 100 });
    assert.equal(json.Header.Code, 0);
    assert.equal(json.Payload.Total, 26);
    const own = json.Payload.TimbreAssets.find((t: any) => t.TimbreKey === 'alpha_voice');
    assert.deepEqual(own, {
      TimbreKey: 'alpha_voice',
      TimbreName: 'Alpha voice',
      TimbreSample: 'https://a.example/s.wav',
      TimbreDesc: 'alpha own',
      SupportVirtualmanTypeCodes: [],
      SupportDriverTypes: [],
      ExpireDate: '',
      AudioDuration: 0,
      AudioNum: 0,
      EmotionalCategories: [],
      TimbreGender: 2,
      PurchaseType: 'Custom',
      TimbreType: 'Boutique',
      TimbreLanguages: [],
    });
    assert.ok(!json.Payload.TimbreAssets.some((t: any) => t.TimbreKey === 'beta_voice' || t.TimbreKey === 'pub_retired'));
  });

  test('describetimbre filters: TimbreKey, TimbreName substring, PurchaseType, TimbreKeyList wins', async () => {
    const keys = async (payload: object) =>
      (await ivh(h, alpha, 'describetimbre', { PageIndex: 1, PageSize: 100, ...payload })).json.Payload.TimbreAssets.map((t: any) => t.TimbreKey);
    assert.deepEqual(await keys({ TimbreKey: 'pub_03' }), ['pub_03']);
    assert.deepEqual(await keys({ TimbreName: 'Public 2' }), ['pub_02', 'pub_20', 'pub_21', 'pub_22', 'pub_23', 'pub_24']);
    assert.deepEqual(await keys({ PurchaseType: 'Custom' }), ['alpha_voice']);
    assert.equal((await keys({ PurchaseType: 'Lease' })).length, 25);
    assert.deepEqual(await keys({ TimbreKey: 'pub_03', TimbreKeyList: ['pub_04', 'alpha_voice', 'beta_voice'] }), ['alpha_voice', 'pub_04']);
    assert.deepEqual(await keys({ TimbreKey: 'beta_voice' }), [], "another app's key is not visible");
  });

  test('Payload keys are case-insensitive (pageIndex beside PageSize)', async () => {
    const { json } = await ivh(h, alpha, 'describetimbre', { pageIndex: 2, PageSize: 10, timbrekey: null });
    assert.equal(json.Header.Code, 0);
    assert.equal(json.Payload.TimbreAssets.length, 10);
  });

  test('describetimbre pages walk the list once', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const { json } = await ivh(h, alpha, 'describetimbre', { PageIndex: page, PageSize: 7 });
      seen.push(...json.Payload.TimbreAssets.map((t: any) => t.TimbreKey));
    }
    assert.equal(seen.length, 26);
    assert.equal(new Set(seen).size, 26);
  });

  test('describesmallsampleimage renders avatars with every documented field', async () => {
    const { json } = await ivh(h, alpha, 'describesmallsampleimage', { PageIndex: 1, PageSize: 10 });
    assert.equal(json.Payload.Total, 2);
    assert.deepEqual(json.Payload.Virtualmans[0], {
      VirtualmanKey: PUBLIC_KEY,
      AnchorName: 'Public DH',
      AnchorCode: 'pub',
      BackgroundChangeable: false,
      ClothesName: '',
      PoseName: '',
      Resolution: '',
      HeaderImage: 'https://img.example/pub.png',
      PoseImage: '',
      ClothesImage: '',
      SupportDriverTypes: [],
      EffectiveDate: '2026-01-01 08:00:00',
      ExpireDate: '',
      EffectiveTime: Date.parse('2026-01-01T00:00:00Z'),
      ExpireTime: 0,
      VideoDuration: 0,
      VideoNum: 0,
      OriginZoom: 0.497,
      OriginZoomStr: '0.497',
      ReferenceVideoSegmentUrl: '',
    });
    const filtered = await ivh(h, alpha, 'describesmallsampleimage', { PageIndex: 1, PageSize: 10, AnchorCodes: ['alpha_anchor', 'beta_anchor'] });
    assert.deepEqual(
      filtered.json.Payload.Virtualmans.map((v: any) => v.AnchorName),
      ['Alpha DH'],
    );
    const byKey = await ivh(h, alpha, 'describesmallsampleimage', { PageIndex: 1, PageSize: 10, VirtualmanKey: BETA_KEY });
    assert.deepEqual(byKey.json.Payload, { Virtualmans: [], Total: 0 });
  });

  test("getimagetimbre: public bindings and the caller's own, never another app's", async () => {
    const a = await ivh(h, alpha, 'getimagetimbre', { VirtualmanKey: PUBLIC_KEY });
    assert.deepEqual(
      a.json.Payload.Timbres.map((t: any) => t.TimbreKey),
      ['alpha_voice', 'pub_03'],
    );
    const b = await ivh(h, beta, 'getimagetimbre', { VirtualmanKey: PUBLIC_KEY });
    assert.deepEqual(
      b.json.Payload.Timbres.map((t: any) => t.TimbreKey),
      ['beta_voice', 'pub_03'],
    );
  });

  describe('every documented code (exact bodies)', () => {
    const expectHeader = async (p: Promise<{ status: number; json: any }>, status: number, Code: number, Message: string) => {
      const r = await p;
      assert.equal(r.status, status);
      assert.deepEqual(header(r.json), { Code, Message, SessionID: '', DialogID: '' });
      assert.equal(r.json.Payload, undefined, 'failures carry no Payload');
    };

    test('100001 request parameter error', async () => {
      const cases: [string, string][] = [
        ['{"Payload":{}}', 'InvalidParameter: Header is required'],
        ['{"Header":{}}', 'InvalidParameter: Payload is required'],
        ['{"Header":[],"Payload":{}}', 'InvalidParameter: Header must be an object'],
        ['{"Header":{},"Payload":"x"}', 'InvalidParameter: Payload must be an object'],
        ['[]', 'InvalidParameter: body must be a JSON object'],
        ['', 'InvalidParameter: Header and Payload are required'],
        ['{"Header":', 'InvalidParameter: body is not valid JSON'],
        ['{"Header":{},"Payload":{"PageIndex":1,"pageindex":2,"PageSize":1}}', 'InvalidParameter: Payload key pageindex is given more than once'],
      ];
      for (const [body, msg] of cases) await expectHeader(ivh(h, alpha, 'describetimbre', null, { body }), 200, 100001, msg);
      await expectHeader(ivh(h, alpha, 'describetimbre', { PageSize: 10 }), 200, 100001, 'InvalidParameter: PageIndex is required');
      for (const PageIndex of [1.5, '1', true]) {
        await expectHeader(ivh(h, alpha, 'describetimbre', { PageIndex, PageSize: 10 }), 200, 100001, 'InvalidParameter: PageIndex must be an integer');
      }
      await expectHeader(
        ivh(h, alpha, 'describetimbre', { PageIndex: 1, PageSize: 10, TimbreKeyList: 'a' }),
        200,
        100001,
        'InvalidParameter: TimbreKeyList must be an array of strings',
      );
      await expectHeader(ivh(h, alpha, 'getimagetimbre', {}), 200, 100001, 'InvalidParameter: VirtualmanKey is required');
      await expectHeader(ivh(h, alpha, 'getimagetimbre', { VirtualmanKey: { a: 1 } }), 200, 100001, 'InvalidParameter: VirtualmanKey must be a string');
    });
    test('100001 unsupported paths; 404 outside /v2/ivh/', async () => {
      await expectHeader(
        ivh(h, alpha, 'createtimbre', {}),
        200,
        100001,
        'UnsupportedOperation: /v2/ivh/crmserver/customerassetservice/createtimbre is not served',
      );
      const r = await h.inject({ method: 'POST', url: '/v2/ivh/videomaker/broadcastservice/videomake', payload: '{}' });
      assert.equal(r.json().Header.Message, 'UnsupportedOperation: /v2/ivh/videomaker/broadcastservice/videomake is not served');
      assert.equal((await h.inject({ method: 'POST', url: '/v3/other', payload: '{}' })).statusCode, 404);
    });
    test('100001 body over the limit (HTTP 413)', async () => {
      await expectHeader(
        ivh(h, alpha, 'describetimbre', null, { body: `{"Header":{},"Payload":{"TimbreName":"${'x'.repeat(70_000)}"}}` }),
        413,
        100001,
        'InvalidParameter: body is larger than the limit',
      );
    });
    test('100002 parameter value error: paging edges', async () => {
      for (const [PageIndex, PageSize, msg] of [
        [0, 10, 'InvalidParameterValue: PageIndex must be in [1, 1000000000]'],
        [-1, 10, 'InvalidParameterValue: PageIndex must be in [1, 1000000000]'],
        [1, 0, 'InvalidParameterValue: PageSize must be in [1, 100]'],
        [1, 101, 'InvalidParameterValue: PageSize must be in [1, 100]'],
      ] as const) {
        await expectHeader(ivh(h, alpha, 'describetimbre', { PageIndex, PageSize }), 200, 100002, msg);
        await expectHeader(ivh(h, alpha, 'describesmallsampleimage', { PageIndex, PageSize }), 200, 100002, msg);
      }
      await expectHeader(
        ivh(h, alpha, 'describetimbre', { PageIndex: 1, PageSize: 1, PurchaseType: 'Buy' }),
        200,
        100002,
        'InvalidParameterValue: PurchaseType must be Lease or Custom',
      );
      assert.equal((await ivh(h, alpha, 'describetimbre', { PageIndex: 1, PageSize: 100 })).json.Header.Code, 0, 'PageSize 100 is allowed');
      assert.deepEqual((await ivh(h, alpha, 'describetimbre', { PageIndex: 1000000000, PageSize: 100 })).json.Payload.TimbreAssets, []);
    });
    test('100005 unauthorized: missing, unknown, expired, bad signature, disabled', async () => {
      const now = Math.floor(h.clock.ms / 1000);
      const q = (extra: Record<string, string | undefined>) => ivhQuery(alpha, h.clock.ms, {}, extra);
      const P = { PageIndex: 1, PageSize: 1 };
      await expectHeader(ivh(h, alpha, 'describetimbre', P, { query: q({ appkey: undefined }) }), 200, 100005, 'UnauthorizedOperation: appkey is missing');
      await expectHeader(
        ivh(h, alpha, 'describetimbre', P, { query: q({ timestamp: undefined }) }),
        200,
        100005,
        'UnauthorizedOperation: timestamp is missing',
      );
      await expectHeader(
        ivh(h, alpha, 'describetimbre', P, { query: q({ timestamp: 'soon' }) }),
        200,
        100005,
        'UnauthorizedOperation: timestamp must be integer seconds',
      );
      await expectHeader(
        ivh(h, alpha, 'describetimbre', P, { query: q({ signature: undefined }) }),
        200,
        100005,
        'UnauthorizedOperation: signature is missing',
      );
      await expectHeader(ivh(h, alpha, 'describetimbre', P, { query: q({ appkey: 'nobody' }) }), 200, 100005, 'UnauthorizedOperation: appkey not found');
      await expectHeader(
        ivh(h, alpha, 'describetimbre', P, { query: q({ signature: 'AAAA' }) }),
        200,
        100005,
        'UnauthorizedOperation: signature verification failed',
      );
      for (const ts of [now - 301, now + 301]) {
        await expectHeader(
          ivh(h, alpha, 'describetimbre', P, { query: ivhQuery(alpha, ts * 1000) }),
          200,
          100005,
          'UnauthorizedOperation: timestamp is more than 300 s from server time',
        );
      }
      const off = await h.services.apps.create({ name: 'ivh-disabled' });
      await h.services.apps.setStatus('ivh-disabled', 'disabled');
      await expectHeader(ivh(h, off, 'describetimbre', P), 200, 100005, 'UnauthorizedOperation: this app is disabled');
    });
    test('100012 request too frequent', async () => {
      const slow = await h.services.apps.create({ name: 'ivh-slow', rateLimit: 1 });
      const P = { PageIndex: 1, PageSize: 1 };
      assert.equal((await ivh(h, slow, 'describetimbre', P)).json.Header.Code, 0);
      await expectHeader(ivh(h, slow, 'describetimbre', P), 200, 100012, 'RequestLimitExceeded: rate limit exceeded: at most 1 requests per second');
    });
    test("110006 record does not exist (missing, malformed, another app's)", async () => {
      for (const key of ['00000000000040008000000000000000', 'female_1', BETA_KEY]) {
        await expectHeader(ivh(h, alpha, 'getimagetimbre', { VirtualmanKey: key }), 200, 110006, 'ResourceNotFound: VirtualmanKey not found');
      }
    });
    test('405 for GET on a served path', async () => {
      const r = await h.inject({ method: 'GET', url: `${IVH_PATH}describetimbre?${ivhQuery(alpha, h.clock.ms)}` });
      assert.equal(r.statusCode, 405);
      assert.equal(r.json().Header.Code, 100001);
    });
  });

  describe('security, per path', () => {
    for (const path of PATHS) {
      const payload = path === 'getimagetimbre' ? { VirtualmanKey: PUBLIC_KEY } : { PageIndex: 1, PageSize: 5 };
      test(`${path}: no signature, wrong signature, stale, future, unknown app, another app's token`, async () => {
        const now = h.clock.ms;
        assert.equal((await ivh(h, alpha, path, payload)).json.Header.Code, 0);
        assert.equal((await ivh(h, alpha, path, payload, { query: ivhQuery(alpha, now, {}, { signature: undefined }) })).json.Header.Code, 100005);
        assert.equal((await ivh(h, alpha, path, payload, { query: ivhQuery(alpha, now, {}, { signature: 'x' + 'A'.repeat(43) }) })).json.Header.Code, 100005);
        assert.equal((await ivh(h, alpha, path, payload, { query: ivhQuery(alpha, now - 3_600_000) })).json.Header.Code, 100005);
        assert.equal((await ivh(h, alpha, path, payload, { query: ivhQuery(alpha, now + 3_600_000) })).json.Header.Code, 100005);
        assert.equal((await ivh(h, alpha, path, payload, { query: ivhQuery({ ...alpha, ivhAppKey: 'ghost' }, now) })).json.Header.Code, 100005);
        const forged = ivhQuery({ ...alpha, ivhAccessToken: beta.ivhAccessToken }, now);
        assert.equal((await ivh(h, alpha, path, payload, { query: forged })).json.Header.Code, 100005);
        // a signed parameter changed after signing
        const tampered = ivhQuery(alpha, now, { requestid: 'a' }).replace('requestid=a', 'requestid=b');
        assert.equal((await ivh(h, alpha, path, payload, { query: tampered })).json.Header.Code, 100005);
      });
    }

    test("another app's VirtualmanKey answers exactly as a missing one", async () => {
      const other = await ivh(h, alpha, 'getimagetimbre', { VirtualmanKey: BETA_KEY }, { header: { RequestID: 'same' } });
      const missing = await ivh(h, alpha, 'getimagetimbre', { VirtualmanKey: '44444444444444444444444444444444' }, { header: { RequestID: 'same' } });
      assert.equal(other.raw, missing.raw);
    });
  });
});

test('importRecords is exercised with hex and dashed ids alike', async () => {
  const h = await harness();
  try {
    await h.services.apps.create({ name: 'x' });
    await importRecords(h.services, [{ kind: 'digitalHuman', id: 'ABCDEFABCDEF4ABC8ABCABCDEFABCDEF', name: 'Upper' }]);
    assert.ok(await h.services.repo.digitalHumans.byId('abcdefab-cdef-4abc-8abc-abcdefabcdef', ['']));
  } finally {
    await h.close();
  }
});
