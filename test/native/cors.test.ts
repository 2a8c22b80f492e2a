/**
 * CORS for the native API (TIMBREL_CORS_ORIGINS): off by default; for a configured origin, preflights and
 * answers carry what a browser needs to send a Bearer token and read ETags and rate limits; other
 * origins get nothing; a malformed setting is refused at start.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, nativeFixture, type Harness } from '../helpers.js';
import { ConfigError, loadConfig } from '../../src/config.js';

const APP = 'https://app.example.com';

describe('CORS', () => {
  let h: Harness;
  let admin: string;
  before(async () => {
    ({ h, admin } = await nativeFixture('sqlite', { TIMBREL_CORS_ORIGINS: `${APP}, http://localhost:5173` }));
  });
  after(() => h.close());

  test('a preflight from a configured origin is answered with the methods and headers a Bearer call needs', async () => {
    const res = await h.inject({
      method: 'OPTIONS',
      url: '/v1/timbres/0f8fad5b-d9cb-469f-a165-70867728950e',
      headers: { origin: APP, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization, content-type, if-match' },
    });
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['access-control-allow-origin'], APP);
    assert.equal(res.headers['access-control-allow-methods'], 'GET, HEAD, POST, PUT, PATCH, DELETE');
    assert.equal(res.headers['access-control-allow-headers'], 'authorization, content-type, if-match, if-none-match');
    assert.equal(res.headers['access-control-max-age'], '600');
    assert.equal(res.headers['access-control-allow-credentials'], undefined, 'tokens, not cookies');
  });

  test('an answer to a configured origin exposes ETag and the rate-limit headers; another origin gets no CORS headers', async () => {
    const ok = await h.inject({ method: 'GET', url: '/v1/timbres?limit=1', headers: { origin: APP, authorization: `Bearer ${admin}` } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['access-control-allow-origin'], APP);
    assert.equal(ok.headers['access-control-expose-headers'], 'etag, location, retry-after, ratelimit, ratelimit-policy');
    const other = await h.inject({ method: 'GET', url: '/v1/timbres?limit=1', headers: { origin: 'https://evil.example', authorization: `Bearer ${admin}` } });
    assert.equal(other.statusCode, 200, "CORS is the browser's to enforce; the server only withholds the headers");
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });

  test('off by default: no CORS headers, and a preflight finds no route', async () => {
    const plain = await harness();
    try {
      const res = await plain.inject({ method: 'GET', url: '/healthz', headers: { origin: APP } });
      assert.equal(res.headers['access-control-allow-origin'], undefined);
      const pre = await plain.inject({ method: 'OPTIONS', url: '/v1/timbres', headers: { origin: APP, 'access-control-request-method': 'GET' } });
      assert.equal(pre.statusCode, 404);
      assert.equal(pre.headers['access-control-allow-origin'], undefined);
    } finally {
      await plain.close();
    }
  });

  test('a setting that is not a list of origins is refused at start', () => {
    for (const bad of ['app.example.com', 'https://app.example.com/', 'https://app.example.com/console', 'ftp://x']) {
      assert.throws(
        () => loadConfig({ TIMBREL_CORS_ORIGINS: bad }),
        (e: unknown) => e instanceof ConfigError && e.message.includes(`got "${bad}"`),
      );
    }
    assert.deepEqual(loadConfig({ TIMBREL_CORS_ORIGINS: ' * ' }).corsOrigins, ['*']);
  });
});
