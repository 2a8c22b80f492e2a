import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRateLimiter } from '../../src/limits/rate-limit.js';

test('at most N requests in each calendar second, per app', () => {
  const clock = { ms: 1_000_000_000_500 };
  const limiter = new MemoryRateLimiter(() => clock.ms);
  const burst = (app: string, n: number) => Array.from({ length: n }, () => limiter.take(app, 10)).filter(Boolean).length;
  assert.equal(burst('a', 50), 10);
  assert.equal(burst('b', 50), 10, 'apps do not share a window');
  clock.ms += 499; // same second
  assert.equal(burst('a', 5), 0);
  clock.ms += 1; // next second
  assert.equal(burst('a', 50), 10);
  clock.ms += 120_000; // long idle: windows are swept, counting starts afresh
  assert.equal(burst('a', 3), 3);
});
