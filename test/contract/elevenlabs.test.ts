/**
 * The ElevenLabs voices dialect (elevenlabs.md), on both engines: every documented example as a golden test,
 * every documented error with its exact body, the security triad (no key, a wrong key, another app's
 * voices), the filters, sorts and page tokens, host routing, fuzzing, and the official
 * `@elevenlabs/elevenlabs-js` SDK (npm, unmodified) paging a 10,000-voice catalog once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { ElevenLabsClient, ElevenLabsError } from '@elevenlabs/elevenlabs-js';
import { keyedApps, firstRefusal, harness, importRecords, PUBLIC_URL, v1, type Harness } from '../helpers.js';
import { testEngines } from '../engines.js';

const CREATED = 1717639699;
const REQ_ID = /"request_id":"[0-9a-f]{32}"/;
const withoutRequestId = (body: string) => body.replace(REQ_ID, '"request_id":"<hex32>"');

/** The example voice of elevenlabs.md §4, with timbrel's URL for its sample. */
const NARRATOR = {
  kind: 'timbre',
  key: 'warm-narrator',
  name: 'Warm narrator',
  description: 'A calm, warm narration voice.',
  gender: 'female',
  accent: 'american',
  age: 'middle_aged',
  tags: ['calm'],
  useCases: ['narration'],
  languages: ['en-US'],
  sample: 'https://timbrel.example.com/files/9f2c.wav',
  timbreType: 'SampleBasic',
  createdAt: CREATED * 1000,
  sortOrder: 1,
};

const narratorVoice = {
  voice_id: 'warm-narrator',
  name: 'Warm narrator',
  samples: null,
  category: 'premade',
  fine_tuning: null,
  labels: { accent: 'american', descriptive: 'calm', age: 'middle_aged', gender: 'female', language: 'en', use_case: 'narration' },
  description: 'A calm, warm narration voice.',
  preview_url: 'https://timbrel.example.com/files/9f2c.wav',
  available_for_tiers: [],
  settings: null,
  sharing: null,
  high_quality_base_model_ids: [],
  verified_languages: [
    { language: 'en', model_id: 'eleven_multilingual_v2', accent: 'american', locale: 'en-US', preview_url: 'https://timbrel.example.com/files/9f2c.wav' },
  ],
  collection_ids: [],
  safety_control: null,
  voice_verification: null,
  permission_on_resource: null,
  is_owner: false,
  is_legacy: false,
  is_mixed: false,
  favorited_at_unix: null,
  created_at_unix: CREATED,
  is_bookmarked: false,
  recording_quality: null,
  labelling_status: null,
  recording_quality_reason: null,
};

for (const engine of await testEngines())
  describe(`ElevenLabs voices (${engine})`, () => {
    let h: Harness;
    let key: string;
    let betaKey: string;
    let admin: string;
    const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => h.inject({ method: method as 'GET', url, headers });
    const xi = (k: string) => ({ 'xi-api-key': k });
    const json = async (url: string, k = key) => {
      const r = await get(url, xi(k));
      assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
      return JSON.parse(r.body);
    };
    const ids = (body: { voices: { voice_id: string }[] }) => body.voices.map((v) => v.voice_id);

    before(async () => {
      h = await harness({ TIMBREL_UNPAGED_MAX: '50', TIMBREL_DIALECT_HOSTS: 'eleven.internal=elevenlabs' }, CREATED * 1000, engine);
      ({ key, betaKey, admin } = await keyedApps(h));
      await importRecords(h.services, [
        NARRATOR,
        {
          kind: 'timbre',
          key: 'deep-voice',
          name: 'Deep voice',
          gender: 'male',
          accent: 'British',
          age: 'old',
          languages: ['en-GB', 'fr'],
          useCases: ['News'],
          tags: ['deep'],
          timbreType: 'Boutique',
          createdAt: (CREATED + 10) * 1000,
          sortOrder: 2,
          image: 'https://timbrel.example.com/files/deep.png',
        },
        {
          kind: 'timbre',
          key: 'zh-voice',
          name: 'Anna',
          gender: 'female',
          languages: ['zh-CN'],
          timbreType: 'SampleFast',
          createdAt: (CREATED + 5) * 1000,
          sortOrder: 3,
        },
        { kind: 'timbre', key: 'retired-voice', name: 'Retired', status: 'retired', sortOrder: 0 },
        { kind: 'timbre', owner: 'alpha', key: 'alpha-own', name: 'Alpha own', timbreType: 'SampleFast', languages: ['en'], sortOrder: 4 },
        { kind: 'timbre', owner: 'alpha', key: 'alpha-pro', name: 'Alpha pro', timbreType: 'Boutique', sortOrder: 5 },
        { kind: 'timbre', owner: 'alpha', key: 'alpha/slash', name: 'Alpha slash', status: 'retired', sortOrder: 6 },
        { kind: 'timbre', owner: 'beta', key: 'beta-secret', name: 'Beta secret', sortOrder: 7 },
      ]);
    });
    after(() => h.close());

    test('§4 example: the voice object, key for key; the page token continues the list', async () => {
      const res = await get('/elevenlabs/v2/voices?page_size=1&voice_type=default&language=en', xi(key));
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      const body = JSON.parse(res.body);
      assert.equal(JSON.stringify(body.voices[0]), JSON.stringify(narratorVoice));
      assert.deepEqual(Object.keys(body), ['voices', 'has_more', 'total_count', 'next_page_token']);
      assert.equal(body.has_more, true);
      assert.equal(body.total_count, 2, 'the public voices with an English tag: en-US and en-GB');
      const next = await json(`/elevenlabs/v2/voices?page_size=1&voice_type=default&language=en&next_page_token=${body.next_page_token}`);
      assert.deepEqual([ids(next), next.has_more, next.next_page_token], [['deep-voice'], false, null]);
      assert.deepEqual(next.voices[0].labels, { accent: 'British', descriptive: 'deep', age: 'old', gender: 'male', language: 'en', use_case: 'News' });
      assert.deepEqual(
        next.voices[0].verified_languages.map((l: { language: string; locale: string | null }) => [l.language, l.locale]),
        [
          ['en', 'en-GB'],
          ['fr', null],
        ],
      );
    });

    test("§4 filters and sorts; the app sees its own, never another app's", async () => {
      const list = async (q: string) => ids(await json(`/elevenlabs/v2/voices?page_size=100&${q}`));
      assert.deepEqual(await list(''), ['warm-narrator', 'deep-voice', 'zh-voice', 'alpha-own', 'alpha-pro']);
      assert.deepEqual(await list('voice_type=personal'), ['alpha-own', 'alpha-pro']);
      assert.deepEqual(await list('voice_type=community'), []);
      assert.deepEqual(await list('category=premade'), ['warm-narrator', 'deep-voice', 'zh-voice']);
      assert.deepEqual(await list('category=professional'), ['alpha-pro']);
      assert.deepEqual(await list('category=cloned'), ['alpha-own']);
      assert.deepEqual(await list('category=generated'), []);
      assert.deepEqual(await list('gender=FEMALE'), ['warm-narrator', 'zh-voice']);
      assert.deepEqual(await list('accent=british&age=OLD'), ['deep-voice']);
      assert.deepEqual(await list('language=EN'), ['warm-narrator', 'deep-voice', 'alpha-own']);
      assert.deepEqual(await list('language=en-gb&language=zh'), ['deep-voice', 'zh-voice']);
      assert.deepEqual(await list('use_cases=news'), ['deep-voice']);
      assert.deepEqual(await list('search=warm'), ['warm-narrator']);
      assert.deepEqual(await list('voice_ids=zh-voice&voice_ids=beta-secret&voice_ids=alpha-own&voice_ids=retired-voice'), ['zh-voice', 'alpha-own']);
      for (const q of ['fine_tuning_state=draft', 'collection_id=c1', 'high_quality=true']) assert.deepEqual(await list(q), [], q);
      assert.deepEqual(await list('high_quality=false&min_notice_period_days=3&include_custom_rates=true&include_live_moderated=no&unknown=1&search='), [
        'warm-narrator',
        'deep-voice',
        'zh-voice',
        'alpha-own',
        'alpha-pro',
      ]);
      assert.deepEqual(await list('sort=name'), ['alpha-own', 'alpha-pro', 'zh-voice', 'deep-voice', 'warm-narrator']);
      assert.deepEqual(await list('sort=name&sort_direction=desc'), ['warm-narrator', 'deep-voice', 'zh-voice', 'alpha-pro', 'alpha-own']);
      // Ties in created_at (the two own voices were imported at the clock's instant, as was the narrator) break by catalog order.
      assert.deepEqual(await list('sort=created_at_unix'), ['warm-narrator', 'alpha-own', 'alpha-pro', 'zh-voice', 'deep-voice']);
      assert.deepEqual(await list('sort=created_at_unix&sort_direction=desc'), ['deep-voice', 'zh-voice', 'warm-narrator', 'alpha-own', 'alpha-pro']);
      assert.deepEqual(ids(await json('/elevenlabs/v2/voices?page_size=100', betaKey)), ['warm-narrator', 'deep-voice', 'zh-voice', 'beta-secret']);
      const own = (await json('/elevenlabs/v2/voices?voice_ids=alpha-pro')).voices[0];
      assert.deepEqual([own.category, own.is_owner], ['professional', true]);
      assert.equal((await json('/elevenlabs/v2/voices?include_total_count=false')).total_count, 0);
      assert.equal((await json('/elevenlabs/v2/voices')).total_count, 5);
    });

    test('§4 page tokens page each sort exactly once, and are bound to their query, sort and app', async () => {
      for (const q of ['', '&sort=name&sort_direction=desc', '&sort=created_at_unix', '&sort=created_at_unix&sort_direction=desc', '&gender=female']) {
        const seen: string[] = [];
        let token: string | null = null;
        do {
          const page: { voices: { voice_id: string }[]; next_page_token: string | null } = await json(
            `/elevenlabs/v2/voices?page_size=2${q}${token ? `&next_page_token=${token}` : ''}`,
          );
          seen.push(...ids(page));
          token = page.next_page_token;
        } while (token);
        const all = ids(await json(`/elevenlabs/v2/voices?page_size=100${q}`));
        assert.deepEqual(seen, all, q);
      }
      const token = (await json('/elevenlabs/v2/voices?page_size=1')).next_page_token;
      const bad =
        '{"detail":{"type":"invalid_request","code":"invalid_parameters","message":"next_page_token is not valid for this query.","status":"invalid_parameters","request_id":"<hex32>","param":"next_page_token"}}';
      for (const [url, k] of [
        [`/elevenlabs/v2/voices?page_size=1&gender=male&next_page_token=${token}`, key],
        [`/elevenlabs/v2/voices?page_size=1&sort=name&next_page_token=${token}`, key],
        [`/elevenlabs/v2/voices?page_size=1&next_page_token=${token}`, betaKey],
        ['/elevenlabs/v2/voices?next_page_token=not-ours', key],
      ]) {
        const r = await get(url, xi(k));
        assert.deepEqual([r.statusCode, withoutRequestId(r.body)], [400, bad], url);
      }
      assert.equal((await get(`/elevenlabs/v2/voices?page_size=5&next_page_token=${token}`, xi(key))).statusCode, 200, 'page_size may change');
    });

    test('answers are kept only until the catalog changes: a write through /v1 shows at once, in every list', async () => {
      const before = await json('/elevenlabs/v2/voices?voice_ids=zh-voice');
      assert.equal(before.voices[0].name, 'Anna');
      const id = (await v1(h, 'GET', '/v1/timbres?q=Anna', admin)).body.items[0].id;
      assert.equal((await v1(h, 'PATCH', `/v1/timbres/${id}`, admin, { name: 'Anna two' })).status, 200);
      assert.equal((await json('/elevenlabs/v2/voices?voice_ids=zh-voice')).voices[0].name, 'Anna two');
      assert.equal((await json('/elevenlabs/v1/voices/zh-voice')).name, 'Anna two');
      assert.ok(ids(await json('/elevenlabs/v1/shared-voices?search=two')).includes('zh-voice'));
      assert.equal((await v1(h, 'PATCH', `/v1/timbres/${id}`, admin, { name: 'Anna' })).status, 200);
      assert.equal((await json('/elevenlabs/v2/voices?voice_ids=zh-voice')).voices[0].name, 'Anna');
    });

    test('§5 the legacy list; show_legacy adds the retired voices; past TIMBREL_UNPAGED_MAX it is refused', async () => {
      assert.deepEqual(ids(await json('/elevenlabs/v1/voices')), ['warm-narrator', 'deep-voice', 'zh-voice', 'alpha-own', 'alpha-pro']);
      const legacy = await json('/elevenlabs/v1/voices?show_legacy=true');
      assert.deepEqual(ids(legacy), ['retired-voice', 'warm-narrator', 'deep-voice', 'zh-voice', 'alpha-own', 'alpha-pro', 'alpha/slash']);
      assert.equal(legacy.voices[0].is_legacy, true);
      assert.equal(JSON.stringify(legacy.voices[1]), JSON.stringify(narratorVoice));
      const many = await h.services.apps.create({ name: 'many', rateLimit: 100_000 });
      const mk = (await h.services.access.createKey(many)).text;
      await importRecords(
        h.services,
        Array.from({ length: 60 }, (_, i) => ({ kind: 'timbre', owner: 'many', key: `many-${i}`, name: `Many ${i}` })),
      );
      const r = await get('/elevenlabs/v1/voices', xi(mk));
      assert.deepEqual(
        [r.statusCode, withoutRequestId(r.body)],
        [
          400,
          '{"detail":{"type":"invalid_request","code":"too_many_voices","message":"More than 50 voices; page through them with GET /v2/voices.","status":"too_many_voices","request_id":"<hex32>"}}',
        ],
      );
      assert.equal((await get('/elevenlabs/v1/voices?show_legacy=1', xi(mk))).statusCode, 400);
      assert.equal((await json('/elevenlabs/v2/voices?page_size=100', mk)).total_count, 63, 'the paged list serves them all');
    });

    test('§6 one voice: by key, retired ones too, a key holding "/" percent-encoded; another app\'s id is a 404', async () => {
      assert.equal((await get('/elevenlabs/v1/voices/warm-narrator', xi(key))).body, JSON.stringify(narratorVoice));
      assert.equal((await json('/elevenlabs/v1/voices/alpha%2Fslash?with_settings=true')).is_legacy, true);
      assert.equal((await json('/elevenlabs/v1/voices/retired-voice')).is_legacy, true);
      const missing = (id: string) =>
        `{"detail":{"type":"not_found","code":"voice_not_found","message":"A voice with voice_id '${id}' was not found.","status":"voice_not_found","request_id":"<hex32>"}}`;
      for (const [id, k] of [
        ['beta-secret', key],
        ['alpha-own', betaKey],
        ['nope', key],
        ['Warm-Narrator', key],
      ]) {
        const r = await get(`/elevenlabs/v1/voices/${id}`, xi(k));
        assert.deepEqual([r.statusCode, withoutRequestId(r.body)], [404, missing(id)], id);
      }
      const long = 'x'.repeat(250);
      assert.equal(withoutRequestId((await get(`/elevenlabs/v1/voices/${long}`, xi(key))).body), missing('x'.repeat(200)));
      for (const path of ['/elevenlabs/v1/voices/warm-narrator/settings', '/elevenlabs/v1/voices/settings/default', '/elevenlabs/v1/voices/']) {
        assert.deepEqual([(await get(path, xi(key))).statusCode, (await get(path, xi(key))).body], [404, '{"detail":"Not Found"}'], path);
      }
    });

    test('§7 the library: the example, filters, page numbers, the depth limit', async () => {
      const r = await get('/elevenlabs/v1/shared-voices?page_size=1&page=0&language=en', xi(key));
      const expected = {
        voices: [
          {
            public_owner_id: 'timbrel',
            voice_id: 'warm-narrator',
            date_unix: CREATED,
            name: 'Warm narrator',
            accent: 'american',
            gender: 'female',
            age: 'middle_aged',
            descriptive: 'calm',
            use_case: 'narration',
            category: 'high_quality',
            language: 'en',
            locale: 'en-US',
            description: 'A calm, warm narration voice.',
            preview_url: 'https://timbrel.example.com/files/9f2c.wav',
            usage_character_count_1y: 0,
            usage_character_count_7d: 0,
            play_api_usage_character_count_1y: 0,
            cloned_by_count: 0,
            rate: null,
            fiat_rate: null,
            free_users_allowed: true,
            live_moderation_enabled: false,
            featured: false,
            verified_languages: [
              {
                language: 'en',
                model_id: 'eleven_multilingual_v2',
                accent: 'american',
                locale: 'en-US',
                preview_url: 'https://timbrel.example.com/files/9f2c.wav',
              },
            ],
            notice_period: null,
            instagram_username: null,
            twitter_username: null,
            youtube_username: null,
            tiktok_username: null,
            image_url: null,
            is_added_by_user: false,
            is_bookmarked: false,
          },
        ],
        has_more: true,
        total_count: 2,
        last_sort_id: null,
      };
      assert.equal(r.body, JSON.stringify(expected));
      const lib = async (q: string) => ids(await json(`/elevenlabs/v1/shared-voices?${q}`));
      assert.deepEqual(await lib(''), ['warm-narrator', 'deep-voice', 'zh-voice'], 'the public catalog, the same for every app');
      assert.deepEqual(ids(await json('/elevenlabs/v1/shared-voices', betaKey)), ['warm-narrator', 'deep-voice', 'zh-voice']);
      assert.deepEqual(await lib('page_size=2&page=1'), ['zh-voice']);
      assert.deepEqual(await lib('page_size=2&page=9'), []);
      assert.deepEqual(await lib('category=professional'), ['deep-voice']);
      assert.deepEqual(await lib('category=high_quality'), ['warm-narrator', 'zh-voice']);
      assert.deepEqual(await lib('category=famous'), []);
      assert.deepEqual(await lib('locale=EN-gb'), ['deep-voice']);
      assert.deepEqual(await lib('locale=fr'), [], 'a locale names a region');
      assert.deepEqual(await lib('descriptives=CALM&descriptives=deep'), ['warm-narrator', 'deep-voice']);
      assert.deepEqual(await lib('sort=created_date'), ['deep-voice', 'zh-voice', 'warm-narrator']);
      assert.deepEqual(await lib('sort=trending&owner_id=timbrel'), ['warm-narrator', 'deep-voice', 'zh-voice']);
      for (const q of ['owner_id=someone', 'featured=true', 'reader_app_enabled=true']) assert.deepEqual(await lib(q), [], q);
      const deep = (await json('/elevenlabs/v1/shared-voices?page_size=1&page=1&category=professional')) as { has_more: boolean; total_count: number };
      assert.deepEqual([deep.has_more, deep.total_count], [false, 1]);
      assert.equal((await json('/elevenlabs/v1/shared-voices?voice_ids=x&page=0')).voices[1].image_url, 'https://timbrel.example.com/files/deep.png');
      const tooDeep = await get('/elevenlabs/v1/shared-voices?page_size=30&page=33334', xi(key));
      assert.deepEqual(
        [tooDeep.statusCode, tooDeep.body],
        [
          422,
          '{"detail":[{"type":"less_than_equal","loc":["query","page"],"msg":"Input should be less than or equal to 33333","input":"33334","ctx":{"le":33333}}]}',
        ],
      );
      assert.equal((await get('/elevenlabs/v1/shared-voices?page_size=30&page=33333', xi(key))).statusCode, 200);
    });

    test('§2 every documented error, exact bodies, in the documented order of checks', async () => {
      const call = async (url: string, headers: Record<string, string> = {}, method = 'GET') => {
        const r = await get(url, headers, method);
        return [r.statusCode, withoutRequestId(r.body), r.headers.allow, r.headers['retry-after']];
      };
      const needs =
        '{"detail":{"type":"authentication_error","code":"unauthorized","message":"Neither authorization header nor xi-api-key received, please provide one.","status":"needs_authorization","request_id":"<hex32>"}}';
      const invalid =
        '{"detail":{"type":"authentication_error","code":"unauthorized","message":"Invalid API key","status":"invalid_api_key","request_id":"<hex32>"}}';
      assert.deepEqual(await call('/elevenlabs/v2/voices'), [401, needs, undefined, undefined]);
      for (const headers of [xi('tbk_nope'), xi(admin), { authorization: 'Bearer tbk_nope' }, { authorization: `Basic ${key}` }])
        assert.deepEqual(await call('/elevenlabs/v2/voices', headers), [401, invalid, undefined, undefined]);
      assert.equal((await get('/elevenlabs/v2/voices', { authorization: `Bearer ${key}` })).statusCode, 200, 'Bearer is taken as well');
      assert.deepEqual(
        await call('/elevenlabs/v2/voices', { ...xi('tbk_nope'), authorization: `Bearer ${key}` }),
        [401, invalid, undefined, undefined],
        'xi-api-key wins',
      );
      // 422 runs before authentication, one entry per bad parameter in parameter order.
      assert.deepEqual(await call('/elevenlabs/v2/voices?page_size=101'), [
        422,
        '{"detail":[{"type":"less_than_equal","loc":["query","page_size"],"msg":"Input should be less than or equal to 100","input":"101","ctx":{"le":100}}]}',
        undefined,
        undefined,
      ]);
      assert.deepEqual(await call('/elevenlabs/v2/voices?include_total_count=maybe&sort=age&page_size=x&page_size=0'), [
        422,
        '{"detail":[{"type":"greater_than_equal","loc":["query","page_size"],"msg":"Input should be greater than or equal to 1","input":"0","ctx":{"ge":1}},{"type":"literal_error","loc":["query","sort"],"msg":"Input should be \'created_at_unix\' or \'name\'","input":"age","ctx":{"expected":"\'created_at_unix\' or \'name\'"}},{"type":"bool_parsing","loc":["query","include_total_count"],"msg":"Input should be a valid boolean, unable to interpret input","input":"maybe"}]}',
        undefined,
        undefined,
      ]);
      assert.deepEqual(await call('/elevenlabs/v2/voices?page_size=1.5&category=x', xi(key)), [
        422,
        '{"detail":[{"type":"int_parsing","loc":["query","page_size"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"1.5"},{"type":"literal_error","loc":["query","category"],"msg":"Input should be \'premade\', \'cloned\', \'generated\' or \'professional\'","input":"x","ctx":{"expected":"\'premade\', \'cloned\', \'generated\' or \'professional\'"}}]}',
        undefined,
        undefined,
      ]);
      const ids101 = Array.from({ length: 101 }, (_, i) => `voice_ids=v${i}`).join('&');
      const tooLong = JSON.parse((await get(`/elevenlabs/v2/voices?${ids101}`)).body).detail[0];
      assert.deepEqual(tooLong, {
        type: 'too_long',
        loc: ['query', 'voice_ids'],
        msg: 'List should have at most 100 items after validation, not 101',
        input: Array.from({ length: 101 }, (_, i) => `v${i}`),
        ctx: { field_type: 'List', max_length: 100, actual_length: 101 },
      });
      assert.equal((await get('/elevenlabs/v2/voices?page_size=%2B7%20', xi(key))).statusCode, 200, 'an integer with a sign and spaces');
      assert.deepEqual(await call('/elevenlabs/v1/text-to-speech/warm-narrator', xi(key), 'POST'), [404, '{"detail":"Not Found"}', undefined, undefined]);
      assert.deepEqual(await call('/elevenlabs/v1/models', xi(key)), [404, '{"detail":"Not Found"}', undefined, undefined]);
      assert.deepEqual(await call('/elevenlabs', xi(key)), [404, '{"detail":"Not Found"}', undefined, undefined]);
      assert.deepEqual(await call('/elevenlabs/v2/voices?page_size=0', {}, 'POST'), [405, '{"detail":"Method Not Allowed"}', 'GET', undefined]);
      await h.services.apps.setStatus('beta', 'disabled');
      assert.deepEqual(await call('/elevenlabs/v2/voices', xi(betaKey)), [401, invalid, undefined, undefined], 'a disabled app answers like an invalid key');
      await h.services.apps.setStatus('beta', 'active');
      const limited = await h.services.apps.create({ name: 'limited', rateLimit: 1 });
      const lk = (await h.services.access.createKey(limited)).text;
      const seen = await firstRefusal(() => call('/elevenlabs/v1/voices', xi(lk)));
      assert.deepEqual(seen, [
        429,
        '{"detail":{"type":"rate_limit_error","code":"rate_limit_exceeded","message":"Too many requests. Please slow down.","status":"rate_limit_exceeded","request_id":"<hex32>"}}',
        undefined,
        '1',
      ]);
      const a = JSON.parse((await get('/elevenlabs/v2/voices')).body).detail.request_id;
      const b = JSON.parse((await get('/elevenlabs/v2/voices')).body).detail.request_id;
      assert.notEqual(a, b, 'a fresh request id each time');
    });

    test("an app's usage counts its answered calls in each key dialect as answered, and its refusals as failed", async () => {
      const counted = await h.services.apps.create({ name: 'counted', rateLimit: 100_000 });
      const ck = (await h.services.access.createKey(counted)).text;
      await get('/elevenlabs/v2/voices', xi(ck));
      await get('/elevenlabs/v1/voices/warm-narrator', xi(ck));
      await get('/elevenlabs/v1/voices/nope', xi(ck));
      await get('/heygen/v2/voices', { 'x-api-key': ck });
      await get('/openai/v1/audio/voices', { authorization: `Bearer ${ck}` });
      const usage = (await v1(h, 'GET', '/v1/apps/counted/usage', admin)).body.requests;
      assert.deepEqual(
        [usage.elevenlabs, usage.heygen, usage.openai],
        [
          { ok: 2, failed: 1 },
          { ok: 1, failed: 0 },
          { ok: 1, failed: 0 },
        ],
      );
    });

    test('host routing: a host named in TIMBREL_DIALECT_HOSTS reaches the dialect without the prefix; signed URLs keep TIMBREL_PUBLIC_URL', async () => {
      const r = await h.inject({ method: 'GET', url: '/v1/voices/warm-narrator', headers: { host: 'Eleven.Internal:8080', ...xi(key) } });
      assert.equal(r.body, JSON.stringify(narratorVoice));
      const other = await h.inject({ method: 'GET', url: '/v1/voices', headers: { host: 'other.example', authorization: `Bearer ${admin}` } });
      assert.deepEqual(
        [other.statusCode, other.headers['content-type']],
        [404, 'application/problem+json; charset=utf-8'],
        'other hosts route by path: /v1/voices is no native route',
      );
      await importRecords(h.services, [
        { kind: 'timbre', owner: 'alpha', key: 'stored-sample', name: 'Stored', sample: 'demo/assets/tone-low.wav', sortOrder: 9 },
      ]);
      const stored = JSON.parse((await h.inject({ method: 'GET', url: '/v1/voices/stored-sample', headers: { host: 'eleven.internal', ...xi(key) } })).body);
      assert.ok(stored.preview_url.startsWith(`${PUBLIC_URL}/files/`), stored.preview_url);
    });

    test('the official SDK parses every answer of this catalog: getAll (legacy too), get, search by each sort, getShared', async () => {
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      const client = new ElevenLabsClient({
        apiKey: key,
        baseUrl: `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/elevenlabs`,
        maxRetries: 0,
      });
      assert.deepEqual(
        (await client.voices.getAll()).voices.map((v) => v.voiceId),
        ids(await json('/elevenlabs/v1/voices')),
      );
      const legacy = await client.voices.getAll({ showLegacy: true });
      assert.ok(legacy.voices.some((v) => v.voiceId === 'retired-voice' && v.isLegacy === true));
      const narrator = await client.voices.get('warm-narrator');
      assert.deepEqual(
        [narrator.name, narrator.labels?.accent, narrator.verifiedLanguages?.[0]?.locale, narrator.createdAtUnix],
        ['Warm narrator', 'american', 'en-US', CREATED],
      );
      for (const [sort, sortDirection] of [
        ['name', 'asc'],
        ['name', 'desc'],
        ['created_at_unix', 'desc'],
      ]) {
        const page = await client.voices.search({ sort, sortDirection, pageSize: 2 });
        assert.equal(page.voices.length, 2, `${sort} ${sortDirection}`);
      }
      const lib = await client.voices.getShared({ pageSize: 2, language: 'en' });
      assert.deepEqual([lib.voices.map((v) => v.voiceId), lib.hasMore], [['warm-narrator', 'deep-voice'], false]);
    });

    test("fuzzing: any path under /elevenlabs, any method and query: FastAPI's bodies, never a 5xx", async () => {
      const names = [
        'page_size',
        'page',
        'sort',
        'sort_direction',
        'voice_type',
        'category',
        'voice_ids',
        'language',
        'next_page_token',
        'include_total_count',
        'show_legacy',
        'gender',
        'search',
        'locale',
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'POST', 'DELETE', 'HEAD'),
          fc.constantFrom('/elevenlabs/v2/voices', '/elevenlabs/v1/voices', '/elevenlabs/v1/shared-voices', '/elevenlabs/v1/voices/', '/elevenlabs/v1/'),
          fc.string({ maxLength: 20 }),
          fc.array(fc.tuple(fc.constantFrom(...names), fc.string({ maxLength: 12 })), { maxLength: 5 }),
          async (method, path, extra, params) => {
            const url = `${path}${encodeURIComponent(extra)}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
            const res = await get(url, xi(key), method);
            assert.ok(res.statusCode < 500, `${method} ${url}: ${res.statusCode} ${res.body}`);
            if (method !== 'HEAD') assert.ok('detail' in JSON.parse(res.body) || res.statusCode === 200, url);
          },
        ),
        { numRuns: 300 },
      );
    });
  });

describe('ElevenLabs: the official @elevenlabs/elevenlabs-js SDK (npm, unmodified) against a 10,000-voice catalog', () => {
  let h: Harness;
  let key: string;
  let betaKey: string;
  let base: string;

  before(async () => {
    h = await harness({}, CREATED * 1000);
    ({ key, betaKey } = await keyedApps(h));
    const langs = [['en-US'], ['de-DE'], ['en-GB', 'fr-FR'], ['ja-JP']];
    await importRecords(h.services, [
      ...Array.from({ length: 9_990 }, (_, i) => ({
        kind: 'timbre',
        key: `v${String(i).padStart(5, '0')}`,
        name: `Voice ${i % 997}`,
        gender: ['male', 'female', 'neutral'][i % 3],
        languages: langs[i % 4],
        sortOrder: i % 50,
      })),
      ...Array.from({ length: 10 }, (_, i) => ({ kind: 'timbre', owner: 'alpha', key: `own-${i}`, name: `Own ${i}`, gender: 'female', languages: ['en-US'] })),
      { kind: 'timbre', owner: 'beta', key: 'beta-secret', name: 'Beta secret' },
    ]);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/elevenlabs`;
  });
  after(() => h.close());

  test("voices.search pages through all 10,000 exactly once; filters by gender and language; voices.get; not-found is the SDK's own error", async () => {
    const client = new ElevenLabsClient({ apiKey: key, baseUrl: base, maxRetries: 0 });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await client.voices.search({ pageSize: 100, nextPageToken: token });
      pages++;
      seen.push(...page.voices.map((v) => v.voiceId));
      assert.equal(page.totalCount, 10_000);
      if (!page.hasMore) break;
      token = page.nextPageToken!;
    }
    assert.equal(pages, 100);
    assert.equal(seen.length, 10_000);
    assert.equal(new Set(seen).size, 10_000, '10,000 distinct ids');
    assert.ok(!seen.includes('beta-secret'));

    const filtered: string[] = [];
    token = undefined;
    do {
      const page = await client.voices.search({ pageSize: 100, gender: 'female', language: 'en', nextPageToken: token });
      for (const v of page.voices) {
        assert.equal(v.labels?.gender, 'female');
        assert.ok(v.verifiedLanguages?.some((l) => l.language === 'en'));
      }
      filtered.push(...page.voices.map((v) => v.voiceId));
      token = page.hasMore ? page.nextPageToken! : undefined;
    } while (token);
    const expected = 10 + Array.from({ length: 9_990 }, (_, i) => i).filter((i) => i % 3 === 1 && (i % 4 === 0 || i % 4 === 2)).length;
    assert.equal(filtered.length, expected);
    assert.equal(new Set(filtered).size, expected);

    const one = await client.voices.get('v00042');
    assert.deepEqual([one.voiceId, one.name, one.category, one.isOwner], ['v00042', 'Voice 42', 'premade', false]);
    assert.equal((await client.voices.get('own-3')).isOwner, true);
    for (const id of ['nope', 'beta-secret']) {
      await assert.rejects(
        client.voices.get(id),
        (e: unknown) => e instanceof ElevenLabsError && e.statusCode === 404 && JSON.stringify(e.body).includes('voice_not_found'),
        id,
      );
    }
    const wrong = new ElevenLabsClient({ apiKey: 'tbk_wrong', baseUrl: base, maxRetries: 0 });
    await assert.rejects(wrong.voices.search({}), (e: unknown) => e instanceof ElevenLabsError && e.statusCode === 401);
    const beta = new ElevenLabsClient({ apiKey: betaKey, baseUrl: `${base}/`, maxRetries: 0 });
    assert.deepEqual(
      (await beta.voices.search({ voiceIds: ['beta-secret', 'own-1'] })).voices.map((v) => v.voiceId),
      ['beta-secret'],
    );
    const lib = await client.voices.getShared({ pageSize: 3, page: 2 });
    assert.deepEqual([lib.voices.length, lib.hasMore], [3, true]);
  });
});
