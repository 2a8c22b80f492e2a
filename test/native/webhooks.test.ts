/**
 * Webhooks over real sockets, on both engines: a receiver of the tests' own that fails on cue, the
 * dispatcher delivering the event log to it (signatures checked with the `standardwebhooks` package),
 * retries with the same webhook-id, a delivery given up and redelivered, pings, secret rotation, the tenant
 * rule, the outbound rules for endpoint URLs, a slow endpoint beside a fast one, two dispatchers on one
 * database delivering each event once, and a server killed mid-delivery whose delivery another one makes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { Webhook as Verifier } from 'standardwebhooks';
import { freshPostgres, testEngines } from '../engines.js';
import { nativeFixture, type Harness } from '../helpers.js';
import { serve } from '../processes.js';
import { WebhookDispatcher } from '../../src/webhooks/index.js';
import { loadConfig } from '../../src/config.js';
import { openServices, type Services } from '../../src/services.js';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** An endpoint of the test's own: records every POST; `answer` decides each reply (status, or hold it). */
async function receiver() {
  const got: Received[] = [];
  const held: ServerResponse[] = [];
  let answer: (r: Received) => number | 'hold' = () => 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString(), at: Date.now() };
      got.push(r);
      const a = answer(r);
      if (a === 'hold') return void held.push(res);
      res.writeHead(a, { 'content-type': 'text/plain' });
      res.end(a === 200 ? 'thanks' : `no (${a})`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    hostPort: `127.0.0.1:${port}`,
    got,
    on: (f: typeof answer) => (answer = f),
    of: (path: string) => got.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((r) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const until = async (what: string, ok: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

const quiet = { warn: () => undefined };

for (const engine of await testEngines())
  describe(`webhooks: signed, retried, redelivered, guarded (${engine})`, () => {
    let h: Harness;
    let hook: Awaited<ReturnType<typeof receiver>>;
    let base: string;
    let admin: string;
    let alphaKey: string;
    let betaKey: string;
    let dispatcher: WebhookDispatcher;
    let ticking: NodeJS.Timeout;

    before(async () => {
      hook = await receiver();
      const f = await nativeFixture(engine, {
        TIMBREL_OUTBOUND_ALLOW_HTTP: hook.hostPort,
        TIMBREL_OUTBOUND_ALLOW_PRIVATE: '127.0.0.1/32',
        TIMBREL_WEBHOOK_RETRY_SCHEDULE: '0,0.2,0.2',
        TIMBREL_WEBHOOK_TIMEOUT_SECONDS: '1',
        TIMBREL_WEBHOOK_DISABLE_AFTER_SECONDS: '2',
      });
      ({ h, admin, alphaKey, betaKey } = f);
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      // The harness's clock stands still unless moved: here it follows the wall clock (retries come due by it).
      ticking = setInterval(() => (h.clock.ms = Date.now()), 10);
      dispatcher = new WebhookDispatcher(h.services, quiet);
      dispatcher.start();
    });
    after(async () => {
      clearInterval(ticking);
      await dispatcher?.stop();
      await h?.close();
      await hook?.close();
    });

    const call = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await request(`${base}${path}`, {
        method: method as 'GET',
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
    };
    const endpoint = async (token: string, path: string, extra: Record<string, unknown> = {}) => {
      const r = await call('POST', '/v1/webhooks', token, { url: hook.url(path), ...extra });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { id: string; secret: string; app: string | null };
    };
    const verified = (secret: string, r: Received) =>
      new Verifier(secret).verify(r.body, {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      }) as { id: string; seq: number; type: string; object: { owner: string; id: string } };

    test('a dispatcher that idled without an endpoint delivers to the first one added', async () => {
      // Rounds with nothing to do (no endpoint, no change) once stopped the dispatcher for good.
      await new Promise((r) => setTimeout(r, 1200));
      const ep = await endpoint(alphaKey, '/first');
      assert.equal((await call('POST', '/v1/timbres', alphaKey, { key: 'wh_first', name: 'first' })).status, 201);
      await until('the first endpoint delivered to', () => hook.of('/first').length >= 1);
      assert.equal(verified(ep.secret, hook.of('/first')[0]).type, 'timbre.created');
      assert.equal((await call('DELETE', `/v1/webhooks/${ep.id}`, alphaKey)).status, 204);
      // Idle again, without an endpoint, then a test ping to a new one.
      await new Promise((r) => setTimeout(r, 1200));
      const again = await endpoint(alphaKey, '/again');
      assert.equal((await call('POST', `/v1/webhooks/${again.id}/test`, alphaKey)).status, 202);
      await until('the ping delivered', () => hook.of('/again').length >= 1);
      assert.equal((await call('DELETE', `/v1/webhooks/${again.id}`, alphaKey)).status, 204);
    });

    test("an app's endpoint gets the public catalog's events and its own, signed, in order; never another app's", async () => {
      const ep = await endpoint(alphaKey, '/alpha');
      assert.match(ep.secret, /^whsec_[A-Za-z0-9+/]{32}$/);
      assert.equal(ep.app, 'alpha');
      const listed = await call('GET', '/v1/webhooks', alphaKey);
      assert.deepEqual(
        listed.body.items.map((w: { id: string }) => w.id),
        [ep.id],
      );
      assert.ok(!JSON.stringify(listed.body).includes(ep.secret), 'the secret is shown once');
      for (const [token, key] of [
        [alphaKey, 'wh_alpha_1'],
        [betaKey, 'wh_beta_1'],
        [admin, 'wh_public_1'],
        [alphaKey, 'wh_alpha_2'],
      ])
        assert.equal((await call('POST', '/v1/timbres', token, { key, name: key })).status, 201);
      await until('three deliveries', () => hook.of('/alpha').length >= 3);
      await new Promise((r) => setTimeout(r, 300));
      const events = hook.of('/alpha').map((r) => verified(ep.secret, r));
      assert.deepEqual(
        events.map((e) => [e.type, e.object.owner]),
        [
          ['timbre.created', 'alpha'],
          ['timbre.created', 'public'],
          ['timbre.created', 'alpha'],
        ],
      );
      const r0 = hook.of('/alpha')[0];
      assert.equal(r0.headers['webhook-id'], events[0].id, 'webhook-id is the event id');
      assert.match(String(r0.headers['user-agent']), /^timbrel\/\d+\.\d+\.\d+/);
      assert.equal(r0.headers['content-type'], 'application/json');
      assert.ok(Math.abs(Number(r0.headers['webhook-timestamp']) - Date.now() / 1000) < 10);
      assert.throws(() => verified('whsec_' + Buffer.alloc(24, 1).toString('base64'), r0), 'another secret does not verify');
      // beta cannot see or touch alpha's endpoint.
      assert.equal((await call('GET', `/v1/webhooks/${ep.id}`, betaKey)).status, 404);
      assert.equal((await call('DELETE', `/v1/webhooks/${ep.id}`, betaKey)).status, 404);
      const deliveries = await call('GET', `/v1/webhooks/${ep.id}/deliveries`, alphaKey);
      assert.equal(deliveries.body.items.length, 3);
      assert.ok(
        deliveries.body.items.every(
          (d: { status: string; lastStatus: number; attempts: number }) => d.status === 'succeeded' && d.lastStatus === 200 && d.attempts === 1,
        ),
      );
      assert.equal(deliveries.body.items[0].lastResponse, 'thanks');
      assert.equal((await call('DELETE', `/v1/webhooks/${ep.id}`, alphaKey)).status, 204);
    });

    test('a failing endpoint is retried with the same webhook-id until it answers 2xx', async () => {
      let failures = 2;
      hook.on((r) => (r.path === '/flaky' && failures-- > 0 ? 500 : 200));
      const ep = await endpoint(admin, '/flaky', { types: ['timbre.created'] });
      assert.equal(ep.app, null, "the operator's own endpoint");
      assert.equal((await call('POST', '/v1/timbres', admin, { key: 'wh_retried', name: 'Retried' })).status, 201);
      await until('three attempts', () => hook.of('/flaky').length >= 3);
      const ids = hook.of('/flaky').map((r) => r.headers['webhook-id']);
      assert.equal(new Set(ids).size, 1, 'every attempt carries the same webhook-id');
      let d: { status: string; attempts: number; lastStatus: number } | undefined;
      for (let i = 0; i < 40 && d?.status !== 'succeeded'; i++) {
        d = (await call('GET', `/v1/webhooks/${ep.id}/deliveries`, admin)).body.items[0];
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual([d!.status, d!.attempts, d!.lastStatus], ['succeeded', 3, 200]);
      hook.on(() => 200);
      await call('DELETE', `/v1/webhooks/${ep.id}`, admin);
    });

    test('a delivery out of attempts has failed; redeliver sends it again with the same webhook-id; test sends a ping', async () => {
      hook.on((r) => (r.path === '/down' ? 503 : 200));
      const ep = await endpoint(admin, '/down', { types: ['timbre.*'] });
      assert.equal((await call('POST', '/v1/timbres', admin, { key: 'wh_given_up', name: 'Given up' })).status, 201);
      // The schedule has three retries: four attempts in all.
      await until('four attempts', () => hook.of('/down').length >= 4);
      let failed: { id: string; status: string; attempts: number; eventId: string } | undefined;
      for (let i = 0; i < 40 && failed?.status !== 'failed'; i++) {
        failed = (await call('GET', `/v1/webhooks/${ep.id}/deliveries`, admin)).body.items[0];
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual([failed!.status, failed!.attempts], ['failed', 4]);
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(hook.of('/down').length, 4, 'no attempt after the last');
      hook.on(() => 200);
      const again = await call('POST', `/v1/webhooks/${ep.id}/deliveries/${failed!.id}/redeliver`, admin);
      assert.equal(again.status, 202);
      assert.equal(again.body.redeliveryOf, failed!.id);
      await until('redelivered', () => hook.of('/down').length >= 5);
      assert.equal(hook.of('/down')[4].headers['webhook-id'], failed!.eventId);
      const ping = await call('POST', `/v1/webhooks/${ep.id}/test`, admin);
      assert.equal(ping.status, 202);
      await until('pinged', () => hook.of('/down').length >= 6);
      const pinged = verified(ep.secret, hook.of('/down')[5]);
      assert.deepEqual([pinged.type, pinged.seq], ['ping', 0]);
      // As often as asked: the same delivery again, and the ping again, each with its own webhook-id.
      const twice = await call('POST', `/v1/webhooks/${ep.id}/deliveries/${failed!.id}/redeliver`, admin);
      assert.equal(twice.status, 202, JSON.stringify(twice.body));
      const pingAgain = await call('POST', `/v1/webhooks/${ep.id}/deliveries/${ping.body.id}/redeliver`, admin);
      assert.equal(pingAgain.status, 202, JSON.stringify(pingAgain.body));
      assert.equal(pingAgain.body.redeliveryOf, ping.body.id);
      await until('redelivered twice and pinged again', () => hook.of('/down').length >= 8);
      assert.deepEqual(
        hook
          .of('/down')
          .slice(6)
          .map((r) => r.headers['webhook-id'])
          .sort(),
        [failed!.eventId, hook.of('/down')[5].headers['webhook-id']].sort(),
      );
      await call('DELETE', `/v1/webhooks/${ep.id}`, admin);
    });

    test('a rotated secret: both signatures for a day, each verifies', async () => {
      const ep = await endpoint(admin, '/rotated', { types: ['timbre.created'] });
      const rotated = await call('POST', `/v1/webhooks/${ep.id}/rotate-secret`, admin);
      assert.equal(rotated.status, 200);
      assert.notEqual(rotated.body.secret, ep.secret);
      assert.equal((await call('POST', '/v1/timbres', admin, { key: 'wh_rotated', name: 'Rotated' })).status, 201);
      await until('delivered', () => hook.of('/rotated').length >= 1);
      const r = hook.of('/rotated')[0];
      assert.equal(String(r.headers['webhook-signature']).split(' ').length, 2);
      assert.equal(verified(ep.secret, r).type, 'timbre.created');
      assert.equal(verified(rotated.body.secret, r).type, 'timbre.created');
      await call('DELETE', `/v1/webhooks/${ep.id}`, admin);
    });

    test('outbound rules: a plain-http or credentialed URL is refused; a name resolving to a private address is refused when connecting', async () => {
      for (const url of ['http://10.1.2.3/hook', 'https://user:pw@example.com/hook', 'ftp://example.com/', 'not a url']) {
        const r = await call('POST', '/v1/webhooks', admin, { url });
        assert.equal(r.status, 400, url);
        assert.equal(r.body.code, 'invalid_parameter_value');
      }
      // localhost over https: registered, but its address (loopback, port not listed) is refused at connect time.
      const ep = await call('POST', '/v1/webhooks', admin, { url: 'https://localhost:9/never', types: ['timbre.created'] });
      assert.equal(ep.status, 201);
      const before = hook.got.length;
      assert.equal((await call('POST', '/v1/timbres', admin, { key: 'wh_guarded', name: 'Guarded' })).status, 201);
      let d: { lastError: string | null; attempts: number } | undefined;
      for (let i = 0; i < 60 && !d?.lastError; i++) {
        d = (await call('GET', `/v1/webhooks/${ep.body.id}/deliveries`, admin)).body.items[0];
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.match(d!.lastError ?? '', /loopback|private|not allowed|refused/i);
      assert.equal(hook.got.length, before);
      await call('DELETE', `/v1/webhooks/${ep.body.id}`, admin);
    });

    test('an endpoint failing past the limit is disabled (an event tells the operator); enabling it again clears the streak', async () => {
      hook.on((r) => (r.path === '/broken' ? 500 : 200));
      const ep = await endpoint(admin, '/broken', { types: ['timbre.created'] });
      const start = (await call('GET', '/v1/events?after=now', admin)).body.next;
      for (let i = 0; i < 3; i++) {
        assert.equal((await call('POST', '/v1/timbres', admin, { key: `wh_broken_${i}`, name: `Broken ${i}` })).status, 201);
        await new Promise((r) => setTimeout(r, 1100));
      }
      let w: { status: string; disabledReason: string | null } | undefined;
      for (let i = 0; i < 60 && w?.status !== 'disabled'; i++) {
        w = (await call('GET', `/v1/webhooks/${ep.id}`, admin)).body;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(w!.status, 'disabled');
      assert.match(w!.disabledReason ?? '', /failing since/);
      const events = (await call('GET', `/v1/events?after=${start}&types=webhook.*`, admin)).body.data;
      assert.deepEqual(
        events.map((e: { type: string; object: { id: string } }) => [e.type, e.object.id]),
        [['webhook.disabled', ep.id]],
      );
      assert.deepEqual((await call('GET', `/v1/events?after=${start}&types=webhook.*`, alphaKey)).body.data, [], "the operator's news only");
      hook.on(() => 200);
      const enabled = await call('PATCH', `/v1/webhooks/${ep.id}`, admin, { status: 'enabled' });
      assert.deepEqual([enabled.body.status, enabled.body.failingSince, enabled.body.disabledReason], ['enabled', null, null]);
      await call('DELETE', `/v1/webhooks/${ep.id}`, admin);
    });

    test('one slow endpoint never delays another', async () => {
      hook.on((r) => (r.path === '/slow' ? 'hold' : 200));
      const slow = await endpoint(admin, '/slow', { types: ['timbre.created'] });
      const fast = await endpoint(admin, '/fast', { types: ['timbre.created'] });
      const t0 = Date.now();
      for (let i = 0; i < 3; i++) assert.equal((await call('POST', '/v1/timbres', admin, { key: `wh_speed_${i}`, name: `Speed ${i}` })).status, 201);
      await until('the fast endpoint has all three', () => hook.of('/fast').length >= 3, 3000);
      assert.ok(Date.now() - t0 < 1500, `the fast endpoint was served in ${Date.now() - t0} ms while the slow one held its first delivery`);
      assert.equal(hook.of('/slow').length, 1, 'the slow endpoint has one delivery in flight at a time');
      hook.on(() => 200);
      await call('DELETE', `/v1/webhooks/${slow.id}`, admin);
      await call('DELETE', `/v1/webhooks/${fast.id}`, admin);
    });
  });

for (const engine of await testEngines())
  describe(`webhooks on many instances (${engine})`, () => {
    let hook: Awaited<ReturnType<typeof receiver>>;
    const dir = mkdtempSync(join(tmpdir(), 'timbrel-webhooks-'));
    let drop: (() => Promise<void>) | undefined;
    let env: Record<string, string>;
    const opened: Services[] = [];
    after(async () => {
      for (const s of opened) await s.close();
      await hook?.close();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    before(async () => {
      hook = await receiver();
      env = {
        TIMBREL_DATA_DIR: join(dir, 'data'),
        TIMBREL_OUTBOUND_ALLOW_HTTP: hook.hostPort,
        TIMBREL_OUTBOUND_ALLOW_PRIVATE: '127.0.0.1/32',
        TIMBREL_WEBHOOK_TIMEOUT_SECONDS: '1',
        TIMBREL_WEBHOOK_RETRY_SCHEDULE: '0.2,0.2,0.2',
      };
      if (engine === 'postgres') {
        const db = await freshPostgres();
        drop = db.drop;
        env.DATABASE_URL = db.url;
      }
    });
    const open = async () => {
      const s = await openServices(loadConfig(env));
      opened.push(s);
      return s;
    };

    test('two dispatchers on one database deliver each event once', async () => {
      const a = await open();
      const b = await open();
      const w = {
        id: 'wh_' + 'a'.repeat(32),
        appId: '',
        url: hook.url('/many'),
        description: '',
        types: ['timbre.created'],
        secret: 'whsec_' + Buffer.alloc(24, 7).toString('base64'),
        previousSecret: null,
        previousUntil: null,
        status: 'enabled' as const,
        disabledReason: null,
        failingSince: null,
        cursor: await a.repo.events.head(),
        createdAt: Date.now(),
        updatedAt: Date.now(),
      };
      await a.repo.webhooks.insert(w);
      const d1 = new WebhookDispatcher(a, quiet);
      const d2 = new WebhookDispatcher(b, quiet);
      d1.start();
      d2.start();
      const n = 40;
      await Promise.all(Array.from({ length: n }, (_, i) => (i % 2 ? a : b).repo.timbres.create(base(i) as never)));
      await until(`${n} deliveries`, () => hook.of('/many').length >= n, 10_000);
      await new Promise((r) => setTimeout(r, 500));
      const ids = hook.of('/many').map((r) => String(r.headers['webhook-id']));
      assert.equal(ids.length, n, 'no event delivered twice');
      assert.equal(new Set(ids).size, n);
      await d1.stop();
      await d2.stop();
    });

    test('a server killed mid-delivery: another instance delivers once its lease runs out, with the same webhook-id', async () => {
      const server = await serve(env);
      const s = await open();
      const w = {
        id: 'wh_' + 'b'.repeat(32),
        appId: '',
        url: hook.url('/killed'),
        description: '',
        types: ['timbre.created'],
        secret: 'whsec_' + Buffer.alloc(24, 9).toString('base64'),
        previousSecret: null,
        previousUntil: null,
        status: 'enabled' as const,
        disabledReason: null,
        failingSince: null,
        cursor: await s.repo.events.head(),
        createdAt: Date.now(),
        updatedAt: Date.now(),
      };
      await s.repo.webhooks.insert(w);
      // The endpoint holds the first attempt: the server is killed while it waits for the answer.
      hook.on((r) => (r.path === '/killed' && hook.of('/killed').length === 1 ? 'hold' : 200));
      await s.repo.timbres.create(base(1000) as never);
      await until('the server sent it', () => hook.of('/killed').length >= 1, 5000);
      server.proc.kill('SIGKILL');
      await server.exited;
      const taker = new WebhookDispatcher(s, quiet);
      taker.start();
      // The dead server's lease (timeout 1 s + 5 s) runs out; then this instance delivers it.
      await until('delivered by another instance', () => hook.of('/killed').length >= 2, 15_000);
      const [first, second] = hook.of('/killed');
      assert.equal(second.headers['webhook-id'], first.headers['webhook-id']);
      assert.ok(second.at - first.at >= 4000, 'not before the lease ran out');
      await taker.stop();
    });
  });

/** A timbre to create straight through the store. */
function base(i: number) {
  const now = Date.now();
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    owner: '',
    key: `many_${i}`,
    name: `Many ${i}`,
    description: '',
    gender: 'neutral',
    languages: [],
    emotions: [],
    timbreType: 'Boutique',
    supportedAvatarTypes: [],
    driverTypes: [],
    expiresAt: null,
    image: null,
    sample: null,
    languageSamples: {},
    tags: [],
    age: '',
    accent: '',
    useCases: [],
    status: 'active',
    replacedBy: null,
    sortOrder: i,
    createdAt: now,
    updatedAt: now,
  };
}
