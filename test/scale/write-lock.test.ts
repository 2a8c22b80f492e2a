/**
 * SQLite has one write lock per database file. While another connection holds it (a CLI import's
 * transaction, another process), a write of the server waits for it off the event loop: the server keeps
 * answering reads meanwhile, the write lands once the lock is free, and past WRITE_LOCK_WAIT_MS it is
 * answered "busy". Before, BEGIN waited inside SQLite's busy handler, and better-sqlite3 being synchronous,
 * the whole process stopped with it (measured: `/healthz` 1,744 ms at worst beside a CLI import at 5M).
 *
 * The other connection here is a second better-sqlite3 connection of the test process holding the lock by
 * an open BEGIN IMMEDIATE; the server is a real one listening on loopback, called over HTTP.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { nativeFixture, importRecords, type Harness } from '../helpers.js';
import { SQLITE_FILE } from '../../src/store/engine.js';
import { WRITE_LOCK_WAIT_MS } from '../../src/store/base.js';

describe('a write waiting for SQLite’s write lock leaves the server serving', () => {
  let h: Harness;
  let base: string;
  let alphaKey: string;
  let other: Database.Database;

  before(async () => {
    ({ h, alphaKey } = await nativeFixture('sqlite'));
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    other = new Database(join(h.dir, SQLITE_FILE));
  });
  after(async () => {
    other.close();
    await h.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${alphaKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  /** Settles with the promise's outcome; `settled` says whether it has. */
  const watch = <T>(p: Promise<T>) => {
    const w = { settled: false, result: p.finally(() => (w.settled = true)) };
    return w;
  };

  test('API writes wait while reads are answered, then land', async () => {
    other.exec('BEGIN IMMEDIATE');
    let held = true;
    try {
      const writes = Array.from({ length: 4 }, (_, i) => watch(call('POST', '/v1/timbres', { key: `waited_${i}`, name: `Waited ${i}` })));
      // Reads of every kind, from the store (not the page cache: each a different query), while the writes wait.
      for (let i = 0; i < 20; i++) {
        const page = await call('GET', `/v1/timbres?limit=${i + 1}`);
        assert.equal(page.status, 200);
        assert.equal((await fetch(`${base}/healthz`)).status, 200);
      }
      assert.deepEqual(
        writes.map((w) => w.settled),
        [false, false, false, false],
        'a write went through while another connection held the write lock',
      );
      other.exec('COMMIT');
      held = false;
      const answers = await Promise.all(writes.map((w) => w.result));
      for (const a of answers) assert.equal(a.status, 201, JSON.stringify(a.body));
      for (const a of answers) assert.equal((await call('GET', `/v1/timbres/${a.body.id}`)).status, 200);
    } finally {
      if (held) other.exec('ROLLBACK');
    }
  });

  test('an import waits for the lock the same way', async () => {
    other.exec('BEGIN IMMEDIATE');
    let held = true;
    try {
      const imported = watch(importRecords(h.services, [{ kind: 'timbre', owner: 'alpha', key: 'imported_while_locked', name: 'Imported' }]));
      for (let i = 0; i < 10; i++) assert.equal((await call('GET', `/v1/timbres?limit=${i + 1}&q=waited`)).status, 200);
      assert.equal(imported.settled, false, 'the import wrote while another connection held the write lock');
      other.exec('COMMIT');
      held = false;
      assert.equal((await imported.result).timbres, 1);
      const found = await call('GET', '/v1/timbres?q=Imported');
      assert.deepEqual(
        found.body.items.map((t: { key: string }) => t.key),
        ['imported_while_locked'],
      );
    } finally {
      if (held) other.exec('ROLLBACK');
    }
  });

  test(`a write still locked out after ${WRITE_LOCK_WAIT_MS} ms is answered "busy" (503), and nothing is written`, async () => {
    other.exec('BEGIN IMMEDIATE');
    let answer: Awaited<ReturnType<typeof call>>;
    const started = Date.now();
    try {
      answer = await call('POST', '/v1/timbres', { key: 'never_written', name: 'Never' });
    } finally {
      other.exec('ROLLBACK');
    }
    assert.ok(Date.now() - started >= WRITE_LOCK_WAIT_MS, `answered after ${Date.now() - started} ms`);
    assert.equal(answer.status, 503, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'busy');
    assert.equal((await call('GET', '/v1/timbres?q=Never')).body.items.length, 0);
  });
});
