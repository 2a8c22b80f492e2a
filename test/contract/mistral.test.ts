/**
 * Mistral's voice list (docs/dialects/mistral.md), the sixth dialect: the official `@mistralai/mistralai`
 * SDK (npm, unmodified, its strict zod parsers) pointed at `/mistral` pages the whole catalog exactly once,
 * reads a voice and its sample; golden bodies for a voice and each error; the security triad (no key, a
 * wrong key, another app's voice answered as a missing one); FastAPI-style 422s for bad parameters.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { Mistral } from '@mistralai/mistralai';
import * as errors from '@mistralai/mistralai/models/errors';
import fc from 'fast-check';
import { keyedApps, harness, importRecords, type Harness } from '../helpers.js';

const CREATED = 1717639699000;
const PUBLIC = 37;

describe('Mistral voices', () => {
  let h: Harness;
  let key: string;
  let betaKey: string;
  let base: string;
  let sampleBytes: Buffer;
  let sampleRef: string;
  const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => h.inject({ method: method as 'GET', url, headers });
  const bearer = (k: string) => ({ authorization: `Bearer ${k}` });

  before(async () => {
    h = await harness({}, CREATED);
    ({ key, betaKey } = await keyedApps(h));
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    sampleBytes = readFileSync('demo/assets/tone-low.wav');
    const id = await h.services.files.put(sampleBytes, 'audio/wav');
    await h.services.repo.files.insert({ id, contentType: 'audio/wav', size: sampleBytes.length, createdAt: CREATED });
    sampleRef = `stored:${id}`;
    await importRecords(h.services, [
      {
        kind: 'timbre',
        id: '8c81a6f0-0000-4000-8000-000000000001',
        key: 'warm-narrator',
        name: 'Warm narrator',
        description: 'A calm, warm narration voice.',
        gender: 'female',
        languages: ['en-US'],
        tags: ['calm'],
        useCases: ['narration'],
        accent: 'american',
        sample: sampleRef,
        createdAt: CREATED,
        sortOrder: 0,
      },
      ...Array.from({ length: PUBLIC - 1 }, (_, i) => ({ kind: 'timbre', key: `pub-${String(i).padStart(2, '0')}`, name: `Public ${i}`, sortOrder: i + 1 })),
      { kind: 'timbre', key: 'retired-voice', name: 'Retired', status: 'retired', sortOrder: 100 },
      { kind: 'timbre', owner: 'alpha', id: '8c81a6f0-0000-4000-8000-00000000000a', key: 'alpha-own', name: 'Alpha own', createdAt: CREATED, sortOrder: 200 },
      { kind: 'timbre', owner: 'beta', id: '8c81a6f0-0000-4000-8000-00000000000b', key: 'beta-secret', name: 'Beta secret', sortOrder: 300 },
    ]);
  });
  after(() => h.close());

  test("a voice, golden: every field of the SDK's VoiceResponse, from the catalog", async () => {
    const res = await get('/mistral/v1/audio/voices/warm-narrator', bearer(key));
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(
      res.body,
      JSON.stringify({
        id: '8c81a6f0-0000-4000-8000-000000000001',
        name: 'Warm narrator',
        slug: 'warm-narrator',
        languages: ['en-US'],
        gender: 'female',
        age: null,
        tags: ['calm', 'narration', 'american'],
        color: null,
        description: 'A calm, warm narration voice.',
        retention_notice: 30,
        created_at: '2024-06-06T02:08:19.000+00:00',
        user_id: null,
        trimmed_seconds: null,
      }),
    );
    // By id too; an app's own voice names the app.
    assert.equal(JSON.parse((await get('/mistral/v1/audio/voices/8c81a6f0-0000-4000-8000-000000000001', bearer(key))).body).slug, 'warm-narrator');
    const own = JSON.parse((await get('/mistral/v1/audio/voices/alpha-own', bearer(key))).body);
    assert.equal(own.user_id, (await h.services.apps.named('alpha')).id);
  });

  test('the official SDK pages the whole visible catalog exactly once; type=preset and custom split it', async () => {
    const client = new Mistral({ apiKey: key, serverURL: `${base}/mistral` });
    const seen: string[] = [];
    for (let offset = 0; ; offset += 10) {
      const page = await client.audio.voices.list({ limit: 10, offset });
      assert.equal(page.total, PUBLIC + 1);
      assert.equal(page.pageSize, 10);
      assert.equal(page.page, offset / 10);
      assert.equal(page.totalPages, Math.ceil((PUBLIC + 1) / 10));
      if (!page.items.length) break;
      seen.push(...page.items.map((v) => v.slug!));
    }
    assert.equal(seen.length, PUBLIC + 1);
    assert.equal(new Set(seen).size, seen.length, 'no voice twice');
    assert.ok(seen.includes('alpha-own') && !seen.includes('beta-secret') && !seen.includes('retired-voice'));
    const presets = await client.audio.voices.list({ limit: 100, type: 'preset' });
    assert.equal(presets.total, PUBLIC);
    const custom = await client.audio.voices.list({ type: 'custom' });
    assert.deepEqual(
      custom.items.map((v) => v.slug),
      ['alpha-own'],
    );
    assert.ok(custom.items[0].createdAt instanceof Date);
    const one = await client.audio.voices.get({ voiceId: 'warm-narrator' });
    assert.equal(one.retentionNotice, 30);
  });

  test('a sample: the stored bytes with their type through the SDK; none is a 404', async () => {
    const client = new Mistral({ apiKey: key, serverURL: `${base}/mistral` });
    const stream = await client.audio.voices.getSampleAudio({ voiceId: 'warm-narrator' });
    const chunks: Uint8Array[] = [];
    for await (const c of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
    assert.deepEqual(Buffer.concat(chunks), sampleBytes);
    const res = await get('/mistral/v1/audio/voices/warm-narrator/sample', bearer(key));
    assert.equal(res.headers['content-type'], 'audio/wav');
    const none = await get('/mistral/v1/audio/voices/pub-00/sample', bearer(key));
    assert.equal(none.statusCode, 404);
    assert.equal(none.body, '{"detail":"Voice not found"}');
  });

  test("security: no key and a wrong key are 401; another app's voice is answered as a missing one", async () => {
    for (const headers of [{}, bearer('tbk_wrong'), { authorization: 'Basic abc' }]) {
      const res = await get('/mistral/v1/audio/voices', headers);
      assert.equal(res.statusCode, 401);
      assert.equal(res.body, '{"detail":"Unauthorized"}');
    }
    const theirs = await get('/mistral/v1/audio/voices/beta-secret', bearer(key));
    const missing = await get('/mistral/v1/audio/voices/no-such-voice', bearer(key));
    assert.equal(theirs.statusCode, 404);
    assert.equal(theirs.body, missing.body);
    assert.equal((await get('/mistral/v1/audio/voices/8c81a6f0-0000-4000-8000-00000000000b', bearer(key))).body, missing.body);
    assert.equal((await get('/mistral/v1/audio/voices/beta-secret/sample', bearer(key))).body, missing.body);
    assert.equal((await get('/mistral/v1/audio/voices/beta-secret', bearer(betaKey))).statusCode, 200);
    const client = new Mistral({ apiKey: 'tbk_wrong', serverURL: `${base}/mistral` });
    await assert.rejects(client.audio.voices.list(), (e: unknown) => e instanceof errors.MistralError && e.statusCode === 401);
  });

  test("bad parameters: 422 in FastAPI's shape, which the SDK raises as HTTPValidationError", async () => {
    const cases: [string, object][] = [
      [
        'limit=abc',
        { type: 'int_parsing', loc: ['query', 'limit'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'abc' },
      ],
      ['limit=0', { type: 'greater_than_equal', loc: ['query', 'limit'], msg: 'Input should be greater than or equal to 1', input: '0', ctx: { ge: 1 } }],
      ['limit=101', { type: 'less_than_equal', loc: ['query', 'limit'], msg: 'Input should be less than or equal to 100', input: '101', ctx: { le: 100 } }],
      ['offset=-1', { type: 'greater_than_equal', loc: ['query', 'offset'], msg: 'Input should be greater than or equal to 0', input: '-1', ctx: { ge: 0 } }],
      [
        'type=mine',
        {
          type: 'enum',
          loc: ['query', 'type'],
          msg: "Input should be 'all', 'custom' or 'preset'",
          input: 'mine',
          ctx: { expected: "'all', 'custom' or 'preset'" },
        },
      ],
    ];
    for (const [query, detail] of cases) {
      const res = await get(`/mistral/v1/audio/voices?${query}`, bearer(key));
      assert.equal(res.statusCode, 422, query);
      assert.equal(res.body, JSON.stringify({ detail: [detail] }), query);
    }
    const client = new Mistral({ apiKey: key, serverURL: `${base}/mistral` });
    await assert.rejects(
      client.audio.voices.list({ limit: 0 }),
      (e: unknown) => e instanceof errors.HTTPValidationError && e.detail?.[0]?.loc.join('.') === 'query.limit',
    );
  });

  test("every other route is a 404 in Mistral's shape, a write method a 405: never a fake success", async () => {
    for (const path of ['/mistral', '/mistral/v1/audio/speech', '/mistral/v1/models', '/mistral/v1/audio/voices/x/y']) {
      const res = await get(path, bearer(key));
      assert.equal(res.statusCode, 404, path);
      assert.equal(res.body, '{"detail":"Not Found"}');
    }
    const post = await get('/mistral/v1/audio/voices', bearer(key), 'POST');
    assert.equal(post.statusCode, 405);
    assert.equal(post.headers.allow, 'GET');
  });

  test('fuzzed paths and queries: always one of the documented statuses, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/mistral/v1/audio/voices', '/mistral/v1/audio/voices/warm-narrator', '/mistral/v1/audio/voices/x/sample'),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 12 }),
        async (path, limit, type) => {
          const res = await get(`${path}?limit=${encodeURIComponent(limit)}&type=${encodeURIComponent(type)}&offset=3`, bearer(key));
          assert.ok([200, 404, 422].includes(res.statusCode), `${res.statusCode} ${res.body}`);
          JSON.parse(res.body);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('the registry makes it a dialect like the others: usage counts it, /v1/dialects and the service description name it', async () => {
    const admin = await h.services.access.rotateAdminToken();
    const usage = JSON.parse((await get('/v1/apps/alpha/usage', bearer(admin))).body);
    assert.ok(usage.requests.mistral.ok > 0);
    const dialects = JSON.parse((await get('/v1/dialects', bearer(key))).body).items;
    assert.deepEqual(
      dialects.find((d: { name: string }) => d.name === 'mistral'),
      { name: 'mistral', label: 'Mistral', auth: 'Bearer API key', baseUrl: `${h.services.config.publicUrl}/mistral`, example: 'GET /mistral/v1/audio/voices' },
    );
    const root = JSON.parse((await get('/')).body);
    assert.equal(root.mistral, 'GET /mistral/v1/audio/voices');
  });
});
