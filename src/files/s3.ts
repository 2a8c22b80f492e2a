import { createHash, createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '../config.js';
import { fileIdOf, type FileStore } from './store.js';
import type { FileUrls } from './signing.js';

/** Object key of a stored file: content-addressed like the filesystem store. */
export const objectKey = (id: string) => {
  if (!/^[0-9a-f]{64}$/.test(id)) throw new Error('bad file id');
  return `files/${id}`;
};

/**
 * Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2…): every instance behind a load balancer sees
 * the same files, and clients fetch them from the bucket by presigned URL (S3PresignedUrls).
 */
export class S3FileStore implements FileStore {
  readonly client: S3Client;

  constructor(private readonly cfg: S3Config) {
    this.client = new S3Client({
      endpoint: cfg.endpoint,
      region: cfg.region,
      forcePathStyle: cfg.forcePathStyle,
      credentials: { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey },
      // Self-hosted stores often do not speak the newer default checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(bytes: Buffer, contentType?: string): Promise<string> {
    const id = fileIdOf(bytes);
    if ((await this.size(id)) === bytes.length) return id;
    await this.client.send(
      new PutObjectCommand({ Bucket: this.cfg.bucket, Key: objectKey(id), Body: bytes, ContentType: contentType, ContentLength: bytes.length }),
    );
    return id;
  }

  /** Uploads spool to the machine's temp dir, then go to the bucket as a stream of known length. */
  readonly spoolDir = join(tmpdir(), 'timbrel-spool');

  async putSpooled(file: { path: string; id: string; size: number; remove(): Promise<void> }, contentType?: string): Promise<void> {
    try {
      if ((await this.size(file.id)) === file.size) return;
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.cfg.bucket,
          Key: objectKey(file.id),
          Body: createReadStream(file.path),
          ContentType: contentType,
          ContentLength: file.size,
        }),
      );
    } finally {
      await file.remove();
    }
  }

  async size(id: string): Promise<number | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.cfg.bucket, Key: objectKey(id) }));
      return head.ContentLength;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async read(id: string, range?: { start: number; end: number }): Promise<Readable | undefined> {
    try {
      const got = await this.client.send(
        new GetObjectCommand({ Bucket: this.cfg.bucket, Key: objectKey(id), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      return got.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async remove(id: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.cfg.bucket, Key: objectKey(id) }));
  }

  close(): void {
    this.client.destroy();
  }

  /** For /readyz: the bucket is there and these credentials reach it. */
  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.cfg.bucket }));
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();
/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** SigV4 caps a presigned URL's life at seven days. */
export const MAX_PRESIGN_SECONDS = 604_800;

/**
 * Presigned GET URLs (AWS Signature Version 4, query-string authentication), computed synchronously: they
 * are rendered into every catalog page, and the SDK's presigner is asynchronous. Tested against AWS's
 * published example and against the AWS SDK's own SigV4 signer, @smithy/signature-v4 (test/unit/s3-presign.test.ts).
 *
 * Like the filesystem URLs, the signing time is rounded down to a bucket (an hour for the default 24 h),
 * so a URL is handed out unchanged for a bucket's length and stays valid at least `ttlSeconds`.
 */
export class S3PresignedUrls implements FileUrls {
  private readonly bucketSeconds: number;

  constructor(
    private readonly cfg: S3Config,
    private readonly ttlSeconds: number,
  ) {
    this.bucketSeconds = ttlSeconds >= 7200 ? 3600 : 1;
  }

  private signedAt(nowMs: number): number {
    return Math.floor(Math.floor(nowMs / 1000) / this.bucketSeconds) * this.bucketSeconds;
  }

  private lifetime(): number {
    return Math.min(MAX_PRESIGN_SECONDS, this.ttlSeconds + this.bucketSeconds);
  }

  expiresAt(nowMs: number): number {
    return this.signedAt(nowMs) + this.lifetime();
  }

  url(id: string, nowMs: number): string {
    return presignGet(this.cfg, objectKey(id), this.signedAt(nowMs), this.lifetime());
  }
}

/** A presigned GET of `key` signed at `signedAtS` (unix seconds), valid `expiresIn` seconds. */
export function presignGet(cfg: S3Config, key: string, signedAtS: number, expiresIn: number): string {
  let origin: URL;
  let path: string;
  const encodedKey = key.split('/').map(rfc3986).join('/');
  if (cfg.endpoint) {
    origin = new URL(cfg.endpoint);
    const base = origin.pathname.replace(/\/+$/, '');
    // A bucket cannot be a subdomain of an IP address or of localhost: those are always path-style.
    const pathStyle = cfg.forcePathStyle || isIP(origin.hostname.replace(/^\[|\]$/g, '')) !== 0 || origin.hostname === 'localhost';
    if (pathStyle) path = `${base}/${rfc3986(cfg.bucket)}/${encodedKey}`;
    else {
      origin = new URL(`${origin.protocol}//${cfg.bucket}.${origin.host}`);
      path = `${base}/${encodedKey}`;
    }
  } else if (cfg.forcePathStyle) {
    origin = new URL(`https://s3.${cfg.region}.amazonaws.com`);
    path = `/${rfc3986(cfg.bucket)}/${encodedKey}`;
  } else {
    origin = new URL(`https://${cfg.bucket}.s3.${cfg.region === 'us-east-1' ? '' : `${cfg.region}.`}amazonaws.com`);
    path = `/${encodedKey}`;
  }
  const amzDate = new Date(signedAtS * 1000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${cfg.region}/s3/aws4_request`;
  const query: [string, string][] = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${cfg.accessKeyId}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(expiresIn)],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const canonicalQuery = query.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  const canonicalRequest = ['GET', path, canonicalQuery, `host:${origin.host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${cfg.secretAccessKey}`, day);
  const kSigning = hmac(hmac(hmac(kDate, cfg.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign).digest('hex');
  return `${origin.protocol}//${origin.host}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}
