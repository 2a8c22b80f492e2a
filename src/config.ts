import { resolve } from 'node:path';
import { badCidr } from './outbound/index.js';
import { HOST_ROUTABLE } from './dialects/registry.js';

/**
 * Every setting, read once from the environment (CLI flags override). docs/configuration.md is the
 * table of these; keep them in step.
 */
export interface Config {
  dataDir: string;
  host: string;
  port: number;
  /** Base of every absolute URL timbrel hands out (never taken from the request's Host header). */
  publicUrl: string;
  /** true when TIMBREL_PUBLIC_URL was set; else publicUrl follows the address the server listens on. */
  publicUrlConfigured: boolean;
  urlTtlSeconds: number;
  defaultRateLimit: number;
  maxBodyBytes: number;
  /** The largest file the native API accepts for upload. */
  maxUploadBytes: number;
  /** The largest render or frame-fill package (an archive timbrel stores without reading) the native API accepts. */
  maxPackageBytes: number;
  /** The most items an unpaged list answers (the OpenAI voice list); past it the list is refused. */
  unpagedMax: number;
  /** The `model_id` of every ElevenLabs `verified_languages` entry (TIMBREL_ELEVENLABS_MODEL_ID). */
  elevenlabsModelId: string;
  /** The `public_owner_id` of ElevenLabs library voices (TIMBREL_ELEVENLABS_OWNER_ID). */
  elevenlabsOwnerId: string;
  /**
   * Host names whose requests go to one dialect as if their path carried its prefix (TIMBREL_DIALECT_HOSTS,
   * `host=dialect,…`), for clients with a vendor's host built in. Lower-case host without port → prefix.
   */
  dialectHosts: Map<string, string>;
  /** IVH VirtualmanType display names: Chinese (the China host's own) or English (TIMBREL_IVH_TYPE_NAMES). */
  ivhTypeNames: 'zh' | 'en';
  /**
   * OpenAI speech model → ElevenLabs model_id, for OpenAI speech calls with an ElevenLabs voice
   * (TIMBREL_SPEECH_MODEL_MAP, `model=model_id,…`, over the defaults). A model not in it is sent as named.
   */
  speechModelMap: Record<string, string>;
  /** Uploads one app (or the operator) may have in progress at once on one instance; more answer 429. */
  maxConcurrentUploads: number;
  /** Stored files no asset has referenced for this long are removed (seconds). */
  fileGraceSeconds: number;
  /** How often a serving instance looks for such files (seconds; 0: never, run `timbrel files gc`). */
  fileGcIntervalSeconds: number;
  /** Failed Bearer tokens one client address may send a minute before it is refused (429) for the rest of it. */
  authFailuresPerMinute: number;
  /** false only when an operator turns verification off explicitly (TIMBREL_VERIFY_SIGNATURES=false). */
  verifySignatures: boolean;
  logLevel: string;
  /**
   * Which proxies' X-Forwarded-For to believe for the client's address (the failed sign-in throttle and
   * logs): false (none), true (any), a hop count, or addresses/CIDRs (TIMBREL_TRUST_PROXY).
   */
  trustProxy: boolean | number | string;
  /**
   * Web origins whose pages may call the native API and fetch stored files from a browser (CORS), as
   * `scheme://host[:port]`, or `*` for any (TIMBREL_CORS_ORIGINS, comma-separated); none by default.
   */
  corsOrigins: string[];
  /** The native API's operator token, when given; else one is generated on first start and stored hashed. */
  adminToken?: string;
  /** PostgreSQL instead of SQLite (DATABASE_URL). */
  databaseUrl?: string;
  dbPoolSize: number;
  /** PostgreSQL: how long a request waits for a connection before it is answered "unavailable" (0: no limit). */
  dbTimeoutMs: number;
  /** Redis for the shared rate limit and the change signal (REDIS_URL). */
  redisUrl?: string;
  /** An S3-compatible bucket for files instead of the data directory. */
  s3?: S3Config;
  /** Keys that encrypt apps' signing secrets at rest: the first encrypts, every one decrypts. */
  secretKeys: Buffer[];
  /** How long a stopping server waits for in-flight requests. */
  shutdownGraceMs: number;
  /** `host:port` of upstreams that may be plain http (TIMBREL_UPSTREAM_ALLOW_HTTP); every other must be https. */
  upstreamAllowHttp: string[];
  /** Connecting to an upstream (TIMBREL_UPSTREAM_CONNECT_TIMEOUT_MS). */
  upstreamConnectTimeoutMs: number;
  /** A relayed call's whole answer (TIMBREL_UPSTREAM_TIMEOUT_MS). */
  upstreamTimeoutMs: number;
  /** A relayed WebSocket with no frame either way this long is closed (TIMBREL_UPSTREAM_WS_IDLE_SECONDS). */
  upstreamWsIdleMs: number;
  /** A relayed WebSocket is closed after this long, whatever it does (TIMBREL_UPSTREAM_WS_MAX_SECONDS). */
  upstreamWsMaxMs: number;
  /** Seconds between attempts after a failed delivery (TIMBREL_WEBHOOK_RETRY_SCHEDULE; Svix's by default). */
  webhookRetrySchedule: number[];
  /** Seconds a webhook endpoint has to answer (TIMBREL_WEBHOOK_TIMEOUT_SECONDS, default 15). */
  webhookTimeoutSeconds: number;
  /** Seconds of failing without a success after which an endpoint is disabled (TIMBREL_WEBHOOK_DISABLE_AFTER_SECONDS, 5 days). */
  webhookDisableAfterSeconds: number;
  /** Seconds the event log keeps an event (TIMBREL_EVENTS_RETENTION, default 7 days). */
  eventsRetentionSeconds: number;
  /** Seconds between the event stream's heartbeat comments (TIMBREL_EVENTS_HEARTBEAT_SECONDS, default 15). */
  eventsHeartbeatSeconds: number;
  /** Seconds between scheduled syncs of every upstream; 0 = none (TIMBREL_SYNC_INTERVAL). */
  syncIntervalSeconds: number;
  /** The largest vendor list answer a sync reads; past it the sync stops (TIMBREL_SYNC_MAX_ANSWER_BYTES). */
  syncMaxAnswerBytes: number;
  /** Rows one sync may pull before it stops (TIMBREL_SYNC_MAX_ROWS). */
  syncMaxRows: number;
  /** How long one sync may run before it stops (TIMBREL_SYNC_MAX_SECONDS). */
  syncMaxSeconds: number;
  /** How long one vendor call of a sync is retried (rate limits, timeouts) before the sync fails (TIMBREL_SYNC_RETRY_SECONDS). */
  syncRetrySeconds: number;
  /** `host:port` that outbound requests (vendor media) may reach over plain http (TIMBREL_OUTBOUND_ALLOW_HTTP). */
  outboundAllowHttp: string[];
  /** CIDRs outside global unicast that outbound requests may reach (TIMBREL_OUTBOUND_ALLOW_PRIVATE). */
  outboundAllowPrivate: string[];
}

export interface S3Config {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (endpoint/bucket/key), as self-hosted stores (MinIO, Ceph, s3rver) want. */
  forcePathStyle: boolean;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  }
  return Number(raw);
}

function bool(env: NodeJS.ProcessEnv, name: string, dflt: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return dflt;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: { port?: string; host?: string } = {}): Config {
  const host = flags.host ?? env.TIMBREL_HOST ?? '127.0.0.1';
  const port = flags.port !== undefined ? int({ '--port': flags.port }, '--port', 8080, 0, 65535) : int(env, 'TIMBREL_PORT', 8080, 0, 65535);
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const publicUrl = (env.TIMBREL_PUBLIC_URL || `http://${shownHost}:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(publicUrl)) throw new ConfigError(`TIMBREL_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);
  const trust = (env.TIMBREL_TRUST_PROXY ?? '').trim();
  const trustProxy = trust === '' || trust === 'false' ? false : trust === 'true' ? true : /^\d+$/.test(trust) ? Number(trust) : trust;
  const corsOrigins = (env.TIMBREL_CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of corsOrigins) {
    // An origin is a scheme, a host and maybe a port: no path, not even "/" (browsers send it without).
    if (o !== '*' && !/^https?:\/\/[^/\s?#]+$/.test(o)) {
      throw new ConfigError(`TIMBREL_CORS_ORIGINS must be comma-separated origins like https://app.example.com (no path), or *; got "${o}"`);
    }
  }
  const logLevel = env.TIMBREL_LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`TIMBREL_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  if (env.TIMBREL_ADMIN_TOKEN && env.TIMBREL_ADMIN_TOKEN.length < 24) {
    throw new ConfigError('TIMBREL_ADMIN_TOKEN must be at least 24 characters');
  }
  const ivhTypeNames = (env.TIMBREL_IVH_TYPE_NAMES || 'zh').toLowerCase();
  if (ivhTypeNames !== 'zh' && ivhTypeNames !== 'en') throw new ConfigError(`TIMBREL_IVH_TYPE_NAMES must be zh or en, got "${env.TIMBREL_IVH_TYPE_NAMES}"`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  return {
    databaseUrl,
    dbPoolSize: int(env, 'TIMBREL_DB_POOL_SIZE', 10, 1, 1000),
    dbTimeoutMs: int(env, 'TIMBREL_DB_TIMEOUT_MS', 3000, 0, 600_000),
    redisUrl,
    s3: s3Config(env),
    secretKeys: secretKeys(env),
    shutdownGraceMs: int(env, 'TIMBREL_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    upstreamAllowHttp: allowHttp(env.TIMBREL_UPSTREAM_ALLOW_HTTP ?? ''),
    upstreamConnectTimeoutMs: int(env, 'TIMBREL_UPSTREAM_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
    upstreamTimeoutMs: int(env, 'TIMBREL_UPSTREAM_TIMEOUT_MS', 60_000, 100, 3_600_000),
    upstreamWsIdleMs: int(env, 'TIMBREL_UPSTREAM_WS_IDLE_SECONDS', 300, 1, 86_400) * 1000,
    upstreamWsMaxMs: int(env, 'TIMBREL_UPSTREAM_WS_MAX_SECONDS', 3600, 1, 86_400) * 1000,
    syncIntervalSeconds: int(env, 'TIMBREL_SYNC_INTERVAL', 0, 0, 30 * 86_400),
    eventsRetentionSeconds: int(env, 'TIMBREL_EVENTS_RETENTION', 7 * 86_400, 60, 365 * 86_400),
    webhookRetrySchedule: retrySchedule(env.TIMBREL_WEBHOOK_RETRY_SCHEDULE),
    webhookTimeoutSeconds: int(env, 'TIMBREL_WEBHOOK_TIMEOUT_SECONDS', 15, 1, 120),
    webhookDisableAfterSeconds: int(env, 'TIMBREL_WEBHOOK_DISABLE_AFTER_SECONDS', 5 * 86_400, 1, 365 * 86_400),
    eventsHeartbeatSeconds: int(env, 'TIMBREL_EVENTS_HEARTBEAT_SECONDS', 15, 1, 300),
    syncMaxAnswerBytes: int(env, 'TIMBREL_SYNC_MAX_ANSWER_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    syncMaxRows: int(env, 'TIMBREL_SYNC_MAX_ROWS', 200_000, 1, 100_000_000),
    syncMaxSeconds: int(env, 'TIMBREL_SYNC_MAX_SECONDS', 6 * 3600, 1, 7 * 86_400),
    syncRetrySeconds: int(env, 'TIMBREL_SYNC_RETRY_SECONDS', 120, 1, 86_400),
    outboundAllowHttp: allowHttp(env.TIMBREL_OUTBOUND_ALLOW_HTTP ?? '', 'TIMBREL_OUTBOUND_ALLOW_HTTP'),
    outboundAllowPrivate: cidrs(env.TIMBREL_OUTBOUND_ALLOW_PRIVATE ?? ''),
    dataDir: resolve(env.TIMBREL_DATA_DIR || './data'),
    host,
    port,
    publicUrl,
    publicUrlConfigured: Boolean(env.TIMBREL_PUBLIC_URL),
    urlTtlSeconds: int(env, 'TIMBREL_URL_TTL_SECONDS', 86_400, 60, 7 * 86_400),
    defaultRateLimit: int(env, 'TIMBREL_DEFAULT_RATE_LIMIT', 10, 1, 1_000_000),
    maxBodyBytes: int(env, 'TIMBREL_MAX_BODY_BYTES', 65_536, 1024, 16 * 1024 * 1024),
    maxUploadBytes: int(env, 'TIMBREL_MAX_UPLOAD_BYTES', 50 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    maxPackageBytes: int(env, 'TIMBREL_MAX_PACKAGE_BYTES', 1024 * 1024 * 1024, 1024, 64 * 1024 * 1024 * 1024),
    ivhTypeNames,
    elevenlabsModelId: text(env, 'TIMBREL_ELEVENLABS_MODEL_ID', 'eleven_multilingual_v2'),
    elevenlabsOwnerId: text(env, 'TIMBREL_ELEVENLABS_OWNER_ID', 'timbrel'),
    dialectHosts: dialectHosts(env.TIMBREL_DIALECT_HOSTS ?? ''),
    speechModelMap: speechModelMap(env.TIMBREL_SPEECH_MODEL_MAP ?? ''),
    unpagedMax: int(env, 'TIMBREL_UNPAGED_MAX', 5000, 1, 1_000_000),
    maxConcurrentUploads: int(env, 'TIMBREL_MAX_CONCURRENT_UPLOADS', 4, 1, 1000),
    fileGraceSeconds: int(env, 'TIMBREL_FILE_GRACE_SECONDS', 86_400, 0, 365 * 86_400),
    fileGcIntervalSeconds: int(env, 'TIMBREL_FILE_GC_INTERVAL_SECONDS', 3600, 0, 30 * 86_400),
    trustProxy,
    corsOrigins,
    authFailuresPerMinute: int(env, 'TIMBREL_AUTH_FAILURES_PER_MINUTE', 20, 1, 1_000_000),
    verifySignatures: bool(env, 'TIMBREL_VERIFY_SIGNATURES', true),
    logLevel,
    adminToken: env.TIMBREL_ADMIN_TOKEN || undefined,
  };
}

/** TIMBREL_UPSTREAM_ALLOW_HTTP: comma-separated `host:port`, lower-cased. */
function allowHttp(v: string, name = 'TIMBREL_UPSTREAM_ALLOW_HTTP'): string[] {
  const out = v
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const h of out) {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/.test(h))
      throw new ConfigError(`${name} takes host:port pairs separated by commas (got ${JSON.stringify(h.slice(0, 80))})`);
  }
  return out;
}

function cidrs(v: string): string[] {
  const out = v
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const bad = badCidr(out);
  if (bad !== undefined)
    throw new ConfigError(
      `TIMBREL_OUTBOUND_ALLOW_PRIVATE takes CIDRs separated by commas, like 10.0.0.0/8 or fd00::/8 (got ${JSON.stringify(bad.slice(0, 80))})`,
    );
  return out;
}

/** A short printable setting, or its default when unset. */
function text(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  if (!/^[\x21-\x7e]{1,128}$/.test(v))
    throw new ConfigError(`${name} must be 1 to 128 printable characters without spaces (got ${JSON.stringify(v.slice(0, 40))})`);
  return v;
}

/** OpenAI's speech models and the ElevenLabs models that stand for them (docs/gateway.md, "Speech by catalog"). */
export const DEFAULT_SPEECH_MODELS: Record<string, string> = {
  'tts-1': 'eleven_flash_v2_5',
  'tts-1-hd': 'eleven_multilingual_v2',
  'gpt-4o-mini-tts': 'eleven_multilingual_v2',
};

function speechModelMap(raw: string): Record<string, string> {
  const map = { ...DEFAULT_SPEECH_MODELS };
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([\w.:-]{1,64})=([\w.:-]{1,64})$/.exec(part);
    if (!m) throw new ConfigError(`TIMBREL_SPEECH_MODEL_MAP takes model=model_id pairs separated by commas (got ${JSON.stringify(part.slice(0, 80))})`);
    map[m[1]] = m[2];
  }
  return map;
}

function dialectHosts(raw: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9.-]+)=([a-z]+)$/.exec(part);
    if (!m || !HOST_ROUTABLE.has(m[2])) {
      throw new ConfigError(
        `TIMBREL_DIALECT_HOSTS takes host=dialect pairs separated by commas, dialect one of ${[...HOST_ROUTABLE.keys()].join(', ')} (got ${JSON.stringify(part.slice(0, 80))})`,
      );
    }
    map.set(m[1].toLowerCase(), HOST_ROUTABLE.get(m[2])!);
  }
  return map;
}

function s3Config(env: NodeJS.ProcessEnv): S3Config | undefined {
  const bucket = env.TIMBREL_S3_BUCKET;
  if (!bucket) return undefined;
  const accessKeyId = env.TIMBREL_S3_ACCESS_KEY_ID ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.TIMBREL_S3_SECRET_ACCESS_KEY ?? env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new ConfigError('TIMBREL_S3_BUCKET needs TIMBREL_S3_ACCESS_KEY_ID and TIMBREL_S3_SECRET_ACCESS_KEY');
  }
  const endpoint = env.TIMBREL_S3_ENDPOINT || undefined;
  if (endpoint && !/^https?:\/\/[^/]+/.test(endpoint)) throw new ConfigError('TIMBREL_S3_ENDPOINT must be an http(s) URL');
  return {
    endpoint: endpoint?.replace(/\/+$/, ''),
    region: env.TIMBREL_S3_REGION || 'us-east-1',
    bucket,
    accessKeyId,
    secretAccessKey,
    forcePathStyle: bool(env, 'TIMBREL_S3_FORCE_PATH_STYLE', Boolean(endpoint)),
  };
}

/** TIMBREL_SECRET_KEY (and, while rotating, TIMBREL_SECRET_KEYS_PREVIOUS): 32 bytes, base64 or hex. */
function secretKeys(env: NodeJS.ProcessEnv): Buffer[] {
  const raw = [env.TIMBREL_SECRET_KEY, ...(env.TIMBREL_SECRET_KEYS_PREVIOUS ?? '').split(',')].map((k) => k?.trim()).filter(Boolean) as string[];
  if (!env.TIMBREL_SECRET_KEY && raw.length) throw new ConfigError('TIMBREL_SECRET_KEYS_PREVIOUS needs TIMBREL_SECRET_KEY');
  return raw.map((k) => {
    const key = /^[0-9a-fA-F]{64}$/.test(k) ? Buffer.from(k, 'hex') : Buffer.from(k, 'base64');
    if (key.length !== 32) throw new ConfigError('TIMBREL_SECRET_KEY must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)');
    return key;
  });
}

/**
 * Svix's schedule: after a failed first attempt, again at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
 * 10 h later (each from the previous attempt); then the delivery has failed.
 */
export const SVIX_SCHEDULE = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];

function retrySchedule(raw: string | undefined): number[] {
  if (raw === undefined || raw.trim() === '') return SVIX_SCHEDULE;
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length > 20 || parts.some((p) => !/^\d{1,6}(\.\d{1,3})?$/.test(p)))
    throw new ConfigError('TIMBREL_WEBHOOK_RETRY_SCHEDULE must be up to 20 comma-separated numbers of seconds (0.5,5,300)');
  return parts.map(Number);
}
