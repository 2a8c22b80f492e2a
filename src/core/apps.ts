import { randomBytes, randomInt } from 'node:crypto';
import type { App } from './types.js';
import { TimbrelError } from './errors.js';
import { newId } from './ids.js';
import type { Repository } from '../store/index.js';

export interface CreateAppInput {
  name: string;
  rateLimit?: number;
  /** Bring an existing vendor credential, so a client configured for the vendor needs only a new URL. */
  zegoAppId?: number;
  zegoServerSecret?: string;
  ivhAppKey?: string;
  ivhAccessToken?: string;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomSecret(length: number): string {
  const bytes = randomBytes(length);
  let s = '';
  for (let i = 0; i < length; i++) s += ALNUM[bytes[i] % 62 /* 256 % 62 bias is < 2%, fine for 190 bits */];
  return s;
}

export const APP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Distinct characters a brought signing secret needs at least (32 spaces, or "aaaa…", are no secret). */
const MIN_DISTINCT = 8;

/**
 * A signing secret an operator brings must look like one: printable, no white space, and at least
 * MIN_DISTINCT different characters. (Generated ones are 32 random letters and digits.)
 */
function checkStrength(secret: string, what: string, param: string): void {
  if (!/^[\x21-\x7e]+$/.test(secret)) throw new TimbrelError('invalid_parameter', `${what} must be printable ASCII without spaces`, param);
  if (new Set(secret).size < MIN_DISTINCT)
    throw new TimbrelError('invalid_parameter', `${what} is too weak: it needs at least ${MIN_DISTINCT} different characters`, param);
}

/** Apps (tenants) and their dialect credentials. */
export class Apps {
  constructor(
    private readonly repo: Repository,
    private readonly defaultRateLimit: number,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: CreateAppInput): Promise<App> {
    if (!APP_NAME.test(input.name)) {
      throw new TimbrelError('invalid_parameter', 'name must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit', 'name');
    }
    const rateLimit = input.rateLimit ?? this.defaultRateLimit;
    if (!Number.isInteger(rateLimit) || rateLimit < 1 || rateLimit > 1_000_000) {
      throw new TimbrelError('invalid_parameter_value', 'rateLimit must be an integer in [1, 1000000]', 'rateLimit');
    }
    if (await this.repo.apps.byName(input.name)) throw new TimbrelError('conflict', `an app named ${input.name} exists`, 'name');

    let zegoAppId = input.zegoAppId;
    if (zegoAppId !== undefined) {
      if (!Number.isInteger(zegoAppId) || zegoAppId < 1 || zegoAppId > 0xffffffff) {
        throw new TimbrelError('invalid_parameter', 'ZEGO AppId must be an integer in [1, 4294967295]', 'zegoAppId');
      }
      if (await this.repo.apps.byZegoId(zegoAppId)) throw new TimbrelError('conflict', `ZEGO AppId ${zegoAppId} is taken`, 'zegoAppId');
    } else {
      do zegoAppId = randomInt(1_000_000_000, 4_294_967_295);
      while (await this.repo.apps.byZegoId(zegoAppId));
    }
    const zegoServerSecret = input.zegoServerSecret ?? randomSecret(32);
    if (zegoServerSecret.length !== 32) {
      throw new TimbrelError('invalid_parameter', 'ZEGO ServerSecret must be 32 characters', 'zegoServerSecret');
    }
    checkStrength(zegoServerSecret, 'ZEGO ServerSecret', 'zegoServerSecret');
    const ivhAppKey = input.ivhAppKey ?? randomBytes(16).toString('hex');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(ivhAppKey)) {
      throw new TimbrelError('invalid_parameter', 'IVH appkey must be 1-64 letters, digits, "_" or "-"', 'ivhAppKey');
    }
    if (await this.repo.apps.byIvhKey(ivhAppKey)) throw new TimbrelError('conflict', `IVH appkey ${ivhAppKey} is taken`, 'ivhAppKey');
    const ivhAccessToken = input.ivhAccessToken ?? randomSecret(32);
    if (ivhAccessToken.length < 16 || ivhAccessToken.length > 128) {
      throw new TimbrelError('invalid_parameter', 'IVH accesstoken must be 16-128 characters', 'ivhAccessToken');
    }
    checkStrength(ivhAccessToken, 'IVH accesstoken', 'ivhAccessToken');

    const now = this.now();
    const app: App = {
      id: newId(),
      name: input.name,
      rateLimit,
      status: 'active',
      zegoAppId,
      zegoServerSecret,
      ivhAppKey,
      ivhAccessToken,
      zegoPreviousSecret: null,
      zegoPreviousUntil: null,
      ivhPreviousToken: null,
      ivhPreviousUntil: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.repo.apps.insert(app);
    return app;
  }

  list(): Promise<App[]> {
    return this.repo.apps.list();
  }

  /** The app named `name`, or a not_found error that says so. */
  async named(name: string): Promise<App> {
    const app = await this.repo.apps.byName(name);
    if (!app) throw new TimbrelError('not_found', `no app named ${name}`);
    return app;
  }

  byName(name: string): Promise<App | undefined> {
    return this.repo.apps.byName(name);
  }

  async setRateLimit(name: string, rateLimit: number): Promise<App> {
    const app = await this.repo.apps.byName(name);
    if (!app) throw new TimbrelError('not_found', `no app named ${name}`);
    if (!Number.isInteger(rateLimit) || rateLimit < 1 || rateLimit > 1_000_000) {
      throw new TimbrelError('invalid_parameter_value', 'rateLimit must be an integer in [1, 1000000]', 'rateLimit');
    }
    await this.repo.apps.update(app.id, { rateLimit }, this.now());
    return { ...app, rateLimit };
  }

  /**
   * Gives an app a new ZEGO ServerSecret or IVH accesstoken. The old one keeps verifying for
   * `graceSeconds` (0: it stops at once), so clients can switch without an outage.
   */
  async rotate(name: string, dialect: 'zego' | 'ivh', graceSeconds: number): Promise<App> {
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > 30 * 86_400) {
      throw new TimbrelError('invalid_parameter_value', 'graceSeconds must be an integer in [0, 2592000]', 'graceSeconds');
    }
    const now = this.now();
    const until = graceSeconds > 0 ? now + graceSeconds * 1000 : null;
    const rotated = await this.repo.apps.rotateSecrets(name, now, (app) =>
      dialect === 'zego'
        ? { ...app, zegoServerSecret: randomSecret(32), zegoPreviousSecret: until ? app.zegoServerSecret : null, zegoPreviousUntil: until }
        : { ...app, ivhAccessToken: randomSecret(32), ivhPreviousToken: until ? app.ivhAccessToken : null, ivhPreviousUntil: until },
    );
    if (!rotated) throw new TimbrelError('not_found', `no app named ${name}`);
    return rotated;
  }

  async setStatus(name: string, status: App['status']): Promise<App> {
    const app = await this.repo.apps.byName(name);
    if (!app) throw new TimbrelError('not_found', `no app named ${name}`);
    await this.repo.apps.update(app.id, { status }, this.now());
    return { ...app, status };
  }
}
