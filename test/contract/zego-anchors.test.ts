/**
 * ZEGO's more catalog actions (zego.md §6): GetDigitalHumanRenderInfo and the four legacy MetaHuman asset
 * actions. Every example exchange as a golden test, every code with its exact body, the security triad per
 * action (no signature, bad signature, another app's ids).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, importRecords, zego, UUID_RE, type Harness } from '../helpers.js';
import type { App } from '../../src/core/types.js';

const QUICK_START_DH = '416dc43c-0d00-40c9-a0ca-efdf234508bf';
const MODEL_1 = '01e6b34d-15ea-4579-86ef-55839709402e';
const MODEL_2 = '286c3d62-848c-4fbd-b3bd-9108bfa7333c';
const LOOK_1 = '875a9aa9-2327-41a5-8ff6-607ee1651f24';
const LOOK_2 = '2e2301b0-bd93-4c9d-b140-def8af821bd3';
const OTHER_MODEL = '7c1e2d3f-4a5b-4c6d-9e8f-0a1b2c3d4e5f';
const OTHER_LOOK = '8d2f3e4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a';
const LEGACY = ['DescribeMetaHumanModel', 'DescribeMetaHumanModelDetail', 'DescribeTimbreByMetaHuman', 'DescribeMetaHuman'] as const;

function withoutRequestId(json: any) {
  assert.match(json.RequestId, UUID_RE);
  const { RequestId, ...rest } = json;
  void RequestId;
  return rest;
}

async function seed(h: Harness): Promise<{ example: App; other: App }> {
  const example = await h.services.apps.create({ name: 'example', zegoAppId: 12345, zegoServerSecret: '9193cc662a4c0ec135ec71fb57194b38', rateLimit: 100000 });
  const other = await h.services.apps.create({ name: 'other', rateLimit: 100000 });
  await importRecords(h.services, [
    {
      kind: 'anchor',
      id: MODEL_1,
      code: 'jiyuan',
      name: '即源-1',
      gender: 'male',
      avatarType: 'real_man_2d',
      headerImage: 'https://assets.example.com/f/m1.jpeg',
      sortOrder: 1,
    },
    {
      kind: 'anchor',
      id: MODEL_2,
      code: 'meili',
      name: '美丽',
      gender: 'female',
      avatarType: 'real_man_2d',
      headerImage: 'https://assets.example.com/f/m2.png',
      sortOrder: 2,
    },
    { kind: 'anchor', id: OTHER_MODEL, owner: 'other', code: 'hidden', name: 'Hidden', avatarType: 'real_man_2d' },
    {
      kind: 'digitalHuman',
      id: LOOK_1,
      name: 'Name1',
      anchorCode: 'meili',
      headerImage: 'https://assets.example.com/f/l1.png',
      actions: [
        { code: 'action_hello', previewVideo: 'https://assets.example.com/f/hello.mp4' },
        { code: 'action_sit', previewVideo: 'https://assets.example.com/f/sit.mp4' },
      ],
      sortOrder: 1,
    },
    {
      kind: 'digitalHuman',
      id: LOOK_2,
      name: 'Name2',
      anchorCode: 'meili',
      headerImage: 'https://assets.example.com/f/l2.jpg',
      coverImage: 'https://assets.example.com/f/c2.jpg',
      sortOrder: 2,
    },
    {
      kind: 'digitalHuman',
      id: QUICK_START_DH,
      name: 'Quick-start presenter',
      renderPackage: 'https://assets.example.com/f/9d2e.zip',
      smallImageMode: true,
      frameFillPackage: 'https://assets.example.com/f/ff.zip',
      sortOrder: 3,
    },
    {
      kind: 'digitalHuman',
      id: OTHER_LOOK,
      owner: 'other',
      name: 'Hidden look',
      anchorCode: 'hidden',
      renderPackage: 'https://o.example/p.zip',
      frameFillPackage: 'https://o.example/f.zip',
    },
    { kind: 'timbre', id: '0b586a13-37d5-42d6-a68e-e094335fca0d', key: 'aishu', name: '艾树', image: 'https://assets.example.com/f/t1.png', sortOrder: 1 },
    { kind: 'timbre', id: '14fac766-56df-4aea-935a-41e6b3abd67c', key: 'shuzi', name: '数字声音', image: 'https://assets.example.com/f/t2.jpeg', sortOrder: 2 },
    { kind: 'timbre', key: 'unbound', name: 'Unbound', sortOrder: 3 },
    { kind: 'timbre', owner: 'other', key: 'other_voice', name: 'Other voice' },
    { kind: 'binding', digitalHuman: LOOK_1, timbre: 'aishu', sortOrder: 1 },
    { kind: 'binding', digitalHuman: LOOK_1, timbre: 'shuzi', sortOrder: 2 },
    { kind: 'binding', owner: 'other', digitalHuman: LOOK_1, timbre: 'other_voice' },
  ]);
  return { example, other };
}

describe('ZEGO §6 examples (golden)', () => {
  let h: Harness;
  before(async () => {
    h = await harness({}, 1615186943 * 1000);
    await seed(h);
  });
  after(() => h.close());

  const signed = '&AppId=12345&SignatureNonce=4fd24687296dd9f3&Timestamp=1615186943&Signature=43e5cfcca828314675f91b001390566a&SignatureVersion=2.0';
  const call = async (action: string, payload: string) => {
    const res = await h.inject({ method: 'POST', url: `/?Action=${action}${signed}`, headers: { 'content-type': 'application/json' }, payload });
    assert.equal(res.statusCode, 200);
    const json = res.json();
    assert.deepEqual(Object.keys(json), ['Code', 'Message', 'RequestId', 'Data']);
    return withoutRequestId(json);
  };

  test("§6.1 GetDigitalHumanRenderInfo (the quick-start server's DigitalHumanId)", async () => {
    assert.deepEqual(await call('GetDigitalHumanRenderInfo', `{"DigitalHumanId":"${QUICK_START_DH}"}`), {
      Code: 0,
      Message: 'success',
      Data: { ClientInferencePackageUrl: 'https://assets.example.com/f/9d2e.zip', IsSupportSmallImageMode: true },
    });
  });

  test('§6.2 DescribeMetaHumanModel', async () => {
    assert.deepEqual(await call('DescribeMetaHumanModel', '{}'), {
      Code: 0,
      Message: 'succeed',
      Data: {
        MetaHumanModels: [
          { MetaHumanModelId: MODEL_1, MetaHumanModelName: '即源-1', Gender: 1, Visibility: 1, AvatarUrl: 'https://assets.example.com/f/m1.jpeg' },
          { MetaHumanModelId: MODEL_2, MetaHumanModelName: '美丽', Gender: 2, Visibility: 1, AvatarUrl: 'https://assets.example.com/f/m2.png' },
        ],
      },
    });
  });

  test('§6.2 DescribeMetaHumanModelDetail: MicroCoverUrl and ActionPreview omitted when none', async () => {
    assert.deepEqual(await call('DescribeMetaHumanModelDetail', `{"MetaHumanModelId":"${MODEL_2}"}`), {
      Code: 0,
      Message: 'succeed',
      Data: {
        MetaHumans: [
          {
            MetaHumanId: LOOK_1,
            MetaHumanName: 'Name1',
            Visibility: 1,
            AvatarUrl: 'https://assets.example.com/f/l1.png',
            ActionPreview: [
              { ActionName: 'action_hello', ActionUrl: 'https://assets.example.com/f/hello.mp4' },
              { ActionName: 'action_sit', ActionUrl: 'https://assets.example.com/f/sit.mp4' },
            ],
          },
          {
            MetaHumanId: LOOK_2,
            MetaHumanName: 'Name2',
            Visibility: 1,
            AvatarUrl: 'https://assets.example.com/f/l2.jpg',
            MicroCoverUrl: 'https://assets.example.com/f/c2.jpg',
          },
        ],
      },
    });
  });

  test('§6.2 DescribeTimbreByMetaHuman', async () => {
    assert.deepEqual(await call('DescribeTimbreByMetaHuman', `{"MetaHumanId":"${LOOK_1}"}`), {
      Code: 0,
      Message: 'succeed',
      Data: {
        Timbres: [
          { TimbreId: '0b586a13-37d5-42d6-a68e-e094335fca0d', TimbreName: '艾树', AvatarUrl: 'https://assets.example.com/f/t1.png' },
          { TimbreId: '14fac766-56df-4aea-935a-41e6b3abd67c', TimbreName: '数字声音', AvatarUrl: 'https://assets.example.com/f/t2.jpeg' },
        ],
      },
    });
  });

  test('§6.2 DescribeMetaHuman: no frame-fill package is ""', async () => {
    assert.deepEqual(await call('DescribeMetaHuman', `{"MetaHumanId":"${LOOK_1}"}`), { Code: 0, Message: 'succeed', Data: { FrameFillUrl: '' } });
    assert.deepEqual(await call('DescribeMetaHuman', `{"MetaHumanId":"${QUICK_START_DH}"}`), {
      Code: 0,
      Message: 'succeed',
      Data: { FrameFillUrl: 'https://assets.example.com/f/ff.zip' },
    });
  });
});

describe('ZEGO §6 rules, codes and security', () => {
  let h: Harness;
  let example: App;
  let other: App;
  before(async () => {
    h = await harness();
    ({ example, other } = await seed(h));
  });
  after(() => h.close());

  const expectCode = async (p: Promise<{ status: number; json: any }>, Code: number, Message: string) => {
    const r = await p;
    assert.equal(r.status, 200);
    assert.deepEqual(withoutRequestId(r.json), { Code, Message });
  };

  test('GetDigitalHumanRenderInfo: no package is "" and false; small-image mode needs a package', async () => {
    const none = await zego(h, example, 'GetDigitalHumanRenderInfo', { DigitalHumanId: LOOK_1 });
    assert.deepEqual(none.json.Data, { ClientInferencePackageUrl: '', IsSupportSmallImageMode: false });
    await h.services.repo.digitalHumans.change(LOOK_2, undefined, (d) => ({ ...d, smallImageMode: true, updatedAt: h.clock.ms }));
    const flagOnly = await zego(h, example, 'GetDigitalHumanRenderInfo', { DigitalHumanId: LOOK_2 });
    assert.deepEqual(flagOnly.json.Data, { ClientInferencePackageUrl: '', IsSupportSmallImageMode: false });
  });

  test('400000001: required ids absent, null, "" or of the wrong type', async () => {
    for (const v of [undefined, null, '']) {
      await expectCode(zego(h, example, 'GetDigitalHumanRenderInfo', { DigitalHumanId: v }), 400000001, 'invalid parameter: DigitalHumanId is required');
      await expectCode(zego(h, example, 'DescribeMetaHumanModelDetail', { MetaHumanModelId: v }), 400000001, 'invalid parameter: MetaHumanModelId is required');
      await expectCode(zego(h, example, 'DescribeMetaHuman', { MetaHumanId: v }), 400000001, 'invalid parameter: MetaHumanId is required');
    }
    await expectCode(zego(h, example, 'GetDigitalHumanRenderInfo', { DigitalHumanId: 7 }), 400000001, 'invalid parameter: DigitalHumanId must be a string');
    await expectCode(
      zego(h, example, 'DescribeMetaHumanModelDetail', { MetaHumanModelId: [MODEL_2] }),
      400000001,
      'invalid parameter: MetaHumanModelId must be a string',
    );
    await expectCode(zego(h, example, 'DescribeTimbreByMetaHuman', { MetaHumanId: {} }), 400000001, 'invalid parameter: MetaHumanId must be a string');
    await expectCode(zego(h, example, 'DescribeMetaHuman', { MetaHumanId: true }), 400000001, 'invalid parameter: MetaHumanId must be a string');
  });

  test("400000003: unknown, malformed, retired (model) or another app's ids, each action", async () => {
    for (const id of [OTHER_LOOK, 'ffffffff-ffff-4fff-8fff-ffffffffffff', 'nope']) {
      await expectCode(zego(h, example, 'GetDigitalHumanRenderInfo', { DigitalHumanId: id }), 400000003, 'digital human not found');
      await expectCode(zego(h, example, 'DescribeTimbreByMetaHuman', { MetaHumanId: id }), 400000003, 'digital human not found');
      await expectCode(zego(h, example, 'DescribeMetaHuman', { MetaHumanId: id }), 400000003, 'digital human not found');
    }
    for (const id of [OTHER_MODEL, 'ffffffff-ffff-4fff-8fff-ffffffffffff', 'nope', LOOK_1]) {
      await expectCode(zego(h, example, 'DescribeMetaHumanModelDetail', { MetaHumanModelId: id }), 400000003, 'digital human model not found');
    }
    await h.services.repo.anchors.change(MODEL_1, undefined, (a) => ({ ...a, status: 'retired', updatedAt: h.clock.ms }));
    try {
      await expectCode(zego(h, example, 'DescribeMetaHumanModelDetail', { MetaHumanModelId: MODEL_1 }), 400000003, 'digital human model not found');
      const models = await zego(h, example, 'DescribeMetaHumanModel', {});
      assert.deepEqual(
        models.json.Data.MetaHumanModels.map((m: any) => m.MetaHumanModelId),
        [MODEL_2],
      );
    } finally {
      await h.services.repo.anchors.change(MODEL_1, undefined, (a) => ({ ...a, status: 'active', updatedAt: h.clock.ms }));
    }
  });

  test('security triad, each action: no signature (100000009), a bad one (100000005); the owner sees what others cannot', async () => {
    const bodies: Record<string, object> = {
      GetDigitalHumanRenderInfo: { DigitalHumanId: QUICK_START_DH },
      DescribeMetaHumanModel: {},
      DescribeMetaHumanModelDetail: { MetaHumanModelId: MODEL_2 },
      DescribeTimbreByMetaHuman: {},
      DescribeMetaHuman: { MetaHumanId: LOOK_1 },
    };
    for (const [action, body] of Object.entries(bodies)) {
      await expectCode(zego(h, example, action, body, { Signature: undefined }), 100000009, 'Signature is empty');
      await expectCode(zego(h, example, action, body, { Signature: '0'.repeat(32) }), 100000005, 'signature error');
    }
    const models = await zego(h, example, 'DescribeMetaHumanModel', {});
    assert.ok(!models.json.Data.MetaHumanModels.some((m: any) => m.MetaHumanModelId === OTHER_MODEL));
    const own = await zego(h, other, 'DescribeMetaHumanModel', {});
    assert.deepEqual(
      own.json.Data.MetaHumanModels.find((m: any) => m.MetaHumanModelId === OTHER_MODEL),
      {
        MetaHumanModelId: OTHER_MODEL,
        MetaHumanModelName: 'Hidden',
        Gender: 0,
        Visibility: 2,
        AvatarUrl: '',
      },
    );
    const detail = await zego(h, other, 'DescribeMetaHumanModelDetail', { MetaHumanModelId: OTHER_MODEL });
    assert.deepEqual(detail.json.Data.MetaHumans, [{ MetaHumanId: OTHER_LOOK, MetaHumanName: 'Hidden look', Visibility: 2, AvatarUrl: '' }]);
    const frame = await zego(h, other, 'DescribeMetaHuman', { MetaHumanId: OTHER_LOOK });
    assert.deepEqual(frame.json.Data, { FrameFillUrl: 'https://o.example/f.zip' });
  });

  test("DescribeTimbreByMetaHuman: no look = every public timbre; a look = its public bindings and the caller's own", async () => {
    const all = await zego(h, example, 'DescribeTimbreByMetaHuman', '');
    assert.equal(all.json.Code, 0);
    assert.deepEqual(
      all.json.Data.Timbres.map((t: any) => t.TimbreName),
      ['艾树', '数字声音', 'Unbound'],
    );
    assert.equal(all.json.Data.Timbres[2].AvatarUrl, '');
    const mine = await zego(h, other, 'DescribeTimbreByMetaHuman', { MetaHumanId: LOOK_1 });
    assert.deepEqual(mine.json.Data.Timbres.map((t: any) => t.TimbreName).sort(), ['Other voice', '数字声音', '艾树'].sort());
    const theirs = await zego(h, example, 'DescribeTimbreByMetaHuman', { MetaHumanId: LOOK_1, Ignored: 1 });
    assert.ok(!theirs.json.Data.Timbres.some((t: any) => t.TimbreName === 'Other voice'));
  });

  test('DescribeMetaHumanModel takes no parameters: an absent body, {} and other keys answer alike', async () => {
    const a = await zego(h, example, 'DescribeMetaHumanModel', '');
    const b = await zego(h, example, 'DescribeMetaHumanModel', { Offset: 'x', Anything: [1] });
    assert.equal(a.json.Code, 0);
    assert.deepEqual(a.json.Data, b.json.Data);
  });

  test('the legacy video and streaming actions answer 100000007 (unsupported), never a fake success', async () => {
    for (const action of ['CreateMetaHumanVideo', 'DriveMetaHumanLive', 'DescribeMetaHumanVideo']) {
      await expectCode(zego(h, example, action, {}), 100000007, `unsupported Action: "${action}"`);
    }
    for (const action of LEGACY)
      assert.equal(
        (
          await zego(
            h,
            example,
            action,
            action === 'DescribeMetaHumanModel' || action === 'DescribeTimbreByMetaHuman' ? {} : { MetaHumanId: LOOK_1, MetaHumanModelId: MODEL_2 },
          )
        ).json.Message,
        'succeed',
      );
  });
});
