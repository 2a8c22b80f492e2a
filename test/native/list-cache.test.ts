/**
 * /v1 list pages kept rendered per caller and URL: a repeated page is the same bytes and ETag,
 * a write shows at once (here and through another process's store), each caller gets its own page for the
 * same URL, and the signed URLs in a kept page are re-signed when their bucket turns.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Harness, nativeFixture, v1, importRecords } from '../helpers.js';
import { testEngines } from '../engines.js';

for (const engine of await testEngines())
  describe(`/v1 list pages kept rendered (${engine})`, () => {
    let h: Harness;
    let admin: string;
    let alphaKey: string;
    let betaKey: string;

    before(async () => {
      ({ h, admin, alphaKey, betaKey } = await nativeFixture(engine));
    });
    after(() => h.close());

    test('a repeated page is the same bytes and ETag; If-None-Match answers 304', async () => {
      const first = await v1(h, 'GET', '/v1/timbres?limit=5', alphaKey);
      const again = await v1(h, 'GET', '/v1/timbres?limit=5', alphaKey);
      assert.equal(first.status, 200);
      assert.equal(again.raw, first.raw);
      assert.equal(again.headers.etag, first.headers.etag);
      assert.equal(again.headers['content-type'], 'application/json; charset=utf-8');
      const notModified = await v1(h, 'GET', '/v1/timbres?limit=5', alphaKey, undefined, { 'if-none-match': first.headers.etag as string });
      assert.equal(notModified.status, 304);
    });

    test("the same URL answers each caller with its own page: never another app's", async () => {
      for (const list of ['/v1/timbres?limit=100', '/v1/digital-humans?limit=100', '/v1/anchors?limit=100']) {
        const alpha = await v1(h, 'GET', list, alphaKey);
        const beta = await v1(h, 'GET', list, betaKey);
        const operator = await v1(h, 'GET', list, admin);
        const names = (r: typeof alpha) => r.body.items.map((i: { name: string }) => i.name).join('|');
        assert.notEqual(names(alpha), names(beta), list);
        assert.ok(!names(alpha).includes('Beta') && !names(beta).includes('Alpha'), list);
        assert.ok(names(operator).includes('Alpha') && names(operator).includes('Beta'), list);
        // And again, from the kept pages.
        assert.equal(names(await v1(h, 'GET', list, betaKey)), names(beta));
        assert.equal(names(await v1(h, 'GET', list, alphaKey)), names(alpha));
      }
    });

    test('a write shows on the next read of a kept page, whoever wrote it and however', async () => {
      const url = '/v1/timbres?limit=100&q=Cache%20probe';
      assert.equal((await v1(h, 'GET', url, alphaKey)).body.items.length, 0);
      const made = await v1(h, 'POST', '/v1/timbres', alphaKey, { key: 'cache_probe_1', name: 'Cache probe one' });
      assert.equal(made.status, 201);
      assert.deepEqual(
        (await v1(h, 'GET', url, alphaKey)).body.items.map((t: { name: string }) => t.name),
        ['Cache probe one'],
      );
      // An import (the bulk path) and a write through another process's store of the same database.
      await importRecords(h.services, [{ kind: 'timbre', owner: 'alpha', key: 'cache_probe_2', name: 'Cache probe two' }]);
      assert.equal((await v1(h, 'GET', url, alphaKey)).body.items.length, 2);
      await v1(h, 'DELETE', `/v1/timbres/${made.body.id}`, alphaKey);
      assert.deepEqual(
        (await v1(h, 'GET', url, alphaKey)).body.items.map((t: { name: string }) => t.name),
        ['Cache probe two'],
      );
    });

    test('signed URLs in a kept page are signed again once their bucket turns', async () => {
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
      const id = await h.services.files.put(png, 'image/png');
      await h.services.repo.files.insert({ id, contentType: 'image/png', size: png.length, createdAt: h.services.now() });
      await importRecords(h.services, [{ kind: 'digitalHuman', name: 'Pictured look', headerImage: `stored:${id}` }]);
      const url = '/v1/digital-humans?limit=100&q=Pictured';
      const before = await v1(h, 'GET', url, admin);
      const signed = before.body.items[0].headerImage as string;
      assert.match(signed, /^https:\/\/timbrel\.test\/files\//);
      const epoch = h.services.urls.epoch();
      h.clock.ms += 2 * 86_400_000;
      try {
        assert.notEqual(h.services.urls.epoch(), epoch);
        const after = await v1(h, 'GET', url, admin);
        assert.notEqual(after.body.items[0].headerImage, signed, 'signed again');
        assert.notEqual(after.headers.etag, before.headers.etag);
      } finally {
        h.clock.ms -= 2 * 86_400_000;
      }
    });
  });
