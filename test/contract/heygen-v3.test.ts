/**
 * HeyGen's v3 lists (heygen.md, "v3"), on both engines: the shapes HeyGen's API reference documents and its
 * n8n node reads, `limit` and `token` paging walked to the end (every row once), the filters, one of each
 * by id, every documented error with its exact body, and the tenant rule.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { keyedApps, harness, importRecords, type Harness } from '../helpers.js';
import { testEngines } from '../engines.js';

const CREATED = 1717639699;
const LOOK_1 = '42f97c28-1124-4cb2-800a-44d028497027';
const LOOK_2 = '963a2a7d-4c73-4a6c-a298-4835d9eae765';
const ALPHA_LOOK = '22222222-2222-4222-8222-222222222222';
const BETA_LOOK = '33333333-3333-4333-8333-333333333333';
const hex = (id: string) => id.replace(/-/g, '');
const IMG = 'https://cdn.example.com/anna.png';
const VIDEO = 'https://cdn.example.com/anna.mp4';
const SAMPLE = 'https://cdn.example.com/sara.mp3';

for (const engine of await testEngines())
  describe(`HeyGen v3 lists (${engine})`, () => {
    let h: Harness;
    let key: string;
    let betaKey: string;
    const get = async (url: string, k: string | null = key) => {
      const r = await h.inject({ method: 'GET', url, headers: k === null ? {} : { 'x-api-key': k } });
      return { status: r.statusCode, json: JSON.parse(r.body) };
    };

    before(async () => {
      h = await harness({}, CREATED * 1000, engine);
      ({ key, betaKey } = await keyedApps(h));
      await importRecords(h.services, [
        { kind: 'anchor', code: 'anna', name: 'Anna', gender: 'female', avatarType: 'real_man_2d', headerImage: IMG, createdAt: CREATED * 1000, sortOrder: 1 },
        { kind: 'anchor', owner: 'alpha', code: 'alpha-anchor', name: 'Alpha presenter', gender: 'male', avatarType: 'real_man_2d', sortOrder: 2 },
        { kind: 'anchor', owner: 'beta', code: 'beta-anchor', name: 'Beta presenter', avatarType: 'real_man_2d', sortOrder: 3 },
        {
          kind: 'digitalHuman',
          id: LOOK_1,
          name: 'Anna, office',
          anchorCode: 'anna',
          avatarType: 'real_man_2d',
          headerImage: IMG,
          actions: [{ code: 'wave', previewVideo: VIDEO }],
          createdAt: CREATED * 1000,
          sortOrder: 1,
        },
        { kind: 'digitalHuman', id: LOOK_2, name: 'Anna, photo', anchorCode: 'anna', avatarType: 'small_sample_photo_2d', sortOrder: 2 },
        { kind: 'digitalHuman', owner: 'alpha', id: ALPHA_LOOK, name: 'Alpha look', anchorCode: 'alpha-anchor', avatarType: 'small_sample_2d', sortOrder: 3 },
        { kind: 'digitalHuman', owner: 'beta', id: BETA_LOOK, name: 'Beta look', anchorCode: 'beta-anchor', avatarType: 'real_man_2d', sortOrder: 4 },
        {
          kind: 'timbre',
          key: '1bd001e7e50f421d891986aad5c8bbd2',
          name: 'Sara',
          gender: 'female',
          languages: ['en-US'],
          sample: SAMPLE,
          createdAt: CREATED * 1000,
          sortOrder: 1,
        },
        { kind: 'timbre', key: 'wei', name: 'Wei', gender: 'male', languages: ['zh-CN'], sortOrder: 2 },
        { kind: 'timbre', key: 'tom', name: 'Tom', gender: 'male', languages: ['en-GB'], sortOrder: 3 },
        { kind: 'timbre', owner: 'alpha', key: 'alpha-clone', name: 'Alpha clone', gender: 'female', languages: ['en-US'] },
        { kind: 'timbre', owner: 'beta', key: 'beta-clone', name: 'Beta clone', gender: 'male', languages: ['en-US'] },
        { kind: 'binding', digitalHuman: LOOK_1, timbre: '1bd001e7e50f421d891986aad5c8bbd2', isDefault: true },
      ]);
    });
    after(() => h?.close());

    test('GET /v3/voices: the public library by default, in the documented shape', async () => {
      const r = await get('/heygen/v3/voices');
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.json), ['data', 'has_more', 'next_token']);
      assert.deepEqual(r.json.data[0], {
        voice_id: '1bd001e7e50f421d891986aad5c8bbd2',
        name: 'Sara',
        language: 'English',
        gender: 'female',
        type: 'public',
        preview_audio_url: SAMPLE,
        support_pause: false,
        support_locale: false,
      });
      assert.deepEqual(
        r.json.data.map((v: { voice_id: string }) => v.voice_id),
        ['1bd001e7e50f421d891986aad5c8bbd2', 'wei', 'tom'],
      );
      assert.equal(r.json.has_more, false);
      assert.equal(r.json.next_token, null);
      const mine = await get('/heygen/v3/voices?type=private');
      assert.deepEqual(
        mine.json.data.map((v: { voice_id: string; type: string }) => [v.voice_id, v.type]),
        [['alpha-clone', 'private']],
      );
    });

    test('voices filter by language name and gender, and page by limit and token to the end', async () => {
      const english = await get('/heygen/v3/voices?language=English&gender=male');
      assert.deepEqual(
        english.json.data.map((v: { voice_id: string }) => v.voice_id),
        ['tom'],
      );
      assert.deepEqual((await get('/heygen/v3/voices?language=Klingonese')).json, { data: [], has_more: false, next_token: null });
      const seen: string[] = [];
      let token: string | null = null;
      let pages = 0;
      do {
        const r = await get(`/heygen/v3/voices?limit=1${token ? `&token=${token}` : ''}`);
        assert.equal(r.status, 200);
        seen.push(...r.json.data.map((v: { voice_id: string }) => v.voice_id));
        token = r.json.next_token;
        assert.equal(r.json.has_more, token !== null);
        pages++;
      } while (token && pages < 10);
      assert.deepEqual(seen, ['1bd001e7e50f421d891986aad5c8bbd2', 'wei', 'tom']);
    });

    test('GET /v3/avatars: groups (anchors) with their looks, ownership filter', async () => {
      const r = await get('/heygen/v3/avatars');
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.data[0], {
        id: 'anna',
        name: 'Anna',
        gender: 'female',
        preview_image_url: IMG,
        preview_video_url: VIDEO,
        looks_count: 2,
        default_voice_id: '1bd001e7e50f421d891986aad5c8bbd2',
        created_at: CREATED,
      });
      assert.deepEqual(
        r.json.data.map((g: { id: string }) => g.id),
        ['anna', 'alpha-anchor'],
        "another tenant's group never shows",
      );
      const mine = await get('/heygen/v3/avatars?ownership=private');
      assert.deepEqual(mine.json.data, [
        {
          id: 'alpha-anchor',
          name: 'Alpha presenter',
          gender: 'male',
          preview_image_url: null,
          preview_video_url: null,
          looks_count: 1,
          default_voice_id: null,
          created_at: mine.json.data[0].created_at,
          status: 'completed',
        },
      ]);
    });

    test('GET /v3/avatars/looks: looks with their type and group, filtered by group, type and ownership', async () => {
      const r = await get('/heygen/v3/avatars/looks');
      assert.deepEqual(r.json.data[0], {
        id: hex(LOOK_1),
        name: 'Anna, office',
        avatar_type: 'studio_avatar',
        group_id: 'anna',
        gender: 'female',
        preview_image_url: IMG,
        preview_video_url: VIDEO,
        default_voice_id: '1bd001e7e50f421d891986aad5c8bbd2',
        tags: [],
        supported_api_engines: [],
      });
      assert.deepEqual(
        r.json.data.map((l: { id: string; avatar_type: string }) => [l.id, l.avatar_type]),
        [
          [hex(LOOK_1), 'studio_avatar'],
          [hex(LOOK_2), 'photo_avatar'],
          [hex(ALPHA_LOOK), 'video_avatar'],
        ],
      );
      const photos = await get('/heygen/v3/avatars/looks?group_id=anna&avatar_type=photo_avatar');
      assert.deepEqual(
        photos.json.data.map((l: { id: string }) => l.id),
        [hex(LOOK_2)],
      );
      const page = await get('/heygen/v3/avatars/looks?limit=2');
      assert.equal(page.json.has_more, true);
      const rest = await get(`/heygen/v3/avatars/looks?limit=2&token=${page.json.next_token}`);
      assert.deepEqual(
        rest.json.data.map((l: { id: string }) => l.id),
        [hex(ALPHA_LOOK)],
      );
      assert.equal(rest.json.next_token, null);
    });

    test('one of each by id; what the app may not see answers not found', async () => {
      assert.equal((await get('/heygen/v3/avatars/anna')).json.data.looks_count, 2);
      assert.equal((await get(`/heygen/v3/avatars/looks/${hex(LOOK_2)}`)).json.data.avatar_type, 'photo_avatar');
      assert.equal((await get(`/heygen/v3/avatars/looks/${LOOK_1}`)).json.data.id, hex(LOOK_1), 'a dashed id is the same look');
      assert.equal((await get('/heygen/v3/voices/wei')).json.data.language, 'Chinese');
      assert.deepEqual(await get('/heygen/v3/voices/beta-clone'), { status: 404, json: { error: { code: 'not_found', message: 'Voice not found.' } } });
      assert.deepEqual(await get(`/heygen/v3/avatars/looks/${hex(BETA_LOOK)}`), {
        status: 404,
        json: { error: { code: 'not_found', message: 'Look not found.' } },
      });
      assert.deepEqual(await get('/heygen/v3/avatars/beta-anchor'), {
        status: 404,
        json: { error: { code: 'not_found', message: 'Avatar group not found.' } },
      });
      assert.deepEqual((await get(`/heygen/v3/avatars/looks/${hex(BETA_LOOK)}`, betaKey)).json.data.name, 'Beta look');
    });

    test('errors in v3’s shape: parameters, tokens, keys', async () => {
      assert.deepEqual(await get('/heygen/v3/voices?limit=101'), {
        status: 400,
        json: { error: { code: 'invalid_parameter', message: 'limit must be an integer from 1 to 100.', param: 'limit' } },
      });
      assert.deepEqual(await get('/heygen/v3/avatars?limit=0'), {
        status: 400,
        json: { error: { code: 'invalid_parameter', message: 'limit must be an integer from 1 to 50.', param: 'limit' } },
      });
      assert.deepEqual(await get('/heygen/v3/avatars/looks?avatar_type=hologram'), {
        status: 400,
        json: { error: { code: 'invalid_parameter', message: 'avatar_type must be one of photo_avatar, video_avatar, studio_avatar.', param: 'avatar_type' } },
      });
      const voicesPage = await get('/heygen/v3/voices?limit=1');
      assert.deepEqual(await get(`/heygen/v3/avatars?token=${voicesPage.json.next_token}`), {
        status: 400,
        json: { error: { code: 'invalid_parameter', message: 'token is not valid for this query.', param: 'token' } },
      });
      assert.deepEqual(await get('/heygen/v3/voices', null), {
        status: 401,
        json: { error: { code: 'unauthorized', message: 'The API key provided is invalid, expired, or missing.' } },
      });
      assert.deepEqual(await get('/heygen/v3/voices', 'tbk_nope'), {
        status: 401,
        json: { error: { code: 'unauthorized', message: 'The API key provided is invalid, expired, or missing.' } },
      });
      const post = await h.inject({
        method: 'POST',
        url: '/heygen/v3/videos',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        payload: '{}',
      });
      assert.equal(post.statusCode, 404, 'without an upstream the rest of v3 is not served');
    });
  });
