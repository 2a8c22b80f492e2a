/**
 * IVH anchor paths (tencent-ivh.md §7): every example exchange as a golden test, every documented code with
 * its exact body, the security triad per path (no signature, bad signature, another app's ids), and the
 * rules of §7.1 (type names, PurchaseType, paging, aliases, retired anchors).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, importRecords, ivh, ivhQuery, type Harness } from '../helpers.js';
import type { App } from '../../src/core/types.js';

const BROADCAST = '/v2/ivh/videomaker/broadcastservice/';
const XIAOWEI_LOOK = '8af9c7a960ab44c9bfe8a48deae6a250';
const YUNXUAN_LOOK = '2803ca3b5ec64260a2c11e396eaac519';
const OTHER_LOOK = '4b1d2c3e4f5a4b6c8d7e9f0a1b2c3d4e';
const IMG = 'https://assets.example.com/f/3b1c.png';
const CUSTOMER_PATHS = ['getanchor', 'getimagebyanchor', 'getaction', 'getserviceasset'] as const;
const BROADCAST_PATHS = ['gettimbre', 'getanchor', 'getresourcebyanchor', 'getaction'] as const;

/** The header of an answer, without its RequestID (checked to be there). */
function headerOf(json: any) {
  assert.match(json.Header.RequestID, /^.+$/);
  const { RequestID, ...rest } = json.Header;
  void RequestID;
  return rest;
}

/** A call to a deprecated broadcastservice path, signed like any IVH call. */
async function broadcast(h: Harness, app: App, op: string, payload: unknown, query?: string) {
  const res = await h.inject({
    method: 'POST',
    url: `${BROADCAST}${op}?${query ?? ivhQuery(app, h.clock.ms)}`,
    headers: { 'content-type': 'application/json;charset=utf-8' },
    payload: JSON.stringify({ Header: {}, Payload: payload }),
  });
  return { status: res.statusCode, json: res.json() as any };
}

/** The catalog of §7's examples: the example app's presenter 小微 (3D), the public 云萱 (2D), and another app's. */
async function seed(h: Harness): Promise<{ example: App; other: App }> {
  const example = await h.services.apps.create({ name: 'example', ivhAppKey: 'example_appkey', ivhAccessToken: 'example_accesstoken_0001', rateLimit: 100000 });
  const other = await h.services.apps.create({ name: 'other', rateLimit: 100000 });
  await importRecords(h.services, [
    { kind: 'anchor', owner: 'example', code: 'xiaowei', name: '小微', gender: 'female', tag: 'Basic', avatarType: 'real_man_3d', headerImage: IMG },
    {
      kind: 'anchor',
      code: 'yunxuan',
      name: '云萱',
      gender: 'female',
      tag: 'Standard',
      avatarType: 'real_man_2d',
      headerImage: 'https://assets.example.com/f/yx.png',
      sortOrder: 1,
    },
    { kind: 'anchor', owner: 'other', code: 'secret', name: 'Secret', avatarType: 'real_man_3d' },
    {
      kind: 'digitalHuman',
      id: XIAOWEI_LOOK,
      owner: 'example',
      name: '小微 职业装',
      anchorCode: 'xiaowei',
      clothesName: '职业装',
      poseName: '站姿',
      resolution: '1920x1080',
      avatarType: 'real_man_3d',
      headerImage: 'https://assets.example.com/f/h.png',
      poseImage: 'https://assets.example.com/f/p.png',
      clothesImage: 'https://assets.example.com/f/c.png',
      driverTypes: ['Text', 'OriginalVoice'],
      originZoom: 1,
      actions: [
        { code: '2hands_forward1', name: '双手指向前方1', previewVideo: 'https://assets.example.com/f/a1.mp4' },
        { code: 'admission', name: '入场', previewVideo: 'https://assets.example.com/f/a2.mp4' },
      ],
    },
    {
      kind: 'digitalHuman',
      id: YUNXUAN_LOOK,
      name: '云萱 坐姿',
      anchorCode: 'yunxuan',
      clothesName: '职业装',
      poseName: '坐姿',
      resolution: '1920x1080',
      avatarType: 'real_man_2d',
      headerImage: 'https://assets.example.com/f/yh.png',
      poseImage: 'https://assets.example.com/f/yp.png',
      clothesImage: 'https://assets.example.com/f/yc.png',
      driverTypes: ['Text', 'OriginalVoice'],
      originZoom: 1,
    },
    {
      kind: 'digitalHuman',
      id: OTHER_LOOK,
      owner: 'other',
      name: 'Secret look',
      anchorCode: 'secret',
      avatarType: 'real_man_3d',
      actions: [{ code: 'secret_move', name: 'Secret' }],
    },
    { kind: 'timbre', key: 'female_1', name: 'female voice 1', sample: 'https://assets.example.com/f/v.mp3' },
    { kind: 'binding', digitalHuman: YUNXUAN_LOOK, timbre: 'female_1' },
  ]);
  return { example, other };
}

describe('IVH anchor paths: the examples of tencent-ivh.md §7', () => {
  let h: Harness;
  let example: App;
  before(async () => {
    h = await harness();
    ({ example } = await seed(h));
  });
  after(() => h.close());

  const ok = (json: any) => assert.deepEqual(headerOf(json), { Code: 0, Message: 'ok', SessionID: '', DialogID: '' });

  test('§7.2 getanchor (1240/99704 example)', async () => {
    const { status, json } = await ivh(h, example, 'getanchor', { VirtualmanTypeCode: 'real_man_3d', AnchorCodes: [], PageIndex: 1, PageSize: 10 });
    assert.equal(status, 200);
    ok(json);
    assert.deepEqual(json.Payload, {
      Virtualmans: [
        {
          AnchorName: '小微',
          AnchorCode: 'xiaowei',
          VirtualmanType: '3D写实',
          VirtualmanTypeCode: 'real_man_3d',
          PurchaseType: 'Custom',
          HeaderImage: IMG,
          Tag: 'Basic',
          Gender: 2,
        },
      ],
      Total: 1,
    });
  });

  test('§7.3 getimagebyanchor (the spec example)', async () => {
    const { json } = await ivh(h, example, 'getimagebyanchor', { VirtualmanTypeCode: 'real_man_3d', AnchorCodes: ['xiaowei'], PageIndex: 1, PageSize: 20 });
    ok(json);
    assert.deepEqual(json.Payload, {
      Virtualmans: [
        {
          AnchorName: '小微',
          AnchorCode: 'xiaowei',
          VirtualmanType: '3D写实',
          VirtualmanTypeCode: 'real_man_3d',
          VirtualmanKey: XIAOWEI_LOOK,
          ClothesName: '职业装',
          PoseName: '站姿',
          Resolution: '1920x1080',
          HeaderImage: 'https://assets.example.com/f/h.png',
          PoseImage: 'https://assets.example.com/f/p.png',
          ClothesImage: 'https://assets.example.com/f/c.png',
          SupportDriverTypes: ['Text', 'OriginalVoice'],
          SupportAnchorExtraParams: [],
          VideoDuration: 0,
          VideoNum: 0,
          ExpireDate: '',
          OriginZoom: '1.000',
          ReferenceVideoSegmentUrl: '',
        },
      ],
      Total: 1,
    });
    // The field order is the spec table's.
    assert.deepEqual(Object.keys(json.Payload.Virtualmans[0]).slice(0, 5), [
      'AnchorName',
      'AnchorCode',
      'VirtualmanType',
      'VirtualmanTypeCode',
      'VirtualmanKey',
    ]);
  });

  test('§7.4 getaction (1240/99706 example)', async () => {
    const { json } = await ivh(h, example, 'getaction', { VirtualmanKey: XIAOWEI_LOOK });
    ok(json);
    assert.deepEqual(json.Payload, {
      Actions: [
        { ActionName: '双手指向前方1', ActionCode: '2hands_forward1', ActionSample: 'https://assets.example.com/f/a1.mp4' },
        { ActionName: '入场', ActionCode: 'admission', ActionSample: 'https://assets.example.com/f/a2.mp4' },
      ],
    });
  });

  test('§7.5 getserviceasset: no service assets here, answered truthfully', async () => {
    const { json } = await ivh(h, example, 'getserviceasset', { ServiceType: 'BroadcastHour', PageIndex: 1, PageSize: 10 });
    ok(json);
    assert.deepEqual(json.Payload, { ServiceAssetInfos: [], Total: 0 });
  });

  test('§7.6 gettimbre (deprecated alias of getimagetimbre)', async () => {
    const { json } = await broadcast(h, example, 'gettimbre', { VirtualmanKey: YUNXUAN_LOOK });
    ok(json);
    assert.deepEqual(json.Payload, {
      Timbres: [{ TimbreKey: 'female_1', TimbreName: 'female voice 1', TimbreSample: 'https://assets.example.com/f/v.mp3', TimbreDesc: '' }],
    });
  });

  test("§7.6 getanchor (deprecated): one VirtualmanResources element for the caller's appkey", async () => {
    const { json } = await broadcast(h, example, 'getanchor', { GetAllResource: true, VirtualmanTypeCode: 'real_man_2d' });
    ok(json);
    assert.deepEqual(json.Payload, {
      VirtualmanResources: [
        {
          AppKey: 'example_appkey',
          Virtualmans: [
            {
              AnchorName: '云萱',
              AnchorCode: 'yunxuan',
              HeaderImage: 'https://assets.example.com/f/yx.png',
              VirtualmanType: '2D精品',
              VirtualmanTypeCode: 'real_man_2d',
              Tag: 'Standard',
            },
          ],
        },
      ],
    });
    // No type code: every type; GetAllResource false or absent: the same view.
    for (const payload of [{}, { GetAllResource: false }]) {
      const all = await broadcast(h, example, 'getanchor', payload);
      assert.deepEqual(
        all.json.Payload.VirtualmanResources[0].Virtualmans.map((v: any) => v.AnchorCode),
        ['xiaowei', 'yunxuan'],
      );
    }
  });

  test('§7.6 getresourcebyanchor (deprecated)', async () => {
    const { json } = await broadcast(h, example, 'getresourcebyanchor', { GetAllResource: true, AnchorCode: 'yunxuan' });
    ok(json);
    assert.deepEqual(json.Payload, {
      VirtualmanResources: [
        {
          AppKey: 'example_appkey',
          Virtualmans: [
            {
              VirtualmanKey: YUNXUAN_LOOK,
              Name: '云萱',
              Code: 'yunxuan',
              ClothesName: '职业装',
              PoseName: '坐姿',
              Resolution: '1920x1080',
              HeaderImage: 'https://assets.example.com/f/yh.png',
              PoseImage: 'https://assets.example.com/f/yp.png',
              ClothesImage: 'https://assets.example.com/f/yc.png',
              SupportDriverTypes: ['Text', 'OriginalVoice'],
              SupportAnchorExtraParams: [],
              OriginZoom: '1.000',
            },
          ],
        },
      ],
    });
    const unknown = await broadcast(h, example, 'getresourcebyanchor', { AnchorCode: 'nobody' });
    assert.deepEqual(unknown.json.Payload, { VirtualmanResources: [{ AppKey: 'example_appkey', Virtualmans: [] }] });
  });

  test('§7.6 getaction (deprecated): a look without actions answers []', async () => {
    const { json } = await broadcast(h, example, 'getaction', { VirtualmanKey: YUNXUAN_LOOK });
    ok(json);
    assert.deepEqual(json.Payload, { Actions: [] });
  });
});

describe('IVH anchor paths: rules, codes and security', () => {
  let h: Harness;
  let example: App;
  let other: App;
  before(async () => {
    h = await harness();
    ({ example, other } = await seed(h));
  });
  after(() => h.close());

  const fails = async (r: Promise<{ status: number; json: any }>, Code: number, Message: string) => {
    const { status, json } = await r;
    assert.equal(status, 200);
    assert.deepEqual(headerOf(json), { Code, Message, SessionID: '', DialogID: '' });
    assert.equal(json.Payload, undefined, 'failures carry no Payload');
  };

  test('100001: a required field absent, null or "", and each wrong JSON type', async () => {
    for (const v of [undefined, null, '']) {
      await fails(
        ivh(h, example, 'getanchor', { VirtualmanTypeCode: v, PageIndex: 1, PageSize: 10 }),
        100001,
        'InvalidParameter: VirtualmanTypeCode is required',
      );
      await fails(
        ivh(h, example, 'getimagebyanchor', { VirtualmanTypeCode: v, PageIndex: 1, PageSize: 10 }),
        100001,
        'InvalidParameter: VirtualmanTypeCode is required',
      );
      await fails(ivh(h, example, 'getaction', { VirtualmanKey: v }), 100001, 'InvalidParameter: VirtualmanKey is required');
      await fails(broadcast(h, example, 'gettimbre', { VirtualmanKey: v }), 100001, 'InvalidParameter: VirtualmanKey is required');
      await fails(broadcast(h, example, 'getresourcebyanchor', { AnchorCode: v }), 100001, 'InvalidParameter: AnchorCode is required');
    }
    await fails(ivh(h, example, 'getanchor', { VirtualmanTypeCode: 'real_man_3d', PageSize: 10 }), 100001, 'InvalidParameter: PageIndex is required');
    await fails(ivh(h, example, 'getserviceasset', { PageIndex: 1 }), 100001, 'InvalidParameter: PageSize is required');
    await fails(
      ivh(h, example, 'getanchor', { VirtualmanTypeCode: true, PageIndex: 1, PageSize: 10 }),
      100001,
      'InvalidParameter: VirtualmanTypeCode must be a string',
    );
    await fails(
      ivh(h, example, 'getanchor', { VirtualmanTypeCode: 'real_man_3d', AnchorCodes: 'xiaowei', PageIndex: 1, PageSize: 10 }),
      100001,
      'InvalidParameter: AnchorCodes must be an array of strings',
    );
    await fails(
      ivh(h, example, 'getimagebyanchor', { VirtualmanTypeCode: 'real_man_3d', PageIndex: '1', PageSize: 10 }),
      100001,
      'InvalidParameter: PageIndex must be an integer',
    );
    await fails(ivh(h, example, 'getaction', { VirtualmanKey: ['x'] }), 100001, 'InvalidParameter: VirtualmanKey must be a string');
    await fails(ivh(h, example, 'getserviceasset', { ServiceType: {}, PageIndex: 1, PageSize: 10 }), 100001, 'InvalidParameter: ServiceType must be a string');
    await fails(broadcast(h, example, 'getanchor', { GetAllResource: 'yes' }), 100001, 'InvalidParameter: GetAllResource must be a boolean');
  });

  test('100002: PageIndex / PageSize out of range, PurchaseType not Lease or Custom', async () => {
    for (const path of ['getanchor', 'getimagebyanchor', 'getserviceasset']) {
      const base = { VirtualmanTypeCode: 'real_man_3d' };
      await fails(ivh(h, example, path, { ...base, PageIndex: 1, PageSize: 101 }), 100002, 'InvalidParameterValue: PageSize must be in [1, 100]');
      await fails(ivh(h, example, path, { ...base, PageIndex: 0, PageSize: 10 }), 100002, 'InvalidParameterValue: PageIndex must be in [1, 1000000000]');
    }
    for (const path of ['getanchor', 'getimagebyanchor']) {
      await fails(
        ivh(h, example, path, { VirtualmanTypeCode: 'real_man_3d', PurchaseType: 'Own', PageIndex: 1, PageSize: 10 }),
        100002,
        'InvalidParameterValue: PurchaseType must be Lease or Custom',
      );
    }
  });

  test("110006 on the gettimbre alias for an unknown or another app's VirtualmanKey; getaction answers [] instead", async () => {
    for (const key of [OTHER_LOOK, 'ffffffffffff4fff8fffffffffffffff', 'not-a-key']) {
      await fails(broadcast(h, example, 'gettimbre', { VirtualmanKey: key }), 110006, 'ResourceNotFound: VirtualmanKey not found');
      for (const call of [ivh(h, example, 'getaction', { VirtualmanKey: key }), broadcast(h, example, 'getaction', { VirtualmanKey: key })]) {
        const { json } = await call;
        assert.equal(json.Header.Code, 0);
        assert.deepEqual(json.Payload, { Actions: [] });
      }
    }
  });

  test("security triad, every path: no signature and a bad signature are 100005; another app's anchors and looks answer as missing ones", async () => {
    const payloads: Record<string, object> = {
      getanchor: { VirtualmanTypeCode: 'real_man_3d', PageIndex: 1, PageSize: 10 },
      getimagebyanchor: { VirtualmanTypeCode: 'real_man_3d', PageIndex: 1, PageSize: 10 },
      getaction: { VirtualmanKey: XIAOWEI_LOOK },
      getserviceasset: { PageIndex: 1, PageSize: 10 },
      gettimbre: { VirtualmanKey: YUNXUAN_LOOK },
      getresourcebyanchor: { AnchorCode: 'yunxuan' },
    };
    const ts = String(Math.floor(h.clock.ms / 1000));
    const calls: [string, (p: object, q?: string) => Promise<{ status: number; json: any }>][] = [
      ...CUSTOMER_PATHS.map((p) => [p, (payload: object, q?: string) => ivh(h, example, p, payload, { query: q })] as [string, any]),
      ...BROADCAST_PATHS.map((p) => [`broadcastservice/${p}`, (payload: object, q?: string) => broadcast(h, example, p, payload, q)] as [string, any]),
    ];
    for (const [name, call] of calls) {
      const payload = payloads[name.replace('broadcastservice/', '')] ?? {};
      await fails(call(payload, `appkey=example_appkey&timestamp=${ts}`), 100005, 'UnauthorizedOperation: signature is missing');
      await fails(
        call(payload, `appkey=example_appkey&timestamp=${ts}&signature=${encodeURIComponent('AAAAbadsignatureAAAAAAAAAAAAAAAAAAAAAAAAAAA=')}`),
        100005,
        'UnauthorizedOperation: signature verification failed',
      );
    }
    // Another app's: its anchor is not listed, its look not found, its actions empty, its code unknown.
    const anchors = await ivh(h, example, 'getanchor', { VirtualmanTypeCode: 'real_man_3d', AnchorCodes: ['secret'], PageIndex: 1, PageSize: 10 });
    assert.deepEqual(anchors.json.Payload, { Virtualmans: [], Total: 0 });
    const looks = await ivh(h, example, 'getimagebyanchor', { VirtualmanTypeCode: 'real_man_3d', VirtualmanKey: OTHER_LOOK, PageIndex: 1, PageSize: 10 });
    assert.deepEqual(looks.json.Payload, { Virtualmans: [], Total: 0 });
    const byCode = await ivh(h, example, 'getimagebyanchor', { VirtualmanTypeCode: 'real_man_3d', AnchorCodes: ['secret'], PageIndex: 1, PageSize: 10 });
    assert.deepEqual(byCode.json.Payload, { Virtualmans: [], Total: 0 });
    const resources = await broadcast(h, example, 'getresourcebyanchor', { AnchorCode: 'secret' });
    assert.deepEqual(resources.json.Payload, { VirtualmanResources: [{ AppKey: 'example_appkey', Virtualmans: [] }] });
    const legacy = await broadcast(h, example, 'getanchor', {});
    assert.ok(!legacy.json.Payload.VirtualmanResources[0].Virtualmans.some((v: any) => v.AnchorCode === 'secret'));
    // …while the owner sees them.
    const own = await ivh(h, other, 'getimagebyanchor', { VirtualmanTypeCode: 'real_man_3d', PageIndex: 1, PageSize: 10 });
    assert.deepEqual(
      own.json.Payload.Virtualmans.map((v: any) => v.VirtualmanKey),
      [OTHER_LOOK],
    );
  });

  test("PurchaseType: Lease lists public entries, Custom the app's own", async () => {
    const codes = async (path: string, type: string, purchase?: string) =>
      (
        await ivh(h, example, path, { VirtualmanTypeCode: type, PageIndex: 1, PageSize: 10, ...(purchase ? { PurchaseType: purchase } : {}) })
      ).json.Payload.Virtualmans.map((v: any) => v.AnchorCode);
    assert.deepEqual(await codes('getanchor', 'real_man_2d', 'Lease'), ['yunxuan']);
    assert.deepEqual(await codes('getanchor', 'real_man_2d', 'Custom'), []);
    assert.deepEqual(await codes('getanchor', 'real_man_3d', 'Custom'), ['xiaowei']);
    assert.deepEqual(await codes('getimagebyanchor', 'real_man_2d', 'Lease'), ['yunxuan']);
    assert.deepEqual(await codes('getimagebyanchor', 'real_man_3d', 'Lease'), []);
    const lease = await ivh(h, example, 'getanchor', { VirtualmanTypeCode: 'real_man_2d', PageIndex: 1, PageSize: 10 });
    assert.equal(lease.json.Payload.Virtualmans[0].PurchaseType, 'Lease');
  });

  test('a type code that matches nothing, or one outside the documented list, is an empty list; a page past the end keeps Total', async () => {
    for (const type of ['small_sample_2d', 'hologram_9d']) {
      for (const path of ['getanchor', 'getimagebyanchor']) {
        const { json } = await ivh(h, example, path, { VirtualmanTypeCode: type, PageIndex: 1, PageSize: 10 });
        assert.equal(json.Header.Code, 0);
        assert.deepEqual(json.Payload, { Virtualmans: [], Total: 0 });
      }
    }
    const past = await ivh(h, example, 'getanchor', { VirtualmanTypeCode: 'real_man_3d', PageIndex: 5, PageSize: 10 });
    assert.deepEqual(past.json.Payload, { Virtualmans: [], Total: 1 });
  });

  test("getimagebyanchor takes the en page's AnchorCode (array or string); AnchorCodes wins when both come", async () => {
    const keys = async (payload: object) =>
      (await ivh(h, example, 'getimagebyanchor', { VirtualmanTypeCode: 'real_man_3d', PageIndex: 1, PageSize: 10, ...payload })).json.Payload.Virtualmans.map(
        (v: any) => v.VirtualmanKey,
      );
    assert.deepEqual(await keys({ AnchorCode: ['xiaowei'] }), [XIAOWEI_LOOK]);
    assert.deepEqual(await keys({ AnchorCode: 'xiaowei' }), [XIAOWEI_LOOK]);
    assert.deepEqual(await keys({ AnchorCode: 'xiaowei', AnchorCodes: ['nobody'] }), []);
    assert.deepEqual(await keys({ VirtualmanKey: XIAOWEI_LOOK }), [XIAOWEI_LOOK]);
    assert.deepEqual(await keys({ VirtualmanKey: 'ffffffffffff4fff8fffffffffffffff' }), []);
  });

  test("describesmallsampleimage names a look's anchor; an action without a name answers its code as ActionName", async () => {
    const { json } = await ivh(h, other, 'describesmallsampleimage', { PageIndex: 1, PageSize: 10, VirtualmanKey: OTHER_LOOK });
    assert.equal(json.Payload.Virtualmans[0].AnchorName, 'Secret');
    await h.services.repo.digitalHumans.change('4b1d2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', undefined, (d) => ({
      ...d,
      actions: [{ code: 'unnamed_move', name: '', previewVideo: null }],
      updatedAt: h.clock.ms,
    }));
    const actions = await ivh(h, other, 'getaction', { VirtualmanKey: OTHER_LOOK });
    assert.deepEqual(actions.json.Payload, { Actions: [{ ActionName: 'unnamed_move', ActionCode: 'unnamed_move', ActionSample: '' }] });
  });

  test('a retired anchor leaves the anchor lists; its looks stay listed with its code and name', async () => {
    const id = (await h.services.repo.anchors.list([example.id], { codes: ['xiaowei'] }, 0, 1)).items[0].id;
    await h.services.repo.anchors.change(id, undefined, (a) => ({ ...a, status: 'retired', updatedAt: h.clock.ms }));
    try {
      const anchors = await ivh(h, example, 'getanchor', { VirtualmanTypeCode: 'real_man_3d', PageIndex: 1, PageSize: 10 });
      assert.deepEqual(anchors.json.Payload, { Virtualmans: [], Total: 0 });
      const looks = await ivh(h, example, 'getimagebyanchor', { VirtualmanTypeCode: 'real_man_3d', PageIndex: 1, PageSize: 10 });
      assert.deepEqual(
        looks.json.Payload.Virtualmans.map((v: any) => [v.AnchorCode, v.AnchorName]),
        [['xiaowei', '小微']],
      );
    } finally {
      await h.services.repo.anchors.change(id, undefined, (a) => ({ ...a, status: 'active', updatedAt: h.clock.ms }));
    }
  });

  test('getimagebyanchor pages walk every look once', async () => {
    await importRecords(
      h.services,
      Array.from({ length: 23 }, (_, i) => ({
        kind: 'digitalHuman',
        name: `Look ${i}`,
        anchorCode: `many_${i % 4}`,
        avatarType: 'half_realistic_3d',
        sortOrder: i % 5,
      })),
    );
    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const { json } = await ivh(h, example, 'getimagebyanchor', { VirtualmanTypeCode: 'half_realistic_3d', PageIndex: page, PageSize: 5 });
      assert.equal(json.Payload.Total, 23);
      seen.push(...json.Payload.Virtualmans.map((v: any) => v.VirtualmanKey));
    }
    assert.equal(seen.length, 23);
    assert.equal(new Set(seen).size, 23);
    // The anchors made for those codes (none was given) carry the first look's type and name.
    const anchors = await ivh(h, example, 'getanchor', { VirtualmanTypeCode: 'half_realistic_3d', PageIndex: 1, PageSize: 10 });
    assert.deepEqual(anchors.json.Payload.Virtualmans.map((v: any) => v.AnchorCode).sort(), ['many_0', 'many_1', 'many_2', 'many_3']);
  });
});

describe('IVH VirtualmanType names in English (TIMBREL_IVH_TYPE_NAMES=en)', () => {
  let h: Harness;
  let example: App;
  before(async () => {
    h = await harness({ TIMBREL_IVH_TYPE_NAMES: 'en' });
    ({ example } = await seed(h));
  });
  after(() => h.close());

  test('getanchor, getimagebyanchor and the deprecated getanchor answer the en names', async () => {
    const a = await ivh(h, example, 'getanchor', { VirtualmanTypeCode: 'real_man_3d', PageIndex: 1, PageSize: 10 });
    assert.equal(a.json.Payload.Virtualmans[0].VirtualmanType, '3D Realistic');
    const l = await ivh(h, example, 'getimagebyanchor', { VirtualmanTypeCode: 'real_man_2d', PageIndex: 1, PageSize: 10 });
    assert.equal(l.json.Payload.Virtualmans[0].VirtualmanType, '2D Premium');
    const d = await broadcast(h, example, 'getanchor', { VirtualmanTypeCode: 'real_man_2d' });
    assert.equal(d.json.Payload.VirtualmanResources[0].Virtualmans[0].VirtualmanType, '2D Premium');
  });
});
