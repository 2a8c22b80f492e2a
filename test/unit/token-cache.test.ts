import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenCache } from '../../src/store/token-cache.js';

test('a value is served while its token holds, and dropped once the token moves', () => {
  const c = new TokenCache(4);
  c.set('a', 't1', 1);
  assert.equal(c.get('a', 't1')?.value, 1);
  assert.equal(c.get('a', 't2'), undefined);
  assert.equal(c.get('a', 't1'), undefined, 'a stale entry is gone, not kept for the old token');
  assert.equal(c.size, 0);
});

test('over the bound, the least recently used entry goes, reads count as use', () => {
  const c = new TokenCache(3);
  c.set('a', 't', 'A');
  c.set('b', 't', 'B');
  c.set('c', 't', 'C');
  assert.ok(c.get('a', 't')); // a is now the most recently used; b the least
  c.set('d', 't', 'D');
  assert.equal(c.size, 3);
  assert.equal(c.get('b', 't'), undefined);
  assert.deepEqual(
    ['a', 'c', 'd'].map((k) => c.get(k, 't')?.value),
    ['A', 'C', 'D'],
  );
  c.set('c', 't', 'C2'); // a re-set key is used now
  c.set('e', 't', 'E'); // evicts a (used before d, c2)
  assert.equal(c.get('a', 't'), undefined);
  assert.deepEqual(
    ['c', 'd', 'e'].map((k) => c.get(k, 't')?.value),
    ['C2', 'D', 'E'],
  );
});
