/** Stored files under expiring signed URLs: byte-exact, ranges, tampered and expired URLs refused. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { harness, importRecords, zego, PUBLIC_URL, type Harness } from '../helpers.js';
import type { App } from '../../src/core/types.js';

describe('signed file URLs', () => {
  let h: Harness;
  let app: App;
  let url: string;
  const png = readFileSync('demo/assets/teal.png');

  before(async () => {
    h = await harness();
    app = await h.services.apps.create({ name: 'f', rateLimit: 1000 });
    await importRecords(h.services, [{ kind: 'timbre', key: 'k', name: 'K', image: 'demo/assets/teal.png' }]);
    url = (await zego(h, app, 'GetTimbreList', {})).json.Data.Timbres[0].AvatarUrl;
  });
  after(() => h.close());

  const get = (u: string, headers: Record<string, string> = {}) => h.inject({ method: 'GET', url: u.replace(PUBLIC_URL, ''), headers });

  test('absolute, on the configured public URL, valid at least 24 h and at most 25 h', () => {
    assert.ok(url.startsWith(`${PUBLIC_URL}/files/`));
    const expires = Number(new URL(url).searchParams.get('expires'));
    const now = Math.floor(h.clock.ms / 1000);
    assert.ok(expires - now >= 86_400 && expires - now <= 90_000, `${expires - now}`);
  });

  test('serves the stored bytes exactly, with the sniffed type', async () => {
    const res = await get(url);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.deepEqual(res.rawPayload, png);
  });

  test('honours a byte range', async () => {
    const res = await get(url, { range: 'bytes=8-15' });
    assert.equal(res.statusCode, 206);
    assert.equal(res.headers['content-range'], `bytes 8-15/${png.length}`);
    assert.deepEqual(res.rawPayload, png.subarray(8, 16));
    assert.equal((await get(url, { range: `bytes=${png.length}-` })).statusCode, 416);
  });

  test('a tampered URL is refused', async () => {
    const u = new URL(url);
    const tampered = [
      url.replace(/signature=./, (m) => m.slice(0, -1) + (m.endsWith('A') ? 'B' : 'A')),
      url.replace(/expires=(\d+)/, (_m, e) => `expires=${Number(e) + 3600}`),
      url.replace(u.pathname.split('/')[2], '0'.repeat(64)),
      url.split('&signature=')[0],
    ];
    for (const t of tampered) {
      const res = await get(t);
      assert.equal(res.statusCode, 403, t);
      assert.equal(res.json().code, 'url_signature_invalid');
    }
  });

  test('an expired URL is refused', async () => {
    const saved = h.clock.ms;
    h.clock.ms += 25 * 3_600_000;
    try {
      const res = await get(url);
      assert.equal(res.statusCode, 403);
      assert.deepEqual(res.json(), {
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        code: 'url_expired',
        detail: 'This file URL has expired; ask the API for a fresh one.',
      });
    } finally {
      h.clock.ms = saved;
    }
  });
});
