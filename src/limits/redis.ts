import { Redis } from 'ioredis';
import type { RateLimiter } from './rate-limit.js';

/**
 * What several instances share through Redis: the per-app request limit. (The "catalog changed" signal is
 * PostgreSQL's own LISTEN/NOTIFY, src/store/engine.ts: every writer reaches it, with or without Redis.)
 * Commands fail at once while Redis is unreachable (no offline queue), so a request never waits on a
 * reconnect; ioredis reconnects by itself with backoff; /readyz reports it.
 */
export class RedisLink {
  readonly commands: Redis;

  private constructor(url: string) {
    this.commands = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    // ioredis reconnects by itself; an 'error' event without a listener would crash the process.
    this.commands.on('error', () => {});
  }

  /** Connects, and resolves once the first connection is up (or rejects after `ms`): a start fails fast. */
  static async open(url: string, ms = 5000): Promise<RedisLink> {
    const link = new RedisLink(url);
    const { commands } = link;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Redis is not reachable (${commands.options.host}:${commands.options.port})`)), ms);
        commands.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    } catch (err) {
      await link.close();
      throw err;
    }
    return link;
  }

  async ping(): Promise<void> {
    await this.commands.ping();
  }

  /** The per-app limit counted in this Redis; `onError` hears of each check Redis could not answer. */
  rateLimiter(onError: (err: Error) => void): RateLimiter {
    return new RedisRateLimiter(this.commands, onError);
  }

  async close(): Promise<void> {
    this.commands.disconnect();
  }
}

/**
 * The same fixed one-second windows as the memory limiter, counted in Redis so every instance shares them.
 * The window is Redis's own clock (TIME), so instances whose clocks drift still agree on it.
 */
const TAKE = `
local t = redis.call('TIME')
local key = KEYS[1] .. ':' .. t[1]
local n = redis.call('INCR', key)
if n == 1 then redis.call('EXPIRE', key, 2) end
return n`;

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly onError: (err: Error) => void = () => {},
  ) {
    redis.defineCommand('timbrelTake', { numberOfKeys: 1, lua: TAKE });
  }

  async take(appId: string, perSecond: number): Promise<boolean> {
    try {
      const n = await (this.redis as unknown as { timbrelTake(key: string): Promise<number> }).timbrelTake(`timbrel:rl:${appId}`);
      return n <= perSecond;
    } catch (err) {
      // Redis is down: serve rather than refuse everyone (the catalog is read traffic); /readyz takes the
      // instance out of the load balancer meanwhile, and the error is counted and logged.
      this.onError(err as Error);
      return true;
    }
  }
}
