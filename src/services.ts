import { join } from 'node:path';
import type { Config } from './config.js';
import { Access } from './core/access.js';
import { Apps } from './core/apps.js';
import { Catalog } from './core/catalog.js';
import { FsFileStore, type FileStore } from './files/store.js';
import { UrlSigner } from './files/signing.js';
import { AssetUrls } from './files/urls.js';
import { MemoryRateLimiter, type RateLimiter } from './limits/rate-limit.js';
import { openStore, type StoreEngine } from './store/index.js';
import type { RedisLink } from './limits/redis.js';
import type { FileUrls } from './files/signing.js';
import { SecretBox } from './core/secret-box.js';
import { Metrics } from './metrics.js';
import { UsageRecorder } from './usage.js';
import { Repository } from './store/index.js';
import { Relay } from './upstream/relay.js';
import { Outbound } from './outbound/index.js';

/** Everything a request handler or CLI command needs, built once per process. */
export interface Services {
  config: Config;
  repo: Repository;
  catalog: Catalog;
  apps: Apps;
  access: Access;
  limiter: RateLimiter;
  files: FileStore;
  signer: UrlSigner;
  urls: AssetUrls;
  /** The clock, in epoch ms (tests replace it to replay the vendors' fixed-time examples). */
  now: () => number;
  /** Redis, when configured (REDIS_URL). */
  redis?: RedisLink;
  metrics: Metrics;
  /** Calls to apps' vendor accounts (pass-through and sync). */
  relay: Relay;
  /** Requests to addresses that came from outside (vendor media): the outbound guard. */
  outbound: Outbound;
  /** Apps' use, counted into hourly buckets in the store. */
  usage: UsageRecorder;
  close(): Promise<void>;
}

export interface ServiceOptions {
  now?: () => number;
  engine?: StoreEngine;
  limiter?: RateLimiter;
}

/** The file store `config` names: an S3-compatible bucket, or the data directory's files/. */
export async function openFileStore(config: Config): Promise<FileStore> {
  if (config.s3) return new (await import('./files/s3.js')).S3FileStore(config.s3);
  return new FsFileStore(config.dataDir === ':memory:' ? join(process.cwd(), '.timbrel-memory-files') : join(config.dataDir, 'files'));
}

export async function openServices(config: Config, opts: ServiceOptions = {}): Promise<Services> {
  const now = opts.now ?? Date.now;
  const metrics = new Metrics();
  // The drivers of the scale-out engines load only when configured: the AWS SDK alone adds tens of MB to
  // every process, a CLI command on SQLite included.
  const redis = config.redisUrl ? await (await import('./limits/redis.js')).RedisLink.open(config.redisUrl) : undefined;
  let engine: StoreEngine;
  try {
    engine = opts.engine ?? (await openStore(config));
  } catch (err) {
    await redis?.close();
    throw err;
  }
  const repo = new Repository(engine, new SecretBox(config.secretKeys));
  await repo.settings.sealPlainSecrets();
  const key = await repo.settings.secret('url_signing_key');
  if (!key) throw new Error('the database has no url_signing_key; was it migrated?');
  const signer = new UrlSigner(config.publicUrl, key, config.urlTtlSeconds);
  const files = await openFileStore(config);
  // With S3, clients fetch files from the bucket itself by presigned URL; else from timbrel's /files.
  const fileUrls: FileUrls = config.s3 ? new (await import('./files/s3.js')).S3PresignedUrls(config.s3, config.urlTtlSeconds) : signer;
  const relay = new Relay(config, metrics, now);
  const outbound = new Outbound({
    allowHttp: config.outboundAllowHttp,
    allowPrivate: config.outboundAllowPrivate,
    connectTimeoutMs: config.upstreamConnectTimeoutMs,
  });
  const usage = new UsageRecorder(repo, now);
  metrics.usage = usage;
  const limiter = opts.limiter ?? redis?.rateLimiter(() => metrics.limiterErrors.inc()) ?? new MemoryRateLimiter(now);
  return {
    config,
    repo,
    catalog: new Catalog(repo),
    apps: new Apps(repo, config.defaultRateLimit, now),
    access: new Access(repo, now, config.adminToken, config.authFailuresPerMinute),
    // The memory limiter runs on the service clock, so tests that fix the clock get the same windows.
    limiter,
    files,
    signer,
    urls: new AssetUrls(fileUrls, now),
    now,
    redis,
    metrics,
    relay,
    outbound,
    usage,
    close: async () => {
      await usage.close().catch(() => undefined);
      await relay.close();
      await outbound.close();
      await engine.close();
      await redis?.close();
      files.close?.();
    },
  };
}
