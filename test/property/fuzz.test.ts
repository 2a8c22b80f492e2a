/**
 * Property tests: whatever body or query string a client sends, both dialects answer with their own
 * envelope — never a 5xx, never a stack trace — and a request that fails validation never succeeds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { harness, ivhQuery, seedTwoApps, zegoQuery, IVH_PATH, type Harness } from '../helpers.js';
import type { App } from '../../src/core/types.js';

const anyJson = fc.jsonValue({ maxDepth: 3 });
const paramValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(-1, 0, 1, 20, 21, 100, 101, 1_000_000, 1_000_001, 1.5, '5', '', 'x'.repeat(5000), '\u0000\ud83d\ude00'),
  fc.array(fc.string(), { maxLength: 3 }),
);
const zegoBody = fc.oneof(
  anyJson,
  fc.record(
    { DigitalHumanId: paramValue, Offset: paramValue, Limit: paramValue, FetchMode: paramValue, MetaHumanId: paramValue, MetaHumanModelId: paramValue },
    { requiredKeys: [] },
  ),
);
const ivhPayload = fc.record(
  {
    PageIndex: paramValue,
    PageSize: paramValue,
    pageindex: paramValue,
    VirtualmanKey: paramValue,
    TimbreKeyList: paramValue,
    TimbreName: paramValue,
    PurchaseType: paramValue,
    AnchorCodes: paramValue,
    AnchorCode: paramValue,
    VirtualmanTypeCode: paramValue,
    GetAllResource: paramValue,
    ServiceType: paramValue,
  },
  { requiredKeys: [] },
);
const rawText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('{', '[]', 'null', '{"Header":', '\u0000'));
const queryNoise = fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 })), { maxLength: 6 });

/** Every served action, and one that is not. */
const ZEGO_FUZZED = [
  'GetTimbreList',
  'GetDigitalHumanList',
  'GetDigitalHumanInfo',
  'GetDigitalHumanRenderInfo',
  'DescribeMetaHumanModel',
  'DescribeMetaHumanModelDetail',
  'DescribeTimbreByMetaHuman',
  'DescribeMetaHuman',
  'Nope',
];
/** Every served path (the deprecated ones by their whole path). */
const IVH_FUZZED = [
  'describetimbre',
  'describesmallsampleimage',
  'getimagetimbre',
  'getanchor',
  'getimagebyanchor',
  'getaction',
  'getserviceasset',
  ...['gettimbre', 'getanchor', 'getresourcebyanchor', 'getaction'].map((p) => `/v2/ivh/videomaker/broadcastservice/${p}`),
];

function noStack(body: string) {
  assert.ok(!/\bat .+\(.+:\d+:\d+\)/.test(body), 'no stack trace in a response');
}

describe('fuzzing both dialects', () => {
  let h: Harness;
  let app: App;
  before(async () => {
    h = await harness();
    ({ alpha: app } = await seedTwoApps(h));
    await h.services.apps.setRateLimit('alpha', 1_000_000);
    app = (await h.services.apps.byName('alpha'))!;
  });
  after(() => h.close());

  test('ZEGO: signed requests with arbitrary bodies get a ZEGO envelope and no 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ZEGO_FUZZED),
        fc.oneof(
          zegoBody.map((b) => JSON.stringify(b)),
          rawText,
        ),
        async (action, payload) => {
          const res = await h.inject({
            method: 'POST',
            url: `/?Action=${action}&${zegoQuery(app, h.clock.ms)}`,
            payload,
            headers: { 'content-type': 'application/json' },
          });
          assert.ok(res.statusCode < 500, `status ${res.statusCode}`);
          noStack(res.body);
          const json = res.json();
          assert.equal(typeof json.Code, 'number');
          assert.equal(typeof json.Message, 'string');
          assert.equal(typeof json.RequestId, 'string');
          if (json.Code === 0) assert.ok(json.Data && typeof json.Data === 'object');
          else assert.equal(json.Data, undefined);
        },
      ),
      { numRuns: 800 },
    );
  });

  test('ZEGO: arbitrary query strings never authenticate and never crash', async () => {
    await fc.assert(
      fc.asyncProperty(queryNoise, async (pairs) => {
        const qs = ['Action=GetTimbreList', ...pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)].join('&');
        const res = await h.inject({ method: 'POST', url: `/?${qs}`, payload: '{}' });
        assert.ok(res.statusCode < 500);
        noStack(res.body);
        assert.notEqual(res.json().Code, 0);
      }),
      { numRuns: 300 },
    );
  });

  test('IVH: signed requests with arbitrary payloads get an IVH envelope and no 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...IVH_FUZZED),
        fc.oneof(
          ivhPayload.map((p) => JSON.stringify({ Header: {}, Payload: p })),
          anyJson.map((b) => JSON.stringify(b)),
          rawText,
        ),
        async (op, payload) => {
          const res = await h.inject({ method: 'POST', url: `${op.startsWith('/') ? op : `${IVH_PATH}${op}`}?${ivhQuery(app, h.clock.ms)}`, payload });
          assert.ok(res.statusCode < 500, `status ${res.statusCode}`);
          noStack(res.body);
          const json = res.json();
          assert.equal(typeof json.Header.Code, 'number');
          assert.equal(typeof json.Header.RequestID, 'string');
          if (json.Header.Code !== 0) assert.equal(json.Payload, undefined);
          else assert.ok(json.Payload && typeof json.Payload === 'object');
        },
      ),
      { numRuns: 800 },
    );
  });

  test('IVH: arbitrary query strings never authenticate and never crash', async () => {
    await fc.assert(
      fc.asyncProperty(queryNoise, fc.string(), async (pairs, path) => {
        const qs = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const res = await h.inject({
          method: 'POST',
          url: `${IVH_PATH}${encodeURIComponent(path) || 'describetimbre'}?${qs}`,
          payload: '{"Header":{},"Payload":{"PageIndex":1,"PageSize":1}}',
        });
        assert.ok(res.statusCode < 500);
        noStack(res.body);
        if (res.statusCode !== 404) assert.notEqual(res.json().Header.Code, 0);
      }),
      { numRuns: 300 },
    );
  });
});
