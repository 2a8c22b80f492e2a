/**
 * Who is calling the native API: the operator (one token for the whole service) or an app (one of its
 * API keys). Tokens are random, so a sha256 of the text is enough to store and to look up; the text itself
 * is shown once and never stored.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TimbrelError } from './errors.js';
import { newId } from './ids.js';
import type { App } from './types.js';
import type { ApiKey, Repository } from '../store/index.js';

export type Principal = { kind: 'operator' } | { kind: 'app'; app: App };

const ADMIN_TOKEN_SETTING = 'admin_token_sha256';
export const API_KEY_PREFIX = 'tbk_';
export const ADMIN_TOKEN_PREFIX = 'tba_';

// One-shot hash: no Hash object per request (see zego/signature.ts: ~1 µs against ~8 µs under load).
const sha256 = (text: string) => hash('sha256', text, 'hex');
const token = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

export class Access {
  /** sha256 of TIMBREL_ADMIN_TOKEN, when it is set. */
  private readonly configuredAdminHash?: string;

  /** Failed attempts per client address in the current minute (FailureThrottle). */
  private readonly failures: FailureThrottle;

  constructor(
    private readonly repo: Repository,
    private readonly now: () => number,
    configuredAdminToken?: string,
    failuresPerMinute = 20,
  ) {
    this.configuredAdminHash = configuredAdminToken ? sha256(configuredAdminToken) : undefined;
    this.failures = new FailureThrottle(failuresPerMinute, now);
  }

  /**
   * Makes sure an operator token exists. Returns a new token's text when one was just generated (to print
   * once), undefined when TIMBREL_ADMIN_TOKEN is set or a token is already stored.
   */
  async ensureAdminToken(): Promise<string | undefined> {
    if (this.configuredAdminHash || (await this.repo.settings.get(ADMIN_TOKEN_SETTING))) return undefined;
    return this.rotateAdminToken();
  }

  /** Replaces the stored operator token; the old one stops working at once. */
  async rotateAdminToken(): Promise<string> {
    const text = token(ADMIN_TOKEN_PREFIX);
    await this.repo.settings.set(ADMIN_TOKEN_SETTING, sha256(text));
    return text;
  }

  async createKey(app: App, name = 'default'): Promise<{ key: ApiKey; text: string }> {
    const text = token(API_KEY_PREFIX);
    const key: ApiKey = { id: newId(), appId: app.id, name, hash: sha256(text), createdAt: this.now(), revokedAt: null };
    await this.repo.apiKeys.insert(key);
    return { key, text };
  }

  /**
   * The caller behind an `Authorization: Bearer …` header; 401 when there is none or it is not valid. A
   * client address (`from`) whose tokens failed too often this minute is refused (429) before any check.
   */
  async authenticate(authorization: string | undefined, from = ''): Promise<Principal> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) throw new TimbrelError('unauthorized', 'an Authorization: Bearer token is required');
    this.failures.check(from);
    const text = m[1];
    const invalid = () => {
      this.failures.count(from);
      return new TimbrelError('unauthorized', 'the token is not valid');
    };
    if (text.startsWith(API_KEY_PREFIX)) {
      const key = await this.repo.apiKeys.byHash(sha256(text));
      const app = key && (await this.repo.apps.byId(key.appId));
      if (!app) throw invalid();
      if (app.status !== 'active') throw new TimbrelError('app_disabled', 'this app is disabled');
      return { kind: 'app', app };
    }
    const expected = this.configuredAdminHash ?? (await this.repo.settings.get(ADMIN_TOKEN_SETTING));
    if (expected && timingSafeEqual(Buffer.from(sha256(text)), Buffer.from(expected))) return { kind: 'operator' };
    throw invalid();
  }
}

/**
 * Failed token attempts counted per client address in fixed one-minute windows: past `perMinute` the
 * address is refused (429, Retry-After: the rest of the minute) without a check, so a token cannot be
 * guessed at the speed of the network. Per process; at most MAX_ADDRESSES are remembered (the oldest
 * window goes first).
 */
export class FailureThrottle {
  private readonly seen = new Map<string, { window: number; n: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  check(from: string): void {
    const e = this.seen.get(from);
    const window = Math.floor(this.now() / 60_000);
    if (e && e.window === window && e.n >= this.perMinute) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * 60_000 - this.now()) / 1000));
      throw Object.assign(new TimbrelError('rate_limited', `too many failed sign-ins from this address: try again in ${retryAfter} s`), { retryAfter });
    }
  }

  count(from: string): void {
    const window = Math.floor(this.now() / 60_000);
    const e = this.seen.get(from);
    if (e && e.window === window) e.n++;
    else {
      this.seen.delete(from);
      this.seen.set(from, { window, n: 1 });
      if (this.seen.size > MAX_ADDRESSES) this.seen.delete(this.seen.keys().next().value!);
    }
  }
}

const MAX_ADDRESSES = 10_000;
