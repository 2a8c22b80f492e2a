/**
 * The SDK (packages/client) against a live timbrel server on a real socket: the signers reproduce the
 * published vectors; its types are generated from the server's current OpenAPI document; every pager walks
 * a 10,000-timbre catalog exactly once; a burst over the rate limit completes through retries with no
 * error surfaced; failures are typed values carrying the vendor code; the README's examples run.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IvhClient, TimbrelClient, TimbrelClientError, ZegoClient, ivhSignature, zegoSignature } from '@timbrel/client';
import { harness, importRecords, type Harness } from '../helpers.js';
import type { App } from '../../src/core/types.js';

const run = promisify(execFile);
const N = 10_000;

test('signers reproduce the published vectors (zego.md §1, tencent-ivh.md §1)', () => {
  assert.equal(zegoSignature(12345, '4fd24687296dd9f3', '9193cc662a4c0ec135ec71fb57194b38', 1615186943), '43e5cfcca828314675f91b001390566a');
  assert.equal(
    ivhSignature({ appkey: 'e38267c0e86411ebb02aed82acb0ed99', timestamp: '1646636485' }, 'f68f2d10ae9e4604b76fb05cf46bccec'),
    'BfWuaC9kmaicCggXc693uK+sZQ8qe88O4HVQNTdwZuo=',
  );
  assert.equal(ivhSignature({ appkey: 'example_appkey', timestamp: '1717639699' }, 'example_accesstoken'), 'aCNWYzZdplxWVo+JsqzZc9+J9XrwWWITfX3eQpsLVno=');
  assert.equal(
    ivhSignature({ appkey: 'example_appkey', timestamp: '1717639699', requestid: 'example_requestid' }, 'example_accesstoken'),
    'QVenICk0VHtHGYZKXM6IC+W1CjZC1joSr/x0gfKKYT4=',
  );
});

test("the SDK's OpenAPI document and types are the server's current ones (npm run sdk:types)", async () => {
  // @ts-expect-error: a plain .mjs script
  const { openapiDocument, schemaSource } = await import('../../scripts/openapi.mjs');
  const doc = await openapiDocument();
  assert.deepEqual(JSON.parse(readFileSync('packages/client/openapi.json', 'utf8')), doc);
  assert.equal(readFileSync('packages/client/src/schema.ts', 'utf8'), await schemaSource(doc));
});

describe('SDK against a live server', () => {
  let h: Harness;
  let base: string;
  let app: App;
  let admin: string;

  before(async () => {
    h = await harness({}, Date.now());
    // A live server: its clock runs (the rate-limit windows move on).
    Object.defineProperty(h.clock, 'ms', { get: () => Date.now(), set: () => {} });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
    app = await h.services.apps.create({ name: 'sdk', rateLimit: 100_000 });
    admin = (await h.services.access.rotateAdminToken()) as string;
    const records: Record<string, unknown>[] = [];
    for (let i = 0; i < N; i++)
      records.push({
        kind: 'timbre',
        key: `v${i}`,
        name: `Voice ${i}`,
        description: i % 2 ? 'warm' : 'bright',
        gender: i % 2 ? 'female' : 'male',
        languages: ['en-US'],
        sortOrder: i % 7,
      });
    records.push({ kind: 'digitalHuman', id: '11111111-1111-4111-8111-111111111111', name: 'Host', anchorCode: 'host' });
    await importRecords(h.services, records);
  });
  after(() => h.close());

  const zego = () => new ZegoClient({ baseUrl: base, appId: app.zegoAppId, serverSecret: app.zegoServerSecret });
  const ivh = () => new IvhClient({ baseUrl: base, appkey: app.ivhAppKey, accesstoken: app.ivhAccessToken });

  test('each pager walks the 10,000-timbre catalog exactly once (native cursors, ZEGO offsets, IVH pages)', async () => {
    const native = new TimbrelClient({ baseUrl: base, token: admin });
    const walk = async (it: AsyncIterable<Record<string, unknown>>, key: string) => {
      const ids: string[] = [];
      for await (const t of it) ids.push(String(t[key]));
      return ids;
    };
    const fromNative = await walk(native.timbres({ limit: 100 }) as AsyncIterable<Record<string, unknown>>, 'id');
    const fromZego = await walk(zego().timbres(), 'TimbreId');
    const fromIvh = await walk(ivh().timbres(), 'TimbreKey');
    for (const [name, ids] of [
      ['native', fromNative],
      ['zego', fromZego],
      ['ivh', fromIvh],
    ] as const) {
      assert.equal(ids.length, N, `${name}: ${ids.length} items`);
      assert.equal(new Set(ids).size, N, `${name}: each once`);
    }
    assert.deepEqual(new Set(fromZego), new Set(fromNative), 'the same timbres');
  });

  test('anchors through every client: native pager and looks, IVH anchors/looks/actions and the deprecated paths, ZEGO render info and the legacy models', async () => {
    const records: Record<string, unknown>[] = [];
    for (let i = 0; i < 150; i++) records.push({ kind: 'anchor', code: `a${i}`, name: `Anchor ${i}`, avatarType: 'real_man_3d', sortOrder: i % 4 });
    for (let i = 0; i < 130; i++)
      records.push({
        kind: 'digitalHuman',
        name: `Look ${i}`,
        anchorCode: `a${i % 150}`,
        avatarType: 'real_man_3d',
        actions: [{ code: 'wave', name: 'Wave' }],
        renderPackage: 'https://p.example/r.zip',
        smallImageMode: true,
      });
    await importRecords(h.services, records);
    const native = new TimbrelClient({ baseUrl: base, token: admin });
    const anchors: string[] = [];
    for await (const a of native.anchors({ avatarType: 'real_man_3d', limit: 40 })) anchors.push(a.code);
    assert.equal(anchors.length, 150);
    assert.equal(new Set(anchors).size, 150);
    const a0 = (await native.listAnchors({ q: 'Anchor 0', limit: 1 })).items[0];
    assert.deepEqual(
      (await native.anchorLooks(a0.id)).map((d) => d.name),
      ['Look 0'],
    );
    const made = await native.createAnchor({ code: 'sdk_anchor', name: 'SDK', avatarType: 'cartoon_3d' });
    assert.equal((await native.getAnchor(made.id)).code, 'sdk_anchor');
    // Typed uploads: the answer is the asset with its file.
    const pictured = await native.upload(
      '/v1/anchors/{id}/header-image',
      { id: made.id },
      new Blob([readFileSync('demo/assets/teal.png')], { type: 'image/png' }),
    );
    assert.match(pictured.headerImage ?? '', /\/files\/[0-9a-f]{64}\?/);
    const voice = (await native.listTimbres({ limit: 1 })).items[0];
    const sampled = await native.upload('/v1/timbres/{id}/sample', { id: voice.id }, new Uint8Array(readFileSync('demo/assets/tone-low.wav')));
    assert.ok(sampled.sample);
    await assert.rejects(
      native.upload('/v1/timbres/{id}/image', { id: voice.id }, new Uint8Array([1, 2, 3])),
      (e: any) => e instanceof TimbrelClientError && e.status === 415,
    );

    const seenAnchors: string[] = [];
    for await (const a of ivh().anchors('real_man_3d')) seenAnchors.push(a.AnchorCode);
    assert.equal(new Set(seenAnchors).size, 150);
    const looks: string[] = [];
    for await (const l of ivh().looks('real_man_3d')) looks.push(l.VirtualmanKey);
    assert.equal(new Set(looks).size, 130);
    assert.deepEqual((await ivh().getAction({ VirtualmanKey: looks[0] })).Actions, [{ ActionName: 'Wave', ActionCode: 'wave', ActionSample: '' }]);
    assert.deepEqual(await ivh().getServiceAsset({ PageIndex: 1, PageSize: 10 }), { ServiceAssetInfos: [], Total: 0 });
    const legacy = await ivh().callDeprecated<{ VirtualmanResources: { AppKey: string }[] }>('getanchor', { VirtualmanTypeCode: 'cartoon_3d' });
    assert.equal(legacy.VirtualmanResources[0].AppKey, app.ivhAppKey);

    const dashed = looks[0].replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    assert.deepEqual(await zego().getDigitalHumanRenderInfo(dashed), { ClientInferencePackageUrl: 'https://p.example/r.zip', IsSupportSmallImageMode: true });
    const models = (await zego().describeMetaHumanModel()).MetaHumanModels;
    assert.ok(models.length >= 151);
    const detail = await zego().describeMetaHumanModelDetail(models.find((m) => m.MetaHumanModelName === 'Anchor 0')!.MetaHumanModelId);
    assert.deepEqual(
      detail.MetaHumans.map((m) => m.MetaHumanName),
      ['Look 0'],
    );
    assert.deepEqual(await zego().describeMetaHuman(dashed), { FrameFillUrl: '' });
  });

  test('the native helpers cover the whole write surface: update (If-Match), retire, restore, bind, reorder, unbind, anchors', async () => {
    // As the app (its own private assets: the public catalog the other tests count stays as it is).
    const native = new TimbrelClient({ baseUrl: base, token: (await h.services.access.createKey(app)).text });
    const t1 = await native.createTimbre({ key: 'helper_1', name: 'Helper 1' });
    const t2 = await native.createTimbre({ key: 'helper_2', name: 'Helper 2' });
    assert.equal((await native.updateTimbre(t1.id, { description: 'changed' })).description, 'changed');
    await assert.rejects(
      native.updateTimbre(t1.id, { description: 'again' }, { ifMatch: '"stale"' }),
      (e: any) => e instanceof TimbrelClientError && e.status === 412,
    );
    assert.equal((await native.retireTimbre(t2.id, { replacedBy: t1.id })).replacedBy, t1.id);
    assert.equal((await native.restoreTimbre(t2.id)).status, 'active');
    const d = await native.createDigitalHuman({ name: 'Helper host', anchorCode: 'helper_host' });
    assert.equal(d.anchor?.code, 'helper_host');
    assert.equal((await native.updateDigitalHuman(d.id, { poseName: 'seated' })).poseName, 'seated');
    await native.bindTimbre(d.id, t1.id);
    await native.bindTimbre(d.id, t2.id);
    await native.reorderBindings(d.id, [t2.id, t1.id], t1.id);
    const bound = await native.boundTimbres(d.id);
    assert.deepEqual(
      bound.map((b) => [b.timbre.id, b.isDefault]),
      [
        [t2.id, false],
        [t1.id, true],
      ],
    );
    await native.unbindTimbre(d.id, t2.id);
    assert.deepEqual(
      (await native.boundTimbres(d.id)).map((b) => b.timbre.id),
      [t1.id],
    );
    assert.equal((await native.retireDigitalHuman(d.id)).status, 'retired');
    assert.equal((await native.restoreDigitalHuman(d.id)).status, 'active');
    const a = d.anchor!;
    assert.equal((await native.updateAnchor(a.id, { tag: 'Advanced' })).tag, 'Advanced');
    await assert.rejects(native.deleteAnchor(a.id), (e: any) => e instanceof TimbrelClientError && e.status === 409);
    assert.equal((await native.retireAnchor(a.id)).status, 'retired');
    assert.equal((await native.restoreAnchor(a.id)).status, 'active');
    const lone = await native.createAnchor({ code: 'helper_lone', name: 'Lone', avatarType: 'real_man_2d' });
    await native.deleteAnchor(lone.id);
    await assert.rejects(native.getAnchor(lone.id), (e: any) => e instanceof TimbrelClientError && e.status === 404);
  });

  test('the event log: events.list pages to the head, events.stream follows it live and stops on abort', async () => {
    const native = new TimbrelClient({ baseUrl: base, token: admin });
    const head = (await native.api.GET('/v1/events', { params: { query: { after: 'now' } } })).data!.next;
    const controller = new AbortController();
    const streamed: { type: string; object: { id: string } }[] = [];
    const following = (async () => {
      for await (const e of native.events.stream({ after: head, types: 'timbre.*', signal: controller.signal })) {
        streamed.push(e);
        if (streamed.length === 3) controller.abort();
      }
    })();
    // Written as the app (its own timbres: the public catalog the other tests count stays as it is).
    const writer = new TimbrelClient({ baseUrl: base, token: (await h.services.access.createKey(app)).text });
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await writer.createTimbre({ key: `evt_sdk_${i}`, name: `Event ${i}` })).id);
    await following;
    assert.deepEqual(
      streamed.map((e) => [e.type, e.object.id]),
      made.map((id) => ['timbre.created', id]),
    );
    const listed = [];
    for await (const e of native.events.list({ after: head, types: 'timbre.created', limit: 2 })) listed.push(e.object.id);
    assert.deepEqual(listed, made, 'paged two at a time to the head, each once');
    await assert.rejects(
      async () => {
        for await (const e of native.events.list({ after: 'x' })) void e;
      },
      (err: TimbrelClientError) => err.code === 'cursor_invalid' && err.status === 400,
    );
  });

  test('a burst over the rate limit completes through retries, no error surfaced', async () => {
    await h.services.apps.setRateLimit('sdk', 5);
    try {
      const before = await metric();
      const z = zego();
      const i = ivh();
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, k) => (k % 2 ? z.getTimbreList({ Limit: 1 }) : i.describeTimbre({ PageIndex: 1, PageSize: 1 }))),
      );
      assert.equal(results.length, 24);
      assert.ok((await metric()) - before >= 10, 'the server refused part of the burst (the retries did the work)');
    } finally {
      await h.services.apps.setRateLimit('sdk', 100_000);
    }
  });

  async function metric() {
    const text = await (await fetch(`${base}/metrics`)).text();
    return Number(/^timbrel_rate_limit_rejections_total\{app="sdk"\} (\d+)/m.exec(text)?.[1] ?? 0);
  }

  test('failures are typed values carrying the vendor code', async () => {
    const wrong = new ZegoClient({ baseUrl: base, appId: app.zegoAppId, serverSecret: 'x'.repeat(32), retries: 0 });
    const zerr = await wrong.getTimbreList().catch((e) => e);
    assert.ok(zerr instanceof TimbrelClientError);
    assert.equal(zerr.dialect, 'zego');
    const raw = await h.inject({
      method: 'POST',
      url: `/?Action=GetTimbreList&AppId=${app.zegoAppId}&SignatureNonce=ab&Timestamp=${Math.floor(Date.now() / 1000)}&Signature=${'0'.repeat(32)}&SignatureVersion=2.0`,
      payload: '{}',
    });
    assert.equal(zerr.code, JSON.parse(raw.body).Code, "ZEGO's own code");
    const nerr = await new TimbrelClient({ baseUrl: base, token: admin }).getTimbre('no-such-id').catch((e) => e);
    assert.ok(nerr instanceof TimbrelClientError);
    assert.deepEqual([nerr.dialect, nerr.code, nerr.status], ['native', 'timbre_not_found', 404]);
    const ierr = await ivh()
      .getImageTimbre({ VirtualmanKey: 'nope' })
      .catch((e) => e);
    assert.ok(ierr instanceof TimbrelClientError && ierr.dialect === 'ivh' && typeof ierr.code === 'number' && ierr.code !== 0);
    const down = await new ZegoClient({ baseUrl: 'http://127.0.0.1:1', appId: 1, serverSecret: 'x', retries: 1, baseDelayMs: 1 })
      .getTimbreList()
      .catch((e) => e);
    assert.deepEqual([down.code, down.status], ['network', 0]);
  });

  test("the README's examples run against the server", async () => {
    const readme = readFileSync('packages/client/README.md', 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.equal(blocks.length, 4);
    const dir = mkdtempSync(join(process.cwd(), 'test/sdk/.examples-'));
    try {
      for (const [i, code] of blocks.entries()) {
        const file = join(dir, `example-${i}.mts`);
        writeFileSync(file, code);
        const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
          env: {
            ...process.env,
            TIMBREL_URL: base,
            TIMBREL_TOKEN: admin,
            ZEGO_APP_ID: String(app.zegoAppId),
            ZEGO_SERVER_SECRET: app.zegoServerSecret,
            IVH_APPKEY: app.ivhAppKey,
            IVH_ACCESSTOKEN: app.ivhAccessToken,
            SAMPLE_WAV: join(process.cwd(), 'demo/assets/tone-low.wav'),
          },
        });
        assert.ok(stdout.trim().length > 0, `example ${i} printed something`);
        if (i === 0) assert.match(stdout, /5000 English timbres|10000 English timbres/);
        if (i === 1) assert.match(stdout, /^the log's timbre events go up to \d+$/m);
        if (i === 2) assert.match(stdout, /^10000 timbres; first: Voice/m);
        if (i === 3) assert.match(stdout, /IVH said \d+/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
