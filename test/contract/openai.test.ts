/**
 * The OpenAI-compatible voice list (openai-voices.md): the documented example as a golden test, the legacy
 * shape, the key in the path, every documented error with its exact body, the security triad (no key, a
 * wrong key, another app's voices), and the official `openai` SDK (npm, unmodified) pointed at the prefix.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import fc from 'fast-check';
import { keyedApps, firstRefusal, harness, importRecords, type Harness } from '../helpers.js';
import { pathOnly } from '../../src/request-log.js';

describe('OpenAI-compatible voices', () => {
  let h: Harness;
  let key: string;
  let betaKey: string;
  let admin: string;
  const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => h.inject({ method: method as 'GET', url, headers });
  const bearer = (k: string) => ({ authorization: `Bearer ${k}` });

  before(async () => {
    h = await harness({ TIMBREL_UNPAGED_MAX: '50' }, 1717639699 * 1000);
    ({ key, betaKey, admin } = await keyedApps(h));
    await importRecords(h.services, [
      {
        kind: 'timbre',
        key: 'warm-narrator',
        name: 'Warm narrator',
        description: 'A calm, warm narration voice.',
        gender: 'female',
        languages: ['en-US'],
        sample: 'https://timbrel.example.com/files/9f2c.wav',
        createdAt: 1717639699000,
        sortOrder: 1,
      },
      { kind: 'timbre', key: 'retired-voice', name: 'Retired', status: 'retired', sortOrder: 0 },
      { kind: 'timbre', owner: 'alpha', key: 'alpha-own', name: 'Alpha own', sortOrder: 2 },
      { kind: 'timbre', owner: 'beta', key: 'beta-secret', name: 'Beta secret', sortOrder: 3 },
    ]);
  });
  after(() => h.close());

  test('the documented example: one body every client parses (data and voices, the same objects)', async () => {
    const res = await get('/openai/v1/audio/voices', bearer(betaKey));
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const v = {
      id: 'warm-narrator',
      object: 'audio.voice',
      name: 'Warm narrator',
      created_at: 1717639699,
      description: 'A calm, warm narration voice.',
      gender: 'female',
      languages: ['en-US'],
      preview_url: 'https://timbrel.example.com/files/9f2c.wav',
    };
    const beta = {
      id: 'beta-secret',
      object: 'audio.voice',
      name: 'Beta secret',
      created_at: 1717639699,
      description: null,
      gender: 'neutral',
      languages: [],
      preview_url: null,
    };
    assert.equal(res.body, JSON.stringify({ object: 'list', data: [v, beta], voices: [v, beta] }));
  });

  test('legacy=true: the plain-string shape; the key in the path works without a header', async () => {
    const res = await get(`/openai/key/${key}/v1/audio/voices?legacy=true`);
    assert.equal(res.body, '{"voices":["warm-narrator","alpha-own"]}');
    for (const v of ['TRUE', '1', 'yes', 'On'])
      assert.equal(JSON.parse((await get(`/openai/v1/audio/voices?legacy=${v}`, bearer(key))).body).voices[0], 'warm-narrator');
    assert.ok(JSON.parse((await get('/openai/v1/audio/voices?legacy=off&model=kokoro', bearer(key))).body).data, 'model is accepted and ignored');
    assert.equal((await get(`/openai/key/${key}/v1/models`)).body, '{"object":"list","data":[]}');
  });

  test('every documented error, exact bodies', async () => {
    const body = async (url: string, headers: Record<string, string> = {}, method = 'GET') => {
      const r = await get(url, headers, method);
      return [r.statusCode, r.body, r.headers.allow, r.headers['retry-after']];
    };
    assert.deepEqual(await body('/openai/v1/audio/voices'), [
      401,
      '{"error":{"message":"No API key provided.","type":"invalid_request_error","param":null,"code":null}}',
      undefined,
      undefined,
    ]);
    const invalid = '{"error":{"message":"Invalid API key.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}';
    for (const headers of [bearer('tbk_nope'), bearer(admin)])
      assert.deepEqual(await body('/openai/v1/audio/voices', headers), [401, invalid, undefined, undefined]);
    assert.deepEqual(await body(`/openai/key/${key}/v1/audio/voices`, bearer(betaKey)), [401, invalid, undefined, undefined], 'header and path keys differ');
    assert.deepEqual(await body('/openai/v1/audio/voices?legacy=maybe', bearer(key)), [
      400,
      '{"error":{"message":"legacy must be a boolean.","type":"invalid_request_error","param":"legacy","code":null}}',
      undefined,
      undefined,
    ]);
    assert.deepEqual(await body(`/openai/key/${key}/v1/audio/speech`, bearer(key), 'POST'), [
      404,
      '{"error":{"message":"Invalid URL (POST /openai/key/***/v1/audio/speech)","type":"invalid_request_error","param":null,"code":null}}',
      undefined,
      undefined,
    ]);
    assert.deepEqual(await body('/openai/v1/audio/models', bearer(key)), [
      404,
      '{"error":{"message":"Invalid URL (GET /openai/v1/audio/models)","type":"invalid_request_error","param":null,"code":null}}',
      undefined,
      undefined,
    ]);
    assert.deepEqual(await body('/openai/v1/audio/voices', bearer(key), 'DELETE'), [
      405,
      '{"error":{"message":"Method not allowed.","type":"invalid_request_error","param":null,"code":null}}',
      'GET',
      undefined,
    ]);
    await h.services.apps.setStatus('beta', 'disabled');
    assert.deepEqual(await body('/openai/v1/models', bearer(betaKey)), [401, invalid, undefined, undefined], 'a disabled app answers like an invalid key');
    await h.services.apps.setStatus('beta', 'active');
    const limited = await h.services.apps.create({ name: 'limited', rateLimit: 1 });
    const lk = (await h.services.access.createKey(limited)).text;
    const seen = await firstRefusal(() => body('/openai/v1/models', bearer(lk)));
    assert.deepEqual(seen, [
      429,
      '{"error":{"message":"Rate limit reached for requests.","type":"requests","param":null,"code":"rate_limit_exceeded"}}',
      undefined,
      '1',
    ]);
    await importRecords(
      h.services,
      Array.from({ length: 60 }, (_, i) => ({ kind: 'timbre', owner: 'limited', key: `many-${i}`, name: `Many ${i}` })),
    );
    await h.services.apps.setRateLimit('limited', 1000);
    assert.deepEqual(await body('/openai/v1/audio/voices', bearer(lk)), [
      400,
      '{"error":{"message":"More than 50 voices; this list has no paging.","type":"invalid_request_error","param":null,"code":"too_many_voices"}}',
      undefined,
      undefined,
    ]);
  });

  test('the key in a path never reaches a log line', () => {
    assert.equal(pathOnly(`/openai/key/${key}/v1/audio/voices?legacy=true`), '/openai/key/***/v1/audio/voices');
    assert.equal(pathOnly(`/key/${key}/v1/audio/voices`), '/key/***/v1/audio/voices', 'the same path on a host routed to the dialect');
  });

  test("fuzzing: any path under /openai, any method and query: OpenAI's envelope, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD'),
        fc.constantFrom('/openai', '/openai/v1/audio/voices', '/openai/v1/models', `/openai/key/${key}/v1/audio/voices`),
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 20 }),
        async (method, path, extra, legacy) => {
          const requested = `${path}${encodeURI(extra)}`;
          const res = await get(`${requested}?legacy=${encodeURIComponent(legacy)}`, bearer(key), method);
          assert.ok(res.statusCode < 500, `${method} ${requested}: ${res.statusCode}`);
          // Under the prefix, OpenAI's envelope; a path that only begins like it (/openaiX) is not the dialect's.
          const ours = requested === '/openai' || requested.startsWith('/openai/');
          if (ours && method !== 'HEAD' && res.statusCode !== 200) assert.equal(typeof JSON.parse(res.body).error.message, 'string');
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the official openai SDK (npm, unmodified), base URL at the prefix: lists the voices; a wrong key is its AuthenticationError', async () => {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/openai/v1`;
    const client = new OpenAI({ apiKey: key, baseURL: base, maxRetries: 0 });
    const list = (await client.get('/audio/voices')) as { voices: { id: string; name: string }[] };
    assert.deepEqual(
      list.voices.map((v) => [v.id, v.name]),
      [
        ['warm-narrator', 'Warm narrator'],
        ['alpha-own', 'Alpha own'],
      ],
    );
    assert.deepEqual(await client.models.list().then((p) => p.data), []);
    const wrong = new OpenAI({ apiKey: 'tbk_wrong', baseURL: base, maxRetries: 0 });
    await assert.rejects(
      wrong.get('/audio/voices'),
      (e: unknown) => e instanceof OpenAI.AuthenticationError && e.code === 'invalid_api_key' && /Invalid API key/.test(e.message),
    );
    await assert.rejects(client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hi' }), (e: unknown) => e instanceof OpenAI.NotFoundError);
  });
});
