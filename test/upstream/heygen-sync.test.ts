/**
 * Sync from HeyGen over real sockets, on both engines: a stub HeyGen (its key checked on every call) lists
 * a PUBLIC avatar group and a PRIVATE one with their looks, avatars and talking photos, and voices. The
 * looks keep HeyGen's own ids (not UUIDs): timbrel's HeyGen lists present them, its details and v3 reads
 * find them, and a video generation naming them is relayed with the same ids — unless the app may not see
 * the look, when HeyGen never hears of the call.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { testEngines } from '../engines.js';
import { harness, type Harness } from '../helpers.js';
import { setUpstream } from '../../src/upstream/settings.js';
import { syncUpstream } from '../../src/upstream/sync/index.js';

const HEYGEN_KEY = 'hg_sync_key_0001';
const VOICE_EN = 'f38a635bee7a4d1f9b0a654a31d050d2';
const VOICE_ZH = '00988b7d451d0722635ff7b2b9540a7b';

/** HeyGen as far as a sync and a relayed video generation see it. */
async function heyGen() {
  const calls: string[] = [];
  const generated: unknown[] = [];
  let base = '';
  const groups = [
    { id: 'Abigail_public', name: 'Abigail', group_type: 'PUBLIC', looks: ['Abigail_expressive_2024112501', 'Abigail_standing_office_front'] },
    { id: 'founder_group_7f3a', name: 'Founder', group_type: 'PRIVATE', looks: ['founder_look_1'] },
  ];
  const avatars = [
    { avatar_id: 'Abigail_expressive_2024112501', avatar_name: 'Abigail (Upper Body)', default_voice_id: VOICE_EN, video: true },
    { avatar_id: 'founder_look_1', avatar_name: 'Founder at desk', default_voice_id: VOICE_ZH, video: false },
    { avatar_id: 'Daisy-inskirt-20220818', avatar_name: 'Daisy in Skirt', default_voice_id: null, video: false },
  ];
  const state = { groups, avatars };
  const send = (res: import('node:http').ServerResponse, data: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: null, data }));
  };
  const server: Server = createServer((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/media/')) {
      const ext = url.pathname.split('.').pop() as 'mp4' | 'webp' | 'mp3';
      const head = {
        mp4: Buffer.from('\0\0\0\x18ftypmp42\0\0\0\0mp42isom', 'latin1'),
        webp: Buffer.from('RIFF\x24\0\0\0WEBPVP8 ', 'latin1'),
        mp3: Buffer.from('ID3 preview'),
      }[ext];
      res.writeHead(200, { 'content-type': { mp4: 'video/mp4', webp: 'image/webp', mp3: 'audio/mpeg' }[ext] });
      return void res.end(Buffer.concat([head, Buffer.from(` media ${url.pathname}`)]));
    }
    if (req.headers['x-api-key'] !== HEYGEN_KEY) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return void res.end('{"data":null,"error":{"code":"invalid_api_key","message":"Invalid API key"}}');
    }
    if (url.pathname === '/v2/avatar_group.list')
      return send(res, {
        total_count: state.groups.length,
        avatar_group_list: state.groups.map((g) => ({
          id: g.id,
          name: g.name,
          group_type: g.group_type,
          num_looks: g.looks.length,
          preview_image: `${base}/media/${g.id}.webp`,
        })),
      });
    const m = /^\/v2\/avatar_group\/([^/]+)\/avatars$/.exec(url.pathname);
    if (m) {
      const g = state.groups.find((x) => x.id === decodeURIComponent(m[1]));
      return send(res, { avatar_list: (g?.looks ?? []).map((id) => ({ id, name: `${id} look`, image_url: `${base}/media/${id}.webp`, group_id: g?.id })) });
    }
    if (url.pathname === '/v2/avatars')
      return send(res, {
        avatars: state.avatars.map((a) => ({
          avatar_id: a.avatar_id,
          avatar_name: a.avatar_name,
          gender: 'female',
          preview_image_url: `${base}/media/${a.avatar_id}.webp`,
          preview_video_url: a.video ? `${base}/media/${a.avatar_id}.mp4` : null,
          premium: false,
          default_voice_id: a.default_voice_id,
        })),
        talking_photos: [{ talking_photo_id: 'tp_0a1b2c3d', talking_photo_name: 'My photo', preview_image_url: `${base}/media/tp.webp` }],
      });
    if (url.pathname === '/v2/voices')
      return send(res, {
        voices: [
          {
            voice_id: VOICE_EN,
            language: 'English',
            gender: 'female',
            name: 'Sara - Cheerful',
            preview_audio: `${base}/media/sara.mp3`,
            emotion_support: true,
          },
          { voice_id: VOICE_ZH, language: 'Chinese', gender: 'male', name: 'Yunfeng', preview_audio: '' },
        ],
      });
    if (url.pathname === '/v2/video/generate' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        generated.push(JSON.parse(Buffer.concat(chunks).toString()));
        send(res, { video_id: `video_${generated.length}` });
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"data":null,"error":{"code":"not_found","message":"not found"}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, hostPort: base.slice(7), calls, generated, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

for (const engine of await testEngines())
  describe(`sync from HeyGen: vendor ids kept, presented and matched (${engine})`, () => {
    let h: Harness;
    let vendor: Awaited<ReturnType<typeof heyGen>>;
    let base: string;
    let studioKey: string;
    let otherKey: string;

    before(async () => {
      vendor = await heyGen();
      h = await harness({ TIMBREL_UPSTREAM_ALLOW_HTTP: vendor.hostPort }, Date.now(), engine);
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      const studio = await h.services.apps.create({ name: 'studio', rateLimit: 100_000 });
      const other = await h.services.apps.create({ name: 'other', rateLimit: 100_000 });
      studioKey = (await h.services.access.createKey(studio)).text;
      otherKey = (await h.services.access.createKey(other)).text;
      await setUpstream(h.services, 'studio', 'heygen', { url: vendor.url, apiKey: HEYGEN_KEY, rateLimit: 1000 });
      await setUpstream(h.services, 'other', 'heygen', { url: vendor.url, apiKey: HEYGEN_KEY, rateLimit: 1000 });
    });
    after(async () => {
      await h?.close();
      await vendor?.close();
    });

    const get = async (path: string, key: string) => {
      const res = await request(`${base}/heygen${path}`, { headers: { 'x-api-key': key } });
      return { status: res.statusCode, body: (await res.body.json()) as any };
    };
    const generate = async (key: string, avatarId: string, voiceId?: string) => {
      const voice = voiceId === undefined ? {} : { voice: { type: 'text', voice_id: voiceId, input_text: 'Hello there' } };
      const body = { video_inputs: [{ character: { type: 'avatar', avatar_id: avatarId }, ...voice }] };
      const res = await request(`${base}/heygen/v2/video/generate`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.statusCode, body: (await res.body.json()) as any };
    };

    test("an app's sync: groups → anchors, looks and talking photos → digital humans, voices → timbres, default voices bound", async () => {
      const r = await syncUpstream(h.services, 'studio', 'heygen');
      assert.equal(r.outcome, 'completed', r.error);
      // 2 anchors, 5 looks (2 public, founder's, Daisy, the talking photo), 2 voices.
      assert.equal(r.created, 9, JSON.stringify(r));
      assert.equal(r.conflicts + r.fileErrors, 0, r.rowErrors.join('; '));
      assert.ok(vendor.calls.includes('GET /v2/avatar_group.list?include_public=true'));
      assert.ok(vendor.calls.includes('GET /v2/avatar_group/founder_group_7f3a/avatars'));

      const { status, body } = await get('/v2/avatars', studioKey);
      assert.equal(status, 200);
      const abigail = body.data.avatars.find((a: any) => a.avatar_id === 'Abigail_expressive_2024112501');
      assert.ok(abigail, 'the look is listed under its HeyGen id');
      assert.equal(abigail.avatar_name, 'Abigail (Upper Body)');
      assert.equal(abigail.default_voice_id, VOICE_EN);
      assert.match(abigail.preview_video_url, /^https:\/\/timbrel\.test\/files\/[0-9a-f]{64}\?expires=/, "the preview video was copied into timbrel's files");
      assert.deepEqual(body.data.avatars.map((a: any) => a.avatar_id).sort(), [
        'Abigail_expressive_2024112501',
        'Abigail_standing_office_front',
        'Daisy-inskirt-20220818',
        'founder_look_1',
      ]);
      assert.deepEqual(
        body.data.talking_photos.map((p: any) => p.talking_photo_id),
        ['tp_0a1b2c3d'],
      );
      const voices = await get('/v2/voices', studioKey);
      const sara = voices.body.data.voices.find((v: any) => v.voice_id === VOICE_EN);
      assert.equal(sara.language, 'English');
      assert.equal(sara.name, 'Sara - Cheerful');

      const groups = await get('/v2/avatar_group.list?include_public=true', studioKey);
      const ids = groups.body.data.avatar_group_list.map((g: any) => [g.id, g.group_type]).sort();
      assert.deepEqual(ids, [
        ['Abigail_public', 'PUBLIC'],
        ['founder_group_7f3a', 'PRIVATE'],
      ]);
      const looks = await get('/v2/avatar_group/founder_group_7f3a/avatars', studioKey);
      assert.deepEqual(
        looks.body.data.avatar_list.map((l: any) => [l.id, l.default_voice_id]),
        [['founder_look_1', VOICE_ZH]],
      );
      const details = await get('/v2/avatar/Abigail_expressive_2024112501/details', studioKey);
      assert.equal(details.status, 200);
      assert.equal(details.body.data.id, 'Abigail_expressive_2024112501');
      assert.equal(details.body.data.is_public, true);
      assert.equal(details.body.data.gender, 'female', "a group's gender is its looks'");
      const v3 = await get('/v3/avatars/looks/founder_look_1', studioKey);
      assert.equal(v3.status, 200);
      assert.equal(v3.body.data.id, 'founder_look_1');
      assert.equal(v3.body.data.group_id, 'founder_group_7f3a');
      const v3list = await get('/v3/avatars/looks?group_id=Abigail_public', studioKey);
      assert.deepEqual(v3list.body.data.map((l: any) => l.id).sort(), ['Abigail_expressive_2024112501', 'Abigail_standing_office_front']);

      // Each row the sync wrote is an event saying so, and the sync's report is one more.
      const logged = (await h.services.repo.events.read({ after: 0, limit: 1000 })).events.filter((e) => e.source === 'sync:heygen');
      assert.equal(logged.filter((e) => e.type.endsWith('.created')).length, 9);
      const done = logged.find((e) => e.type === 'sync.completed')!;
      assert.deepEqual([done.kind, done.objectId, done.data?.outcome, done.data?.created], ['upstream', 'heygen', 'completed', 9]);
      const again = await syncUpstream(h.services, 'studio', 'heygen');
      assert.equal(again.outcome, 'completed', again.error);
      assert.equal(again.created + again.updated, 0, 'a second sync writes nothing');
      assert.equal(again.unchanged, 9);
    });

    test("another app sees the PUBLIC group's looks only, and cannot generate with the studio's own look", async () => {
      const { body } = await get('/v2/avatars', otherKey);
      assert.deepEqual(body.data.avatars.map((a: any) => a.avatar_id).sort(), ['Abigail_expressive_2024112501', 'Abigail_standing_office_front']);
      assert.deepEqual(body.data.talking_photos, []);
      const hidden = await get('/v2/avatar/founder_look_1/details', otherKey);
      assert.equal(hidden.status, 404);
      assert.deepEqual(hidden.body, { data: null, error: { code: 'avatar_not_found', message: 'Avatar not found.' } });

      const before = vendor.generated.length;
      const refused = await generate(otherKey, 'founder_look_1');
      assert.equal(refused.status, 404);
      assert.deepEqual(refused.body, { data: null, error: { code: 'avatar_not_found', message: 'Avatar not found.' } });
      // The studio's voices are its own: another app naming one is refused too, before HeyGen.
      const voice = await generate(otherKey, 'Abigail_expressive_2024112501', VOICE_ZH);
      assert.deepEqual(voice.body, { data: null, error: { code: 'voice_not_found', message: 'Voice not found.' } });
      assert.equal(vendor.generated.length, before, 'HeyGen never heard of the refused calls');
      const ok = await generate(otherKey, 'Abigail_expressive_2024112501');
      assert.equal(ok.status, 200, "a PUBLIC group's look is everyone's");
    });

    test('a video generation naming synced ids is relayed with the ids HeyGen knows', async () => {
      const ok = await generate(studioKey, 'founder_look_1', VOICE_ZH);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.match(ok.body.data.video_id, /^video_\d+$/);
      const sent = vendor.generated.at(-1) as any;
      assert.equal(sent.video_inputs[0].character.avatar_id, 'founder_look_1');
      assert.equal(sent.video_inputs[0].voice.voice_id, VOICE_ZH);
    });

    test('a look HeyGen no longer lists is retired: gone from the lists, and generating with it is refused', async () => {
      vendor.state.avatars = vendor.state.avatars.filter((a) => a.avatar_id !== 'Daisy-inskirt-20220818');
      const r = await syncUpstream(h.services, 'studio', 'heygen');
      assert.equal(r.outcome, 'completed', r.error);
      assert.equal(r.retired, 1);
      const { body } = await get('/v2/avatars', studioKey);
      assert.ok(!body.data.avatars.some((a: any) => a.avatar_id === 'Daisy-inskirt-20220818'));
      const before = vendor.generated.length;
      const refused = await generate(studioKey, 'Daisy-inskirt-20220818');
      assert.equal(refused.status, 404);
      assert.equal(vendor.generated.length, before);
    });
  });
