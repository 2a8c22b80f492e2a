/**
 * The key dialects' relay when the vendor misbehaves, on both engines: a vendor that drops mid-audio cuts
 * the client's answer (never a short one taken as whole), a silent vendor is a 504 in the dialect's shape,
 * one that stalls mid-body is cut at the timeout, a client that leaves stops the vendor's answer, and
 * 10,000 relayed speech calls leak no sockets and no memory.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { request } from 'undici';
import { testEngines } from '../engines.js';
import { harness, importRecords, type Harness } from '../helpers.js';
import { setUpstream } from '../../src/upstream/settings.js';

const VENDOR_KEY = 'sk_faulty_vendor_0001';
const VOICE = 'faultyVoice000000001';

/** A vendor that answers per voice-id path: streams, drops, stays silent or stalls; it notes the answers cut short. */
async function faultyVendor() {
  const cut: string[] = [];
  let answered = 0;
  const server: Server = createServer((req, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '';
      if (req.headers['xi-api-key'] !== VENDOR_KEY) {
        res.writeHead(401);
        return void res.end();
      }
      res.once('close', () => {
        if (!res.writableFinished) cut.push(path);
      });
      if (path.endsWith('/silent/stream')) return; // never answers
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      res.write(Buffer.alloc(1000, 1));
      if (path.endsWith('/drop/stream')) return void setTimeout(() => req.socket.destroy(), 20);
      if (path.endsWith('/stall/stream')) return; // the first chunk, then nothing
      if (path.endsWith('/long/stream')) {
        const timer = setInterval(() => res.write(Buffer.alloc(1000, 2)), 10);
        res.once('close', () => clearInterval(timer));
        return;
      }
      answered++;
      res.end(Buffer.alloc(1000, 3));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hostPort: url.slice(7),
    cut,
    answered: () => answered,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

for (const engine of await testEngines())
  describe(`the key dialects' relay when the vendor misbehaves (${engine})`, () => {
    let h: Harness;
    let vendor: Awaited<ReturnType<typeof faultyVendor>>;
    let base: string;
    let key: string;

    before(async () => {
      vendor = await faultyVendor();
      h = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: vendor.hostPort, TIMBREL_UPSTREAM_TIMEOUT_MS: '800' }, Date.now(), engine);
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      const app = await h.services.apps.create({ name: 'shop', rateLimit: 1_000_000 });
      key = (await h.services.access.createKey(app)).text;
      await setUpstream(h.services, undefined, 'elevenlabs', { url: vendor.url, apiKey: VENDOR_KEY });
      await importRecords(
        h.services,
        ['drop', 'silent', 'stall', 'long', VOICE].map((k) => ({ kind: 'timbre', key: k, name: k })),
      );
    });
    after(async () => {
      await h?.close();
      await vendor?.close();
    });

    const speak = (voice: string, signal?: AbortSignal) =>
      request(`${base}/elevenlabs/v1/text-to-speech/${voice}/stream`, {
        method: 'POST',
        headers: { 'xi-api-key': key, 'content-type': 'application/json' },
        body: '{"text":"hello"}',
        signal,
      });

    test('a vendor that drops mid-audio cuts the client’s answer: never a short one taken as whole', async () => {
      const res = await speak('drop');
      assert.equal(res.statusCode, 200);
      await assert.rejects(res.body.arrayBuffer(), 'the body fails instead of ending early');
    });

    test('a silent vendor is a 504 in ElevenLabs’ shape; one that stalls mid-body is cut at the timeout', async () => {
      const started = performance.now();
      const silent = await speak('silent');
      assert.equal(silent.statusCode, 504);
      const body = (await silent.body.json()) as { detail: { status: string; message: string } };
      assert.equal(body.detail.status, 'upstream_unavailable');
      assert.equal(body.detail.message, 'system busy: the upstream vendor did not answer in time');
      assert.ok(performance.now() - started < 5000);
      const stall = await speak('stall');
      assert.equal(stall.statusCode, 200);
      await assert.rejects(stall.body.arrayBuffer());
    });

    test('a client that leaves mid-audio stops the vendor’s answer', async () => {
      const controller = new AbortController();
      const res = await speak('long', controller.signal);
      assert.equal(res.statusCode, 200);
      for await (const _chunk of res.body) break;
      controller.abort();
      for (let i = 0; i < 100 && !vendor.cut.some((p) => p.includes('/long/')); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(
        vendor.cut.some((p) => p.includes('/long/')),
        'the vendor saw its answer cut when the client left',
      );
    });

    test('10,000 relayed speech calls leak no sockets and no memory', async () => {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const fds = () => readdirSync('/proc/self/fd').length;
      const heap = () => (gc(), gc(), process.memoryUsage().heapUsed);
      const burst = async (n: number, concurrency = 50) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < n) {
              next++;
              const res = await speak(VOICE);
              assert.equal(res.statusCode, 200);
              assert.equal((await res.body.arrayBuffer()).byteLength, 2000);
            }
          }),
        );
      };
      await burst(2000);
      await burst(2000);
      const warm = { fds: fds(), heap: heap() };
      const before = vendor.answered();
      await burst(10_000);
      const end = { fds: fds(), heap: heap() };
      assert.equal(vendor.answered() - before, 10_000);
      const mb = (n: number) => (n / 1048576).toFixed(1);
      process.stderr.write(
        `  key relay leak check over 10,000 calls (${engine}): open fds ${warm.fds} → ${end.fds}, heap ${mb(warm.heap)} → ${mb(end.heap)} MB\n`,
      );
      assert.ok(end.fds <= warm.fds + 4 * 50, `open file descriptors ${warm.fds} → ${end.fds}`);
      assert.ok(end.heap - warm.heap < 4 * 1024 * 1024, `heap ${mb(warm.heap)} → ${mb(end.heap)} MB`);
    });
  });
