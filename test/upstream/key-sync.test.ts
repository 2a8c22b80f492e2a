/**
 * Sync from the key vendors over real sockets: a stub ElevenLabs that pages `GET /v2/voices` by
 * `next_page_token` and serves preview audio, and stub OpenAI-compatible servers (one lists voices, one
 * answers 404 as OpenAI does). An app's upstream writes the vendor's premade voices public and the
 * account's own private; the operator's writes everything public; a voice gone from the vendor is retired
 * and stops being spoken at once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import OpenAI from 'openai';
import { testEngines } from '../engines.js';
import { harness, importRecords, type Harness } from '../helpers.js';
import { setUpstream } from '../../src/upstream/settings.js';
import { syncUpstream } from '../../src/upstream/sync/index.js';
import { OPENAI_BUILT_IN_VOICES } from '../../src/upstream/sync/openai.js';
import type { App } from '../../src/core/types.js';
import { stableId } from '../../src/core/ids.js';

const ELEVEN_KEY = 'sk_eleven_sync_0001';

interface Voice {
  voice_id: string;
  name: string;
  category: string;
  labels?: Record<string, string>;
  description?: string;
  preview_url?: string | null;
  verified_languages?: { language: string; locale: string | null }[];
}

/** ElevenLabs as far as a sync sees it: pages of 2 by token; previews; its key checked on every call. */
async function elevenLabs(voices: Voice[]) {
  const calls: string[] = [];
  const speeches: { path: string; body: Record<string, unknown> }[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    calls.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    // Previews are public files (ElevenLabs serves them from a storage bucket): no key.
    if (url.pathname.startsWith('/previews/')) {
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      return void res.end(Buffer.from(`ID3 preview ${url.pathname}`));
    }
    if (req.headers['xi-api-key'] !== ELEVEN_KEY) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return void res.end('{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}');
    }
    if (url.pathname === '/v1/text-to-speech/' + url.pathname.split('/')[3]) {
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      return void res.end('spoken');
    }
    if (/^\/v1\/text-to-speech\/[^/]+\/stream$/.test(url.pathname) && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { text: string };
        speeches.push({ path: req.url ?? '', body });
        if (body.text === 'fail please') {
          res.writeHead(400, { 'content-type': 'application/json' });
          return void res.end('{"detail":{"status":"text_too_odd","message":"The text could not be spoken."}}');
        }
        const pcm = url.searchParams.get('output_format') === 'pcm_24000';
        res.writeHead(200, { 'content-type': pcm ? 'audio/pcm' : 'audio/mpeg', 'character-cost': String(body.text.length) });
        res.write(pcm ? Buffer.alloc(480, 1) : Buffer.from('ID3'));
        setTimeout(() => res.end(pcm ? Buffer.alloc(480, 2) : Buffer.from('-mp3')), 20);
      });
      return;
    }
    if (url.pathname !== '/v2/voices') {
      res.writeHead(404);
      return void res.end();
    }
    const at = Number(url.searchParams.get('next_page_token') ?? 0);
    const page = voices
      .slice(at, at + 2)
      .map((v) => ({ ...v, preview_url: v.preview_url === undefined ? `${base}/previews/${v.voice_id}.mp3` : v.preview_url }));
    const more = at + 2 < voices.length;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ voices: page, has_more: more, total_count: voices.length, next_page_token: more ? String(at + 2) : null }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, hostPort: base.slice(7), calls, speeches, voices, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** An OpenAI-compatible server: `listing` answers Kokoro's string shape, otherwise 404 (OpenAI itself). */
async function openAiLike(listing: string[] | undefined) {
  const server: Server = createServer((req, res) => {
    if (req.url === '/v1/audio/voices' && listing) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ voices: listing }));
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"Invalid URL (GET /v1/audio/voices)","type":"invalid_request_error","param":null,"code":null}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, hostPort: url.slice(7), close: () => new Promise<void>((r) => server.close(() => r())) };
}

for (const engine of await testEngines())
  describe(`sync from ElevenLabs and OpenAI-compatible upstreams (${engine})`, () => {
    let h: Harness;
    let vendor: Awaited<ReturnType<typeof elevenLabs>>;
    let kokoro: Awaited<ReturnType<typeof openAiLike>>;
    let openai: Awaited<ReturnType<typeof openAiLike>>;
    let shop: App;
    let other: App;
    let base: string;
    let shopKey: string;
    let otherKey: string;

    before(async () => {
      vendor = await elevenLabs([
        {
          voice_id: '21m00Tcm4TlvDq8ikWAM',
          name: 'Rachel',
          category: 'premade',
          labels: { gender: 'female', age: 'young', accent: 'american', use_case: 'narration', descriptive: 'calm' },
          description: 'Matter-of-fact, personable woman.',
          verified_languages: [{ language: 'en', locale: 'en-US' }],
        },
        { voice_id: 'pNInz6obpgDQGcFmaJgB', name: 'Adam', category: 'premade', labels: { gender: 'male' } },
        { voice_id: 'cl0nedV0iceOfTheShop', name: 'Shop founder', category: 'cloned', preview_url: null },
        { voice_id: 'pr0fessionalV0ice001', name: 'Brand voice', category: 'professional' },
        { voice_id: 'generatedV0ice000001', name: 'Designed', category: 'generated' },
      ]);
      kokoro = await openAiLike(['af_bella', 'am_adam']);
      openai = await openAiLike(undefined);
      h = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: [vendor.hostPort, kokoro.hostPort, openai.hostPort].join(',') }, Date.now(), engine);
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      shop = await h.services.apps.create({ name: 'shop', rateLimit: 100_000 });
      other = await h.services.apps.create({ name: 'other', rateLimit: 100_000 });
      shopKey = (await h.services.access.createKey(shop)).text;
      otherKey = (await h.services.access.createKey(other)).text;
      await setUpstream(h.services, 'shop', 'elevenlabs', { url: vendor.url, apiKey: ELEVEN_KEY, rateLimit: 1000 });
    });
    after(async () => {
      await h?.close();
      await Promise.all([vendor?.close(), kokoro?.close(), openai?.close()]);
    });

    const voiceList = async (key: string) => {
      const res = await request(`${base}/elevenlabs/v1/voices`, { headers: { 'xi-api-key': key } });
      assert.equal(res.statusCode, 200);
      const body = (await res.body.json()) as { voices: { voice_id: string; name: string; category: string; labels: Record<string, string> }[] };
      return body.voices;
    };

    test("an app's sync: premade voices public, the account's own voices the app's; ids are the vendor's", async () => {
      const r = await syncUpstream(h.services, 'shop', 'elevenlabs');
      assert.equal(r.outcome, 'completed', r.error);
      assert.equal(r.created, 5);
      assert.equal(r.pages >= 3, true, 'three pages of two, by token');
      assert.ok(
        vendor.calls.some((c) => c.includes('next_page_token=2')),
        'the second page asked with the token',
      );
      const mine = await voiceList(shopKey);
      assert.deepEqual(mine.map((v) => v.voice_id).sort(), [
        '21m00Tcm4TlvDq8ikWAM',
        'cl0nedV0iceOfTheShop',
        'generatedV0ice000001',
        'pNInz6obpgDQGcFmaJgB',
        'pr0fessionalV0ice001',
      ]);
      const theirs = await voiceList(otherKey);
      assert.deepEqual(theirs.map((v) => v.voice_id).sort(), ['21m00Tcm4TlvDq8ikWAM', 'pNInz6obpgDQGcFmaJgB'], 'another app sees the premade voices only');
      const rachel = mine.find((v) => v.voice_id === '21m00Tcm4TlvDq8ikWAM')!;
      assert.equal(rachel.category, 'premade');
      assert.equal(rachel.labels.gender, 'female');
      assert.equal(rachel.labels.accent, 'american');
      const brand = mine.find((v) => v.voice_id === 'pr0fessionalV0ice001')!;
      assert.equal(brand.category, 'professional');
      // The preview was copied into timbrel's file store (the vendor's URL is not what clients get).
      const t = await h.services.repo.timbres.byKey('21m00Tcm4TlvDq8ikWAM', ['']);
      assert.match(t!.sample ?? '', /^stored:/);
      const again = await syncUpstream(h.services, 'shop', 'elevenlabs');
      assert.equal(again.created + again.updated, 0, 'a second sync writes nothing');
      assert.equal(again.unchanged, 5);
    });

    test('a voice the vendor no longer lists is retired and can no longer be spoken with', async () => {
      await setUpstream(h.services, 'other', 'elevenlabs', { url: vendor.url, apiKey: ELEVEN_KEY, rateLimit: 1000 });
      const gone = vendor.voices.splice(2, 1)[0];
      const r = await syncUpstream(h.services, 'shop', 'elevenlabs');
      assert.equal(r.outcome, 'completed');
      assert.equal(r.retired, 1);
      assert.equal((await h.services.repo.timbres.byKey(gone.voice_id, [shop.id]))?.status, 'retired');
      const before = vendor.calls.length;
      const res = await request(`${base}/elevenlabs/v1/text-to-speech/${gone.voice_id}`, {
        method: 'POST',
        headers: { 'xi-api-key': shopKey, 'content-type': 'application/json' },
        body: '{"text":"hi"}',
      });
      assert.equal(res.statusCode, 404);
      await res.body.dump();
      assert.equal(vendor.calls.length, before, 'the vendor saw no call for a retired voice');
      const live = await request(`${base}/elevenlabs/v1/text-to-speech/pNInz6obpgDQGcFmaJgB`, {
        method: 'POST',
        headers: { 'xi-api-key': shopKey, 'content-type': 'application/json' },
        body: '{"text":"hi"}',
      });
      assert.equal(live.statusCode, 200);
      assert.equal(await live.body.text(), 'spoken');
      vendor.voices.splice(2, 0, gone);
    });

    test('two apps syncing one ElevenLabs account each get their own rows of its voices; a row synced before keeps its id', async () => {
      // `other` has the same account as its own upstream (the test before set it): the account's voices become
      // its own rows too, not conflicts with shop's; the premade ones are the same public rows.
      const r = await syncUpstream(h.services, 'other', 'elevenlabs');
      assert.equal(r.outcome, 'completed', r.error);
      assert.deepEqual([r.created, r.unchanged, r.conflicts], [3, 2, 0]);
      const ids = ['cl0nedV0iceOfTheShop', 'pr0fessionalV0ice001', 'generatedV0ice000001'];
      for (const voiceId of ids) {
        const mine = await h.services.repo.timbres.byKey(voiceId, [shop.id]);
        const theirs = await h.services.repo.timbres.byKey(voiceId, [other.id]);
        assert.ok(mine && theirs && mine.id !== theirs.id, `${voiceId}: a row each`);
        assert.deepEqual([mine.owner, theirs.owner], [shop.id, other.id]);
      }
      assert.deepEqual((await voiceList(otherKey)).map((v) => v.voice_id).sort(), [...ids, '21m00Tcm4TlvDq8ikWAM', 'pNInz6obpgDQGcFmaJgB'].sort());
      const spoken = await request(`${base}/elevenlabs/v1/text-to-speech/cl0nedV0iceOfTheShop`, {
        method: 'POST',
        headers: { 'xi-api-key': otherKey, 'content-type': 'application/json' },
        body: '{"text":"hi"}',
      });
      assert.equal(spoken.statusCode, 200, 'other speaks with its own row of the voice');
      await spoken.body.dump();

      // A row shop synced when ids did not name the app (its id derived from the vendor's alone) stays that row.
      const row = (await h.services.repo.timbres.byKey('cl0nedV0iceOfTheShop', [shop.id]))!;
      const legacy = stableId('synced-voice', 'elevenlabs', 'cl0nedV0iceOfTheShop');
      const db = h.services.repo.db;
      await db.updateTable('timbres').set({ id: legacy }).where('id', '=', row.id).execute();
      await db.updateTable('synced_rows').set({ id: legacy }).where('id', '=', row.id).execute();
      const again = await syncUpstream(h.services, 'shop', 'elevenlabs');
      assert.deepEqual([again.outcome, again.created, again.retired, again.conflicts], ['completed', 0, 0, 0]);
      assert.equal((await h.services.repo.timbres.byKey('cl0nedV0iceOfTheShop', [shop.id]))?.id, legacy);
    });

    test("the operator's upstream writes public voices: an OpenAI-compatible server's list, OpenAI's built-ins", async () => {
      await setUpstream(h.services, undefined, 'openai', { url: kokoro.url, apiKey: 'sk-kokoro' });
      const r = await syncUpstream(h.services, undefined, 'openai');
      assert.equal(r.outcome, 'completed', r.error);
      assert.equal(r.created, 2);
      for (const key of ['af_bella', 'am_adam']) assert.equal((await h.services.repo.timbres.byKey(key, ['']))?.owner, '');
      // A second OpenAI-compatible upstream, an app's, that lists no voices: OpenAI's own names.
      await setUpstream(h.services, 'other', 'openai', { url: openai.url, apiKey: 'sk-openai' });
      const built = await syncUpstream(h.services, 'other', 'openai');
      assert.equal(built.outcome, 'completed', built.error);
      assert.equal(built.created, OPENAI_BUILT_IN_VOICES.length);
      const alloy = await h.services.repo.timbres.byKey('alloy', ['']);
      assert.equal(alloy?.name, 'Alloy');
    });

    test('speech by catalog: an OpenAI client speaks with an ElevenLabs voice, translated and streamed', async () => {
      const openaiClient = new OpenAI({ apiKey: shopKey, baseURL: `${base}/openai/v1` });
      const wav = Buffer.from(
        await (
          await openaiClient.audio.speech.create({ model: 'tts-1', voice: '21m00Tcm4TlvDq8ikWAM', input: 'Hello there', response_format: 'wav', speed: 1.1 })
        ).arrayBuffer(),
      );
      const call = vendor.speeches.at(-1)!;
      assert.equal(call.path, '/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/stream?output_format=pcm_24000');
      assert.deepEqual(call.body, { text: 'Hello there', model_id: 'eleven_flash_v2_5', voice_settings: { speed: 1.1 } });
      assert.equal(wav.subarray(0, 4).toString(), 'RIFF');
      assert.equal(wav.subarray(8, 16).toString(), 'WAVEfmt ');
      assert.equal(wav.readUInt32LE(24), 24_000, '24 kHz');
      assert.equal(wav.length, 44 + 960, 'the header, then the PCM as ElevenLabs sent it');
      const mp3 = await request(`${base}/openai/v1/audio/speech`, {
        method: 'POST',
        headers: { authorization: `Bearer ${shopKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'tts-1-hd', voice: { id: 'pNInz6obpgDQGcFmaJgB' }, input: 'Hi' }),
      });
      assert.equal(mp3.statusCode, 200);
      assert.equal(mp3.headers['content-type'], 'audio/mpeg');
      assert.equal(await mp3.body.text(), 'ID3-mp3');
      assert.equal(vendor.speeches.at(-1)!.body.model_id, 'eleven_multilingual_v2');
    });

    test("speech by catalog refuses what the voice's vendor cannot do, in OpenAI's shape, before the vendor", async () => {
      const speak = async (body: Record<string, unknown>, key = shopKey) => {
        const res = await request(`${base}/openai/v1/audio/speech`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'tts-1', input: 'Hi', ...body }),
        });
        return {
          status: res.statusCode,
          body: (await res.body.json()) as { error: { message: string; param: string | null; code: string | null; type: string } },
        };
      };
      const before = vendor.speeches.length;
      const aac = await speak({ voice: '21m00Tcm4TlvDq8ikWAM', response_format: 'aac' });
      assert.equal(aac.status, 400);
      assert.deepEqual(aac.body.error, {
        message: 'response_format "aac" is not available for this voice: use mp3, opus, wav or pcm.',
        type: 'invalid_request_error',
        param: 'response_format',
        code: null,
      });
      const fast = await speak({ voice: '21m00Tcm4TlvDq8ikWAM', speed: 4 });
      assert.equal(fast.status, 400);
      assert.equal(fast.body.error.message, 'speed must be between 0.7 and 1.2 for this voice.');
      // A voice of a digital-human vendor: spoken through its drive APIs.
      await importRecords(h.services, [{ kind: 'timbre', key: 'zego-voice-1', name: 'Zego voice' }]);
      const zego = await h.services.repo.timbres.byKey('zego-voice-1', ['']);
      await h.services.repo.transaction((trx) =>
        h.services.repo.upstreams.markSynced(trx, 'zego|https://aigc-digitalhuman-api.zegotech.cn|1', 'timbre', [{ id: zego!.id, digest: 'x' }], Date.now()),
      );
      const drive = await speak({ voice: 'zego-voice-1' });
      assert.equal(drive.status, 400);
      assert.equal(drive.body.error.message, "The voice 'zego-voice-1' is spoken through its digital-human vendor's drive APIs, not through speech.");
      // A hand-made voice goes to the OpenAI-compatible upstream (here the operator's, which answers 404 itself);
      // with none, there is nothing to speak with.
      await importRecords(h.services, [{ kind: 'timbre', key: 'hand-made', name: 'Hand made' }]);
      assert.equal((await speak({ voice: 'hand-made' })).status, 404);
      await h.services.repo.upstreams.remove('', 'openai');
      const none = await speak({ voice: 'hand-made' });
      assert.equal(none.status, 400);
      assert.equal(none.body.error.message, "No speech upstream for the voice 'hand-made'.");
      assert.equal(vendor.speeches.length, before, 'the vendor saw none of these');
      // The vendor's own refusal comes back in OpenAI's shape with its status.
      const refused = await speak({ voice: '21m00Tcm4TlvDq8ikWAM', input: 'fail please' });
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.body.error, { message: 'The text could not be spoken.', type: 'api_error', param: null, code: 'text_too_odd' });
    });

    test('a wrong vendor key fails the sync with the vendor’s status, and retires nothing', async () => {
      await setUpstream(h.services, 'other', 'elevenlabs', { url: vendor.url, apiKey: 'sk_wrong', rateLimit: 1000 });
      const r = await syncUpstream(h.services, 'other', 'elevenlabs');
      assert.equal(r.outcome, 'failed');
      assert.match(r.error ?? '', /HTTP 401/);
      assert.equal(r.retired, 0);
      assert.equal((await h.services.repo.timbres.byKey('21m00Tcm4TlvDq8ikWAM', ['']))?.status, 'active');
    });
  });
