/**
 * Pass-through (upstream.md §2) over real sockets: a client → timbrel → a stub vendor that checks the
 * upstream signatures. Calls timbrel does not serve are relayed re-signed, answers stream back byte for
 * byte, and every way a vendor can fail gets the dialect's own answer while the server serves others.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { request } from 'undici';
import { request as httpRequest } from 'node:http';
import { harness, ivhQuery, zegoQuery, type Harness } from '../helpers.js';
import type { App } from '../../src/core/types.js';
import { setUpstream } from '../../src/upstream/settings.js';
import { VENDOR_IVH, VENDOR_ZEGO, closedPort, garbageServer, stubVendor, type StubVendor } from './stub-vendor.js';
import { rawVendor } from './hostile-vendor.js';

describe("pass-through to the app's upstream", () => {
  let h: Harness;
  let base: string;
  let stub: StubVendor;
  let garbage: Awaited<ReturnType<typeof garbageServer>>;
  let dead: string;
  let alpha: App;
  let beta: App;
  let gamma: App;
  let delta: App;

  before(async () => {
    stub = await stubVendor();
    garbage = await garbageServer();
    dead = await closedPort();
    h = await harness({
      TIMBREL_UPSTREAM_ALLOW_HTTP: [stub.hostPort, garbage.hostPort, dead].join(','),
      TIMBREL_UPSTREAM_TIMEOUT_MS: '1000',
      TIMBREL_UPSTREAM_CONNECT_TIMEOUT_MS: '500',
    });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    alpha = await h.services.apps.create({ name: 'alpha', rateLimit: 100_000 });
    beta = await h.services.apps.create({ name: 'beta', rateLimit: 100_000 });
    gamma = await h.services.apps.create({ name: 'gamma', rateLimit: 100_000 });
    delta = await h.services.apps.create({ name: 'delta', rateLimit: 100_000 });
    await setUpstream(h.services, 'alpha', 'zego', { url: stub.url, appId: VENDOR_ZEGO.appId, serverSecret: VENDOR_ZEGO.serverSecret });
    await setUpstream(h.services, 'alpha', 'ivh', { url: stub.url, appkey: VENDOR_IVH.appkey, accesstoken: VENDOR_IVH.accesstoken });
    await setUpstream(h.services, 'gamma', 'zego', { url: garbage.url, appId: VENDOR_ZEGO.appId, serverSecret: VENDOR_ZEGO.serverSecret });
    await setUpstream(h.services, 'gamma', 'ivh', { url: garbage.url, appkey: VENDOR_IVH.appkey, accesstoken: VENDOR_IVH.accesstoken });
    await setUpstream(h.services, 'delta', 'zego', { url: `http://${dead}`, appId: VENDOR_ZEGO.appId, serverSecret: VENDOR_ZEGO.serverSecret });
    await setUpstream(h.services, 'delta', 'ivh', { url: `http://${dead}`, appkey: VENDOR_IVH.appkey, accesstoken: VENDOR_IVH.accesstoken });
  });
  after(async () => {
    await h.close();
    await stub.close();
    await garbage.close();
  });

  const zegoCall = async (app: App, action: string, body: unknown = {}, extra = '') => {
    const res = await request(`${base}/?Action=${action}&${zegoQuery(app, Date.now())}${extra}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'zego-quick-start/1.0', cookie: 'session=secret', authorization: 'Bearer nope' },
      body: JSON.stringify(body),
    });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString('utf8')) };
  };
  const ivhCall = async (app: App, path: string, payload: unknown, extra: Record<string, string> = {}) => {
    const res = await request(`${base}${path}?${ivhQuery(app, Date.now(), extra)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: JSON.stringify({ Header: { RequestID: 'req-ivh-1' }, Payload: payload }),
    });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString('utf8')) };
  };
  const SESSION_PATH = '/v2/ivh/sessionmanager/sessionmanagerservice/createsession';

  test("ZEGO streaming actions are relayed re-signed with the upstream credentials; the answer is the vendor's, byte for byte", async () => {
    const before = stub.received.length;
    for (const action of ['CreateDigitalHumanStreamTask', 'DriveByText', 'QueryDigitalHumanStreamTasks', 'StopDigitalHumanStreamTask']) {
      const r = await zegoCall(alpha, action, { DigitalHumanId: 'd-1', Text: '你好' }, '&Extra=kept%20as%20sent');
      assert.equal(r.status, 200);
      const got = r.json();
      assert.equal(got.Code, 0, action);
      assert.match(got.RequestId, /^vendor-/);
      const seen = stub.received.at(-1)!;
      assert.equal(seen.query.Action, action);
      assert.equal(seen.signed, true, 'the stub verified the upstream signature');
      assert.equal(seen.query.AppId, String(VENDOR_ZEGO.appId));
      assert.equal(seen.body, JSON.stringify({ DigitalHumanId: 'd-1', Text: '你好' }), 'same body bytes');
      // Other parameters kept, in order, as sent.
      assert.ok(seen.rawQuery.startsWith(`Action=${action}&AppId=`), seen.rawQuery);
      assert.ok(seen.rawQuery.endsWith('&SignatureVersion=2.0&Extra=kept%20as%20sent'), seen.rawQuery);
      assert.equal(seen.headers['user-agent'], 'zego-quick-start/1.0');
      for (const h of ['cookie', 'authorization', 'x-forwarded-for']) assert.equal(seen.headers[h], undefined, h);
    }
    const seen = stub.received.slice(before);
    assert.equal(seen.length, 4);
    // Timbrel's own credentials never left timbrel.
    const wire = JSON.stringify(seen);
    assert.ok(!wire.includes(alpha.zegoServerSecret) && !wire.includes(`AppId=${alpha.zegoAppId}&`));
  });

  test("IVH createsession is relayed re-signed (requestid kept and signed); the vendor's answer comes back as it was", async () => {
    const r = await ivhCall(alpha, SESSION_PATH, { VirtualmanProjectId: 'p-1', Protocol: 'webrtc' }, { requestid: 'req-42' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), {
      Header: { Code: 0, Message: 'ok', RequestID: 'req-ivh-1', SessionID: '', DialogID: '' },
      Payload: { SessionId: 'session-0001', SessionStatus: 1, PlayStreamAddr: 'webrtc://stream.example/live/session-0001' },
    });
    const seen = stub.received.at(-1)!;
    assert.equal(seen.path, SESSION_PATH);
    assert.equal(seen.signed, true);
    assert.equal(seen.query.appkey, VENDOR_IVH.appkey);
    assert.equal(seen.query.requestid, 'req-42');
    assert.ok(!JSON.stringify(seen).includes(alpha.ivhAccessToken));
  });

  test('catalog actions are still answered here; an app without an upstream still gets "unsupported"', async () => {
    const before = stub.received.length;
    const list = await zegoCall(alpha, 'GetTimbreList', {});
    assert.equal(list.json().Code, 0);
    assert.equal(stub.received.length, before, 'the vendor never saw a catalog call');
    assert.deepEqual(Object.keys((await zegoCall(beta, 'CreateDigitalHumanStreamTask')).json()), ['Code', 'Message', 'RequestId']);
    assert.equal((await zegoCall(beta, 'CreateDigitalHumanStreamTask')).json().Code, 100000007);
    assert.equal((await ivhCall(beta, SESSION_PATH, {})).json().Header.Code, 100001);
    assert.equal(stub.received.length, before);
  });

  test('a caller timbrel does not authenticate is refused here, never relayed', async () => {
    const before = stub.received.length;
    const bad = await request(`${base}/?Action=DriveByText&${zegoQuery(alpha, Date.now(), { Signature: '0'.repeat(32) })}`, { method: 'POST', body: '{}' });
    assert.equal(((await bad.body.json()) as { Code: number }).Code, 100000005);
    const stale = await request(`${base}${SESSION_PATH}?${ivhQuery(alpha, Date.now() - 3_600_000)}`, { method: 'POST', body: '{"Header":{},"Payload":{}}' });
    assert.equal(((await stale.body.json()) as { Header: { Code: number } }).Header.Code, 100005);
    await h.services.apps.setStatus('alpha', 'disabled');
    try {
      assert.equal((await zegoCall(alpha, 'DriveByText')).json().Code, 400000002);
    } finally {
      await h.services.apps.setStatus('alpha', 'active');
    }
    assert.equal(stub.received.length, before);
  });

  test('a compressed answer is passed on compressed, with its content-encoding', async () => {
    const res = await request(`${base}/?Action=Gzip&${zegoQuery(alpha, Date.now())}`, { method: 'POST', body: '{}', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(stub.received.at(-1)!.headers['accept-encoding'], 'gzip');
    assert.equal(res.headers['content-encoding'], 'gzip');
    const bytes = Buffer.from(await res.body.arrayBuffer());
    assert.deepEqual(JSON.parse(gunzipSync(bytes).toString()), { Code: 0, Message: 'success', RequestId: 'gzip', Data: { Compressed: true } });
  });

  test('a chunked answer streams back chunked, whole', async () => {
    const r = await zegoCall(alpha, 'Chunked');
    assert.equal(r.headers['transfer-encoding'], 'chunked');
    assert.equal(r.headers['content-length'], undefined);
    assert.deepEqual(r.json(), { Code: 0, Message: 'success', RequestId: 'chunked', Data: { Parts: 5 } });
  });

  test("a vendor's failure status and body are passed on as they are", async () => {
    const r = await zegoCall(alpha, 'Fail');
    assert.equal(r.status, 500);
    assert.equal(r.bytes.toString(), JSON.stringify({ Code: 400010000, Message: 'system error', RequestId: 'vendor-failed' }));
  });

  test('a huge answer streams through without being held whole', async () => {
    const size = 96 * 1024 * 1024;
    global.gc?.();
    const rss = process.memoryUsage().rss;
    let peak = rss;
    const watch = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const res = await request(`${base}/?Action=Huge&${zegoQuery(alpha, Date.now())}&Size=${size}`, { method: 'POST', body: '{}' });
    assert.equal(res.headers['content-length'], String(size));
    const hash = createHash('sha256');
    let got = 0;
    for await (const chunk of res.body) {
      got += chunk.length;
      hash.update(chunk);
    }
    clearInterval(watch);
    assert.equal(got, size);
    assert.equal(hash.digest('hex'), createHash('sha256').update(Buffer.alloc(size, 0x61)).digest('hex'));
    // Stub, server and client share this process: holding the answer whole would add ≥ 96 MB.
    assert.ok(peak - rss < 64 * 1024 * 1024, `RSS grew ${((peak - rss) / 1048576).toFixed(1)} MB while 96 MB streamed through`);
  });

  test('an unreachable vendor: ZEGO 400010002 system busy, IVH 100000; never a hang', async () => {
    const z = await zegoCall(delta, 'DriveByText');
    assert.equal(z.status, 200);
    const zj = z.json();
    assert.deepEqual(
      { ...zj, RequestId: undefined },
      { Code: 400010002, Message: 'system busy: the upstream vendor could not be reached', RequestId: undefined },
    );
    const i = await ivhCall(delta, SESSION_PATH, {});
    assert.deepEqual(i.json(), {
      Header: {
        Code: 100000,
        Message: 'InternalError: system busy: the upstream vendor could not be reached',
        RequestID: 'req-ivh-1',
        SessionID: '',
        DialogID: '',
      },
    });
  });

  test('a vendor answering garbage: ZEGO 400010000, IVH 100000', async () => {
    const z = (await zegoCall(gamma, 'DriveByText')).json();
    assert.equal(z.Code, 400010000);
    assert.equal(z.Message, 'system error: the upstream vendor answered something that is not HTTP');
    const i = (await ivhCall(gamma, SESSION_PATH, {})).json();
    assert.equal(i.Header.Code, 100000);
    assert.equal(i.Header.Message, 'InternalError: system error: the upstream vendor answered something that is not HTTP');
  });

  test('a slow vendor is cut at the timeout (400010002) while the server keeps answering others', async () => {
    const started = performance.now();
    const slow = zegoCall(alpha, 'Slow');
    // Meanwhile: local answers at once.
    const quick = performance.now();
    assert.equal((await zegoCall(beta, 'GetTimbreList')).json().Code, 0);
    assert.ok(performance.now() - quick < 500, 'a local answer waited on the slow vendor');
    const r = (await slow).json();
    assert.equal(r.Code, 400010002);
    assert.equal(r.Message, 'system busy: the upstream vendor did not answer in time');
    const took = performance.now() - started;
    assert.ok(took >= 900 && took < 2900, `cut after ${took} ms (timeout 1000 ms, vendor answers at 3000 ms)`);
  });

  test("a vendor that trickles its answer past the timeout has the client's connection cut at the timeout", async () => {
    const started = performance.now();
    const res = await request(`${base}/?Action=Trickle&${zegoQuery(alpha, Date.now())}`, { method: 'POST', body: '{}' });
    assert.equal(res.statusCode, 200);
    await assert.rejects(res.body.arrayBuffer());
    const took = performance.now() - started;
    assert.ok(took >= 900 && took < 2500, `cut after ${took} ms (timeout 1000 ms; the vendor would take 3000 ms)`);
  });

  test("a vendor that drops mid-answer cuts the client's connection: never a short answer taken as whole", async () => {
    await assert.rejects(async () => {
      const res = await request(`${base}/?Action=Drop&${zegoQuery(alpha, Date.now())}`, { method: 'POST', body: '{}' });
      await res.body.arrayBuffer();
    });
    // The server is fine afterwards.
    assert.equal((await zegoCall(alpha, 'GetTimbreList')).json().Code, 0);
  });

  test('a client gone before the vendor answers: the answer is dropped and counted, nothing held', async () => {
    const aborted = async () =>
      Number(/timbrel_upstream_requests_total\{dialect="zego",outcome="aborted"\} (\d+)/.exec(await h.services.metrics.registry.metrics())?.[1] ?? 0);
    const before = await aborted();
    await assert.rejects(request(`${base}/?Action=Late&${zegoQuery(alpha, Date.now())}`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(50) }));
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(await aborted(), before + 1);
    assert.equal((await zegoCall(alpha, 'GetTimbreList')).json().Code, 0);
  });

  test('metrics count relayed calls by outcome', async () => {
    const text = await h.services.metrics.registry.metrics();
    for (const outcome of ['ok', 'unreachable', 'timeout', 'invalid', 'aborted']) {
      assert.match(text, new RegExp(`timbrel_upstream_requests_total\\{dialect="zego",outcome="${outcome}"\\} [1-9]`), outcome);
    }
    assert.match(text, /timbrel_upstream_request_duration_seconds_count\{dialect="ivh"\} [1-9]/);
  });

  test('10,000 relayed calls leak no sockets and no memory', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const fds = () => readdirSync('/proc/self/fd').length;
    // The stub's own record of what it received is the test's, not the server's.
    const heap = () => ((stub.received.length = 0), gc(), gc(), process.memoryUsage().heapUsed);
    const burst = async (n: number, concurrency = 50) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < n) {
            next++;
            const r = await zegoCall(alpha, 'DriveByText', { Text: 'hi' });
            assert.equal(r.json().Code, 0);
          }
        }),
      );
    };
    await burst(2000);
    await burst(2000);
    const warm = { fds: fds(), heap: heap(), rss: process.memoryUsage().rss };
    await burst(10_000);
    const end = { fds: fds(), heap: heap(), rss: process.memoryUsage().rss };
    const mb = (n: number) => (n / 1048576).toFixed(1);
    process.stderr.write(
      `  relay leak check over 10,000 calls: open fds ${warm.fds} → ${end.fds}, heap ${mb(warm.heap)} → ${mb(end.heap)} MB, RSS ${mb(warm.rss)} → ${mb(end.rss)} MB\n`,
    );
    // Four kept-alive pools (client, server, relay, stub) hold up to a socket per concurrent call each, and
    // may settle at other sizes from burst to burst; a leak of one per call would be thousands.
    assert.ok(end.fds <= warm.fds + 4 * 50, `open file descriptors ${warm.fds} → ${end.fds}`);
    assert.ok(end.heap - warm.heap < 4 * 1024 * 1024, `heap ${mb(warm.heap)} → ${mb(end.heap)} MB`);
  });
});

describe("IVH's WebSocket channel", () => {
  test("is answered with IVH's unsupported code (never relayed), to a plain request and to an upgrade", async () => {
    const stub = await stubVendor();
    const h = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: stub.hostPort });
    try {
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      const app = await h.services.apps.create({ name: 'ws', rateLimit: 1000 });
      await setUpstream(h.services, 'ws', 'ivh', { url: stub.url, appkey: VENDOR_IVH.appkey, accesstoken: VENDOR_IVH.accesstoken });
      const expected = { Code: 100001, Message: 'UnsupportedOperation: WebSocket channels (/v2/ws/ivh/…) are not served or relayed' };
      const plain = await request(`${base}/v2/ws/ivh/command?${ivhQuery(app, Date.now(), { requestid: 'r1' })}`, { method: 'GET' });
      assert.deepEqual(
        { ...((await plain.body.json()) as { Header: object }).Header, RequestID: undefined, SessionID: undefined, DialogID: undefined },
        { ...expected, RequestID: undefined, SessionID: undefined, DialogID: undefined },
      );
      // A WebSocket handshake gets the same answer, never a 101.
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(`${base}/v2/ws/ivh/command?${ivhQuery(app, Date.now(), { requestid: 'r1' })}`, {
          headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
        });
        req.on('upgrade', () => reject(new Error('upgraded')));
        req.on('response', (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(answer.status, 200);
      assert.equal(JSON.parse(answer.body).Header.Code, 100001);
      assert.equal(stub.received.length, 0, 'nothing reached the vendor');
    } finally {
      await h.close();
      await stub.close();
    }
  });
});

describe('pass-through behind a trusted proxy', () => {
  test("x-forwarded-for carries the client's chain only when TIMBREL_TRUST_PROXY is set", async () => {
    const stub = await stubVendor();
    for (const trust of [undefined, '127.0.0.1']) {
      const h = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: stub.hostPort, ...(trust ? { TIMBREL_TRUST_PROXY: trust } : {}) });
      try {
        await h.app.listen({ port: 0, host: '127.0.0.1' });
        const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
        const app = await h.services.apps.create({ name: 'xff', rateLimit: 1000 });
        await setUpstream(h.services, 'xff', 'zego', { url: stub.url, appId: VENDOR_ZEGO.appId, serverSecret: VENDOR_ZEGO.serverSecret });
        const res = await request(`${base}/?Action=DriveByText&${zegoQuery(app, Date.now())}`, {
          method: 'POST',
          body: '{}',
          headers: { 'x-forwarded-for': '203.0.113.7' },
        });
        assert.equal(((await res.body.json()) as { Code: number }).Code, 0);
        assert.equal(stub.received.at(-1)!.headers['x-forwarded-for'], trust ? '203.0.113.7, 127.0.0.1' : undefined);
      } finally {
        await h.close();
      }
    }
    await stub.close();
  });
});

describe('the relay under a hostile vendor or client', () => {
  test("a relayed IVH path never leaves /v2/ivh/ (dot segments, encoded dots, backslashes): the dialect's unsupported, nothing sent", async () => {
    const stub = await stubVendor();
    const h = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: stub.hostPort });
    try {
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (h.app.server.address() as AddressInfo).port;
      const app = await h.services.apps.create({ name: 'walker', rateLimit: 100_000 });
      await setUpstream(h.services, 'walker', 'ivh', { url: `${stub.url}/base`, appkey: VENDOR_IVH.appkey, accesstoken: VENDOR_IVH.accesstoken });
      // node:http sends the path exactly as given (a URL parser would resolve the dots before sending).
      const raw = (path: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = httpRequest(
            { host: '127.0.0.1', port, method: 'POST', path: `${path}?${ivhQuery(app, Date.now())}`, headers: { 'content-type': 'application/json' } },
            (res) => {
              let body = '';
              res.on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode!, body }));
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify({ Header: { RequestID: 'walk' }, Payload: {} }));
        });
      const before = stub.received.length;
      for (const path of [
        '/v2/ivh/../../../../x',
        '/v2/ivh/%2e%2e/%2e%2e/%2e%2e/x',
        '/v2/ivh/.%2E/.%2e/x',
        '/v2/ivh/..\\..\\..\\..\\x',
        '/v2/ivh/a%2f..%2f..%2f..%2fx',
      ]) {
        const r = await raw(path);
        assert.equal(r.status, 200, path);
        const header = (JSON.parse(r.body) as { Header: { Code: number; Message: string } }).Header;
        assert.equal(header.Code, 100001, `${path}: ${r.body}`);
        assert.match(header.Message, /^UnsupportedOperation: /);
      }
      assert.equal(stub.received.length, before, 'nothing reached the vendor');
      // A path with doubled slashes and a dot segment inside /v2/ivh/ is relayed in one spelling, under the upstream's own path.
      await raw('/v2/ivh//sessionmanager/./sessionmanagerservice//createsession');
      assert.equal(stub.received.length, before + 1);
      assert.equal(stub.received.at(-1)!.path, '/base/v2/ivh/sessionmanager/sessionmanagerservice/createsession');
    } finally {
      await h.close();
      await stub.close();
    }
  });

  test('a vendor answering a 101, two Content-Lengths or status 999: the garbled-answer code, never passed on', async () => {
    const cases = {
      'HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\n': 'something that is not HTTP',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!': 'something that is not HTTP',
      'HTTP/1.1 999 Odd\r\nContent-Length: 2\r\n\r\n{}': 'HTTP status 999',
    };
    for (const [answer, words] of Object.entries(cases)) {
      const bad = await rawVendor(answer);
      const h = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: bad.hostPort });
      try {
        const app = await h.services.apps.create({ name: 'odd', rateLimit: 100_000 });
        await setUpstream(h.services, 'odd', 'zego', { url: bad.url, appId: VENDOR_ZEGO.appId, serverSecret: VENDOR_ZEGO.serverSecret });
        const res = await h.inject({
          method: 'POST',
          url: `/?Action=DriveByText&${zegoQuery(app, Date.now())}`,
          headers: { 'content-type': 'application/json' },
          payload: '{}',
        });
        assert.equal(res.statusCode, 200, answer);
        const body = JSON.parse(res.body) as { Code: number; Message: string };
        assert.equal(body.Code, 400010000, `${JSON.stringify(answer)}: ${res.body}`);
        assert.ok(body.Message.includes(words), body.Message);
      } finally {
        await h.close();
        await bad.close();
      }
    }
  });
});
