/**
 * Files in an S3-compatible bucket, against a real S3-protocol server (s3rver, which does not check
 * signatures: test/unit/s3-presign.test.ts checks the URLs' signing and expiry). An upload through /v1
 * lands in the bucket, the API hands out a presigned URL to the bucket and that URL returns the bytes;
 * ranges, removal and readiness work against the same server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { harness, seedTwoApps, v1, type Harness } from '../helpers.js';
import { S3FileStore } from '../../src/files/s3.js';
import { fileIdOf } from '../../src/files/store.js';
import { loadConfig } from '../../src/config.js';

const WAV = readFileSync('demo/assets/tone-low.wav');
const BUCKET = 'timbrel-test';

describe('S3-compatible file store (s3rver)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timbrel-s3rver-'));
  let server: S3rver;
  let endpoint: string;
  let h: Harness;
  let env: Record<string, string>;

  before(async () => {
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
    const addr = (await server.run()) as unknown as { port: number };
    endpoint = `http://127.0.0.1:${addr.port}`;
    env = { TIMBREL_S3_ENDPOINT: endpoint, TIMBREL_S3_BUCKET: BUCKET, TIMBREL_S3_ACCESS_KEY_ID: 'S3RVER', TIMBREL_S3_SECRET_ACCESS_KEY: 'S3RVER' };
    h = await harness(env);
  });
  after(async () => {
    await h.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an uploaded sample is stored in the bucket and its presigned URL returns the bytes', async () => {
    const { alpha } = await seedTwoApps(h);
    const key = (await h.services.access.createKey(alpha)).text;
    const res = await h.inject({
      method: 'PUT',
      url: '/v1/timbres/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa/sample',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'audio/wav' },
      payload: WAV,
    });
    assert.equal(res.statusCode, 200, res.body);
    const url = new URL(JSON.parse(res.body).sample);
    assert.equal(url.origin, endpoint, 'clients fetch from the bucket, not from timbrel');
    assert.equal(url.pathname, `/${BUCKET}/files/${fileIdOf(WAV)}`);
    assert.ok(url.searchParams.get('X-Amz-Signature'));
    const fetched = await fetch(url);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.headers.get('content-type'), 'audio/wav');
    assert.deepEqual(Buffer.from(await fetched.arrayBuffer()), WAV);

    // The same URL through the native API's read, and the ZEGO dialect hands out the same kind.
    const got = await v1(h, 'GET', '/v1/timbres/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', key);
    assert.equal(got.body.sample, url.toString());
  });

  test('the store: size, a byte range, idempotent put, remove', async () => {
    const files = new S3FileStore(loadConfig(env).s3!);
    try {
      const id = await files.put(Buffer.from('hello, bucket'), 'text/plain');
      assert.equal(await files.put(Buffer.from('hello, bucket')), id);
      assert.equal(await files.size(id), 13);
      const part = await files.read(id, { start: 7, end: 12 });
      const chunks: Buffer[] = [];
      for await (const c of part!) chunks.push(Buffer.from(c));
      assert.equal(Buffer.concat(chunks).toString(), 'bucket');
      await files.remove(id);
      assert.equal(await files.size(id), undefined);
      assert.equal(await files.read(id), undefined);
      await files.check();
    } finally {
      files.client.destroy();
    }
  });

  test('/readyz reports the bucket; a missing bucket makes the instance unready', async () => {
    const ok = await h.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(JSON.parse(ok.body).checks, { database: 'ok', files: 'ok' });
    const bad = await harness({ ...env, TIMBREL_S3_BUCKET: 'no-such-bucket' });
    try {
      const res = await bad.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(res.statusCode, 503);
      const body = JSON.parse(res.body);
      assert.equal(body.status, 'unavailable');
      assert.equal(body.checks.database, 'ok');
      assert.match(body.checks.files, /^unavailable/);
    } finally {
      await bad.close();
    }
  });
});
