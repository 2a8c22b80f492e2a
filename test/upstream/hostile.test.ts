/**
 * A sync against a vendor that attacks (docs/gateway.md, "Security"): each persona of the hostile vendor
 * is one finding of a review that tried the gateway as a hostile vendor would. On both engines where rows
 * are written. The operator here allow-lists only the vendor's own origin (plain http on loopback), as
 * one would for a test upstream; nothing else of this machine is open to the sync.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { harness, importRecords, type Harness } from '../helpers.js';
import { testEngines } from '../engines.js';
import type { App } from '../../src/core/types.js';
import { openServices } from '../../src/services.js';
import { setUpstream } from '../../src/upstream/settings.js';
import { LEASE_TTL_MS, syncUpstream } from '../../src/upstream/sync/index.js';
import { VENDOR_ZEGO } from './stub-vendor.js';
import { listening } from './catalogs.js';
import { PNG, hostileVendor, internalService, rawVendor, type HostileVendor } from './hostile-vendor.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Samples this process's RSS while `run` runs: the peak above what it was before. */
async function rssGrowth<T>(run: () => Promise<T>): Promise<{ result: T; grewMb: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, grewMb: (peak - base) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

for (const engine of await testEngines()) {
  describe(`a sync against a hostile vendor (${engine})`, () => {
    let vendor: HostileVendor;
    let local: Harness;
    let localUrl: string;
    let shop: App;
    let internal: Awaited<ReturnType<typeof internalService>>;

    const reset = () =>
      Object.assign(vendor.persona, {
        digitalHumans: [],
        timbres: [],
        bound: {},
        total: undefined,
        repeatPages: false,
        endless: false,
        delayMs: 0,
        hugeAnswerBytes: 0,
        fail: undefined,
      });
    const sync = (name = 'shop', env = local) => syncUpstream(env.services, name, 'zego');

    before(async () => {
      vendor = await hostileVendor();
      internal = await internalService();
      local = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: vendor.hostPort }, Date.now(), engine);
      localUrl = await listening(local);
      // Plain http is open to the internal service and to timbrel itself: what stops a request there is
      // the address rule, which this suite is about.
      const open = [internal.port, new URL(localUrl).port].flatMap((port) => [
        `127.0.0.1:${port}`,
        `localhost:${port}`,
        `[::ffff:7f00:1]:${port}`,
        `0.0.0.0:${port}`,
      ]);
      local.services.config.outboundAllowHttp.push(...open);
      shop = await local.services.apps.create({ name: 'shop', rateLimit: 100_000 });
      await setUpstream(local.services, 'shop', 'zego', {
        url: vendor.url,
        appId: VENDOR_ZEGO.appId,
        serverSecret: VENDOR_ZEGO.serverSecret,
        rateLimit: 100_000,
      });
    });
    after(async () => {
      await local?.close();
      await vendor?.close();
      await internal?.close();
    });

    test("SSRF: media URLs at internal addresses, timbrel itself, with credentials or through a redirect are never fetched; the vendor's own origin is", async () => {
      reset();
      vendor.media.set('ok.png', { bytes: Buffer.concat([PNG, Buffer.from('ok')]), hits: 0 });
      vendor.media.set('jump.png', { redirect: `http://127.0.0.1:${internal.port}/redirected.png`, hits: 0 });
      const hostile = [
        `http://127.0.0.1:${internal.port}/secret.png`,
        `http://localhost:${internal.port}/secret.png`,
        `HTTP://127.0.0.1:${internal.port}/capitals.png`,
        `http://user:pass@127.0.0.1:${internal.port}/credentials.png`,
        `http://[::ffff:127.0.0.1]:${internal.port}/mapped.png`,
        `http://0.0.0.0:${internal.port}/unspecified.png`,
        `http://2130706433:${internal.port}/decimal.png`,
        `${localUrl}/metrics`,
        `${localUrl}/readyz`,
        `${localUrl}/v1/export`,
        `${vendor.url}/media/jump.png`,
        'file:///etc/passwd',
        `stored:${'a'.repeat(64)}`,
      ];
      vendor.persona.timbres = [
        ...hostile.map((AvatarUrl, i) => ({ TimbreId: uuid(100 + i), Name: `Hostile ${i}`, AvatarUrl })),
        { TimbreId: uuid(199), Name: 'Honest', AvatarUrl: `${vendor.url}/media/ok.png?sig=1` },
      ];
      const r = await sync();
      assert.equal(r.outcome, 'completed', r.error);
      assert.equal(internal.hits(), 0, 'no request reached the internal service');
      assert.equal(vendor.media.get('jump.png')!.hits, 1, 'the redirect was asked for, its target refused');
      const honest = await local.services.repo.timbres.byId(uuid(199));
      assert.match(honest!.image!, /^stored:[0-9a-f]{64}$/, "media on the upstream's own origin is copied");
      for (let i = 0; i < hostile.length; i++) assert.equal((await local.services.repo.timbres.byId(uuid(100 + i)))!.image, null, hostile[i]);
      assert.equal(r.fileErrors, hostile.length - 2, 'every fetched-and-refused URL is counted (file: and stored: are not fetched at all)');
      const why = r.rowErrors.join('\n');
      assert.match(why, /loopback address/);
      assert.match(why, /credentials/);
      assert.match(why, /unspecified address/);
      assert.match(why, /timbrel's own listening address/);
      assert.doesNotMatch(why, /Error|at Object|undefined/, "reasons in timbrel's words");
    });

    test("SSRF: an operator who opens a private range still never opens timbrel's own address", async () => {
      const open = await harness(
        {
          TIMBREL_UPSTREAM_ALLOW_HTTP: vendor.hostPort,
          TIMBREL_OUTBOUND_ALLOW_PRIVATE: '127.0.0.0/8',
          TIMBREL_OUTBOUND_ALLOW_HTTP: `127.0.0.1:${internal.port}`,
        },
        Date.now(),
        engine,
      );
      try {
        const ownUrl = await listening(open);
        const ownPort = new URL(ownUrl).port;
        open.services.config.outboundAllowHttp.push(`127.0.0.1:${ownPort}`, `localhost:${ownPort}`);
        await open.services.apps.create({ name: 'shop', rateLimit: 100_000 });
        await setUpstream(open.services, 'shop', 'zego', {
          url: vendor.url,
          appId: VENDOR_ZEGO.appId,
          serverSecret: VENDOR_ZEGO.serverSecret,
          rateLimit: 100_000,
        });
        reset();
        vendor.persona.timbres = [
          { TimbreId: uuid(300), Name: 'Listed range', AvatarUrl: `http://127.0.0.1:${internal.port}/allowed.png` },
          { TimbreId: uuid(301), Name: 'Itself', AvatarUrl: `${ownUrl}/readyz` },
          { TimbreId: uuid(302), Name: 'Itself by name', AvatarUrl: ownUrl.replace('127.0.0.1', 'localhost') + '/metrics' },
        ];
        const before = internal.hits();
        const r = await sync('shop', open);
        assert.equal(r.outcome, 'completed', r.error);
        assert.equal(internal.hits(), before + 1, 'the listed range is reachable');
        assert.match((await open.services.repo.timbres.byId(uuid(300)))!.image!, /^stored:/);
        assert.equal((await open.services.repo.timbres.byId(uuid(301)))!.image, null);
        assert.equal((await open.services.repo.timbres.byId(uuid(302)))!.image, null);
        assert.equal(r.rowErrors.filter((e) => e.includes("timbrel's own listening address")).length, 2);
      } finally {
        await open.close();
      }
    });

    test('memory: a row over its limits is refused before any of its media is fetched; large media stream to disk', async () => {
      reset();
      for (let i = 0; i < 120; i++) vendor.media.set(`preview-${i}.png`, { size: 12 * 2 ** 20, hits: 0 });
      vendor.persona.digitalHumans = [
        {
          DigitalHumanId: uuid(400),
          Name: 'Too many actions',
          IsPublic: true,
          Actions: Array.from({ length: 120 }, (_, i) => ({ Action: `a${i}`, PreviewUrl: `${vendor.url}/media/preview-${i}.png` })),
        },
        ...Array.from({ length: 20 }, (_, i) => ({
          DigitalHumanId: uuid(410 + i),
          Name: `Big picture ${i}`,
          IsPublic: true,
          AvatarUrl: `${vendor.url}/media/preview-${i}.png`,
          Actions: [],
        })),
      ];
      const { result: r, grewMb } = await rssGrowth(() => sync());
      process.stderr.write(`  ${engine}: 20 pictures of 12 MB copied, RSS +${grewMb.toFixed(0)} MB\n`);
      assert.equal(r.outcome, 'completed', r.error);
      assert.equal(await local.services.repo.digitalHumans.byId(uuid(400)), undefined, 'the row over its limits is not written');
      assert.match(r.rowErrors.join('\n'), /digitalHuman 00000000-0000-4000-8000-000000000400: .*actions/);
      for (let i = 20; i < 120; i++) assert.equal(vendor.media.get(`preview-${i}.png`)!.hits, 0, 'none of its previews was fetched');
      assert.equal(r.files, 20);
      assert.ok(grewMb < 100, `a sync of 240 MB of media grew RSS by ${grewMb.toFixed(0)} MB`);
    });

    test('memory: a 250 MB answer is cut at TIMBREL_SYNC_MAX_ANSWER_BYTES; the sync stops and says why', async () => {
      reset();
      vendor.persona.hugeAnswerBytes = 250 * 2 ** 20;
      const { result: r, grewMb } = await rssGrowth(() => sync());
      process.stderr.write(`  ${engine}: a 250 MB answer, RSS +${grewMb.toFixed(0)} MB\n`);
      assert.equal(r.outcome, 'failed');
      assert.equal(r.stopped, 'answer_too_large');
      assert.match(r.error!, /TIMBREL_SYNC_MAX_ANSWER_BYTES/);
      assert.ok(grewMb < 100, `RSS grew by ${grewMb.toFixed(0)} MB`);
    });

    test('paging that never ends: a repeated page stops the walk at once; the next sync is not blocked', async () => {
      reset();
      vendor.persona.timbres = Array.from({ length: 20 }, (_, i) => ({ TimbreId: uuid(500 + i), Name: `Loop ${i}` }));
      vendor.persona.total = 1e9;
      vendor.persona.repeatPages = true;
      vendor.calls.GetTimbreList = 0;
      const started = performance.now();
      const r = await sync();
      assert.equal(r.outcome, 'failed');
      assert.equal(r.stopped, 'repeated_page');
      assert.equal(vendor.calls.GetTimbreList, 2, 'the second page (a repeat) ends it');
      assert.ok(performance.now() - started < 5000);
      assert.equal(r.retired, 0);
      vendor.persona.repeatPages = false;
      vendor.persona.total = undefined;
      const again = await sync();
      assert.equal(again.outcome, 'completed', again.error);
    });

    test('paging that never ends: new ids on every page stop at TIMBREL_SYNC_MAX_ROWS', async () => {
      const capped = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: vendor.hostPort, TIMBREL_SYNC_MAX_ROWS: '100' }, Date.now(), engine);
      try {
        await capped.services.apps.create({ name: 'shop', rateLimit: 100_000 });
        await setUpstream(capped.services, 'shop', 'zego', {
          url: vendor.url,
          appId: VENDOR_ZEGO.appId,
          serverSecret: VENDOR_ZEGO.serverSecret,
          rateLimit: 100_000,
        });
        reset();
        vendor.persona.endless = true;
        const r = await sync('shop', capped);
        assert.equal(r.outcome, 'failed');
        assert.equal(r.stopped, 'row_cap');
        assert.match(r.error!, /TIMBREL_SYNC_MAX_ROWS \(100\)/);
      } finally {
        await capped.close();
      }
    });

    test('a sync that runs past TIMBREL_SYNC_MAX_SECONDS stops and says so', async () => {
      const slow = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: vendor.hostPort, TIMBREL_SYNC_MAX_SECONDS: '1' }, Date.now(), engine);
      try {
        await slow.services.apps.create({ name: 'shop', rateLimit: 100_000 });
        await setUpstream(slow.services, 'shop', 'zego', {
          url: vendor.url,
          appId: VENDOR_ZEGO.appId,
          serverSecret: VENDOR_ZEGO.serverSecret,
          rateLimit: 100_000,
        });
        reset();
        vendor.persona.endless = true;
        vendor.persona.delayMs = 100;
        const started = performance.now();
        const r = await sync('shop', slow);
        assert.equal(r.stopped, 'time_cap');
        assert.equal(r.outcome, 'failed');
        assert.ok(performance.now() - started < 3000);
      } finally {
        await slow.close();
      }
    });

    test('two instances on one database: one sync of an upstream at a time, the other is told it runs', async () => {
      reset();
      vendor.persona.timbres = Array.from({ length: 200 }, (_, i) => ({ TimbreId: uuid(1000 + i), Name: `Twin ${i}` }));
      vendor.persona.delayMs = 20;
      const twin = await openServices(local.services.config);
      try {
        const outcomes = await Promise.allSettled([syncUpstream(local.services, 'shop', 'zego'), syncUpstream(twin, 'shop', 'zego')]);
        const done = outcomes.filter((o) => o.status === 'fulfilled');
        const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        assert.equal(done.length, 1, JSON.stringify(outcomes.map((o) => o.status)));
        assert.equal((done[0] as PromiseFulfilledResult<{ outcome: string }>).value.outcome, 'completed');
        assert.match(String(refused[0].reason?.message), /is running/);
        // Once it is done, the other instance may run it.
        assert.equal((await syncUpstream(twin, 'shop', 'zego')).outcome, 'completed');
      } finally {
        await twin.close();
      }
    });

    test('a running sync is cancelled through /v1 (DELETE), wherever it runs; a second cancel finds none', async () => {
      reset();
      vendor.persona.endless = true;
      vendor.persona.delayMs = 50;
      const admin = await local.services.access.rotateAdminToken();
      const call = (method: string) =>
        local.inject({ method: method as 'POST', url: '/v1/apps/shop/upstreams/zego/sync', headers: { authorization: `Bearer ${admin}` } });
      assert.equal((await call('POST')).statusCode, 202);
      assert.equal((await call('POST')).statusCode, 409, 'one sync of an upstream at a time');
      await sleep(300);
      const del = await call('DELETE');
      assert.equal(del.statusCode, 202, del.body);
      let last = (await local.services.repo.upstreams.list(shop.id))[0].lastSync!;
      for (let i = 0; i < 100 && last.outcome === 'running'; i++) {
        await sleep(50);
        last = (await local.services.repo.upstreams.list(shop.id))[0].lastSync!;
      }
      assert.equal(last.outcome, 'cancelled');
      assert.equal(last.stopped, 'cancelled');
      assert.equal(last.retired, 0);
      assert.equal((await call('DELETE')).statusCode, 404);
    });

    test('a lease left by a dead process never blocks the next sync; a live holder elsewhere does', async () => {
      reset();
      const leases = local.services.repo.upstreams;
      // A process of this machine that is gone (pid far past pid_max) left its lease behind.
      assert.equal(await leases.takeLease(shop.id, 'zego', `${hostname()}:4194999:dead`, local.services.now(), LEASE_TTL_MS), `${hostname()}:4194999:dead`);
      assert.equal((await sync()).outcome, 'completed');
      // Another instance's lease, still renewed: this one waits its turn.
      await leases.takeLease(shop.id, 'zego', 'other-host:1:live', local.services.now(), LEASE_TTL_MS);
      await assert.rejects(sync(), /is running/);
      await leases.releaseLease(shop.id, 'zego', 'other-host:1:live');
    });

    test('a vendor that never answers holds a sync only for TIMBREL_SYNC_RETRY_SECONDS', async () => {
      const silent = await rawVendor(null);
      const h = await harness(
        { TIMBREL_UPSTREAM_ALLOW_HTTP: silent.hostPort, TIMBREL_SYNC_RETRY_SECONDS: '2', TIMBREL_UPSTREAM_TIMEOUT_MS: '500' },
        Date.now(),
        engine,
      );
      try {
        await h.services.apps.create({ name: 'shop', rateLimit: 100_000 });
        await setUpstream(h.services, 'shop', 'zego', {
          url: silent.url,
          appId: VENDOR_ZEGO.appId,
          serverSecret: VENDOR_ZEGO.serverSecret,
          rateLimit: 100_000,
        });
        const started = performance.now();
        const r = await sync('shop', h);
        assert.equal(r.outcome, 'failed');
        assert.equal(r.stopped, 'retry_budget');
        assert.ok(performance.now() - started < 10_000, `${performance.now() - started} ms`);
      } finally {
        await h.close();
        await silent.close();
      }
    });

    test("garbled answers (101, two Content-Lengths, status 999) are reported as such, in timbrel's words", async () => {
      const answers = {
        'a 101': 'HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\n',
        'two lengths': 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{"a":1}',
        'status 999': 'HTTP/1.1 999 Odd\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
      };
      for (const [what, raw] of Object.entries(answers)) {
        const bad = await rawVendor(raw);
        const h = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: bad.hostPort, TIMBREL_SYNC_RETRY_SECONDS: '2' }, Date.now(), engine);
        try {
          await h.services.apps.create({ name: 'shop', rateLimit: 100_000 });
          await setUpstream(h.services, 'shop', 'zego', { url: bad.url, appId: VENDOR_ZEGO.appId, serverSecret: VENDOR_ZEGO.serverSecret, rateLimit: 100_000 });
          const r = await sync('shop', h);
          assert.equal(r.outcome, 'failed', what);
          assert.equal(r.stopped, 'vendor_error', `${what}: ${r.error}`);
          assert.match(r.error!, /not HTTP|HTTP status 999/, what);
        } finally {
          await h.close();
          await bad.close();
        }
      }
    });

    test("a vendor's text reaches the report without control characters", async () => {
      reset();
      vendor.persona.fail = { code: 400010001, message: 'boom\u001b[2J\u001b]0;pwned\u0007\r\nFAKE: all good' };
      const r = await sync();
      assert.equal(r.outcome, 'failed');
      assert.match(r.error!, /400010001: boom/);
      assert.doesNotMatch(r.error!, /[\u0000-\u001f\u007f]/);
    });

    test("sources cannot collide: two apps with one AppId at different URLs never retire each other's rows", async () => {
      reset();
      const second = await hostileVendor();
      try {
        const c = await local.services.apps.create({ name: 'c-app', rateLimit: 100_000 });
        await local.services.apps.create({ name: 'd-app', rateLimit: 100_000 });
        await local.services.config.upstreamAllowHttp.push(second.hostPort);
        await setUpstream(local.services, 'c-app', 'zego', {
          url: vendor.url,
          appId: VENDOR_ZEGO.appId,
          serverSecret: VENDOR_ZEGO.serverSecret,
          rateLimit: 100_000,
        });
        await setUpstream(local.services, 'd-app', 'zego', {
          url: second.url,
          appId: VENDOR_ZEGO.appId,
          serverSecret: VENDOR_ZEGO.serverSecret,
          rateLimit: 100_000,
        });
        vendor.persona.digitalHumans = [{ DigitalHumanId: uuid(600), Name: "C's own", IsPublic: false }];
        vendor.persona.timbres = [{ TimbreId: uuid(601), Name: 'C public voice' }];
        vendor.persona.bound = { [uuid(600)]: [{ TimbreId: uuid(602), Name: "C's own voice" }] };
        const rc = await sync('c-app');
        assert.equal(rc.outcome, 'completed', rc.error);
        const rd = await sync('d-app');
        assert.equal(rd.outcome, 'completed', rd.error);
        assert.equal(rd.retired, 0);
        for (const id of [uuid(601), uuid(602)]) assert.equal((await local.services.repo.timbres.byId(id))!.status, 'active');
        const dh = await local.services.repo.digitalHumans.byId(uuid(600));
        assert.equal(dh!.status, 'active');
        assert.equal(dh!.owner, c.id);
        assert.deepEqual(
          (await local.services.repo.bindings.of(uuid(600), [c.id])).map((b) => b.timbreId),
          [uuid(602)],
        );
      } finally {
        await second.close();
      }
    });

    test('ids in another spelling (upper case, 32 hex) are stored once, in one spelling, and never flap', async () => {
      reset();
      const dhId = uuid(700);
      const voiceId = uuid(701);
      vendor.persona.digitalHumans = [{ DigitalHumanId: dhId.toUpperCase(), Name: 'Shouted', IsPublic: true }];
      vendor.persona.timbres = [{ TimbreId: voiceId.replace(/-/g, ''), Name: 'Hex voice' }];
      const first = await sync();
      assert.equal(first.outcome, 'completed', first.error);
      assert.equal((await local.services.repo.digitalHumans.byId(dhId))!.status, 'active');
      assert.equal((await local.services.repo.timbres.byId(voiceId))!.status, 'active');
      const second = await sync();
      assert.deepEqual(
        { created: second.created, updated: second.updated, retired: second.retired, restored: second.restored },
        { created: 0, updated: 0, retired: 0, restored: 0 },
      );
      assert.equal((await local.services.repo.timbres.byId(voiceId))!.status, 'active');
    });

    test('a synced public timbre never takes a key an app holds privately', async () => {
      reset();
      const holder = await local.services.apps.create({ name: 'key-holder', rateLimit: 100_000 });
      const key = uuid(800);
      await importRecords(local.services, [{ kind: 'timbre', owner: 'key-holder', key, name: 'Mine' }]);
      vendor.persona.timbres = [{ TimbreId: key, Name: 'Vendor public voice' }];
      const r = await sync();
      assert.equal(r.outcome, 'completed', r.error);
      assert.equal(r.conflicts, 1);
      assert.match(r.rowErrors.join('\n'), /held by an app's private timbre/);
      assert.equal(await local.services.repo.timbres.byId(key), undefined);
      const holders = await local.services.repo.timbres.keyHolders(local.services.repo.db, [key]);
      assert.deepEqual(
        holders.get(key)!.map((h) => h.owner),
        [holder.id],
      );
    });

    test("a vendor's bindings never reach another tenant's private rows", async () => {
      reset();
      await local.services.apps.create({ name: 'victim', rateLimit: 100_000 });
      await importRecords(local.services, [
        { kind: 'digitalHuman', owner: 'victim', id: uuid(900), name: "Victim's look" },
        { kind: 'timbre', owner: 'victim', id: uuid(901), key: 'victim-voice', name: "Victim's voice" },
      ]);
      vendor.persona.digitalHumans = [
        { DigitalHumanId: uuid(900), Name: 'Claimed', IsPublic: false },
        { DigitalHumanId: uuid(902), Name: 'Fresh public look', IsPublic: true },
      ];
      vendor.persona.bound = { [uuid(900)]: [{ TimbreId: uuid(901), Name: 'Claimed voice' }], [uuid(902)]: [{ TimbreId: uuid(901), Name: 'Claimed voice' }] };
      const r = await sync();
      assert.equal(r.outcome, 'completed', r.error);
      assert.ok(r.conflicts >= 2, `${r.conflicts} conflicts`);
      assert.deepEqual(await local.services.repo.bindings.of(uuid(900), [shop.id]), []);
      assert.deepEqual(await local.services.repo.bindings.of(uuid(902), [shop.id]), []);
      const victim = (await local.services.repo.digitalHumans.byId(uuid(900)))!;
      assert.equal(victim.name, "Victim's look");
      assert.equal((await local.services.repo.timbres.byId(uuid(901)))!.name, "Victim's voice");
    });
  });
}
