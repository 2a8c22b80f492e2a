/**
 * The HeyGen catalog dialect (heygen.md), on both engines: every documented example as a golden test,
 * every documented error with its exact body, the security triad (no key, a wrong key, another app's
 * avatars, groups and voices), default voices from default bindings (the app's own first), avatar groups
 * from anchors, talking photos, the unpaged cap, fuzzing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { keyedApps, firstRefusal, harness, importRecords, type Harness } from '../helpers.js';
import { testEngines } from '../engines.js';
import { languageName } from '../../src/dialects/heygen/index.js';

const CREATED = 1717639699;
const OFFICE = '42f97c28-1124-4cb2-800a-44d028497027';
const PHOTO = '963a2a7d-4c73-4a6c-a298-4835d9eae765';
const STUDIO = '11111111-1111-4111-8111-111111111111';
const ALPHA_LOOK = '22222222-2222-4222-8222-222222222222';
const BETA_LOOK = '33333333-3333-4333-8333-333333333333';
const RETIRED_LOOK = '44444444-4444-4444-8444-444444444444';
const hex = (id: string) => id.replace(/-/g, '');
const IMG = 'https://timbrel.example.com/files/1b7e.png';
const VIDEO = 'https://timbrel.example.com/files/8c01.mp4';
const SAMPLE = 'https://timbrel.example.com/files/9f2c.wav';

for (const engine of await testEngines())
  describe(`HeyGen catalog (${engine})`, () => {
    let h: Harness;
    let key: string;
    let betaKey: string;
    let admin: string;
    const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => h.inject({ method: method as 'GET', url, headers });
    const xk = (k: string) => ({ 'x-api-key': k });
    const body = async (url: string, k = key) => {
      const r = await get(url, xk(k));
      return [r.statusCode, r.body];
    };
    const data = async (url: string, k = key) => {
      const r = await get(url, xk(k));
      assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
      return JSON.parse(r.body).data;
    };

    before(async () => {
      h = await harness({ TIMBREL_UNPAGED_MAX: '50', TIMBREL_DIALECT_HOSTS: 'api.heygen.internal=heygen' }, CREATED * 1000, engine);
      ({ key, betaKey, admin } = await keyedApps(h));
      await importRecords(h.services, [
        { kind: 'anchor', code: 'anna', name: 'Anna', gender: 'female', avatarType: 'real_man_2d', headerImage: IMG, createdAt: CREATED * 1000, sortOrder: 1 },
        { kind: 'anchor', code: 'neo', name: 'Neo', gender: 'neutral', avatarType: 'real_man_2d', sortOrder: 2 },
        { kind: 'anchor', owner: 'alpha', code: 'alpha-anchor', name: 'Alpha presenter', gender: 'male', avatarType: 'real_man_2d', sortOrder: 3 },
        { kind: 'anchor', owner: 'beta', code: 'beta-anchor', name: 'Beta presenter', avatarType: 'real_man_2d', sortOrder: 4 },
        {
          kind: 'digitalHuman',
          id: OFFICE,
          name: 'Anna, office',
          anchorCode: 'anna',
          avatarType: 'real_man_2d',
          headerImage: IMG,
          actions: [{ code: 'idle' }, { code: 'wave', previewVideo: VIDEO }],
          createdAt: CREATED * 1000,
          sortOrder: 1,
        },
        { kind: 'digitalHuman', id: PHOTO, name: 'Anna, photo', anchorCode: 'anna', avatarType: 'small_sample_photo_2d', sortOrder: 2 },
        { kind: 'digitalHuman', id: STUDIO, name: 'Neo, studio', anchorCode: 'neo', avatarType: 'real_man_2d', sortOrder: 3 },
        { kind: 'digitalHuman', id: RETIRED_LOOK, name: 'Gone', anchorCode: 'anna', avatarType: 'real_man_2d', status: 'retired', sortOrder: 0 },
        { kind: 'digitalHuman', owner: 'alpha', id: ALPHA_LOOK, name: 'Alpha look', anchorCode: 'alpha-anchor', avatarType: 'real_man_2d', sortOrder: 4 },
        { kind: 'digitalHuman', owner: 'beta', id: BETA_LOOK, name: 'Beta look', anchorCode: 'beta-anchor', avatarType: 'real_man_2d', sortOrder: 5 },
        { kind: 'timbre', key: 'warm-narrator', name: 'Warm narrator', gender: 'female', languages: ['en-US'], sample: SAMPLE, sortOrder: 1 },
        { kind: 'timbre', key: 'polyglot', name: 'Polyglot', languages: ['en-US', 'zh-CN'], emotions: ['happy'], sortOrder: 2 },
        { kind: 'timbre', key: 'old-voice', name: 'Old', status: 'retired', sortOrder: 3 },
        { kind: 'timbre', owner: 'alpha', key: 'alpha-voice', name: 'Alpha voice', languages: ['zh-CN'], sortOrder: 4 },
        { kind: 'timbre', owner: 'beta', key: 'beta-voice', name: 'Beta voice', sortOrder: 5 },
        // The operator's default for Anna, office; alpha's own default replaces it for alpha.
        { kind: 'binding', digitalHuman: OFFICE, timbre: 'warm-narrator', isDefault: true },
        { kind: 'binding', owner: 'alpha', digitalHuman: OFFICE, timbre: 'alpha-voice', isDefault: true },
        // A default whose timbre is retired gives no default voice; a non-default binding neither.
        { kind: 'binding', digitalHuman: STUDIO, timbre: 'old-voice', isDefault: true },
        { kind: 'binding', digitalHuman: STUDIO, timbre: 'polyglot', isDefault: false },
        { kind: 'binding', owner: 'beta', digitalHuman: BETA_LOOK, timbre: 'beta-voice', isDefault: true },
      ]);
    });
    after(() => h.close());

    test("§4 the documented example (as beta sees it: the operator's default voice)", async () => {
      const [status, text] = await body('/heygen/v2/avatars', betaKey);
      assert.equal(status, 200);
      const office = {
        avatar_id: hex(OFFICE),
        avatar_name: 'Anna, office',
        gender: 'female',
        preview_image_url: IMG,
        preview_video_url: VIDEO,
        premium: false,
        type: null,
        tags: null,
        default_voice_id: 'warm-narrator',
      };
      const studio = {
        avatar_id: hex(STUDIO),
        avatar_name: 'Neo, studio',
        gender: 'unknown',
        preview_image_url: '',
        preview_video_url: '',
        premium: false,
        type: null,
        tags: null,
        default_voice_id: null,
      };
      const beta = {
        avatar_id: hex(BETA_LOOK),
        avatar_name: 'Beta look',
        gender: 'unknown',
        preview_image_url: '',
        preview_video_url: '',
        premium: false,
        type: null,
        tags: null,
        default_voice_id: 'beta-voice',
      };
      assert.equal(
        text,
        JSON.stringify({
          error: null,
          data: {
            avatars: [office, studio, beta],
            talking_photos: [{ talking_photo_id: hex(PHOTO), talking_photo_name: 'Anna, photo', preview_image_url: '' }],
          },
        }),
      );
      const alpha = await data('/heygen/v2/avatars');
      assert.deepEqual(
        alpha.avatars.map((a: { avatar_id: string; default_voice_id: string; gender: string }) => [a.avatar_id, a.default_voice_id, a.gender]),
        [
          [hex(OFFICE), 'alpha-voice', 'female'],
          [hex(STUDIO), null, 'unknown'],
          [hex(ALPHA_LOOK), null, 'male'],
        ],
      );
    });

    test("§5 voices: the documented example, language names, never another app's", async () => {
      const [status, text] = await body('/heygen/v2/voices');
      assert.equal(status, 200);
      const warm = {
        voice_id: 'warm-narrator',
        language: 'English',
        gender: 'female',
        name: 'Warm narrator',
        preview_audio: SAMPLE,
        support_pause: false,
        emotion_support: false,
        support_interactive_avatar: false,
        support_locale: false,
      };
      const poly = {
        voice_id: 'polyglot',
        language: 'Multilingual',
        gender: 'neutral',
        name: 'Polyglot',
        preview_audio: '',
        support_pause: false,
        emotion_support: true,
        support_interactive_avatar: false,
        support_locale: false,
      };
      const own = {
        voice_id: 'alpha-voice',
        language: 'Chinese',
        gender: 'neutral',
        name: 'Alpha voice',
        preview_audio: '',
        support_pause: false,
        emotion_support: false,
        support_interactive_avatar: false,
        support_locale: false,
      };
      assert.equal(text, JSON.stringify({ error: null, data: { voices: [warm, poly, own] } }));
      assert.deepEqual(
        (await data('/heygen/v2/voices', betaKey)).voices.map((v: { voice_id: string }) => v.voice_id),
        ['warm-narrator', 'polyglot', 'beta-voice'],
      );
      assert.deepEqual(
        [languageName([]), languageName(['ja-JP']), languageName(['en-US', 'en-GB']), languageName(['es-419'])],
        ['', 'Japanese', 'English', 'Spanish'],
      );
    });

    test('§6 avatar groups: the documented example; own only by default; include_public', async () => {
      const [status, text] = await body('/heygen/v2/avatar_group.list?include_public=true', betaKey);
      assert.equal(status, 200);
      const anna = {
        id: 'anna',
        name: 'Anna',
        created_at: CREATED,
        num_looks: 2,
        preview_image: IMG,
        group_type: 'PUBLIC',
        train_status: 'ready',
        default_voice_id: 'warm-narrator',
      };
      const neo = {
        id: 'neo',
        name: 'Neo',
        created_at: CREATED,
        num_looks: 1,
        preview_image: '',
        group_type: 'PUBLIC',
        train_status: 'ready',
        default_voice_id: null,
      };
      const own = {
        id: 'beta-anchor',
        name: 'Beta presenter',
        created_at: CREATED,
        num_looks: 1,
        preview_image: '',
        group_type: 'PRIVATE',
        train_status: 'ready',
        default_voice_id: 'beta-voice',
      };
      assert.equal(text, JSON.stringify({ error: null, data: { total_count: 3, avatar_group_list: [anna, neo, own] } }));
      assert.deepEqual(
        (await data('/heygen/v2/avatar_group.list')).avatar_group_list.map((g: { id: string }) => g.id),
        ['alpha-anchor'],
      );
      for (const v of ['FALSE', '0']) assert.equal((await data(`/heygen/v2/avatar_group.list?include_public=${v}`)).total_count, 1);
      const withPublic = await data('/heygen/v2/avatar_group.list?include_public=1');
      assert.deepEqual(
        withPublic.avatar_group_list.map((g: { id: string; default_voice_id: string | null }) => [g.id, g.default_voice_id]),
        [
          ['anna', 'alpha-voice'],
          ['neo', null],
          ['alpha-anchor', null],
        ],
      );
    });

    test("§7 one group's looks: the documented example; another app's group is a 404", async () => {
      const [status, text] = await body('/heygen/v2/avatar_group/anna/avatars', betaKey);
      assert.equal(status, 200);
      assert.equal(
        text,
        JSON.stringify({
          error: null,
          data: {
            avatar_list: [
              {
                id: hex(OFFICE),
                name: 'Anna, office',
                image_url: IMG,
                created_at: CREATED,
                group_id: 'anna',
                is_motion: false,
                motion_preview_url: null,
                default_voice_id: 'warm-narrator',
              },
              {
                id: hex(PHOTO),
                name: 'Anna, photo',
                image_url: '',
                created_at: CREATED,
                group_id: 'anna',
                is_motion: false,
                motion_preview_url: null,
                default_voice_id: null,
              },
            ],
          },
        }),
      );
      assert.deepEqual(
        (await data('/heygen/v2/avatar_group/alpha-anchor/avatars')).avatar_list.map((l: { id: string }) => l.id),
        [hex(ALPHA_LOOK)],
      );
      const missing = '{"data":null,"error":{"code":"internal_error","message":"Avatar looks not found."}}';
      for (const code of ['beta-anchor', 'nope', 'ANNA']) assert.deepEqual(await body(`/heygen/v2/avatar_group/${code}/avatars`), [404, missing], code);
    });

    test("§8 details: the documented example by dashed or hex id, any case; retired, another app's and malformed ids are 404", async () => {
      const expected = JSON.stringify({
        error: null,
        data: {
          type: 'avatar',
          id: hex(OFFICE),
          name: 'Anna, office',
          gender: 'female',
          preview_image_url: IMG,
          preview_video_url: VIDEO,
          premium: false,
          is_public: true,
          default_voice_id: 'warm-narrator',
          tags: [],
        },
      });
      for (const id of [OFFICE, hex(OFFICE).toUpperCase()]) assert.deepEqual(await body(`/heygen/v2/avatar/${id}/details`, betaKey), [200, expected], id);
      const photo = await data(`/heygen/v2/avatar/${hex(PHOTO)}/details`);
      assert.deepEqual([photo.type, photo.is_public], ['talking_photo', true]);
      const own = await data(`/heygen/v2/avatar/${hex(ALPHA_LOOK)}/details`);
      assert.deepEqual([own.is_public, own.gender], [false, 'male']);
      const missing = '{"data":null,"error":{"code":"avatar_not_found","message":"Avatar not found."}}';
      for (const id of [BETA_LOOK, RETIRED_LOOK, 'not-an-id', '00000000000000000000000000000000'])
        assert.deepEqual(await body(`/heygen/v2/avatar/${id}/details`), [404, missing], id);
    });

    test('§2 every documented error, exact bodies, in the documented order of checks', async () => {
      const call = async (url: string, headers: Record<string, string> = {}, method = 'GET') => {
        const r = await get(url, headers, method);
        return [r.statusCode, r.body, r.headers.allow, r.headers['retry-after']];
      };
      const unauthorized = '{"data":null,"error":{"code":"internal_error","message":"Unauthorized"}}';
      assert.deepEqual(await call('/heygen/v2/avatars'), [401, unauthorized, undefined, undefined]);
      for (const headers of [xk('tbk_nope'), xk(admin), { authorization: `Bearer ${key}` }])
        assert.deepEqual(await call('/heygen/v2/voices', headers), [401, unauthorized, undefined, undefined]);
      assert.equal((await get('/heygen/v2/voices', { 'X-API-KEY': key })).statusCode, 200, 'the header name in any case');
      assert.deepEqual(await call('/heygen/v2/avatar_group.list?include_public=maybe', xk(key)), [
        400,
        '{"data":null,"error":{"code":"invalid_parameter","message":"include_public must be a boolean."}}',
        undefined,
        undefined,
      ]);
      assert.deepEqual(await call('/heygen/v2/avatar_group.list?include_public=maybe'), [401, unauthorized, undefined, undefined], 'auth before parameters');
      assert.deepEqual(await call('/heygen/v1/video_status.get?video_id=1', xk(key)), [
        404,
        '{"data":null,"error":{"code":"not_found","message":"GET /heygen/v1/video_status.get is not served."}}',
        undefined,
        undefined,
      ]);
      assert.deepEqual(await call('/heygen/v2/video/generate', {}, 'POST'), [
        404,
        '{"data":null,"error":{"code":"not_found","message":"POST /heygen/v2/video/generate is not served."}}',
        undefined,
        undefined,
      ]);
      const long = `/heygen/${'x'.repeat(300)}`;
      assert.equal(JSON.parse((await get(long, xk(key))).body).error.message, `GET ${long}`.slice(0, 200) + ' is not served.');
      assert.deepEqual(await call('/heygen/v2/avatars', {}, 'POST'), [
        405,
        '{"data":null,"error":{"code":"method_not_allowed","message":"Method not allowed."}}',
        'GET',
        undefined,
      ]);
      await h.services.apps.setStatus('beta', 'disabled');
      assert.deepEqual(await call('/heygen/v2/avatars', xk(betaKey)), [401, unauthorized, undefined, undefined], 'a disabled app answers like an invalid key');
      await h.services.apps.setStatus('beta', 'active');
      const limited = await h.services.apps.create({ name: 'limited', rateLimit: 1 });
      const lk = (await h.services.access.createKey(limited)).text;
      const seen = await firstRefusal(() => call('/heygen/v2/voices', xk(lk)));
      assert.deepEqual(seen, [429, '{"data":null,"error":{"code":"rate_limit_exceeded","message":"Rate limit exceeded."}}', undefined, '1']);
      await h.services.apps.setRateLimit('limited', 1000);
      // Past TIMBREL_UNPAGED_MAX (50 here) every list is refused, never cut.
      await importRecords(h.services, [
        ...Array.from({ length: 51 }, (_, i) => ({ kind: 'timbre', owner: 'limited', key: `many-${i}`, name: `Many ${i}` })),
        ...Array.from({ length: 51 }, (_, i) => ({
          kind: 'digitalHuman',
          owner: 'limited',
          name: `Look ${i}`,
          anchorCode: 'many-looks',
          avatarType: 'real_man_2d',
        })),
      ]);
      const tooMany = '{"data":null,"error":{"code":"too_many_items","message":"More than 50 items; this list has no paging."}}';
      for (const url of ['/heygen/v2/voices', '/heygen/v2/avatars', '/heygen/v2/avatar_group/many-looks/avatars'])
        assert.deepEqual(await call(url, xk(lk)), [400, tooMany, undefined, undefined], url);
      assert.equal((await data('/heygen/v2/avatar_group.list', lk)).avatar_group_list[0].num_looks, 51);
    });

    test('host routing: a client with the vendor host built in reaches the dialect by host name, without the prefix', async () => {
      const r = await h.inject({ method: 'GET', url: '/v2/avatar/' + hex(OFFICE) + '/details', headers: { host: 'API.heygen.internal', ...xk(key) } });
      assert.equal(JSON.parse(r.body).data.id, hex(OFFICE));
      const other = await h.inject({ method: 'GET', url: '/v1/video_status.get', headers: { host: 'api.heygen.internal', ...xk(key) } });
      assert.deepEqual(
        [other.statusCode, other.body],
        [404, '{"data":null,"error":{"code":"not_found","message":"GET /v1/video_status.get is not served."}}'],
        "every path of that host is the dialect's, echoed as sent",
      );
    });

    test("fuzzing: any path under /heygen, any method and query: HeyGen's envelope, never a 5xx", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'POST', 'DELETE', 'HEAD'),
          fc.constantFrom(
            '/heygen/v2/avatars',
            '/heygen/v2/voices',
            '/heygen/v2/avatar_group.list',
            '/heygen/v2/avatar_group/',
            '/heygen/v2/avatar/',
            '/heygen',
          ),
          fc.string({ maxLength: 40 }),
          fc.string({ maxLength: 10 }),
          async (method, path, extra, include) => {
            const url = `${path}${encodeURIComponent(extra)}${path.endsWith('/') ? (path.includes('group') ? '/avatars' : '/details') : ''}?include_public=${encodeURIComponent(include)}`;
            const res = await get(url, xk(key), method);
            assert.ok(res.statusCode < 500, `${method} ${url}: ${res.statusCode} ${res.body}`);
            // A path that only begins like the prefix (/heygen%20) is not the dialect's.
            const requested = url.split('?')[0];
            if (method !== 'HEAD' && (requested === '/heygen' || requested.startsWith('/heygen/'))) {
              const b = JSON.parse(res.body);
              assert.deepEqual(Object.keys(b), res.statusCode === 200 ? ['error', 'data'] : ['data', 'error'], url);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  });
