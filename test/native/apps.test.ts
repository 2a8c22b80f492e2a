/**
 * /v1/apps (operator only) and secret rotation: the old secret keeps verifying in both vendor dialects
 * for the grace period and stops after it; with no grace it stops at once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Harness, ivh, nativeFixture, v1, zego } from '../helpers.js';
import { testEngines } from '../engines.js';
import type { App } from '../../src/core/types.js';

for (const engine of await testEngines())
  describe(`/v1/apps (${engine})`, () => {
    let h: Harness;
    let alpha: App;
    let admin: string;
    let alphaKey: string;

    const call = (method: string, url: string, token: string | undefined, body?: unknown, headers?: Record<string, string>) =>
      v1(h, method, url, token, body, headers);

    before(async () => {
      ({ h, alpha, admin, alphaKey } = await nativeFixture(engine));
    });
    after(() => h.close());

    test('operator only: an app key gets 403, no token 401', async () => {
      assert.deepEqual((await call('GET', '/v1/apps', alphaKey)).body, {
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        code: 'forbidden',
        detail: 'apps are managed by the operator',
      });
      assert.equal((await call('POST', '/v1/apps', alphaKey, { name: 'x' })).status, 403);
      assert.equal((await call('GET', '/v1/apps', undefined)).status, 401);
    });

    test('create shows credentials once; list and get never show secrets; duplicates are 409', async () => {
      const made = await call('POST', '/v1/apps', admin, { name: 'gamma', rateLimit: 5 });
      assert.equal(made.status, 201);
      assert.equal(made.body.app.rateLimit, 5);
      assert.match(made.body.credentials.zego.ServerSecret, /^[A-Za-z0-9]{32}$/);
      const listed = await call('GET', '/v1/apps', admin);
      assert.deepEqual(listed.body.items.map((a: any) => a.name).sort(), ['alpha', 'beta', 'gamma']);
      assert.ok(!listed.raw.includes(made.body.credentials.zego.ServerSecret) && !listed.raw.includes(made.body.credentials.ivh.accesstoken));
      const got = await call('GET', '/v1/apps/gamma', admin);
      assert.equal(got.body.ivh.appkey, made.body.credentials.ivh.appkey);
      assert.ok(!got.raw.includes(made.body.credentials.ivh.accesstoken));
      assert.equal((await call('POST', '/v1/apps', admin, { name: 'gamma' })).status, 409);
      assert.equal((await call('POST', '/v1/apps', admin, { name: 'bad name!' })).status, 400);
      assert.equal((await call('GET', '/v1/apps/nobody', admin)).status, 404);
    });

    test('PATCH disables (both dialects refuse) and sets the rate limit', async () => {
      const off = await call('PATCH', '/v1/apps/beta', admin, { status: 'disabled', rateLimit: 7 });
      assert.equal(off.body.status, 'disabled');
      assert.equal(off.body.rateLimit, 7);
      const beta = (await h.services.apps.named('beta'))!;
      assert.equal((await zego(h, beta, 'GetTimbreList', {})).json.Code, 400000002);
      assert.equal((await call('PATCH', '/v1/apps/beta', admin, { status: 'active' })).body.status, 'active');
      assert.equal((await zego(h, beta, 'GetTimbreList', {})).json.Code, 0);
      assert.equal((await call('PATCH', '/v1/apps/beta', admin, { rateLimit: 0 })).status, 400);
      assert.equal((await call('PATCH', '/v1/apps/beta', admin, {})).status, 400);
    });

    test('rotate with a grace period: old and new secrets both verify, then only the new one', async () => {
      const old = (await h.services.apps.named('alpha'))!;
      const res = await call('POST', '/v1/apps/alpha/rotate', admin, { dialect: 'zego', graceSeconds: 60 });
      assert.equal(res.status, 200);
      const fresh = { ...old, zegoServerSecret: res.body.credentials.zego.ServerSecret };
      assert.notEqual(fresh.zegoServerSecret, old.zegoServerSecret);
      assert.ok(res.body.app.zego.previousSecretValidUntil);
      assert.equal((await zego(h, old, 'GetTimbreList', {})).json.Code, 0, 'old secret in its grace period');
      assert.equal((await zego(h, fresh, 'GetTimbreList', {})).json.Code, 0, 'new secret');
      h.clock.ms += 61_000;
      assert.equal((await zego(h, old, 'GetTimbreList', {})).json.Code, 100000005, 'old secret after the grace period: signature error');
      assert.equal((await zego(h, fresh, 'GetTimbreList', {})).json.Code, 0);
      assert.equal((await call('GET', '/v1/apps/alpha', admin)).body.zego.previousSecretValidUntil, null);
    });

    test('rotate IVH with no grace: the old accesstoken stops at once', async () => {
      const old = (await h.services.apps.named('alpha'))!;
      const res = await call('POST', '/v1/apps/alpha/rotate', admin, { dialect: 'ivh', graceSeconds: 0 });
      const fresh = { ...old, ivhAccessToken: res.body.credentials.ivh.accesstoken };
      assert.equal((await ivh(h, old, 'describetimbre', { PageIndex: 1, PageSize: 1 })).json.Header.Code, 100005);
      assert.equal((await ivh(h, fresh, 'describetimbre', { PageIndex: 1, PageSize: 1 })).json.Header.Code, 0);
      assert.equal((await call('POST', '/v1/apps/alpha/rotate', admin, { dialect: 'aws' })).status, 400);
    });

    test('API keys: create (shown once), list (never the key), revoke (stops at once)', async () => {
      const made = await call('POST', '/v1/apps/alpha/keys', admin, { name: 'ci' });
      assert.equal(made.status, 201);
      assert.match(made.body.key, /^tbk_/);
      assert.equal((await call('GET', '/v1/timbres?limit=1', made.body.key)).status, 200);
      const list = await call('GET', '/v1/apps/alpha/keys', admin);
      assert.ok(list.body.items.some((k: any) => k.id === made.body.id && k.revokedAt === null));
      assert.ok(!list.raw.includes(made.body.key));
      assert.equal((await call('DELETE', `/v1/apps/beta/keys/${made.body.id}`, admin)).status, 404, "not beta's key");
      assert.equal((await call('DELETE', `/v1/apps/alpha/keys/${made.body.id}`, admin)).status, 204);
      assert.equal((await call('GET', '/v1/timbres?limit=1', made.body.key)).status, 401);
      assert.equal((await call('DELETE', `/v1/apps/alpha/keys/${made.body.id}`, admin)).status, 404);
    });

    test('try: the server signs a vendor request with the stored secret and returns the exact exchange', async () => {
      const z = await call('POST', '/v1/apps/alpha/try', admin, { dialect: 'zego', operation: 'GetTimbreList', body: { Limit: 2 } });
      assert.equal(z.status, 200);
      assert.match(z.body.request.url, /\/\?Action=GetTimbreList&AppId=\d+&SignatureNonce=\w+&Timestamp=\d+&Signature=[0-9a-f]{32}&SignatureVersion=2\.0$/);
      assert.equal(z.body.response.status, 200);
      assert.equal(z.body.response.headers['content-type'], 'application/json; charset=utf-8');
      const answer = JSON.parse(z.body.response.body);
      assert.equal(answer.Code, 0);
      assert.ok(answer.Data.Timbres.length > 0 && answer.Data.Timbres.length <= 2);
      const i = await call('POST', '/v1/apps/alpha/try', admin, { dialect: 'ivh', operation: 'describetimbre', body: { PageIndex: 1, PageSize: 1 } });
      assert.equal(i.status, 200);
      assert.equal(JSON.parse(i.body.response.body).Header.Code, 0);
      // An unknown operation goes to the vendor edge as it is and gets the vendor's own refusal.
      const bad = await call('POST', '/v1/apps/alpha/try', admin, { dialect: 'zego', operation: 'DriveByText' });
      assert.equal(JSON.parse(bad.body.response.body).Code, 100000007);
      assert.ok(!JSON.stringify([z.body, i.body]).includes(alpha.zegoServerSecret), 'the secret never leaves the server');
      assert.equal((await call('POST', '/v1/apps/alpha/try', alphaKey, { dialect: 'zego', operation: 'GetTimbreList' })).status, 403);
    });

    test("usage: an app's requests on this instance by dialect and outcome, and those refused over its limit", async () => {
      const made = await call('POST', '/v1/apps', admin, { name: 'counted', rateLimit: 3 });
      const counted = (await h.services.apps.byName('counted'))!;
      const key = (await call('POST', '/v1/apps/counted/keys', admin, { name: 'k' })).body.key;
      assert.equal(made.status, 201);
      const before = (await call('GET', '/v1/apps/counted/usage', admin)).body;
      assert.deepEqual(
        before.requests,
        Object.fromEntries(['zego', 'ivh', 'openai', 'elevenlabs', 'heygen', 'mistral', 'native'].map((d) => [d, { ok: 0, failed: 0 }])),
      );
      await zego(h, counted, 'GetTimbreList', {});
      await zego(h, counted, 'GetDigitalHumanInfo', { DigitalHumanId: 'nope' });
      await ivh(h, counted, 'describetimbre', { PageIndex: 1, PageSize: 1 });
      for (let i = 0; i < 3; i++) await call('GET', '/v1/timbres?limit=1', key);
      const after = (await call('GET', '/v1/apps/counted/usage', admin)).body;
      assert.deepEqual(after.requests.zego, { ok: 1, failed: 1 });
      assert.ok(after.requests.ivh.ok + after.requests.ivh.failed === 1);
      assert.equal(after.requests.native.ok + after.requests.native.failed, 3);
      // At 3 requests a second, the native burst may meet the limit: each native failure is such a refusal.
      assert.equal(after.rateLimited, after.requests.native.failed);
      assert.match(after.since, /^\d{4}-\d{2}-\d{2}T/);
      assert.equal((await call('GET', '/v1/apps/counted/usage', alphaKey)).status, 403);
      assert.equal((await call('GET', '/v1/apps/nobody/usage', admin)).status, 404);
    });
  });
