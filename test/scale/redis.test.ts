/**
 * Redis shared by instances: one per-app limit however many instances count against it, and what happens
 * when Redis is away; beside it, the change signal (PostgreSQL's) that moves every instance's read cache.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config.js';
import { openServices, type Services } from '../../src/services.js';
import { RedisRateLimiter } from '../../src/limits/redis.js';
import { freshPostgres, postgresUp, redisReachable, TEST_REDIS_URL } from '../engines.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const up = (await postgresUp()) && (await redisReachable());

describe('Redis across instances', { skip: !up && 'PostgreSQL or Redis is not running' }, () => {
  let a: Services;
  let b: Services;
  let drop: () => Promise<void>;
  const dir = mkdtempSync(join(tmpdir(), 'timbrel-redis-'));

  before(async () => {
    const db = await freshPostgres();
    drop = db.drop;
    const config = () => loadConfig({ TIMBREL_DATA_DIR: dir, DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL });
    a = await openServices(config());
    b = await openServices(config());
  });
  after(async () => {
    await a.close();
    await b.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('two instances share one limit: 5/s admits exactly 5 of 20 taken in one second', async () => {
    const app = `limit-${Date.now()}`;
    // Start just after a second turns on Redis's clock, so the 20 takes fall in one window.
    const [s, us] = (await a.redis!.commands.time()).map(Number);
    await new Promise((r) => setTimeout(r, (1e6 - us) / 1000 + 20));
    const taken = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).limiter.take(app, 5)));
    assert.equal(taken.filter(Boolean).length, 5);
    assert.ok(s > 0);
  });

  test("a write on one instance moves the other's cache at once (change signal)", async () => {
    const app = await a.apps.create({ name: 'sig' });
    // Five writes, each seen by the other instance within 200 ms (PostgreSQL's NOTIFY carries the signal,
    // with or without REDIS_URL).
    for (let i = 0; i < 5; i++) {
      const before = await b.catalog.listTimbres(app, 'public', {}, { offset: 0, limit: 10 });
      await a.repo.timbres.create({
        id: `sig-${i}`,
        owner: '',
        key: `sig-${i}`,
        name: 'Signalled',
        description: '',
        gender: 'female',
        languages: [],
        emotions: [],
        timbreType: 'Boutique',
        supportedAvatarTypes: [],
        driverTypes: [],
        expiresAt: null,
        image: null,
        sample: null,
        languageSamples: {},
        tags: [],
        age: '',
        accent: '',
        useCases: [],
        status: 'active',
        replacedBy: null,
        sortOrder: 0,
        createdAt: 1,
        updatedAt: 1,
      });
      const t0 = performance.now();
      let seen = await b.catalog.listTimbres(app, 'public', {}, { offset: 0, limit: 10 });
      while (seen.total === before.total && performance.now() - t0 < 2000) {
        await new Promise((r) => setTimeout(r, 2));
        seen = await b.catalog.listTimbres(app, 'public', {}, { offset: 0, limit: 10 });
      }
      assert.equal(seen.total, before.total + 1);
      assert.ok(performance.now() - t0 < 200, `write ${i} seen after ${Math.round(performance.now() - t0)} ms`);
    }
  });
});

test(
  'Redis unreachable: the limiter serves and counts the error instead of failing requests',
  { skip: !(await redisReachable()) && 'Redis is not running' },
  async () => {
    const dead = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    dead.on('error', () => {});
    let errors = 0;
    const limiter = new RedisRateLimiter(dead, () => errors++);
    assert.equal(await limiter.take('x', 1), true);
    assert.equal(errors, 1);
    dead.disconnect();
  },
);

test('a server start fails fast, with a clear message, when REDIS_URL points at nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'timbrel-redis-'));
  try {
    await assert.rejects(openServices(loadConfig({ TIMBREL_DATA_DIR: dir, REDIS_URL: 'redis://127.0.0.1:1' })), /Redis is not reachable/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
