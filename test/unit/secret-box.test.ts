/**
 * Apps' signing secrets at rest (AES-256-GCM under TIMBREL_SECRET_KEY): never stored in the clear once a
 * key is set, still verifying vendor signatures, bound to their app and column, and rotated to a new key
 * with `reencryptSecrets` while the old key is still configured as previous.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/core/secret-box.js';
import { loadConfig } from '../../src/config.js';
import { openServices } from '../../src/services.js';
import { harness, zegoQuery } from '../helpers.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);

test('seal/open round-trips; the value is bound to its app and column', () => {
  const box = new SecretBox([keyA]);
  const sealed = box.seal('s3cret-value', 'app1:zego_server_secret');
  assert.match(sealed, /^enc1:/);
  assert.ok(!sealed.includes('s3cret'));
  assert.equal(box.open(sealed, 'app1:zego_server_secret'), 's3cret-value');
  assert.throws(() => box.open(sealed, 'app2:zego_server_secret'), /failed authentication/);
  assert.throws(() => box.open(sealed, 'app1:ivh_accesstoken'), /failed authentication/);
  assert.throws(() => new SecretBox([keyB]).open(sealed, 'app1:zego_server_secret'), /not configured/);
  assert.throws(() => new SecretBox([]).open(sealed, 'app1:zego_server_secret'), /TIMBREL_SECRET_KEY is not set/);
  assert.equal(new SecretBox([]).open('plain', 'x'), 'plain', 'a store from before encryption reads as it is');
});

test('config: keys are 32 bytes (hex or base64); previous keys need a current one', () => {
  assert.equal(loadConfig({ TIMBREL_SECRET_KEY: keyA.toString('base64') }).secretKeys[0].equals(keyA), true);
  assert.equal(loadConfig({ TIMBREL_SECRET_KEY: keyA.toString('hex') }).secretKeys[0].equals(keyA), true);
  assert.throws(() => loadConfig({ TIMBREL_SECRET_KEY: 'short' }), /32 bytes/);
  assert.throws(() => loadConfig({ TIMBREL_SECRET_KEYS_PREVIOUS: keyA.toString('base64') }), /needs TIMBREL_SECRET_KEY/);
});

test('with a key set, the database holds no secret in the clear and vendor signatures still verify; rotation re-seals', async () => {
  const h = await harness({ TIMBREL_SECRET_KEY: keyA.toString('base64') });
  try {
    const app = await h.services.apps.create({ name: 'enc' });
    const row = await h.services.repo.db.selectFrom('apps').selectAll().where('id', '=', app.id).executeTakeFirstOrThrow();
    for (const v of [row.zego_server_secret, row.ivh_accesstoken]) assert.match(v, /^enc1:/);
    assert.ok(!JSON.stringify(row).includes(app.zegoServerSecret) && !JSON.stringify(row).includes(app.ivhAccessToken));

    const res = await h.inject({ method: 'POST', url: `/?Action=GetTimbreList&${zegoQuery(app, h.clock.ms)}`, payload: '{}' });
    assert.equal(JSON.parse(res.body).Code, 0, 'a ZEGO request signed with the plain secret verifies');

    // Rotate: B is current, A previous. Everything still reads; re-encryption moves every value to B.
    const rotated = loadConfig({
      ...process.env,
      TIMBREL_DATA_DIR: h.dir,
      TIMBREL_SECRET_KEY: keyB.toString('hex'),
      TIMBREL_SECRET_KEYS_PREVIOUS: keyA.toString('base64'),
    });
    const s2 = await openServices(rotated);
    try {
      assert.equal((await s2.repo.apps.byName('enc'))?.zegoServerSecret, app.zegoServerSecret);
      assert.equal(await s2.repo.reencryptSecrets(Date.now()), 1);
      assert.equal(await s2.repo.reencryptSecrets(Date.now()), 0, 'nothing left under the old key');
    } finally {
      await s2.close();
    }
    // Only B now: still reads. Only A: refused with a clear message, never garbage.
    const onlyB = await openServices(loadConfig({ TIMBREL_DATA_DIR: h.dir, TIMBREL_SECRET_KEY: keyB.toString('base64') }));
    try {
      assert.equal((await onlyB.repo.apps.byName('enc'))?.ivhAccessToken, app.ivhAccessToken);
    } finally {
      await onlyB.close();
    }
    // The file-URL signing key is sealed too: a process with only the retired key refuses to start.
    await assert.rejects(openServices(loadConfig({ TIMBREL_DATA_DIR: h.dir, TIMBREL_SECRET_KEY: keyA.toString('base64') })), /not configured/);
  } finally {
    await h.close();
  }
});
