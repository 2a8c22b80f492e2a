import { resolve } from 'node:path';

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
  /** false only when an operator turns verification off explicitly (TIMBREL_VERIFY_SIGNATURES=false). */
  verifySignatures: boolean;
  logLevel: string;
  /** The native API's operator token, when given; else one is generated on first start and stored hashed. */
  adminToken?: string;
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
  const port = flags.port !== undefined ? int({ p: flags.port }, 'p', 8080, 0, 65535) : int(env, 'TIMBREL_PORT', 8080, 0, 65535);
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const publicUrl = (env.TIMBREL_PUBLIC_URL || `http://${shownHost}:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(publicUrl)) throw new ConfigError(`TIMBREL_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);
  const logLevel = env.TIMBREL_LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`TIMBREL_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  if (env.TIMBREL_ADMIN_TOKEN && env.TIMBREL_ADMIN_TOKEN.length < 24) {
    throw new ConfigError('TIMBREL_ADMIN_TOKEN must be at least 24 characters');
  }
  return {
    dataDir: resolve(env.TIMBREL_DATA_DIR || './data'),
    host,
    port,
    publicUrl,
    publicUrlConfigured: Boolean(env.TIMBREL_PUBLIC_URL),
    urlTtlSeconds: int(env, 'TIMBREL_URL_TTL_SECONDS', 86_400, 60, 7 * 86_400),
    defaultRateLimit: int(env, 'TIMBREL_DEFAULT_RATE_LIMIT', 10, 1, 1_000_000),
    maxBodyBytes: int(env, 'TIMBREL_MAX_BODY_BYTES', 65_536, 1024, 16 * 1024 * 1024),
    maxUploadBytes: int(env, 'TIMBREL_MAX_UPLOAD_BYTES', 50 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    verifySignatures: bool(env, 'TIMBREL_VERIFY_SIGNATURES', true),
    logLevel,
    adminToken: env.TIMBREL_ADMIN_TOKEN || undefined,
  };
}
