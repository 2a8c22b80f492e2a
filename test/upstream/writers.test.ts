/**
 * The sync is a writer among writers, on both engines: while it pulls a vendor's catalog (reached through
 * a TCP proxy of the test's own, cut part way and restored), apps' clients write over HTTP and read the
 * catalog. Every acknowledged write is there afterwards, readers never got a failure, the sync rode out
 * the vendor's drop and ended with the vendor's catalog, and a second sync wrote nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, importRecords, zegoQuery, type Harness } from '../helpers.js';
import { testEngines } from '../engines.js';
import { tcpProxy, type Proxy } from '../proxy.js';
import type { App } from '../../src/core/types.js';
import { setUpstream } from '../../src/upstream/settings.js';
import { syncUpstream } from '../../src/upstream/sync/index.js';
import { VENDOR_ZEGO } from './stub-vendor.js';
import { listening, mediaFrom, zegoCatalog } from './catalogs.js';

for (const engine of await testEngines())
  describe(`sync beside concurrent writers, the vendor cut mid-sync (${engine})`, () => {
    let vendor: Harness;
    let vendorUrl: string;
    let proxy: Proxy;
    let local: Harness;
    let localUrl: string;
    let shop: App;
    let key: string;

    before(async () => {
      vendor = await harness();
      vendorUrl = await listening(vendor);
      await vendor.services.apps.create({ name: 'vendor-app', rateLimit: 1_000_000, zegoAppId: VENDOR_ZEGO.appId, zegoServerSecret: VENDOR_ZEGO.serverSecret });
      await importRecords(vendor.services, [
        ...Array.from({ length: 60 }, (_, i) => ({
          kind: 'digitalHuman',
          id: `${String(i).padStart(8, '0')}-0000-4000-8000-00000000000${i % 2 ? 1 : 0}`,
          ...(i % 3 ? {} : { owner: 'vendor-app' }),
          name: `Look ${i}`,
          sortOrder: i % 4,
        })),
        ...Array.from({ length: 6000 }, (_, i) => ({ kind: 'timbre', key: `pub_${i}`, name: `Voice ${i}`, sortOrder: i % 9 })),
        ...Array.from({ length: 120 }, (_, i) => ({ kind: 'timbre', owner: 'vendor-app', key: `own_${i}`, name: `Own ${i}` })),
        ...Array.from({ length: 120 }, (_, i) => ({
          kind: 'binding',
          owner: 'vendor-app',
          digitalHuman: `${String(i % 60).padStart(8, '0')}-0000-4000-8000-00000000000${(i % 60) % 2 ? 1 : 0}`,
          timbre: `own_${i}`,
        })),
      ]);
      const target = new URL(vendorUrl);
      proxy = await tcpProxy({ host: target.hostname, port: Number(target.port) });
      local = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: `127.0.0.1:${proxy.port}`, ...mediaFrom(vendorUrl) }, Date.now(), engine);
      // Real time: the writers' rate windows and the sync's pacing move with it.
      Object.defineProperty(local.clock, 'ms', { get: () => Date.now() });
      localUrl = await listening(local);
      shop = await local.services.apps.create({ name: 'shop', rateLimit: 1_000_000 });
      key = (await local.services.access.createKey(shop)).text;
      await setUpstream(local.services, 'shop', 'zego', {
        url: `http://127.0.0.1:${proxy.port}`,
        appId: VENDOR_ZEGO.appId,
        serverSecret: VENDOR_ZEGO.serverSecret,
        rateLimit: 2000,
      });
    });
    after(async () => {
      await local?.close();
      await proxy?.close();
      await vendor?.close();
    });

    test('writers, readers and the sync together; the vendor dropped and back', async () => {
      let syncing = true;
      const acknowledged: { id: string; name: string }[] = [];
      let readerFailures = 0;
      let reads = 0;
      const writer = async (w: number) => {
        for (let i = 0; syncing; i++) {
          const res = await fetch(`${localUrl}/v1/timbres`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ key: `w${w}_${i}`, name: `written ${w}/${i}` }),
          });
          const body = (await res.json()) as { id: string; name: string };
          if (res.status === 201) acknowledged.push({ id: body.id, name: body.name });
          else assert.ok(res.status === 503, `a write answered ${res.status}: ${JSON.stringify(body)}`);
        }
      };
      const reader = async () => {
        while (syncing) {
          const res = await fetch(`${localUrl}/?Action=GetTimbreList&${zegoQuery(shop, Date.now())}`, {
            method: 'POST',
            body: JSON.stringify({ Offset: Math.floor(Math.random() * 5000), Limit: 20 }),
          });
          const body = (await res.json()) as { Code: number };
          reads++;
          if (body.Code !== 0) readerFailures++;
        }
      };
      const sync = syncUpstream(local.services, 'shop', 'zego', {
        onProgress: (r) => {
          // Part way through the public timbres, the vendor drops off the network for a second.
          if (r.created >= 2000 && !cut) {
            cut = true;
            void proxy
              .cut()
              .then(() => new Promise((res) => setTimeout(res, 1000)))
              .then(() => proxy.restore());
          }
        },
      });
      let cut = false;
      const clients = [...Array.from({ length: 4 }, (_, w) => writer(w)), reader(), reader()];
      const report = await sync;
      syncing = false;
      await Promise.all(clients);
      assert.ok(cut, 'the vendor was cut during the sync');
      assert.equal(report.outcome, 'completed', report.error);
      assert.equal(readerFailures, 0, `${readerFailures} of ${reads} reads failed`);
      assert.ok(acknowledged.length > 20, `${acknowledged.length} writes acknowledged`);
      for (const a of acknowledged) assert.equal((await local.services.repo.timbres.byId(a.id))?.name, a.name, `acknowledged write ${a.id}`);
      process.stderr.write(
        `  ${engine}: sync of ${report.created} rows (${report.pages} requests) beside ${acknowledged.length} acknowledged writes and ${reads} reads\n`,
      );
      assert.deepEqual(
        await zegoCatalog(localUrl, shop.zegoAppId, shop.zegoServerSecret),
        await zegoCatalog(vendorUrl, VENDOR_ZEGO.appId, VENDOR_ZEGO.serverSecret),
      );
      const again = await syncUpstream(local.services, 'shop', 'zego');
      assert.deepEqual([again.outcome, again.created, again.updated, again.retired, again.restored], ['completed', 0, 0, 0, 0]);
    });
  });
