/**
 * Setting an app's upstream accounts (docs/gateway.md): checked here, once for the CLI, /v1 and the console.
 * Only an operator reaches this (an app key cannot point the server at an address of its choosing).
 */
import { createHash } from 'node:crypto';
import { TimbrelError } from '../core/errors.js';
import { OPERATOR_UPSTREAM, type KeyDialect, type Upstream, type UpstreamDialect } from '../core/types.js';
import type { Services } from '../services.js';
import { DEFAULT_UPSTREAM_URL, upstreamUrl } from './relay.js';

export interface UpstreamInput {
  url?: string;
  /** ZEGO */
  appId?: number | string;
  serverSecret?: string;
  /** IVH */
  appkey?: string;
  accesstoken?: string;
  /** ElevenLabs, OpenAI-compatible, HeyGen: the vendor account's API key. */
  apiKey?: string;
  /** Requests a second a sync may make (default 10, ZEGO's documented limit). */
  rateLimit?: number;
  /** Key dialects: relay ids the catalog holds nowhere (default: as it was, else off). */
  open?: boolean;
}

export const UPSTREAM_DIALECTS: readonly UpstreamDialect[] = ['zego', 'ivh', 'elevenlabs', 'openai', 'heygen'];
export const KEY_DIALECTS: readonly KeyDialect[] = ['elevenlabs', 'openai', 'heygen'];

export const isKeyDialect = (d: UpstreamDialect): d is KeyDialect => (KEY_DIALECTS as readonly string[]).includes(d);

export function dialectOf(input: string): UpstreamDialect {
  if ((UPSTREAM_DIALECTS as readonly string[]).includes(input)) return input as UpstreamDialect;
  throw new TimbrelError('invalid_parameter', `dialect must be one of ${UPSTREAM_DIALECTS.join(', ')}`, 'dialect');
}

/** What stands for an API key where a sync source names the account: never the key itself. */
export const keyFingerprint = (apiKey: string): string => createHash('sha256').update(apiKey).digest('hex').slice(0, 16);

const printable = (v: string | undefined, name: string, min: number, max: number): string => {
  if (typeof v !== 'string' || !/^[\x21-\x7e]*$/.test(v) || v.length < min || v.length > max) {
    throw new TimbrelError('invalid_parameter', `${name} must be ${min === max ? min : `${min} to ${max}`} printable characters without spaces`, name);
  }
  return v;
};

/** Sets an app's upstream, or the operator's when `appName` is undefined. */
export async function setUpstream(services: Services, appName: string | undefined, dialect: UpstreamDialect, input: UpstreamInput): Promise<Upstream> {
  const owner = appName === undefined ? OPERATOR_UPSTREAM : (await services.apps.named(appName)).id;
  // A change may leave out what stays as it was: the secret, the URL, the rate, whether it is open.
  const kept = await services.repo.upstreams.of(owner, dialect);
  const url = upstreamUrl(input.url ?? kept?.url ?? DEFAULT_UPSTREAM_URL[dialect], services.config.upstreamAllowHttp);
  let account: string;
  let secret: string;
  if (dialect === 'zego') {
    const id = String(input.appId ?? '');
    if (!/^\d{1,10}$/.test(id) || Number(id) < 1 || Number(id) > 0xffffffff)
      throw new TimbrelError('invalid_parameter', "appId must be the app's ZEGO AppId, a uint32", 'appId');
    account = String(Number(id));
    secret = input.serverSecret === undefined && kept ? kept.secret : printable(input.serverSecret, 'serverSecret', 32, 32);
  } else if (dialect === 'ivh') {
    account = printable(input.appkey, 'appkey', 1, 64);
    secret = input.accesstoken === undefined && kept ? kept.secret : printable(input.accesstoken, 'accesstoken', 1, 128);
  } else {
    secret = input.apiKey === undefined && kept ? kept.secret : printable(input.apiKey, 'apiKey', 1, 256);
    account = keyFingerprint(secret);
  }
  const rateLimit = input.rateLimit ?? kept?.rateLimit ?? 10;
  if (!Number.isInteger(rateLimit) || rateLimit < 1 || rateLimit > 100_000)
    throw new TimbrelError('invalid_parameter_value', 'rateLimit must be an integer in [1, 100000]', 'rateLimit');
  const open = input.open ?? kept?.open ?? false;
  if (open && !isKeyDialect(dialect))
    throw new TimbrelError(
      'invalid_parameter',
      'open applies to the key dialects (elevenlabs, openai, heygen): ZEGO and IVH calls are relayed as they come',
      'open',
    );
  return services.repo.upstreams.set({ appId: owner, dialect, url, account, secret, rateLimit, open }, services.now());
}

/** What a read shows of an upstream: never the secret, only its last four characters. */
export function upstreamView(u: Upstream) {
  const masked = `…${u.secret.slice(-4)}`;
  return {
    dialect: u.dialect,
    url: u.url,
    ...(u.dialect === 'zego'
      ? { appId: Number(u.account), serverSecret: masked }
      : u.dialect === 'ivh'
        ? { appkey: u.account, accesstoken: masked }
        : { apiKey: masked }),
    rateLimit: u.rateLimit,
    ...(isKeyDialect(u.dialect) ? { open: u.open } : {}),
    lastSync: u.lastSync,
    createdAt: new Date(u.createdAt).toISOString(),
    updatedAt: new Date(u.updatedAt).toISOString(),
  };
}
