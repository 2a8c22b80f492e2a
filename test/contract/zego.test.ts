/**
 * ZEGO dialect contract (shared/spec/zego.md): golden example, every code in its situation with the exact
 * body, paging edges, and the security cases for each served action.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, importRecords, seedTwoApps, zego, UUID_RE, type Harness } from '../helpers.js';
import type { App } from '../../src/core/types.js';
import { ZEGO_STREAMING_ACTIONS } from '../../src/dialects/zego/actions.js';

const ACTIONS = ['GetTimbreList', 'GetDigitalHumanList', 'GetDigitalHumanInfo'] as const;
const PUBLIC_DH = '11111111-1111-4111-8111-111111111111';
const ALPHA_DH = '22222222-2222-4222-8222-222222222222';
const BETA_DH = '33333333-3333-4333-8333-333333333333';

/** The body without its per-request RequestId, after checking that it is a UUID. */
function withoutRequestId(json: any) {
  assert.match(json.RequestId, UUID_RE);
  const { RequestId, ...rest } = json;
  void RequestId;
  return rest;
}

describe('ZEGO golden example (zego.md §5, seed 003)', () => {
  let h: Harness;
  before(async () => {
    h = await harness({}, 1615186943 * 1000);
    await h.services.apps.create({ name: 'example', zegoAppId: 12345, zegoServerSecret: '9193cc662a4c0ec135ec71fb57194b38' });
    await importRecords(h.services, [
      { kind: 'digitalHuman', id: '42f97c28-1124-4cb2-800a-44d028497027', name: 'Ava' },
      {
        kind: 'timbre',
        id: '0f50d026-aeed-4af9-9b31-ada92084a41a',
        owner: 'example',
        key: 'warm',
        name: 'Warm narrator',
        image: 'https://assets.example.com/t/0f50.png',
      },
      { kind: 'binding', owner: 'example', digitalHuman: '42f97c28-1124-4cb2-800a-44d028497027', timbre: 'warm' },
    ]);
  });
  after(() => h.close());

  test('the documented request gets the documented answer', async () => {
    const res = await h.inject({
      method: 'POST',
      url: '/?Action=GetTimbreList&AppId=12345&SignatureNonce=4fd24687296dd9f3&Timestamp=1615186943&Signature=43e5cfcca828314675f91b001390566a&SignatureVersion=2.0',
      headers: { 'content-type': 'application/json' },
      payload: '{"DigitalHumanId":"42f97c28-1124-4cb2-800a-44d028497027","Offset":0,"Limit":20}',
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^application\/json/);
    const json = res.json();
    assert.deepEqual(Object.keys(json), ['Code', 'Message', 'RequestId', 'Data']);
    assert.deepEqual(withoutRequestId(json), {
      Code: 0,
      Message: 'success',
      Data: {
        Total: 1,
        Timbres: [{ TimbreId: '0f50d026-aeed-4af9-9b31-ada92084a41a', Name: 'Warm narrator', AvatarUrl: 'https://assets.example.com/t/0f50.png' }],
      },
    });
  });

  test('clients that write host?Action= (no slash) reach the same action', async () => {
    const res = await h.inject({
      method: 'POST',
      url: '?Action=GetTimbreList&AppId=12345&SignatureNonce=4fd24687296dd9f3&Timestamp=1615186943&Signature=43e5cfcca828314675f91b001390566a&SignatureVersion=2.0',
      payload: '{}',
    });
    assert.equal(res.json().Code, 0);
  });

  test('parameter order in the query does not matter; RequestIds are unique', async () => {
    const url =
      '/?SignatureVersion=2.0&Signature=43e5cfcca828314675f91b001390566a&Timestamp=1615186943&SignatureNonce=4fd24687296dd9f3&AppId=12345&Action=GetTimbreList';
    const a = (await h.inject({ method: 'POST', url, payload: '' })).json();
    const b = (await h.inject({ method: 'POST', url, payload: '' })).json();
    assert.equal(a.Code, 0);
    assert.notEqual(a.RequestId, b.RequestId);
  });
});

describe('ZEGO actions', () => {
  let h: Harness;
  let alpha: App;
  let beta: App;
  before(async () => {
    h = await harness();
    ({ alpha, beta } = await seedTwoApps(h));
  });
  after(() => h.close());

  test('GetTimbreList without a digital human lists the public, active timbres in catalog order', async () => {
    const { json } = await zego(h, alpha, 'GetTimbreList', {});
    assert.equal(json.Code, 0);
    assert.equal(json.Data.Total, 25);
    assert.equal(json.Data.Timbres.length, 20);
    assert.deepEqual(
      json.Data.Timbres.slice(0, 3).map((t: any) => t.Name),
      ['Public 0', 'Public 1', 'Public 2'],
    );
    assert.equal(json.Data.Timbres[0].AvatarUrl, '', 'a timbre without a picture has AvatarUrl ""');
    assert.equal(json.Data.Timbres[1].AvatarUrl, 'https://img.example/t1.png');
  });

  test('GetTimbreList pages visit every timbre once; an Offset past the end keeps Total', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 25; offset += 7) {
      const { json } = await zego(h, alpha, 'GetTimbreList', { Offset: offset, Limit: 7 });
      seen.push(...json.Data.Timbres.map((t: any) => t.TimbreId));
    }
    assert.equal(new Set(seen).size, 25);
    const { json } = await zego(h, alpha, 'GetTimbreList', { Offset: 1000000, Limit: 20 });
    assert.deepEqual(json.Data, { Total: 25, Timbres: [] });
  });

  test('GetTimbreList with a digital human lists the private timbres this app bound to it', async () => {
    const a = await zego(h, alpha, 'GetTimbreList', { DigitalHumanId: PUBLIC_DH });
    assert.deepEqual(
      a.json.Data.Timbres.map((t: any) => t.Name),
      ['Alpha voice'],
    );
    const b = await zego(h, beta, 'GetTimbreList', { DigitalHumanId: PUBLIC_DH });
    assert.deepEqual(
      b.json.Data.Timbres.map((t: any) => t.Name),
      ['Beta voice'],
    );
    const own = await zego(h, alpha, 'GetTimbreList', { DigitalHumanId: ALPHA_DH.replace(/-/g, '') });
    assert.equal(own.json.Data.Total, 1, 'the 32-hex rendering names the same digital human');
  });

  test('absent, null and "" DigitalHumanId all mean "not given"', async () => {
    for (const body of [{}, { DigitalHumanId: null }, { DigitalHumanId: '' }]) {
      const { json } = await zego(h, alpha, 'GetTimbreList', body);
      assert.equal(json.Data.Total, 25);
    }
  });

  test('GetDigitalHumanList FetchMode 1/2/3: visible, public, own', async () => {
    const names = async (FetchMode?: number) =>
      (await zego(h, alpha, 'GetDigitalHumanList', FetchMode ? { FetchMode } : {})).json.Data.DigitalHumans.map((d: any) => d.Name);
    assert.deepEqual(await names(), ['Public DH', 'Alpha DH'], 'sortOrder ties fall to createdAt, then id');
    assert.deepEqual(await names(1), ['Public DH', 'Alpha DH']);
    assert.deepEqual(await names(2), ['Public DH']);
    assert.deepEqual(await names(3), ['Alpha DH']);
  });

  test('GetDigitalHumanInfo renders one digital human with its actions', async () => {
    const { json } = await zego(h, alpha, 'GetDigitalHumanInfo', { DigitalHumanId: PUBLIC_DH });
    assert.deepEqual(withoutRequestId(json), {
      Code: 0,
      Message: 'success',
      Data: {
        DigitalHumanId: PUBLIC_DH,
        Name: 'Public DH',
        AvatarUrl: 'https://img.example/pub.png',
        IsPublic: true,
        Actions: [{ Action: 'wave', PreviewUrl: 'https://v.example/wave.mp4' }],
      },
    });
  });

  test('the streaming actions answer 100000007, never a fake success', async () => {
    for (const action of ZEGO_STREAMING_ACTIONS) {
      const { json } = await zego(h, alpha, action, {});
      assert.deepEqual(withoutRequestId(json), { Code: 100000007, Message: `unsupported Action: "${action}"` });
    }
  });

  describe('every documented code in its situation (exact bodies)', () => {
    const expectCode = async (p: Promise<{ status: number; json: any }>, status: number, Code: number, Message: string) => {
      const { status: s, json } = await p;
      assert.equal(s, status);
      assert.deepEqual(withoutRequestId(json), { Code, Message });
    };

    test('100000001 AppId malformed / empty', async () => {
      await expectCode(zego(h, alpha, 'GetTimbreList', {}, { AppId: 'abc' }), 200, 100000001, 'AppId is malformed: must be a decimal uint32');
      await expectCode(zego(h, alpha, 'GetTimbreList', {}, { AppId: '4294967296' }), 200, 100000001, 'AppId is malformed: must be a decimal uint32');
      await expectCode(zego(h, alpha, 'GetTimbreList', {}, { AppId: undefined }), 200, 100000001, 'AppId is empty');
    });
    test('100000002 Timestamp empty, 100000003 malformed', async () => {
      await expectCode(zego(h, alpha, 'GetTimbreList', {}, { Timestamp: undefined }), 200, 100000002, 'Timestamp is empty');
      await expectCode(zego(h, alpha, 'GetTimbreList', {}, { Timestamp: '12.5' }), 200, 100000003, 'Timestamp is malformed: must be integer seconds');
    });
    test('100000004 signature expired: stale and future timestamps', async () => {
      const msg = 'signature expired: Timestamp is more than 600 s from server time';
      const now = Math.floor(h.clock.ms / 1000);
      for (const ts of [now - 601, now + 601]) {
        const { json } = await zego(h, alpha, 'GetTimbreList', {}, signedAt(alpha, ts));
        assert.deepEqual(withoutRequestId(json), { Code: 100000004, Message: msg });
      }
      for (const ts of [now - 600, now + 600]) {
        const { json } = await zego(h, alpha, 'GetTimbreList', {}, signedAt(alpha, ts));
        assert.equal(json.Code, 0, 'the window is inclusive');
      }
    });
    test('100000005 signature error', async () => {
      await expectCode(zego(h, alpha, 'GetTimbreList', {}, { Signature: '0'.repeat(32) }), 200, 100000005, 'signature error');
      await expectCode(zego(h, alpha, 'GetTimbreList', {}, { Signature: 'zz' }), 200, 100000005, 'signature error');
    });
    test('100000006 Action empty, 100000007 unknown Action', async () => {
      const q = `AppId=${alpha.zegoAppId}`;
      const empty = await h.inject({ method: 'POST', url: `/?${q}`, payload: '{}' });
      assert.deepEqual(withoutRequestId(empty.json()), { Code: 100000006, Message: 'Action is empty' });
      await expectCode(zego(h, alpha, 'NoSuchAction', {}), 200, 100000007, 'unsupported Action: "NoSuchAction"');
    });
    test('100000008 SignatureNonce empty; over 64 chars is 400000001', async () => {
      await expectCode(zego(h, alpha, 'GetTimbreList', {}, { SignatureNonce: undefined }), 200, 100000008, 'SignatureNonce is empty');
      await expectCode(
        zego(h, alpha, 'GetTimbreList', {}, { SignatureNonce: 'n'.repeat(65) }),
        200,
        400000001,
        'invalid parameter: SignatureNonce must be at most 64 characters',
      );
    });
    test('100000009 Signature empty', async () => {
      await expectCode(zego(h, alpha, 'GetTimbreList', {}, { Signature: undefined }), 200, 100000009, 'Signature is empty');
    });
    test('100000010 unknown AppId', async () => {
      await expectCode(zego(h, alpha, 'GetTimbreList', {}, { AppId: '7' }), 200, 100000010, 'AppId not found');
    });
    test('100000012 body unreadable (HTTP 400) and too large (HTTP 413)', async () => {
      await expectCode(zego(h, alpha, 'GetTimbreList', '{"Offset":'), 400, 100000012, 'body is not valid JSON');
      await expectCode(zego(h, alpha, 'GetTimbreList', `{"DigitalHumanId":"${'x'.repeat(70_000)}"}`), 413, 100000012, 'body is larger than the limit');
    });
    test('100000013 SignatureVersion empty, 100000014 unsupported', async () => {
      await expectCode(zego(h, alpha, 'GetTimbreList', {}, { SignatureVersion: undefined }), 200, 100000013, 'SignatureVersion is empty');
      await expectCode(
        zego(h, alpha, 'GetTimbreList', {}, { SignatureVersion: '1.0' }),
        200,
        100000014,
        'SignatureVersion "1.0" is not supported: must be 2.0',
      );
    });
    test('400000001 invalid parameter names the parameter and the rule', async () => {
      const offsetMsg = 'invalid parameter: Offset must be an integer in [0, 1000000]';
      const limitMsg = 'invalid parameter: Limit must be an integer in [1, 20]';
      for (const Offset of [-1, 1000001, 1.5, '5', true, [], {}]) {
        await expectCode(zego(h, alpha, 'GetTimbreList', { Offset }), 200, 400000001, offsetMsg);
      }
      for (const Limit of [0, 21, -1, 1.5, '5', false]) {
        await expectCode(zego(h, alpha, 'GetTimbreList', { Limit }), 200, 400000001, limitMsg);
      }
      await expectCode(zego(h, alpha, 'GetTimbreList', { DigitalHumanId: 5 }), 200, 400000001, 'invalid parameter: DigitalHumanId must be a string');
      await expectCode(zego(h, alpha, 'GetDigitalHumanInfo', {}), 200, 400000001, 'invalid parameter: DigitalHumanId is required');
      await expectCode(zego(h, alpha, 'GetDigitalHumanList', { FetchMode: 4 }), 200, 400000001, 'invalid parameter: FetchMode must be one of 1, 2, 3');
      await expectCode(zego(h, alpha, 'GetDigitalHumanList', { InferenceMode: 3 }), 200, 400000001, 'invalid parameter: InferenceMode must be one of 1, 2');
      await expectCode(zego(h, alpha, 'GetTimbreList', [1, 2]), 200, 400000001, 'invalid parameter: body must be a JSON object');
    });
    test('paging edges that are valid: 0, max, null', async () => {
      for (const body of [
        { Offset: 0, Limit: 1 },
        { Offset: 1000000, Limit: 20 },
        { Offset: null, Limit: null },
      ]) {
        assert.equal((await zego(h, alpha, 'GetTimbreList', body)).json.Code, 0);
      }
    });
    test('400000002 service not enabled (a disabled app)', async () => {
      const off = await h.services.apps.create({ name: 'disabled-app' });
      await h.services.apps.setStatus('disabled-app', 'disabled');
      await expectCode(zego(h, off, 'GetTimbreList', {}), 200, 400000002, 'this app is disabled');
    });
    test("400000003 digital human not found (missing, malformed, another app's)", async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id', BETA_DH]) {
        await expectCode(zego(h, alpha, 'GetDigitalHumanInfo', { DigitalHumanId: id }), 200, 400000003, 'digital human not found');
        await expectCode(zego(h, alpha, 'GetTimbreList', { DigitalHumanId: id }), 200, 400000003, 'digital human not found');
      }
    });
    test('400010009 rate limit exceeded', async () => {
      const slow = await h.services.apps.create({ name: 'slow', rateLimit: 2 });
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await zego(h, slow, 'GetTimbreList', {})).json);
      assert.deepEqual(
        codes.map((c) => c.Code),
        [0, 0, 400010009, 400010009],
      );
      assert.deepEqual(withoutRequestId(codes[2]), { Code: 400010009, Message: 'rate limit exceeded: at most 2 requests per second' });
    });
    test('405 for a method other than POST', async () => {
      const res = await h.inject({ method: 'GET', url: `/?Action=GetTimbreList&AppId=${alpha.zegoAppId}` });
      assert.equal(res.statusCode, 405);
      assert.equal(res.headers.allow, 'POST');
      assert.deepEqual(withoutRequestId(res.json()), { Code: 100000007, Message: 'method GET is not supported: use POST' });
    });
  });

  describe('security, per action', () => {
    for (const action of ACTIONS) {
      const body = action === 'GetDigitalHumanInfo' ? { DigitalHumanId: PUBLIC_DH } : {};
      test(`${action}: no signature, wrong signature, stale, future, unknown app`, async () => {
        const now = Math.floor(h.clock.ms / 1000);
        assert.equal((await zego(h, alpha, action, body)).json.Code, 0, 'the signed request succeeds');
        assert.equal((await zego(h, alpha, action, body, { Signature: undefined })).json.Code, 100000009);
        assert.equal((await zego(h, alpha, action, body, { Signature: 'f'.repeat(32) })).json.Code, 100000005);
        assert.equal((await zego(h, alpha, action, body, signedAt(alpha, now - 3600))).json.Code, 100000004);
        assert.equal((await zego(h, alpha, action, body, signedAt(alpha, now + 3600))).json.Code, 100000004);
        assert.equal((await zego(h, alpha, action, body, { AppId: '99' })).json.Code, 100000010);
        // beta's secret does not sign as alpha
        const forged = signedAt({ ...alpha, zegoServerSecret: beta.zegoServerSecret }, now);
        assert.equal((await zego(h, alpha, action, body, forged)).json.Code, 100000005);
      });
    }

    test("another app's ids answer exactly as missing ones", async () => {
      const strip = (j: any) => withoutRequestId(j);
      for (const action of ['GetDigitalHumanInfo', 'GetTimbreList']) {
        const other = await zego(h, alpha, action, { DigitalHumanId: BETA_DH });
        const missing = await zego(h, alpha, action, { DigitalHumanId: '44444444-4444-4444-8444-444444444444' });
        assert.equal(other.status, missing.status);
        assert.deepEqual(strip(other.json), strip(missing.json));
      }
      const list = await zego(h, alpha, 'GetDigitalHumanList', {});
      assert.ok(!JSON.stringify(list.json).includes('Beta'), "beta's digital human never shows to alpha");
    });
  });
});

import { zegoSignature } from '../../src/dialects/zego/signature.js';
function signedAt(app: App, ts: number) {
  const nonce = 'ffee001122334455';
  return { Timestamp: String(ts), SignatureNonce: nonce, Signature: zegoSignature(app.zegoAppId, nonce, app.zegoServerSecret, ts) };
}
