/**
 * Sync (upstream.md §3-4): a second timbrel server plays the vendor, holding 20,000 timbres, 510 digital
 * humans, anchors, bindings and stored pictures, behind a stub that also plays the vendor's streaming
 * actions. A local timbrel syncs from it through the vendors' own list APIs; afterwards every catalog
 * action answers the same ids, names and bindings from both, a second sync writes nothing, a killed sync
 * rerun ends the same, what the vendor drops is retired only after a complete sync, and the app's whole
 * ZEGO flow runs through timbrel.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IvhClient, ZegoClient } from '@timbrel/client';
import { harness, importRecords, type Harness } from '../helpers.js';
import { BIN, serve } from '../processes.js';
import type { App } from '../../src/core/types.js';
import { setUpstream } from '../../src/upstream/settings.js';
import { syncUpstream } from '../../src/upstream/sync/index.js';
import { loadConfig } from '../../src/config.js';
import { openServices, type Services } from '../../src/services.js';
import { buildApp } from '../../src/app.js';
import { VENDOR_IVH, VENDOR_ZEGO, stubVendor, type StubVendor } from './stub-vendor.js';
import { ivhCatalog, listening, mediaFrom, zegoCatalog } from './catalogs.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PUBLIC_TIMBRES = 19_000;
const OWN_TIMBRES = 1_000;

/** The vendor's catalog: public and the vendor app's own assets, another app's (never synced), pictures. */
async function vendorCatalog(s: Services): Promise<void> {
  await s.apps.create({
    name: 'vendor-app',
    rateLimit: 1_000_000,
    zegoAppId: VENDOR_ZEGO.appId,
    zegoServerSecret: VENDOR_ZEGO.serverSecret,
    ivhAppKey: VENDOR_IVH.appkey,
    ivhAccessToken: VENDOR_IVH.accesstoken,
  });
  await s.apps.create({ name: 'other', rateLimit: 1000 });
  const pictures: string[] = [];
  for (let i = 0; i < 20; i++) {
    const bytes = Buffer.concat([PNG, Buffer.from(`picture ${i}`)]);
    const id = await s.files.put(bytes, 'image/png');
    await s.repo.files.insert({ id, contentType: 'image/png', size: bytes.length, createdAt: s.now() });
    pictures.push(`stored:${id}`);
  }
  const types = ['real_man_2d', 'half_realistic_3d'];
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < 40; i++)
    records.push({
      kind: 'anchor',
      code: `a${i}`,
      name: `Anchor ${i}`,
      gender: i % 2 ? 'male' : 'female',
      tag: 'Standard',
      avatarType: types[i % 2],
      headerImage: i < 10 ? pictures[i] : null,
      sortOrder: i % 3,
    });
  for (let i = 0; i < 5; i++) records.push({ kind: 'anchor', owner: 'vendor-app', code: `p${i}`, name: `Own anchor ${i}`, avatarType: 'real_man_2d' });
  const dh = (i: number, owner: string | null, code: string, type: string) => ({
    kind: 'digitalHuman',
    id: createHash('sha1').update(`dh${owner}${i}`).digest('hex').slice(0, 32),
    ...(owner ? { owner } : {}),
    name: `Look ${owner ?? 'pub'} ${i}`,
    anchorCode: code,
    avatarType: type,
    clothesName: `clothes ${i % 4}`,
    poseName: i % 2 ? 'sitting' : 'standing',
    resolution: '1920x1080',
    headerImage: i < 20 ? pictures[i % 20] : null,
    actions:
      i % 3
        ? [
            { code: 'wave', name: 'Wave' },
            { code: 'nod', name: '' },
          ]
        : [],
    originZoom: 0.5 + (i % 5) / 10,
    sortOrder: i % 11,
  });
  for (let i = 0; i < 450; i++) records.push(dh(i, null, `a${i % 40}`, types[(i % 40) % 2]));
  for (let i = 0; i < 50; i++) records.push(dh(i, 'vendor-app', `p${i % 5}`, 'real_man_2d'));
  for (let i = 0; i < 10; i++) records.push(dh(i, 'other', `o${i}`, 'real_man_2d'));
  for (let i = 0; i < PUBLIC_TIMBRES; i++)
    records.push({
      kind: 'timbre',
      key: `pub_${i}`,
      name: `Voice ${i}`,
      gender: ['male', 'female', 'neutral'][i % 3],
      languages: ['zh-CN'],
      image: i < 20 ? pictures[i] : null,
      sortOrder: i % 7,
    });
  for (let i = 0; i < OWN_TIMBRES; i++)
    records.push({ kind: 'timbre', owner: 'vendor-app', key: `own_${i}`, name: `Own voice ${i}`, description: 'cloned', image: i < 5 ? pictures[i] : null });
  for (let i = 0; i < 100; i++) records.push({ kind: 'timbre', owner: 'other', key: `other_${i}`, name: `Other voice ${i}` });
  const dhId = (i: number, owner: string | null) => (dh(i, owner, '', '').id as string).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
  for (let i = 0; i < 450; i++)
    for (let k = 0; k < 3; k++) records.push({ kind: 'binding', digitalHuman: dhId(i, null), timbre: `pub_${(i * 3 + k) % PUBLIC_TIMBRES}`, sortOrder: k });
  for (let i = 0; i < 50; i++)
    for (let k = 0; k < 5; k++)
      records.push({ kind: 'binding', owner: 'vendor-app', digitalHuman: dhId(i, 'vendor-app'), timbre: `own_${i * 5 + k}`, sortOrder: k });
  for (let i = 0; i < 100; i++)
    for (let k = 0; k < 2; k++)
      records.push({ kind: 'binding', owner: 'vendor-app', digitalHuman: dhId(i, null), timbre: `own_${300 + i * 2 + k}`, sortOrder: k });
  const r = await importRecords(s, records);
  assert.equal(r.skipped, 0, r.conflicts.join('; '));
}

const EMPTY = { created: 0, updated: 0, retired: 0, restored: 0 };
const writes = (r: { created: number; updated: number; retired: number; restored: number }) => ({
  created: r.created,
  updated: r.updated,
  retired: r.retired,
  restored: r.restored,
});

describe('sync from a vendor account (a second timbrel server)', () => {
  let vendor: Harness;
  let vendorUrl: string;
  let stub: StubVendor;
  let local: Harness;
  let localUrl: string;
  let shop: App;

  before(async () => {
    vendor = await harness();
    vendorUrl = await listening(vendor);
    await vendorCatalog(vendor.services);
    stub = await stubVendor(vendorUrl);
    local = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: stub.hostPort, ...mediaFrom(vendorUrl) });
    localUrl = await listening(local);
    shop = await local.services.apps.create({ name: 'shop', rateLimit: 1_000_000 });
    await setUpstream(local.services, 'shop', 'zego', { url: stub.url, appId: VENDOR_ZEGO.appId, serverSecret: VENDOR_ZEGO.serverSecret, rateLimit: 5000 });
  });
  after(async () => {
    await local?.close();
    await stub?.close();
    await vendor?.close();
  });

  test('ZEGO: after a sync every catalog action answers the same ids, names and bindings from both servers', async () => {
    const started = performance.now();
    const r = await syncUpstream(local.services, 'shop', 'zego');
    const seconds = (performance.now() - started) / 1000;
    assert.equal(r.outcome, 'completed', r.error);
    const rows = r.created + r.updated;
    process.stderr.write(
      `  ZEGO sync: ${r.pages} requests, ${r.created} rows created, ${r.updated} updated, ${r.files} files, ${seconds.toFixed(1)} s, ${Math.round(rows / seconds)} rows/s\n`,
    );
    assert.equal(r.conflicts, 0);
    assert.equal(r.fileErrors, 0, r.rowErrors.join('; '));
    assert.ok(r.created >= PUBLIC_TIMBRES + 500, `${r.created} created`);
    assert.deepEqual(
      await zegoCatalog(localUrl, shop.zegoAppId, shop.zegoServerSecret),
      await zegoCatalog(vendorUrl, VENDOR_ZEGO.appId, VENDOR_ZEGO.serverSecret),
    );
  });

  test('expiring picture URLs are stored locally: the same bytes, served by this server', async () => {
    const t = await local.services.repo.db
      .selectFrom('timbres')
      .select(['id', 'image'])
      .where('image', 'is not', null)
      .where('owner', '=', '')
      .executeTakeFirst();
    assert.ok(t, 'a synced timbre with a picture');
    assert.match(t.image!, /^stored:[0-9a-f]{64}$/);
    const original = await vendor.services.repo.timbres.byId(t.id);
    assert.equal(t.image, original!.image, 'content-addressed: the same file id as the vendor stored');
    const url = local.services.urls.resolve(t.image);
    assert.ok(url.startsWith(localUrl), url);
    assert.deepEqual(Buffer.from(await (await fetch(url)).arrayBuffer()), await readAll(vendor, t.image!));
  });

  test('a second sync writes 0 rows', async () => {
    const r = await syncUpstream(local.services, 'shop', 'zego');
    assert.equal(r.outcome, 'completed', r.error);
    assert.deepEqual(writes(r), EMPTY);
    assert.equal(r.files, 0);
    assert.ok(r.unchanged >= PUBLIC_TIMBRES);
  });

  test("the app's ZEGO flow runs through timbrel: catalog from the synced copy, streaming relayed to the vendor", async () => {
    const z = new ZegoClient({ baseUrl: localUrl, appId: shop.zegoAppId, serverSecret: shop.zegoServerSecret });
    const before = stub.received.length;
    const dhs = await z.getDigitalHumanList({ Offset: 0, Limit: 20 });
    const voices = await z.getTimbreList({ Offset: 0, Limit: 20 });
    assert.equal(dhs.Total, 500);
    assert.equal(voices.Total, PUBLIC_TIMBRES);
    assert.equal(stub.received.length, before, 'the catalog was answered locally');
    const dh = dhs.DigitalHumans[0].DigitalHumanId;
    const task = await z.call<{ TaskId: string }>('CreateDigitalHumanStreamTask', {
      DigitalHumanId: dh,
      TimbreId: voices.Timbres[0].TimbreId,
      RTCConfig: { RoomId: 'room-1', StreamId: 'stream-1' },
    });
    assert.equal(task.TaskId, 'task-0001');
    assert.deepEqual(await z.call('DriveByText', { TaskId: task.TaskId, Text: '你好，欢迎光临' }), { DriveId: 'drive-0001' });
    assert.deepEqual(await z.call('QueryDigitalHumanStreamTasks', {}), { Tasks: [{ TaskId: 'task-0001', Status: 2 }] });
    assert.deepEqual(await z.call('StopDigitalHumanStreamTask', { TaskId: task.TaskId }), {});
    const relayed = stub.received.slice(before);
    assert.deepEqual(
      relayed.map((x) => x.query.Action),
      ['CreateDigitalHumanStreamTask', 'DriveByText', 'QueryDigitalHumanStreamTasks', 'StopDigitalHumanStreamTask'],
    );
    assert.ok(
      relayed.every((x) => x.signed && x.query.AppId === String(VENDOR_ZEGO.appId)),
      "the vendor saw its own app's signatures",
    );
    const wire = JSON.stringify(relayed);
    assert.ok(!wire.includes(shop.zegoServerSecret) && !wire.includes(String(shop.zegoAppId)), "timbrel's credentials never reached the vendor");
  });

  test('an asset the vendor drops is retired after the next complete sync, never after a failed one', async () => {
    const z = new ZegoClient({ baseUrl: vendorUrl, appId: VENDOR_ZEGO.appId, serverSecret: VENDOR_ZEGO.serverSecret });
    const gone = (await z.getTimbreList({ Offset: 0, Limit: 1 })).Timbres[0].TimbreId;
    const goneDh = (await z.getDigitalHumanList({ Offset: 0, Limit: 1 })).DigitalHumans[0].DigitalHumanId;
    await vendor.services.repo.timbres.change(gone, undefined, (t) => ({ ...t, status: 'retired' }));
    await vendor.services.repo.digitalHumans.change(goneDh, undefined, (d) => ({ ...d, status: 'retired' }));
    // The vendor fails part way: nothing is retired.
    stub.catalogCallsLeft = 300;
    const failed = await syncUpstream(local.services, 'shop', 'zego');
    stub.catalogCallsLeft = Infinity;
    assert.equal(failed.outcome, 'failed');
    assert.match(failed.error!, /400010000/);
    assert.equal(failed.retired, 0);
    assert.equal((await local.services.repo.timbres.byId(gone))!.status, 'active');
    const last = (await local.services.repo.upstreams.of(shop.id, 'zego'))!.lastSync!;
    assert.equal(last.outcome, 'failed');
    // A complete one retires them; their ids still resolve.
    const done = await syncUpstream(local.services, 'shop', 'zego');
    assert.equal(done.outcome, 'completed', done.error);
    assert.equal(done.retired, 2);
    assert.equal((await local.services.repo.timbres.byId(gone))!.status, 'retired');
    const info = await new ZegoClient({ baseUrl: localUrl, appId: shop.zegoAppId, serverSecret: shop.zegoServerSecret }).getDigitalHumanInfo(goneDh);
    assert.equal(info.DigitalHumanId, goneDh);
    assert.deepEqual(
      await zegoCatalog(localUrl, shop.zegoAppId, shop.zegoServerSecret),
      await zegoCatalog(vendorUrl, VENDOR_ZEGO.appId, VENDOR_ZEGO.serverSecret),
    );
    // Back at the vendor: restored here too.
    await vendor.services.repo.timbres.change(gone, undefined, (t) => ({ ...t, status: 'active' }));
    const again = await syncUpstream(local.services, 'shop', 'zego');
    assert.equal(again.restored, 1);
    assert.equal((await local.services.repo.timbres.byId(gone))!.status, 'active');
  });

  test("a row of the same id that is not this source's is never overwritten: a conflict", async () => {
    const other = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: stub.hostPort, ...mediaFrom(vendorUrl) });
    try {
      await other.services.apps.create({ name: 'shop', rateLimit: 1_000_000 });
      const z = new ZegoClient({ baseUrl: vendorUrl, appId: VENDOR_ZEGO.appId, serverSecret: VENDOR_ZEGO.serverSecret });
      const taken = (await z.getTimbreList({ Offset: 0, Limit: 1 })).Timbres[0];
      await importRecords(other.services, [{ kind: 'timbre', id: taken.TimbreId, key: 'mine', name: 'Local voice' }]);
      await setUpstream(other.services, 'shop', 'zego', { url: stub.url, appId: VENDOR_ZEGO.appId, serverSecret: VENDOR_ZEGO.serverSecret, rateLimit: 5000 });
      const r = await syncUpstream(other.services, 'shop', 'zego', { scope: 'public' });
      assert.equal(r.outcome, 'completed', r.error);
      assert.equal(r.conflicts, 1);
      assert.equal((await other.services.repo.timbres.byId(taken.TimbreId))!.name, 'Local voice');
    } finally {
      await other.close();
    }
  });

  test('IVH: after a sync every catalog path answers the same keys, names, anchors and bindings from both servers', async () => {
    const other = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: stub.hostPort, ...mediaFrom(vendorUrl) });
    try {
      const url = await listening(other);
      const app = await other.services.apps.create({ name: 'shop', rateLimit: 1_000_000 });
      await setUpstream(other.services, 'shop', 'ivh', { url: stub.url, appkey: VENDOR_IVH.appkey, accesstoken: VENDOR_IVH.accesstoken, rateLimit: 5000 });
      const started = performance.now();
      const r = await syncUpstream(other.services, 'shop', 'ivh');
      const seconds = (performance.now() - started) / 1000;
      assert.equal(r.outcome, 'completed', r.error);
      process.stderr.write(
        `  IVH sync: ${r.pages} requests, ${r.created} rows created, ${r.updated} updated, ${r.files} files, ${seconds.toFixed(1)} s, ${Math.round((r.created + r.updated) / seconds)} rows/s\n`,
      );
      assert.equal(r.conflicts, 0);
      assert.equal(r.fileErrors, 0);
      assert.deepEqual(await ivhCatalog(url, app.ivhAppKey, app.ivhAccessToken), await ivhCatalog(vendorUrl, VENDOR_IVH.appkey, VENDOR_IVH.accesstoken));
      // The relayed half: createsession goes to the vendor, re-signed.
      const before = stub.received.length;
      const session = await new IvhClient({ baseUrl: url, appkey: app.ivhAppKey, accesstoken: app.ivhAccessToken }).call<{ SessionId: string }>(
        'createsession',
        { VirtualmanProjectId: 'p-1' },
        '/v2/ivh/sessionmanager/sessionmanagerservice/',
      );
      assert.equal(session.SessionId, 'session-0001');
      const seen = stub.received.slice(before);
      assert.equal(seen.length, 1);
      assert.ok(seen[0].signed && seen[0].query.appkey === VENDOR_IVH.appkey);
      assert.ok(!JSON.stringify(seen).includes(app.ivhAccessToken));
      const second = await syncUpstream(other.services, 'shop', 'ivh');
      assert.deepEqual(writes(second), EMPTY);
    } finally {
      await other.close();
    }
  });

  test('a sync killed part way (SIGKILL of `timbrel sync`) and run again ends identical', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timbrel-sync-kill-'));
    const env = { ...process.env, TIMBREL_DATA_DIR: dir, TIMBREL_UPSTREAM_ALLOW_HTTP: stub.hostPort, ...mediaFrom(vendorUrl), TIMBREL_LOG_LEVEL: 'silent' };
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, [BIN, ...args], { env });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (c) => (stdout += c));
        p.stderr.on('data', (c) => (stderr += c));
        p.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    try {
      const created = JSON.parse((await cli(['apps', 'create', '--name', 'shop', '--json'])).stdout);
      const set = await cli([
        'apps',
        'upstream',
        'set',
        'shop',
        'zego',
        '--url',
        stub.url,
        '--app-id',
        String(VENDOR_ZEGO.appId),
        '--server-secret',
        VENDOR_ZEGO.serverSecret,
        '--rate-limit',
        '5000',
      ]);
      assert.equal(set.code, 0, set.stderr);
      // Killed once it has committed some thousands of rows.
      const killed = await new Promise<number>((resolve) => {
        const p = spawn(process.execPath, [BIN, 'sync', 'shop', '--json'], { env });
        let buf = '';
        let committed = 0;
        p.stdout.on('data', (c) => {
          buf += c;
          for (const line of buf.split('\n').slice(0, -1)) {
            const e = JSON.parse(line);
            if (e.event === 'progress') committed = e.created;
          }
          buf = buf.slice(buf.lastIndexOf('\n') + 1);
          if (committed >= 3000) p.kill('SIGKILL');
        });
        p.on('close', () => resolve(committed));
      });
      assert.ok(killed >= 3000 && killed < PUBLIC_TIMBRES, `killed after ${killed} rows`);
      const rerun = await cli(['sync', 'shop', '--json']);
      assert.equal(rerun.code, 0, rerun.stderr);
      const done = JSON.parse(rerun.stdout.trim().split('\n').at(-1)!);
      assert.equal(done.outcome, 'completed');
      assert.ok(done.unchanged >= 3000, `the rerun kept what the killed one wrote: ${done.unchanged} unchanged`);
      // Served from that data directory: the same catalog as the vendor's.
      const services = await openServices(loadConfig({ ...env, TIMBREL_PUBLIC_URL: 'http://127.0.0.1:1' } as NodeJS.ProcessEnv));
      const app = await buildApp(services);
      try {
        await app.listen({ port: 0, host: '127.0.0.1' });
        const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
        assert.deepEqual(
          await zegoCatalog(url, created.zego.AppId, created.zego.ServerSecret),
          await zegoCatalog(vendorUrl, VENDOR_ZEGO.appId, VENDOR_ZEGO.serverSecret),
        );
      } finally {
        await app.close();
        await services.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function readAll(h: Harness, ref: string): Promise<Buffer> {
  const stream = await h.services.files.read(ref.slice('stored:'.length));
  const chunks: Buffer[] = [];
  for await (const c of stream!) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe("sync at the vendor's default rate", () => {
  let vendor: Harness;
  let stub: StubVendor;
  let local: Harness;

  before(async () => {
    vendor = await harness();
    // The vendor's per-second windows need a clock that moves (the harness holds its clock still).
    Object.defineProperty(vendor.clock, 'ms', { get: () => Date.now() });
    const url = await listening(vendor);
    // ZEGO's documented limit: 10 requests a second for the app.
    await vendor.services.apps.create({
      name: 'vendor-app',
      rateLimit: 10,
      zegoAppId: VENDOR_ZEGO.appId,
      zegoServerSecret: VENDOR_ZEGO.serverSecret,
      ivhAppKey: VENDOR_IVH.appkey,
      ivhAccessToken: VENDOR_IVH.accesstoken,
    });
    await importRecords(vendor.services, [
      ...Array.from({ length: 5 }, (_, i) => ({ kind: 'digitalHuman', id: `0000000${i}-0000-4000-8000-000000000000`, name: `Look ${i}` })),
      ...Array.from({ length: 300 }, (_, i) => ({ kind: 'timbre', key: `v${i}`, name: `Voice ${i}` })),
    ]);
    stub = await stubVendor(url);
    local = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: stub.hostPort, ...mediaFrom(url) });
    await local.services.apps.create({ name: 'shop' });
  });
  after(async () => {
    await local?.close();
    await stub?.close();
    await vendor?.close();
  });

  const mostInOneSecond = (times: number[]) => {
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    return most;
  };

  test('at the default 10 requests a second it never exceeds the limit, and is never refused', async () => {
    await setUpstream(local.services, 'shop', 'zego', { url: stub.url, appId: VENDOR_ZEGO.appId, serverSecret: VENDOR_ZEGO.serverSecret });
    stub.arrivals.length = 0;
    const r = await syncUpstream(local.services, 'shop', 'zego');
    assert.equal(r.outcome, 'completed', r.error);
    assert.equal(r.created, 305);
    assert.ok(r.pages >= 20);
    assert.ok(mostInOneSecond(stub.arrivals) <= 10, `${mostInOneSecond(stub.arrivals)} requests within one second`);
    const refused = (await vendor.services.metrics.registry.getSingleMetricAsString('timbrel_rate_limit_rejections_total')).match(/app="vendor-app"} (\d+)/);
    assert.equal(refused, null, 'the vendor refused none');
  });

  test("past the vendor's limit, its rate-limit answers are retried and the sync completes", async () => {
    await setUpstream(local.services, 'shop', 'zego', { url: stub.url, appId: VENDOR_ZEGO.appId, serverSecret: VENDOR_ZEGO.serverSecret, rateLimit: 40 });
    await vendor.services.repo.timbres.change((await vendor.services.repo.timbres.byKey('v0', ['']))!.id, undefined, (t) => ({ ...t, name: 'Voice zero' }));
    const r = await syncUpstream(local.services, 'shop', 'zego');
    assert.equal(r.outcome, 'completed', r.error);
    assert.equal(r.updated, 1);
    const refused = Number(
      (await vendor.services.metrics.registry.getSingleMetricAsString('timbrel_rate_limit_rejections_total')).match(/app="vendor-app"} (\d+)/)?.[1] ?? 0,
    );
    assert.ok(refused > 0, 'the vendor refused some calls (400010009), and the sync retried them');
  });

  test('TIMBREL_SYNC_INTERVAL: a serving instance syncs every upstream on its own, and logs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timbrel-sync-schedule-'));
    const env = { TIMBREL_DATA_DIR: dir, TIMBREL_UPSTREAM_ALLOW_HTTP: stub.hostPort, TIMBREL_ADMIN_TOKEN: 'schedule-test-operator-token-0123456789' };
    const cli = (args: string[]) =>
      new Promise<number | null>((resolve) =>
        spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: 'ignore' }).on('close', resolve),
      );
    try {
      assert.equal(await cli(['apps', 'create', '--name', 'shop']), 0);
      assert.equal(
        await cli([
          'apps',
          'upstream',
          'set',
          'shop',
          'zego',
          '--url',
          stub.url,
          '--app-id',
          String(VENDOR_ZEGO.appId),
          '--server-secret',
          VENDOR_ZEGO.serverSecret,
          '--rate-limit',
          '8',
        ]),
        0,
      );
      const server = await serve({ ...env, TIMBREL_SYNC_INTERVAL: '1', TIMBREL_LOG_LEVEL: 'info' });
      try {
        let last: { outcome: string; created: number } | null = null;
        for (let i = 0; i < 200 && last?.outcome !== 'completed'; i++) {
          await new Promise((r) => setTimeout(r, 100));
          const u = await (
            await fetch(`${server.url}/v1/apps/shop/upstreams/zego`, { headers: { authorization: `Bearer ${env.TIMBREL_ADMIN_TOKEN}` } })
          ).json();
          last = u.lastSync;
        }
        assert.equal(last?.outcome, 'completed');
        assert.equal(last?.created, 305);
      } finally {
        server.proc.kill('SIGTERM');
        await server.exited;
      }
      // The log is buffered: whole once the process has exited.
      assert.match(server.stdout(), /"msg":"scheduled sync"/);
      assert.ok(!server.stdout().includes(VENDOR_ZEGO.serverSecret), 'the log never carries the upstream secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
