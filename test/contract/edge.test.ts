/**
 * The vendor edge on a real socket (src/dialects/vendor.ts): what only a connection shows — kept-alive
 * connections, bodies over the limit announced or streamed, clients that leave mid-body, HEAD, and the
 * hand-over to Fastify for everything else, and shutdown.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { harness, ivhQuery, seedTwoApps, zegoQuery, type Harness } from '../helpers.js';
import type { App } from '../../src/core/types.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Reads `count` HTTP/1.1 answers (Content-Length framed) from a socket, in order. */
function readAnswers(socket: Socket, count: number, head = false): Promise<RawAnswer[]> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const answers: RawAnswer[] = [];
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [statusLine, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
        const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const length = head ? 0 : Number(headers['content-length'] ?? 0);
        if (buf.length < end + 4 + length) return;
        answers.push({ status: Number(statusLine.split(' ')[1]), headers, body: buf.subarray(end + 4, end + 4 + length).toString('utf8') });
        buf = buf.subarray(end + 4 + length);
        if (answers.length === count) {
          socket.off('data', onData).off('error', reject);
          return resolve(answers);
        }
      }
    };
    socket.on('data', onData).on('error', reject);
  });
}

/** Reads one HTTP/1.1 answer from a socket. */
const readAnswer = async (socket: Socket, head = false): Promise<RawAnswer> => (await readAnswers(socket, 1, head))[0];

describe('vendor edge on a socket', () => {
  let h: Harness;
  let alpha: App;
  let port: number;
  const open = async () => {
    const s = connect(port, '127.0.0.1');
    await once(s, 'connect');
    return s;
  };
  const zegoPath = () => `/?Action=GetTimbreList&${zegoQuery(alpha, h.clock.ms)}`;
  const post = (path: string, body: string, extra = '') =>
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

  before(async () => {
    h = await harness({ TIMBREL_MAX_BODY_BYTES: '2048' });
    ({ alpha } = await seedTwoApps(h));
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as { port: number }).port;
  });
  after(() => h.close());

  test('kept-alive: ZEGO, IVH and a native call answered in turn on one connection', async () => {
    const s = await open();
    s.write(post(zegoPath(), '{"Limit":2}'));
    const z = await readAnswer(s);
    assert.equal(z.status, 200);
    assert.equal(z.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(Number(z.headers['content-length']), Buffer.byteLength(z.body));
    assert.equal(z.headers.connection, 'keep-alive');
    assert.equal(JSON.parse(z.body).Data.Timbres.length, 2);
    s.write(
      post(
        `/v2/ivh/crmserver/customerassetservice/describetimbre?${ivhQuery(alpha, h.clock.ms)}`,
        '{"Header":{"RequestID":"r-1"},"Payload":{"PageIndex":1,"PageSize":1}}',
      ),
    );
    const i = await readAnswer(s);
    assert.equal(i.status, 200);
    assert.equal(JSON.parse(i.body).Header.RequestID, 'r-1');
    s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.deepEqual(JSON.parse((await readAnswer(s)).body), { status: 'ok' });
    s.end();
  });

  test('answers that leave together: 40 connections at once, 10 gone before their answer, the rest each get their own', { timeout: 20_000 }, async () => {
    // The edge writes a turn's answers together (sendSoon): a socket closed meanwhile must cost only its own
    // answer. Unicode RequestIDs make the envelope's byte length differ from its length in characters, and
    // every page after the first comes from the render cache (the page's bytes written as they are).
    const ivhPath = `/v2/ivh/crmserver/customerassetservice/describetimbre?${ivhQuery(alpha, h.clock.ms)}`;
    const sockets = await Promise.all(Array.from({ length: 40 }, open));
    const answers = sockets.map((s, i) => {
      const answer = i % 4 === 3 ? null : readAnswer(s);
      s.write(post(ivhPath, JSON.stringify({ Header: { RequestID: `请求-${i}` }, Payload: { PageIndex: 1, PageSize: 3 } })));
      if (!answer) s.destroy();
      return answer;
    });
    const pages = new Set<string>();
    for (const [i, answer] of answers.entries()) {
      if (!answer) continue;
      const a = await answer;
      assert.equal(a.status, 200);
      assert.equal(Number(a.headers['content-length']), Buffer.byteLength(a.body));
      const parsed = JSON.parse(a.body);
      assert.equal(parsed.Header.RequestID, `请求-${i}`);
      assert.equal(parsed.Payload.TimbreAssets.length, 3);
      pages.add(JSON.stringify(parsed.Payload));
      sockets[i].end();
    }
    assert.equal(pages.size, 1);
    // Two requests written at once on one connection (pipelined): two answers, in order.
    const s = await open();
    const both = readAnswers(s, 2);
    s.write(post(zegoPath(), '{"Limit":1}') + post(zegoPath(), '{"Limit":2}'));
    assert.deepEqual(
      (await both).map((a) => JSON.parse(a.body).Data.Timbres.length),
      [1, 2],
    );
    s.end();
  });

  test('a Content-Length over the limit is answered at once in the envelope; the body sent anyway is dropped and the connection serves on', async () => {
    const s = await open();
    // Headers only: the 4 KiB body is not sent yet, the answer must not wait for it.
    s.write(`POST ${zegoPath()} HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n`);
    const a = await readAnswer(s);
    assert.equal(a.status, 413);
    assert.equal(a.headers.connection, 'keep-alive');
    assert.deepEqual({ ...JSON.parse(a.body), RequestId: 'x' }, { Code: 100000012, Message: 'body is larger than the limit', RequestId: 'x' });
    s.write('x'.repeat(4096));
    s.write(post(zegoPath(), '{}'));
    assert.equal((await readAnswer(s)).status, 200);
    s.end();
  });

  test('a Content-Length past what the edge would drop is answered at once, and the connection closes', async () => {
    const s = await open();
    s.write(`POST ${zegoPath()} HTTP/1.1\r\nHost: x\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n`);
    const a = await readAnswer(s);
    assert.equal(a.status, 413);
    assert.equal(a.headers.connection, 'close');
    assert.equal(JSON.parse(a.body).Code, 100000012);
    await once(s, 'close');
  });

  test('a chunked body that grows over the limit gets the envelope too', async () => {
    const s = await open();
    s.write(
      `POST /v2/ivh/crmserver/customerassetservice/describetimbre?${ivhQuery(alpha, h.clock.ms)} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    for (let i = 0; i < 3; i++) s.write(`400\r\n${'x'.repeat(0x400)}\r\n`);
    const a = await readAnswer(s);
    assert.equal(a.status, 413);
    assert.equal(JSON.parse(a.body).Header.Code, 100001);
    s.destroy();
  });

  test('a client that sends its whole over-limit body before it reads gets the envelope, never a reset (10 times, announced and chunked)', async () => {
    const body = Buffer.alloc(1024 * 1024, 'x');
    for (let i = 0; i < 10; i++) {
      const chunked = i % 2 === 1;
      const s = await open();
      // Like a client that reads only once it has sent everything: nothing is read off the socket until then.
      s.pause();
      const head = `POST ${zegoPath()} HTTP/1.1\r\nHost: x\r\n${chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`}\r\n\r\n`;
      const sent = new Promise<void>((resolve, reject) => {
        s.on('error', reject);
        s.write(head);
        for (let off = 0; off < body.length; off += 64 * 1024) {
          const part = body.subarray(off, off + 64 * 1024);
          s.write(chunked ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]) : part);
        }
        s.write(chunked ? '0\r\n\r\n' : '', () => resolve());
      });
      await sent;
      await new Promise((r) => setTimeout(r, 50));
      const reading = readAnswer(s);
      s.resume();
      const a = await reading;
      assert.equal(a.status, 413);
      assert.equal(JSON.parse(a.body).Code, 100000012);
      s.destroy();
    }
  });

  test('a chunked body under the limit is read whole', async () => {
    const s = await open();
    const body = '{"Offset":1,"Limit":1}';
    s.write(`POST ${zegoPath()} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`);
    s.write(`${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
    const a = await readAnswer(s);
    assert.equal(a.status, 200);
    assert.equal(JSON.parse(a.body).Data.Timbres[0].Name, 'Public 1');
    s.end();
  });

  test('a client that leaves mid-body costs nothing: the next one is served', async () => {
    const s = await open();
    s.write(`POST ${zegoPath()} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"Off`);
    s.destroy();
    const t = await open();
    t.write(post(zegoPath(), '{}'));
    assert.equal((await readAnswer(t)).status, 200);
    t.end();
  });

  test('HEAD / answers the service description headers without a body; GET / the description', async () => {
    const s = await open();
    s.write('HEAD / HTTP/1.1\r\nHost: x\r\n\r\n');
    const head = await readAnswer(s, true);
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const get = await readAnswer(s);
    assert.equal(Number(head.headers['content-length']), Buffer.byteLength(get.body));
    assert.deepEqual(JSON.parse(get.body).dialects, ['zego', 'tencent-ivh', 'openai', 'elevenlabs', 'heygen', 'mistral']);
    s.end();
  });

  test('a request in flight when the shutdown begins is still answered', async () => {
    const s = await open();
    const body = '{"Offset":2,"Limit":1}';
    s.write(`POST ${zegoPath()} HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
    await new Promise((r) => setTimeout(r, 50));
    const closing = h.app.close();
    await new Promise((r) => setTimeout(r, 50));
    s.write(body.slice(5));
    const a = await readAnswer(s);
    assert.equal(a.status, 200);
    assert.equal(JSON.parse(a.body).Data.Timbres[0].Name, 'Public 2');
    s.destroy();
    await closing;
  });
});
