import { join } from 'node:path';
import type { Config } from './config.js';
import { Access } from './core/access.js';
import { Apps } from './core/apps.js';
import { Catalog } from './core/catalog.js';
import { FsFileStore, type FileStore } from './files/store.js';
import { UrlSigner } from './files/signing.js';
import { AssetUrls } from './files/urls.js';
import { MemoryRateLimiter, type RateLimiter } from './limits/rate-limit.js';
import { openSqlite, type StoreEngine } from './store/engine.js';
import { Repository } from './store/repository.js';

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
  close(): Promise<void>;
}

export interface ServiceOptions {
  now?: () => number;
  engine?: StoreEngine;
  limiter?: RateLimiter;
}

export async function openServices(config: Config, opts: ServiceOptions = {}): Promise<Services> {
  const now = opts.now ?? Date.now;
  const engine = opts.engine ?? (await openSqlite({ dataDir: config.dataDir }));
  const repo = new Repository(engine);
  const key = await repo.setting('url_signing_key');
  if (!key) throw new Error('the database has no url_signing_key; was it migrated?');
  const signer = new UrlSigner(config.publicUrl, key, config.urlTtlSeconds);
  const files = new FsFileStore(config.dataDir === ':memory:' ? join(process.cwd(), '.timbrel-memory-files') : join(config.dataDir, 'files'));
  return {
    config,
    repo,
    catalog: new Catalog(repo),
    apps: new Apps(repo, config.defaultRateLimit, now),
    access: new Access(repo, now, config.adminToken),
    // On the service clock, so tests that fix the clock get the same windows every run.
    limiter: opts.limiter ?? new MemoryRateLimiter(now),
    files,
    signer,
    urls: new AssetUrls(signer, now),
    now,
    close: () => engine.close(),
  };
}
