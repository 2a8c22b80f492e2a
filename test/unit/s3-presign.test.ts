/**
 * Presigned S3 GET URLs (src/files/s3.ts): AWS's published query-string example, agreement with the SDK's
 * own SigV4 signer over many keys, times and endpoints, and the expiry arithmetic (valid at least the TTL,
 * never signed in the future, never past SigV4's seven days).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { SignatureV4 } from '@smithy/signature-v4';
import { presignGet, S3PresignedUrls, MAX_PRESIGN_SECONDS } from '../../src/files/s3.js';
import type { S3Config } from '../../src/config.js';

const AWS_EXAMPLE: S3Config = {
  region: 'us-east-1',
  bucket: 'examplebucket',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  forcePathStyle: false,
};

test("AWS's example (Authenticating Requests: Using Query Parameters): GET test.txt, 24 h", () => {
  const url = presignGet(AWS_EXAMPLE, 'test.txt', Date.UTC(2013, 4, 24) / 1000, 86400);
  assert.equal(
    url,
    'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
  );
});

class NodeSha256 {
  private h;
  constructor(secret?: unknown) {
    this.h = secret ? createHmac('sha256', secret as Uint8Array) : createHash('sha256');
  }
  update(data: unknown) {
    this.h.update(data as Uint8Array);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}

test('every URL carries the signature the SDK signer computes for it', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        key: fc.stringMatching(/^[0-9a-f]{64}$/),
        at: fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }),
        expires: fc.integer({ min: 1, max: MAX_PRESIGN_SECONDS }),
        region: fc.constantFrom('us-east-1', 'eu-central-1', 'ap-guangzhou'),
        endpoint: fc.constantFrom(undefined, 'http://127.0.0.1:4569', 'https://minio.example.com:9000', 'https://cos.ap-guangzhou.myqcloud.com'),
        pathStyle: fc.boolean(),
      }),
      async ({ key, at, expires, region, endpoint, pathStyle }) => {
        const cfg: S3Config = { ...AWS_EXAMPLE, bucket: 'timbrel-files', region, endpoint, forcePathStyle: pathStyle };
        const mine = new URL(presignGet(cfg, `files/${key}`, at, expires));
        const signer = new SignatureV4({
          service: 's3',
          region,
          credentials: { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey },
          sha256: NodeSha256,
          uriEscapePath: false,
          applyChecksum: false,
        });
        const query: Record<string, string> = {};
        const presigned = await signer.presign(
          {
            method: 'GET',
            protocol: mine.protocol,
            hostname: mine.hostname,
            port: mine.port ? Number(mine.port) : undefined,
            path: mine.pathname,
            query,
            headers: { host: mine.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
          },
          // S3 presigned URLs sign an unsigned payload; the header only tells the signer so.
          {
            signingDate: new Date(at * 1000),
            expiresIn: expires,
            unsignableHeaders: new Set(['x-amz-content-sha256']),
            unhoistableHeaders: new Set(['x-amz-content-sha256']),
          },
        );
        assert.equal(mine.searchParams.get('X-Amz-Signature'), presigned.query?.['X-Amz-Signature']);
        assert.equal(mine.searchParams.get('X-Amz-Credential'), presigned.query?.['X-Amz-Credential']);
      },
    ),
    { numRuns: 200 },
  );
});

test('URLs: valid at least the TTL from now, signed no later than now, the same URL within an hour', () => {
  const cfg: S3Config = { ...AWS_EXAMPLE, endpoint: 'http://127.0.0.1:9000', forcePathStyle: true };
  for (const ttl of [60, 3600, 86_400, 7 * 86_400]) {
    const urls = new S3PresignedUrls(cfg, ttl);
    for (const now of [1_700_000_000_000, 1_700_000_000_999, 1_700_003_599_000, 1_700_003_600_000]) {
      const u = new URL(urls.url('a'.repeat(64), now));
      const amz = u.searchParams.get('X-Amz-Date')!;
      const signedAt = Date.UTC(+amz.slice(0, 4), +amz.slice(4, 6) - 1, +amz.slice(6, 8), +amz.slice(9, 11), +amz.slice(11, 13), +amz.slice(13, 15)) / 1000;
      const lifetime = Number(u.searchParams.get('X-Amz-Expires'));
      assert.ok(signedAt * 1000 <= now, 'not signed in the future');
      assert.ok(lifetime <= MAX_PRESIGN_SECONDS);
      assert.ok((signedAt + lifetime) * 1000 >= now + Math.min(ttl, MAX_PRESIGN_SECONDS - 3600) * 1000, `ttl ${ttl}: valid long enough`);
      assert.equal(signedAt + lifetime, urls.expiresAt(now));
    }
    if (ttl >= 7200) assert.equal(urls.url('b'.repeat(64), 1_700_002_800_000), urls.url('b'.repeat(64), 1_700_006_399_000), 'stable within the hour');
  }
});
