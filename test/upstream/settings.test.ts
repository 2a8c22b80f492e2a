/**
 * An app's upstreams as the operator sets them (upstream.md §1): /v1 and the CLI's checks, secrets sealed
 * at rest and masked in every read, no tenant may set one, and the sync trigger.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PUBLIC_URL, harness, v1, type Harness } from '../helpers.js';
import { loadConfig } from '../../src/config.js';
import { openServices } from '../../src/services.js';
import { VENDOR_IVH, VENDOR_ZEGO, stubVendor, type StubVendor } from './stub-vendor.js';

describe('upstream settings over /v1', () => {
  let h: Harness;
  let admin: string;
  let appKey: string;
  let stub: StubVendor;
  const key = randomBytes(32);

  before(async () => {
    stub = await stubVendor();
    h = await harness({ TIMBREL_SECRET_KEY: key.toString('base64'), TIMBREL_UPSTREAM_ALLOW_HTTP: stub.hostPort });
    admin = await h.services.access.rotateAdminToken();
    const alpha = await h.services.apps.create({ name: 'alpha' });
    appKey = (await h.services.access.createKey(alpha)).text;
  });
  after(async () => {
    await h.close();
    await stub.close();
  });

  const zegoBody = { url: 'https://zego.example.com/', appId: VENDOR_ZEGO.appId, serverSecret: VENDOR_ZEGO.serverSecret };

  test('PUT sets it, GET shows it with the secret masked, DELETE removes it', async () => {
    const put = await v1(h, 'PUT', '/v1/apps/alpha/upstreams/zego', admin, zegoBody);
    assert.equal(put.status, 200, put.raw);
    assert.deepEqual(
      { ...put.body, createdAt: undefined, updatedAt: undefined },
      {
        dialect: 'zego',
        url: 'https://zego.example.com',
        appId: VENDOR_ZEGO.appId,
        serverSecret: '…0001',
        rateLimit: 10,
        lastSync: null,
        createdAt: undefined,
        updatedAt: undefined,
      },
    );
    const ivh = await v1(h, 'PUT', '/v1/apps/alpha/upstreams/ivh', admin, { appkey: VENDOR_IVH.appkey, accesstoken: VENDOR_IVH.accesstoken, rateLimit: 50 });
    assert.equal(ivh.status, 200, ivh.raw);
    assert.equal(ivh.body.url, 'https://gw.tvs.qq.com', "the vendor's own host by default");
    const list = await v1(h, 'GET', '/v1/apps/alpha/upstreams', admin);
    assert.deepEqual(
      list.body.items.map((u: { dialect: string }) => u.dialect),
      ['ivh', 'zego'],
    );
    for (const read of [list.raw, (await v1(h, 'GET', '/v1/apps/alpha/upstreams/ivh', admin)).raw]) {
      assert.ok(!read.includes(VENDOR_ZEGO.serverSecret) && !read.includes(VENDOR_IVH.accesstoken), 'no read shows a secret');
    }
    // A change that leaves the secret out keeps the stored one.
    const moved = await v1(h, 'PUT', '/v1/apps/alpha/upstreams/ivh', admin, { appkey: VENDOR_IVH.appkey, url: 'https://ivh.example.com' });
    assert.equal(moved.status, 200, moved.raw);
    assert.equal(moved.body.rateLimit, 50);
    assert.equal((await h.services.repo.upstreams.of((await h.services.apps.named('alpha')).id, 'ivh'))!.secret, VENDOR_IVH.accesstoken);
    assert.equal((await v1(h, 'DELETE', '/v1/apps/alpha/upstreams/ivh', admin)).status, 204);
    assert.equal((await v1(h, 'GET', '/v1/apps/alpha/upstreams/ivh', admin)).status, 404);
    assert.equal((await v1(h, 'DELETE', '/v1/apps/alpha/upstreams/ivh', admin)).status, 404);
  });

  test('secrets are sealed at rest under TIMBREL_SECRET_KEY', async () => {
    await v1(h, 'PUT', '/v1/apps/alpha/upstreams/zego', admin, zegoBody);
    const row = await h.services.repo.db.selectFrom('upstreams').selectAll().where('dialect', '=', 'zego').executeTakeFirstOrThrow();
    assert.ok(!row.secret.includes(VENDOR_ZEGO.serverSecret));
    assert.equal((await h.services.repo.upstreams.of(row.app_id, 'zego'))!.secret, VENDOR_ZEGO.serverSecret);
  });

  test('only https, or plain http to an allowed host:port; no credentials or query in the URL', async () => {
    const refused = [
      ['http://zego.example.com', /must be https/],
      ['http://127.0.0.1:1', /TIMBREL_UPSTREAM_ALLOW_HTTP/],
      ['ftp://zego.example.com', /https/],
      ['https://user:pw@zego.example.com', /credentials/],
      ['https://zego.example.com/?x=1', /query/],
      ['not a url', /absolute https/],
    ] as const;
    for (const [url, why] of refused) {
      const r = await v1(h, 'PUT', '/v1/apps/alpha/upstreams/zego', admin, { ...zegoBody, url });
      assert.equal(r.status, 400, url);
      assert.match(r.body.detail, why, url);
    }
    assert.equal((await v1(h, 'PUT', '/v1/apps/alpha/upstreams/zego', admin, { ...zegoBody, url: stub.url })).status, 200);
  });

  test('bad credentials, dialects and fields are refused with a problem', async () => {
    await h.services.apps.create({ name: 'fresh' });
    const noSecret = await v1(h, 'PUT', '/v1/apps/fresh/upstreams/zego', admin, { url: stub.url, appId: VENDOR_ZEGO.appId });
    assert.equal(noSecret.status, 400, 'no serverSecret, none stored');
    assert.match(noSecret.body.detail, /serverSecret must be 32 printable characters/);
    assert.equal((await v1(h, 'PUT', '/v1/apps/alpha/upstreams/zego', admin, { ...zegoBody, serverSecret: 'short' })).status, 400);
    assert.equal((await v1(h, 'PUT', '/v1/apps/alpha/upstreams/ivh', admin, { appkey: 'k' })).status, 400, 'no accesstoken, none stored');
    assert.equal((await v1(h, 'PUT', '/v1/apps/alpha/upstreams/heygen', admin, zegoBody)).status, 400);
    assert.equal((await v1(h, 'PUT', '/v1/apps/alpha/upstreams/zego', admin, { ...zegoBody, extra: 1 })).status, 400);
    assert.equal((await v1(h, 'PUT', '/v1/apps/nobody/upstreams/zego', admin, zegoBody)).status, 404);
  });

  test("an app's own key cannot read, set or sync an upstream", async () => {
    for (const [method, url, body] of [
      ['GET', '/v1/apps/alpha/upstreams', undefined],
      ['PUT', '/v1/apps/alpha/upstreams/zego', { ...zegoBody, url: stub.url }],
      ['POST', '/v1/apps/alpha/upstreams/zego/sync', undefined],
      ['DELETE', '/v1/apps/alpha/upstreams/zego', undefined],
    ] as const) {
      assert.equal((await v1(h, method, url, appKey, body)).status, 403, `${method} ${url}`);
      assert.equal((await v1(h, method, url, undefined, body)).status, 401, `${method} ${url}`);
    }
  });

  test('POST …/sync runs a sync: with wait=true the finished report, a failed one reported as failed; without an upstream 404', async () => {
    await v1(h, 'PUT', '/v1/apps/alpha/upstreams/zego', admin, { ...zegoBody, url: stub.url });
    // The stub plays no catalog: GetDigitalHumanList is an unsupported Action there, so the sync fails.
    const r = await v1(h, 'POST', '/v1/apps/alpha/upstreams/zego/sync?wait=true', admin);
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body.outcome, 'failed');
    assert.match(r.body.error, /100000007/);
    const shown = await v1(h, 'GET', '/v1/apps/alpha/upstreams/zego', admin);
    assert.equal(shown.body.lastSync.outcome, 'failed');
    assert.equal((await v1(h, 'POST', '/v1/apps/alpha/upstreams/ivh/sync', admin)).status, 404);
    const text = await h.services.metrics.registry.metrics();
    assert.match(text, /timbrel_syncs_total\{dialect="zego",outcome="failed"\} 1/);
  });

  test('secrets reencrypt seals upstream secrets under a new key', async () => {
    await v1(h, 'PUT', '/v1/apps/alpha/upstreams/zego', admin, zegoBody);
    const next = randomBytes(32);
    // The same store, opened with a new key and the old one as previous (a key rotation).
    const rotated = await openServices(
      loadConfig({
        TIMBREL_DATA_DIR: h.dir,
        TIMBREL_PUBLIC_URL: PUBLIC_URL,
        TIMBREL_SECRET_KEY: next.toString('base64'),
        TIMBREL_SECRET_KEYS_PREVIOUS: key.toString('base64'),
      }),
    );
    try {
      const before = await rotated.repo.db.selectFrom('upstreams').select('secret').where('dialect', '=', 'zego').executeTakeFirstOrThrow();
      assert.equal(rotated.repo.box.isCurrent(before.secret), false);
      await rotated.repo.reencryptSecrets(Date.now());
      const after = await rotated.repo.db.selectFrom('upstreams').selectAll().where('dialect', '=', 'zego').executeTakeFirstOrThrow();
      assert.equal(rotated.repo.box.isCurrent(after.secret), true);
      assert.equal((await rotated.repo.upstreams.of(after.app_id, 'zego'))!.secret, VENDOR_ZEGO.serverSecret);
    } finally {
      await rotated.close();
    }
  });
});
