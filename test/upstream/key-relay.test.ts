/**
 * Pass-through for the key dialects over real sockets: ElevenLabs, OpenAI-compatible and HeyGen clients
 * (the official SDKs where they exist) → timbrel → a stub vendor of the test's own that checks the
 * upstream key, streams audio in chunks and fails on cue. The vendor never sees a timbrel key, nor a call
 * for a voice or avatar the app may not use; an app without an upstream of its own uses the operator's.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import OpenAI from 'openai';
import WebSocket, { WebSocketServer } from 'ws';
import { testEngines } from '../engines.js';
import { harness, importRecords, type Harness } from '../helpers.js';
import { setUpstream } from '../../src/upstream/settings.js';

const VENDOR_KEYS = { elevenlabs: 'sk_vendor_eleven_0001', openai: 'sk-vendor-openai-0001', heygen: 'vendor-heygen-0001' };
const OPERATOR_KEY = 'sk_operator_eleven_0002';

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A vendor of the test's own: answers only its own keys, streams audio in chunks, fails on cue. */
async function keyVendor() {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://vendor');
      seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const keyed =
        req.headers['xi-api-key'] === VENDOR_KEYS.elevenlabs ||
        req.headers['xi-api-key'] === OPERATOR_KEY ||
        req.headers.authorization === `Bearer ${VENDOR_KEYS.openai}` ||
        req.headers['x-api-key'] === VENDOR_KEYS.heygen;
      if (!keyed) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return void res.end('{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}');
      }
      if (url.pathname === '/v1/fail') return void req.socket.destroy();
      if (/^\/v1\/text-to-speech\/[^/]+\/stream$/.test(url.pathname) || url.pathname === '/v1/audio/speech') {
        res.writeHead(200, { 'content-type': 'audio/mpeg', 'character-cost': '11', 'request-id': 'vendor-req-1' });
        let n = 0;
        const timer = setInterval(() => {
          res.write(Buffer.alloc(1000, n));
          if (++n === 3) {
            clearInterval(timer);
            res.end();
          }
        }, 20);
        return;
      }
      if (/^\/v1\/text-to-speech\/[^/]+$/.test(url.pathname)) {
        res.writeHead(200, { 'content-type': 'audio/mpeg' });
        return void res.end(Buffer.from('ID3-whole-answer'));
      }
      if (url.pathname === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"object":"list","data":[{"id":"tts-1","object":"model","created":1,"owned_by":"vendor"}]}');
      }
      if (url.pathname === '/v1/audio/transcriptions') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ text: `received ${body.length} bytes` }));
      }
      if (url.pathname === '/v2/video/generate') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"error":null,"data":{"video_id":"vid_0001"}}');
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"detail":"Not Found"}');
    });
  });
  // ElevenLabs' realtime speech: each text frame answered with an audio frame; the empty text ends it.
  const sockets: { path: string; key: unknown; closed?: number }[] = [];
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (req.headers['xi-api-key'] !== VENDOR_KEYS.elevenlabs && req.headers['xi-api-key'] !== OPERATOR_KEY) {
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const seenSocket: { path: string; key: unknown; closed?: number } = { path: req.url ?? '', key: req.headers['xi-api-key'] };
      sockets.push(seenSocket);
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { text: string };
        if (msg.text === '') {
          ws.send(JSON.stringify({ isFinal: true }));
          ws.close(1000, 'done');
          return;
        }
        if (msg.text.trim()) ws.send(JSON.stringify({ audio: Buffer.from(`pcm:${msg.text}`).toString('base64'), isFinal: false }));
      });
      ws.on('close', (code) => (seenSocket.closed = code));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    seen,
    sockets,
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        server.close(() => r());
      }),
  };
}

for (const engine of await testEngines())
  describe(`key dialects relay what timbrel does not serve (${engine})`, () => {
    let h: Harness;
    let base: string;
    let vendor: Awaited<ReturnType<typeof keyVendor>>;
    let key: string;
    let betaKey: string;
    let loneKey: string;
    let allowedLook: string;

    before(async () => {
      vendor = await keyVendor();
      h = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: vendor.hostPort, TIMBREL_UPSTREAM_TIMEOUT_MS: '2000' }, Date.now(), engine);
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      const alpha = await h.services.apps.create({ name: 'alpha', rateLimit: 100_000 });
      const beta = await h.services.apps.create({ name: 'beta', rateLimit: 100_000 });
      const lone = await h.services.apps.create({ name: 'lone', rateLimit: 100_000 });
      key = (await h.services.access.createKey(alpha)).text;
      betaKey = (await h.services.access.createKey(beta)).text;
      loneKey = (await h.services.access.createKey(lone)).text;
      for (const d of ['elevenlabs', 'openai', 'heygen'] as const) await setUpstream(h.services, 'alpha', d, { url: vendor.url, apiKey: VENDOR_KEYS[d] });
      await importRecords(h.services, [
        { kind: 'timbre', key: 'pNInz6obpgDQGcFmaJgB', name: 'Adam' },
        { kind: 'timbre', key: 'alloy', name: 'Alloy' },
        { kind: 'timbre', key: 'retired_voice', name: 'Gone', status: 'retired' },
        { kind: 'timbre', owner: 'beta', key: 'beta_clone', name: "Beta's clone" },
        { kind: 'digitalHuman', name: 'Presenter', avatarType: 'real_man_2d' },
      ]);
      allowedLook = (await h.services.repo.digitalHumans.list([''], {}, 0, 1)).items[0].id;
    });
    after(async () => {
      await h?.close();
      await vendor?.close();
    });

    test('ElevenLabs text-to-speech streams through with the vendor key; the timbrel key never leaves', async () => {
      const client = new ElevenLabsClient({ apiKey: key, baseUrl: `${base}/elevenlabs` });
      const stream = await client.textToSpeech.stream('pNInz6obpgDQGcFmaJgB', { text: 'Hello from timbrel', modelId: 'eleven_flash_v2_5' });
      const got: Buffer[] = [];
      for await (const chunk of stream as AsyncIterable<Uint8Array>) got.push(Buffer.from(chunk));
      const audio = Buffer.concat(got);
      assert.equal(audio.length, 3000);
      assert.deepEqual([audio[0], audio[1000], audio[2999]], [0, 1, 2]);
      const call = vendor.seen.at(-1)!;
      assert.match(call.path, /^\/v1\/text-to-speech\/pNInz6obpgDQGcFmaJgB\/stream/);
      assert.equal(call.headers['xi-api-key'], VENDOR_KEYS.elevenlabs);
      assert.equal(JSON.parse(call.body.toString()).text, 'Hello from timbrel');
      for (const s of vendor.seen) assert.ok(!JSON.stringify(s.headers).includes(key) && !s.path.includes(key), 'no timbrel key reached the vendor');

      const whole = await client.textToSpeech.convert('pNInz6obpgDQGcFmaJgB', { text: 'Whole' });
      const parts: Buffer[] = [];
      for await (const chunk of whole as AsyncIterable<Uint8Array>) parts.push(Buffer.from(chunk));
      assert.equal(Buffer.concat(parts).toString(), 'ID3-whole-answer');
    });

    test("the vendor's headers its clients read come back; a key in the query is never forwarded", async () => {
      const res = await request(`${base}/elevenlabs/v1/text-to-speech/pNInz6obpgDQGcFmaJgB/stream?output_format=mp3_44100_128&xi_api_key=${key}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'xi-api-key': key },
        body: JSON.stringify({ text: 'hi' }),
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['character-cost'], '11');
      assert.equal(res.headers['request-id'], 'vendor-req-1');
      assert.equal((await res.body.arrayBuffer()).byteLength, 3000);
      assert.equal(vendor.seen.at(-1)!.path, '/v1/text-to-speech/pNInz6obpgDQGcFmaJgB/stream?output_format=mp3_44100_128');
    });

    test("a voice the app may not use never reaches the vendor: unknown, another tenant's, retired", async () => {
      for (const id of ['not_a_catalog_voice', 'beta_clone', 'retired_voice']) {
        const before = vendor.seen.length;
        const res = await request(`${base}/elevenlabs/v1/text-to-speech/${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'xi-api-key': key },
          body: '{"text":"hi"}',
        });
        assert.equal(res.statusCode, 404, id);
        const body = (await res.body.json()) as { detail: { code: string; message: string; status: string } };
        assert.equal(body.detail.code, 'voice_not_found');
        assert.equal(body.detail.message, `A voice with voice_id '${id}' was not found.`);
        assert.equal(vendor.seen.length, before, `the vendor saw no call for ${id}`);
      }
    });

    test('an open upstream relays ids the catalog holds nowhere; ids it holds still follow the catalog', async () => {
      for (const d of ['elevenlabs', 'openai'] as const) await setUpstream(h.services, 'alpha', d, { open: true });
      try {
        const speak = (id: string) =>
          request(`${base}/elevenlabs/v1/text-to-speech/${id}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'xi-api-key': key },
            body: '{"text":"hi"}',
          });
        const unknown = await speak('vendorOnlyVoice00001');
        assert.equal(unknown.statusCode, 200);
        await unknown.body.dump();
        assert.match(vendor.seen.at(-1)!.path, /^\/v1\/text-to-speech\/vendorOnlyVoice00001/);
        for (const id of ['beta_clone', 'retired_voice']) {
          const before = vendor.seen.length;
          const res = await speak(id);
          assert.equal(res.statusCode, 404, `${id}: the catalog holds it, and alpha may not use it`);
          await res.body.dump();
          assert.equal(vendor.seen.length, before);
        }
        const openai = new OpenAI({ apiKey: key, baseURL: `${base}/openai/v1` });
        const speech = await openai.audio.speech.create({ model: 'tts-1', voice: 'vendor_only_voice', input: 'Hello' });
        assert.equal((await speech.arrayBuffer()).byteLength, 3000);
        assert.equal(JSON.parse(vendor.seen.at(-1)!.body.toString()).voice, 'vendor_only_voice');
        const views = (await h.services.repo.upstreams.list()).filter((u) => u.open);
        assert.deepEqual(views.map((u) => u.dialect).sort(), ['elevenlabs', 'openai']);
      } finally {
        for (const d of ['elevenlabs', 'openai'] as const) await setUpstream(h.services, 'alpha', d, { open: false });
      }
      const closed = await request(`${base}/elevenlabs/v1/text-to-speech/vendorOnlyVoice00001`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'xi-api-key': key },
        body: '{"text":"hi"}',
      });
      assert.equal(closed.statusCode, 404, 'closed again: refused');
      await closed.body.dump();
      await assert.rejects(
        () => setUpstream(h.services, 'alpha', 'zego', { appId: 1, serverSecret: 'a'.repeat(32), open: true }),
        /open applies to the key dialects/,
      );
    });

    test('OpenAI speech with a catalog voice is relayed; an unknown voice is refused in OpenAI’s shape', async () => {
      const openai = new OpenAI({ apiKey: key, baseURL: `${base}/openai/v1` });
      const speech = await openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hello' });
      assert.equal((await speech.arrayBuffer()).byteLength, 3000);
      assert.equal(vendor.seen.at(-1)!.headers.authorization, `Bearer ${VENDOR_KEYS.openai}`);
      await assert.rejects(
        () => openai.audio.speech.create({ model: 'tts-1', voice: 'beta_clone', input: 'Hello' }),
        (err: InstanceType<typeof OpenAI.APIError>) => {
          assert.equal(err.status, 404);
          assert.deepEqual(err.error, {
            message: "The voice 'beta_clone' does not exist or you do not have access to it.",
            type: 'invalid_request_error',
            param: 'voice',
            code: 'voice_not_found',
          });
          return true;
        },
      );
      // With an upstream, /v1/models is the vendor's.
      const models = await openai.models.list();
      assert.deepEqual(
        models.data.map((m) => m.id),
        ['tts-1'],
      );
    });

    test('an upload streams through as multipart (OpenAI transcriptions), past the 64 KiB a buffered body may have', async () => {
      const openai = new OpenAI({ apiKey: key, baseURL: `${base}/openai/v1` });
      const audio = new File([Buffer.alloc(300_000, 7)], 'clip.wav', { type: 'audio/wav' });
      const t = await openai.audio.transcriptions.create({ file: audio, model: 'whisper-1' });
      const call = vendor.seen.at(-1)!;
      assert.match(String(call.headers['content-type']), /^multipart\/form-data; boundary=/);
      assert.ok(call.body.length > 300_000);
      assert.equal(t.text, `received ${call.body.length} bytes`);
    });

    test('HeyGen video generation: catalog avatars and voices pass, others are refused before the vendor', async () => {
      const generate = (avatarId: string, voiceId: string) =>
        request(`${base}/heygen/v2/video/generate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key },
          body: JSON.stringify({
            video_inputs: [{ character: { type: 'avatar', avatar_id: avatarId }, voice: { type: 'text', input_text: 'hi', voice_id: voiceId } }],
          }),
        });
      const ok = await generate(allowedLook.replace(/-/g, ''), 'alloy');
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(await ok.body.json(), { error: null, data: { video_id: 'vid_0001' } });
      assert.equal(vendor.seen.at(-1)!.headers['x-api-key'], VENDOR_KEYS.heygen);
      const before = vendor.seen.length;
      const noAvatar = await generate('0123456789abcdef0123456789abcdef', 'alloy');
      assert.equal(noAvatar.statusCode, 404);
      assert.deepEqual(await noAvatar.body.json(), { data: null, error: { code: 'avatar_not_found', message: 'Avatar not found.' } });
      const noVoice = await generate(allowedLook, 'beta_clone');
      assert.equal(noVoice.statusCode, 404);
      assert.deepEqual(await noVoice.body.json(), { data: null, error: { code: 'voice_not_found', message: 'Voice not found.' } });
      assert.equal(vendor.seen.length, before);
    });

    test("an app without its own upstream uses the operator's; without either the route stays unserved", async () => {
      const call = (k: string) =>
        request(`${base}/elevenlabs/v1/text-to-speech/pNInz6obpgDQGcFmaJgB`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'xi-api-key': k },
          body: '{"text":"hi"}',
        });
      const none = await call(loneKey);
      assert.equal(none.statusCode, 404);
      assert.deepEqual(await none.body.json(), { detail: 'Not Found' });
      await setUpstream(h.services, undefined, 'elevenlabs', { url: vendor.url, apiKey: OPERATOR_KEY });
      const viaOperator = await call(loneKey);
      assert.equal(viaOperator.statusCode, 200);
      assert.equal(Buffer.from(await viaOperator.body.arrayBuffer()).toString(), 'ID3-whole-answer');
      assert.equal(vendor.seen.at(-1)!.headers['xi-api-key'], OPERATOR_KEY);
      // An app's own upstream wins over the operator's.
      await (await call(key)).body.dump();
      assert.equal(vendor.seen.at(-1)!.headers['xi-api-key'], VENDOR_KEYS.elevenlabs);
      // The catalog still decides through the operator's upstream: no app speaks with another's private voice.
      const other = await request(`${base}/elevenlabs/v1/text-to-speech/beta_clone`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'xi-api-key': loneKey },
        body: '{"text":"hi"}',
      });
      assert.equal(other.statusCode, 404);
      await other.body.dump();
      // Beta's own clone is beta's to speak with.
      const own = await request(`${base}/elevenlabs/v1/text-to-speech/beta_clone`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'xi-api-key': betaKey },
        body: '{"text":"hi"}',
      });
      assert.equal(own.statusCode, 200);
      await own.body.dump();
    });

    test('a vendor that drops the connection is a 502 in the dialect’s shape; a wrong key is a 401 before any relay', async () => {
      const dropped = await request(`${base}/elevenlabs/v1/fail`, {
        method: 'POST',
        headers: { 'xi-api-key': key, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(dropped.statusCode, 502);
      const body = (await dropped.body.json()) as { detail: { status: string; message: string } };
      assert.equal(body.detail.status, 'upstream_unavailable');
      const before = vendor.seen.length;
      const wrong = await request(`${base}/openai/v1/audio/speech`, {
        method: 'POST',
        headers: { authorization: 'Bearer not-a-key', 'content-type': 'application/json' },
        body: '{"voice":"alloy","input":"x","model":"tts-1"}',
      });
      assert.equal(wrong.statusCode, 401);
      await wrong.body.dump();
      assert.equal(vendor.seen.length, before);
    });

    /** A realtime speech session as ElevenLabs' clients hold one: the answers it got, and how it ended. */
    const realtime = (path: string, headers: Record<string, string>, texts: string[]) =>
      new Promise<{ frames: { audio?: string; isFinal: boolean }[]; code?: number; status?: number; body?: string }>((resolve) => {
        const ws = new WebSocket(`${base.replace('http', 'ws')}${path}`, { headers });
        const frames: { audio?: string; isFinal: boolean }[] = [];
        ws.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c));
          res.on('end', () => resolve({ frames, status: res.statusCode, body }));
        });
        ws.on('open', () => {
          for (const text of texts) ws.send(JSON.stringify({ text }));
        });
        ws.on('message', (data) => frames.push(JSON.parse(String(data))));
        ws.on('close', (code) => resolve({ frames, code }));
      });

    /** The speech characters counted for ElevenLabs so far (Prometheus). */
    const spoken = async () => {
      const m = /timbrel_speech_characters_total\{dialect="elevenlabs",vendor="elevenlabs"\} (\d+)/.exec(await (await request(`${base}/metrics`)).body.text());
      return Number(m?.[1] ?? 0);
    };

    test('ElevenLabs realtime speech: frames relayed both ways with the vendor key, the close code passed, its text counted', async () => {
      const counted = await spoken();
      const r = await realtime(`/elevenlabs/v1/text-to-speech/pNInz6obpgDQGcFmaJgB/stream-input?model_id=eleven_flash_v2_5&xi_api_key=${key}`, {}, [
        ' ',
        'Hello ',
        'world ',
        '',
      ]);
      assert.equal(r.code, 1000);
      assert.deepEqual(
        r.frames.map((f) => (f.audio ? Buffer.from(f.audio, 'base64').toString() : f.isFinal)),
        ['pcm:Hello ', 'pcm:world ', true],
      );
      const s = vendor.sockets.at(-1)!;
      assert.equal(s.path, '/v1/text-to-speech/pNInz6obpgDQGcFmaJgB/stream-input?model_id=eleven_flash_v2_5');
      assert.equal(s.key, VENDOR_KEYS.elevenlabs);
      // The session is recorded when the relay ends, just after the client saw the close.
      let now = await spoken();
      for (let i = 0; i < 50 && now === counted; i++) now = await new Promise((ok) => setTimeout(() => ok(spoken()), 20));
      assert.equal(now - counted, 'Hello world '.length, 'the texts asked to be spoken, not the opening space or the closing flush');
    });

    test("realtime speech refusals are HTTP answers in ElevenLabs' shape, before any upgrade or vendor call", async () => {
      const before = vendor.sockets.length;
      const other = await realtime('/elevenlabs/v1/text-to-speech/beta_clone/stream-input', { 'xi-api-key': key }, []);
      assert.equal(other.status, 404);
      assert.equal(JSON.parse(other.body!).detail.code, 'voice_not_found');
      const wrong = await realtime('/elevenlabs/v1/text-to-speech/pNInz6obpgDQGcFmaJgB/stream-input', { 'xi-api-key': 'nope' }, []);
      assert.equal(wrong.status, 401);
      assert.equal(JSON.parse(wrong.body!).detail.status, 'invalid_api_key');
      const elsewhere = await realtime('/openai/v1/realtime', { authorization: `Bearer ${key}` }, []);
      assert.equal(elsewhere.status, 404);
      assert.equal(vendor.sockets.length, before);
    });

    test('a client that leaves mid-session closes the vendor side', async () => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/elevenlabs/v1/text-to-speech/pNInz6obpgDQGcFmaJgB/multi-stream-input`, {
        headers: { 'xi-api-key': key },
      });
      await new Promise((r) => ws.once('open', r));
      ws.send(JSON.stringify({ text: 'Hi ' }));
      await new Promise((r) => ws.once('message', r));
      ws.terminate();
      const s = vendor.sockets.at(-1)!;
      for (let i = 0; i < 100 && s.closed === undefined; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(s.closed, 1006, 'the vendor connection was ended when the client dropped');
    });

    test("relayed calls count in the app's stored usage: how they went, speech characters and answer bytes", async () => {
      const admin = await h.services.access.rotateAdminToken();
      const usage = async (app: string) => {
        const res = await request(`${base}/v1/apps/${app}/usage/hours`, { headers: { authorization: `Bearer ${admin}` } });
        assert.equal(res.statusCode, 200);
        return ((await res.body.json()) as { hours: { dialect: string; via: string; outcome: string; requests: number; characters: number; bytes: number }[] })
          .hours;
      };
      const alpha = await usage('alpha');
      const eleven = alpha.find((r) => r.dialect === 'elevenlabs' && r.via === 'own' && r.outcome === 'ok')!;
      assert.ok(eleven.requests >= 4, 'the relayed ElevenLabs calls');
      assert.ok(eleven.characters >= 'Hello from timbrel'.length + 'Whole'.length, 'the text sent to be spoken');
      assert.ok(eleven.bytes >= 3000 + 'ID3-whole-answer'.length, 'the audio passed back');
      const openai = alpha.find((r) => r.dialect === 'openai' && r.via === 'own' && r.outcome === 'ok')!;
      assert.ok(openai.characters >= 'Hello'.length);
      assert.ok(
        alpha.some((r) => r.dialect === 'elevenlabs' && r.via === 'served'),
        'the refusals answered here count as served, apart from the relayed calls',
      );
      const lone = await usage('lone');
      assert.ok(lone.some((r) => r.dialect === 'elevenlabs' && r.via === 'operator' && r.outcome === 'ok' && r.bytes > 0));
      const metrics = await (await request(`${base}/metrics`)).body.text();
      assert.match(metrics, /timbrel_speech_characters_total\{dialect="elevenlabs",vendor="elevenlabs"\} \d+/);
    });
  });
