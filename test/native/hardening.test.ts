/**
 * Smaller holes, each as a user or an attacker finds it: failed sign-ins throttled per
 * address, weak brought secrets refused, the file-URL signing key sealed at rest, unknown fields refused,
 * static paths outside their folder and JSON nested past the limit answered cleanly, and the garbage
 * collection of stored files (both engines).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { harness, importRecords, ivh, nativeFixture, seedTwoApps, v1, zego, type Harness } from '../helpers.js';
import { testEngines } from '../engines.js';
import { collectFiles } from '../../src/files/gc.js';
import { openServices } from '../../src/services.js';

const PNG = readFileSync('demo/assets/amber.png');
const WAV = readFileSync('demo/assets/tone-low.wav');

describe('hardening (sqlite)', () => {
  let h: Harness;
  let admin: string;
  let alphaKey: string;
  before(async () => {
    ({ h, admin, alphaKey } = await nativeFixture('sqlite', { TIMBREL_AUTH_FAILURES_PER_MINUTE: '5' }));
  });
  after(() => h.close());

  const from = (remoteAddress: string, token: string) =>
    h.inject({ method: 'GET', url: '/v1/timbres?limit=1', remoteAddress, headers: { authorization: `Bearer ${token}` } });

  test('failed tokens are throttled per client address: 429 with Retry-After, even for a right token, until the minute ends', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await from('10.9.9.9', `tba_wrong${i}`)).statusCode, 401);
    const refused = await from('10.9.9.9', admin);
    assert.equal(refused.statusCode, 429);
    assert.equal(JSON.parse(refused.body).code, 'rate_limited');
    assert.ok(Number(refused.headers['retry-after']) >= 1 && Number(refused.headers['retry-after']) <= 60);
    // Another address is not affected; the minute passing frees this one.
    assert.equal((await from('10.9.9.10', admin)).statusCode, 200);
    h.clock.ms += 60_000;
    assert.equal((await from('10.9.9.9', admin)).statusCode, 200);
    assert.equal((await from('10.9.9.9', alphaKey)).statusCode, 200);
  });

  test('a brought signing secret must look like one: white space and few distinct characters are refused', async () => {
    const tries: [Record<string, unknown>, string][] = [
      [{ zegoServerSecret: ' '.repeat(32) }, 'zegoServerSecret'],
      [{ zegoServerSecret: 'a'.repeat(32) }, 'zegoServerSecret'],
      [{ zegoServerSecret: 'abababababababababababababababab' }, 'zegoServerSecret'],
      [{ ivhAccessToken: ' '.repeat(40) }, 'ivhAccessToken'],
      [{ ivhAccessToken: 'short' }, 'ivhAccessToken'],
      [{ ivhAccessToken: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, 'ivhAccessToken'],
    ];
    for (const [body, param] of tries) {
      const r = await v1(h, 'POST', '/v1/apps', admin, { name: `weak-${randomBytes(3).toString('hex')}`, ...body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.param, param);
    }
    const ok = await v1(h, 'POST', '/v1/apps', admin, {
      name: 'strong',
      zegoServerSecret: '9193cc662a4c0ec135ec71fb57194b38',
      ivhAccessToken: 'example_accesstoken',
    });
    assert.equal(ok.status, 201);
  });

  test('unknown fields are refused on every app route (they were dropped silently)', async () => {
    const patch = await v1(h, 'PATCH', '/v1/apps/alpha', admin, { rateLimit: 5, bogus: 1 });
    assert.equal(patch.status, 400);
    assert.equal(patch.body.code, 'invalid_parameter');
    assert.equal((await v1(h, 'GET', '/v1/apps/alpha', admin)).body.rateLimit, 1000, 'nothing changed');
    assert.equal((await v1(h, 'POST', '/v1/apps/alpha/rotate', admin, { dialect: 'zego', bogus: 1 })).status, 400);
  });

  test('static paths outside their folder are 404, not 500', async () => {
    for (const url of ['/v1/docs/static/%2e%2e/%2e%2e/package.json', '/v1/docs/static/%2e%2e/x', '/console/%2e%2e/%2e%2e/package.json']) {
      const r = await h.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 404, url);
      assert.equal(JSON.parse(r.body).code, 'route_not_found');
    }
  });

  test('JSON nested deeper than 64 levels: a 400 on /v1 (the try-it panel too), the envelope error on ZEGO and IVH', async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const tryIt = await h.inject({
      method: 'POST',
      url: '/v1/apps/alpha/try',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      payload: `{"dialect":"zego","operation":"GetTimbreList","body":{"a":${deep(10_000)}}}`,
    });
    assert.equal(tryIt.statusCode, 400);
    assert.deepEqual(JSON.parse(tryIt.body), {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      code: 'body_unreadable',
      detail: 'the body nests deeper than 64 levels',
    });
    // 64 levels are fine.
    assert.equal(
      (
        await h.inject({
          method: 'POST',
          url: '/v1/timbres',
          headers: { authorization: `Bearer ${alphaKey}`, 'content-type': 'application/json' },
          payload: `{"key":"d","name":"d","x":${deep(62)}}`,
        })
      ).statusCode,
      400,
      'read, then refused for its unknown field',
    );
    const alpha = (await h.services.apps.byName('alpha'))!;
    assert.equal((await zego(h, alpha, 'GetTimbreList', { Offset: 0, Limit: 1 })).json.Code, 0);
    const zDeep = await zego(h, alpha, 'GetTimbreList', `{"Offset":${deep(100)}}`);
    assert.equal(zDeep.status, 400);
    assert.deepEqual([zDeep.json.Code, zDeep.json.Message], [100000012, 'body nests deeper than 64 levels']);
    const i = await ivh(h, alpha, 'describetimbre', {}, { body: `{"Header":{},"Payload":${deep(100)}}` });
    assert.deepEqual([i.status, i.json.Header.Code, i.json.Header.Message], [200, 100001, 'InvalidParameter: body nests deeper than 64 levels']);
  });
});

test('the file-URL signing key is sealed at rest under TIMBREL_SECRET_KEY, and secrets reencrypt moves it to a new key', async () => {
  const keyA = randomBytes(32).toString('base64');
  const keyB = randomBytes(32).toString('base64');
  const h = await harness({ TIMBREL_SECRET_KEY: keyA });
  try {
    const stored = async () =>
      (await h.services.repo.db.selectFrom('settings').select('value').where('key', '=', 'url_signing_key').executeTakeFirstOrThrow()).value;
    assert.match(await stored(), /^enc1:/);
    const url = h.services.urls.resolve(`stored:${'a'.repeat(64)}`);
    // A second process with the key reads the same signing key: the same URL.
    const again = await openServices({ ...h.services.config });
    assert.equal(again.urls.resolve(`stored:${'a'.repeat(64)}`), url);
    await again.close();
    // Rotation: B current, A previous; reencrypt seals it under B; A can then go.
    const rotated = await openServices({ ...h.services.config, secretKeys: [Buffer.from(keyB, 'base64'), Buffer.from(keyA, 'base64')] });
    await rotated.repo.reencryptSecrets(Date.now());
    await rotated.close();
    const onlyB = await openServices({ ...h.services.config, secretKeys: [Buffer.from(keyB, 'base64')] });
    assert.equal(onlyB.urls.resolve(`stored:${'a'.repeat(64)}`), url);
    await onlyB.close();
    await assert.rejects(openServices({ ...h.services.config, secretKeys: [] }), /TIMBREL_SECRET_KEY is not set/);
  } finally {
    await h.close();
  }
});

for (const engine of await testEngines())
  describe(`stored-file garbage collection (${engine})`, () => {
    let h: Harness;
    let admin: string;
    const HOUR = 3_600_000;
    before(async () => {
      h = await harness({}, Date.now(), engine);
      await seedTwoApps(h);
      admin = await h.services.access.rotateAdminToken();
    });
    after(() => h.close());

    const upload = async (method: string, url: string, bytes: Buffer) => {
      const r = await h.inject({
        method: method as 'PUT',
        url,
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/octet-stream' },
        payload: bytes,
      });
      assert.ok(r.statusCode < 300, r.body);
      return JSON.parse(r.body);
    };
    const onDisk = (id: string) => existsSync(join(h.dir, 'files', id.slice(0, 2), id));
    const row = async (id: string) => Boolean(await h.services.repo.files.byId(id));

    test('unreferenced past the grace: removed, rows and bytes; referenced, or within the grace: kept', async () => {
      const made = await v1(h, 'POST', '/v1/timbres', admin, { key: 'gc_voice', name: 'GC' });
      const dh = await v1(h, 'POST', '/v1/digital-humans', admin, { name: 'GC DH', actions: [{ code: 'wave' }] });
      // A: the timbre's picture, then superseded by C. B: uploaded loose, never referenced. D: an action's video.
      const a = (await upload('PUT', `/v1/timbres/${made.body.id}/image`, PNG)).image.match(/files\/([0-9a-f]{64})/)[1];
      const b = (await upload('POST', '/v1/files', WAV)).ref.slice('stored:'.length);
      // The smallest valid WebM: an EBML header with the webm doctype.
      const webm = Buffer.from('1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104428581021853806701000000000000', 'hex');
      const d = (await upload('PUT', `/v1/digital-humans/${dh.body.id}/actions/wave/preview-video`, webm)).actions[0].previewVideo.match(
        /files\/([0-9a-f]{64})/,
      )[1];
      const png2 = Buffer.concat([PNG, Buffer.from('second picture')]);
      const c = (await upload('PUT', `/v1/timbres/${made.body.id}/image`, png2)).image.match(/files\/([0-9a-f]{64})/)[1];
      assert.ok([a, b, c, d].every(onDisk));

      // Within the grace nothing goes.
      assert.deepEqual(await collectFiles(h.services, { graceMs: HOUR, settleMs: 0 }), { removed: 0, spooled: 0 });
      h.clock.ms += 2 * HOUR;
      const r = await collectFiles(h.services, { graceMs: HOUR, settleMs: 0 });
      assert.equal(r.removed, 2);
      assert.deepEqual([await row(a), onDisk(a), await row(b), onDisk(b)], [false, false, false, false]);
      assert.deepEqual([await row(c), onDisk(c), await row(d), onDisk(d)], [true, true, true, true]);
      const served = await h.inject({
        method: 'GET',
        url: (await v1(h, 'GET', `/v1/timbres/${made.body.id}`, admin)).body.image.replace(/^https?:\/\/[^/]+/, ''),
      });
      assert.equal(served.statusCode, 200);
    });

    test('files referenced only by an anchor header image, a cover image, a render or a frame-fill package are kept', async () => {
      const anchor = await v1(h, 'POST', '/v1/anchors', admin, { code: 'gc_anchor', name: 'GC anchor', avatarType: 'real_man_2d' });
      assert.equal(anchor.status, 201, JSON.stringify(anchor.body));
      const dh = await v1(h, 'POST', '/v1/digital-humans', admin, { name: 'GC packages', anchorCode: 'gc_anchor' });
      const idOf = (url: string) => url.match(/files\/([0-9a-f]{64})/)![1];
      const kept = [
        idOf((await upload('PUT', `/v1/anchors/${anchor.body.id}/header-image`, Buffer.concat([PNG, Buffer.from('anchor')]))).headerImage),
        idOf((await upload('PUT', `/v1/digital-humans/${dh.body.id}/cover-image`, Buffer.concat([PNG, Buffer.from('cover')]))).coverImage),
        idOf((await upload('PUT', `/v1/digital-humans/${dh.body.id}/render-package`, Buffer.from('render package bytes'))).renderPackage),
        idOf((await upload('PUT', `/v1/digital-humans/${dh.body.id}/frame-fill-package`, Buffer.from('frame fill bytes'))).frameFillPackage),
      ];
      h.clock.ms += 2 * HOUR;
      await collectFiles(h.services, { graceMs: HOUR, settleMs: 0 });
      for (const id of kept) assert.deepEqual([await row(id), onDisk(id)], [true, true], id);
    });

    test('a sample per language imported from a local file is stored, served signed, exported as its ref, and kept by the collection', async () => {
      await importRecords(h.services, [
        {
          kind: 'timbre',
          key: 'gc_multi',
          name: 'Multi',
          languages: ['en-US', 'fr-FR'],
          languageSamples: { 'fr-FR': 'demo/assets/tone-high.wav', 'en-US': 'https://cdn.example.com/en.wav' },
        },
      ]);
      const t = (await v1(h, 'GET', '/v1/timbres?q=Multi', admin)).body.items[0];
      assert.equal(t.languageSamples['en-US'], 'https://cdn.example.com/en.wav');
      const id = t.languageSamples['fr-FR'].match(/files\/([0-9a-f]{64})/)[1];
      h.clock.ms += 2 * HOUR;
      await collectFiles(h.services, { graceMs: HOUR, settleMs: 0 });
      assert.deepEqual([await row(id), onDisk(id)], [true, true]);
      const fresh = (await v1(h, 'GET', `/v1/timbres/${t.id}`, admin)).body.languageSamples['fr-FR'];
      const served = await h.inject({ method: 'GET', url: fresh.replace(/^https?:\/\/[^/]+/, '') });
      assert.deepEqual([served.statusCode, served.headers['content-type']], [200, 'audio/wav']);
      const exported = await h.inject({ method: 'GET', url: '/v1/export', headers: { authorization: `Bearer ${admin}` } });
      const line = exported.body
        .split('\n')
        .map((l) => (l ? JSON.parse(l) : undefined))
        .find((r) => r?.key === 'gc_multi');
      assert.deepEqual(line.languageSamples, { 'fr-FR': `stored:${id}`, 'en-US': 'https://cdn.example.com/en.wav' });
      // Dropped from the map, the file is collected after its grace.
      assert.equal((await v1(h, 'PATCH', `/v1/timbres/${t.id}`, admin, { languageSamples: {} })).status, 200);
      h.clock.ms += 2 * HOUR;
      await collectFiles(h.services, { graceMs: HOUR, settleMs: 0 });
      assert.deepEqual([await row(id), onDisk(id)], [false, false]);
    });

    test('a file referenced again, or uploaded again, renews its grace; one recorded again while it settles keeps its bytes', async () => {
      const loose = (await upload('POST', '/v1/files', Buffer.concat([PNG, Buffer.from('loose')]))).ref as string;
      const id = loose.slice('stored:'.length);
      h.clock.ms += 2 * HOUR;
      // Referenced by a write now: its grace starts again.
      const refers = await v1(h, 'POST', '/v1/timbres', admin, { key: 'refers', name: 'R', image: loose });
      assert.equal(refers.status, 201);
      // Unreferenced again at once: still within the grace the write renewed.
      assert.equal((await v1(h, 'PATCH', `/v1/timbres/${refers.body.id}`, admin, { image: null })).status, 200);
      assert.equal((await collectFiles(h.services, { graceMs: HOUR, settleMs: 0 })).removed, 0, 'touched by the write an instant ago');
      assert.deepEqual([await row(id), onDisk(id)], [true, true]);

      // Unreferenced and old: the collection deletes its row; an upload of the same bytes records it again
      // while the collection waits; its bytes stay.
      const other = Buffer.concat([PNG, Buffer.from('again')]);
      const otherId = (await upload('POST', '/v1/files', other)).ref.slice('stored:'.length);
      h.clock.ms += 2 * HOUR;
      const collecting = collectFiles(h.services, { graceMs: HOUR, settleMs: 300 });
      await new Promise((r) => setTimeout(r, 100));
      await upload('POST', '/v1/files', other);
      await collecting;
      assert.deepEqual([await row(otherId), onDisk(otherId)], [true, true]);
    });

    test('a reference to a file the collection removed is refused, never stored dangling', async () => {
      const gone = (await upload('POST', '/v1/files', Buffer.concat([PNG, Buffer.from('gone')]))).ref as string;
      h.clock.ms += 2 * HOUR;
      await collectFiles(h.services, { graceMs: HOUR, settleMs: 0 });
      const r = await v1(h, 'POST', '/v1/timbres', admin, { key: 'dangling', name: 'D', image: gone });
      assert.equal(r.status, 400);
      assert.equal(r.body.param, 'image');
    });
  });
