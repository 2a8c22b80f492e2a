/**
 * The event log over real HTTP, on both engines: one event per change in the change's transaction, read by
 * `/v1/events` (cursor, `after=now`, type filters, 410 past retention) and `/v1/events/stream` (SSE, resumed
 * with Last-Event-ID), with the tenant rule; and concurrent writers beside a concurrent follower that must
 * never skip an event (on PostgreSQL, transactions commit out of the order they began).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { testEngines } from '../engines.js';
import { importRecords, nativeFixture, type Harness } from '../helpers.js';
import { loadConfig } from '../../src/config.js';
import { openServices } from '../../src/services.js';
import { buildApp } from '../../src/app.js';

interface Ev {
  id: string;
  seq: number;
  type: string;
  createdAt: string;
  object: { kind: string; id: string; owner: string; etag?: string };
  changed: string[];
  source: string;
  data?: Record<string, unknown>;
}

/** An SSE client of the test's own: the events it got, and the `id:` lines. */
function sse(url: string, headers: Record<string, string>) {
  const got: Ev[] = [];
  const controller = new AbortController();
  const waiters: (() => void)[] = [];
  const done = (async () => {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    if (res.status !== 200) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        const id = block.split('\n').find((l) => l.startsWith('id: '));
        if (!data) continue;
        const e = JSON.parse(data) as Ev;
        assert.equal(id, `id: ${e.seq}`, 'the id line is the cursor');
        got.push(e);
        for (const w of waiters.splice(0)) w();
      }
    }
  })().catch((err: Error) => {
    if (err.name !== 'AbortError') throw err;
  });
  return {
    got,
    /** Resolves once `n` events have come, or rejects after `ms`. */
    async until(n: number, ms = 3000) {
      const deadline = Date.now() + ms;
      while (got.length < n) {
        if (Date.now() > deadline) throw new Error(`${got.length} of ${n} events within ${ms} ms`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
      return got;
    },
    close: async () => {
      controller.abort();
      await done;
    },
  };
}

for (const engine of await testEngines())
  describe(`the event log: /v1/events, its stream, the tenant rule (${engine})`, () => {
    let h: Harness;
    let base: string;
    let admin: string;
    let alphaKey: string;
    let betaKey: string;

    before(async () => {
      const f = await nativeFixture(engine);
      ({ h, admin, alphaKey, betaKey } = f);
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    });
    after(async () => h?.close());

    const call = async (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await request(`${base}${path}`, {
        method: method as 'GET',
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    };
    const events = async (token: string, query = '') => {
      const r = await call('GET', `/v1/events${query}`, token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as { data: Ev[]; next: string; hasMore: boolean };
    };
    const all = async (token: string, query = '', from?: string) => {
      const out: Ev[] = [];
      let next: string | undefined = from;
      for (;;) {
        const page = await events(token, `?limit=1000${query}${next ? `&after=${next}` : ''}`);
        out.push(...page.data);
        next = page.next;
        if (!page.hasMore) return out;
      }
    };

    test('each write through the API is one event, in order, whose etag is the ETag a read answers (up to its dot)', async () => {
      const { next: start } = await events(admin, '?after=now');
      const created = await call('POST', '/v1/timbres', alphaKey, { key: 'ev_voice', name: 'Event voice' });
      assert.equal(created.status, 201);
      const id = created.body.id as string;
      const patched = await call('PATCH', `/v1/timbres/${id}`, alphaKey, { name: 'Event voice, renamed', description: 'now described' });
      assert.equal(patched.status, 200);
      assert.equal((await call('DELETE', `/v1/timbres/${id}`, alphaKey)).status, 200);
      const restored = await call('POST', `/v1/timbres/${id}/restore`, alphaKey);
      assert.equal(restored.status, 200);
      const bound = await call('PUT', `/v1/digital-humans/22222222-2222-4222-8222-222222222222/timbres/${id}`, alphaKey, {});
      assert.equal(bound.status, 200, JSON.stringify(bound.body));

      const page = await events(admin, `?after=${start}`);
      assert.deepEqual(
        page.data.map((e) => [e.type, e.object.kind, e.object.id, e.object.owner, e.source]),
        [
          ['timbre.created', 'timbre', id, 'alpha', 'api'],
          ['timbre.updated', 'timbre', id, 'alpha', 'api'],
          ['timbre.retired', 'timbre', id, 'alpha', 'api'],
          ['timbre.restored', 'timbre', id, 'alpha', 'api'],
          ['binding.updated', 'binding', '22222222-2222-4222-8222-222222222222', 'alpha', 'api'],
        ],
      );
      assert.deepEqual(page.data[1].changed.sort(), ['description', 'name']);
      const seqs = page.data.map((e) => e.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
        'oldest first',
      );
      assert.ok(new Set(page.data.map((e) => e.id)).size === 5 && page.data.every((e) => /^evt_[0-9A-Z]{26}$/.test(e.id)));
      assert.equal(page.next, String(seqs.at(-1)));
      assert.equal(page.hasMore, false);
      // A follower refetches with If-None-Match: the event's etag is the version a read tags.
      const read = await call('GET', `/v1/timbres/${id}`, alphaKey);
      const tag = String(read.headers.etag);
      assert.equal(tag.replace(/\..*"$/, '"'), page.data[3].object.etag, 'the restore event names the version now stored');
      const binds = await call('GET', '/v1/digital-humans/22222222-2222-4222-8222-222222222222/timbres', alphaKey);
      assert.equal(String(binds.headers.etag).replace(/\..*"$/, '"'), page.data[4].object.etag);
      // A write that changes nothing writes no event.
      await call('PATCH', `/v1/timbres/${id}`, alphaKey, { name: 'Event voice, renamed' });
      assert.deepEqual((await events(admin, `?after=${page.next}`)).data, []);
      // What the console asks for says so.
      await call('PATCH', `/v1/timbres/${id}`, alphaKey, { name: 'Event voice, from the console' }, { 'x-timbrel-client': 'console' });
      assert.deepEqual(
        (await events(admin, `?after=${page.next}`)).data.map((e) => [e.type, e.source]),
        [['timbre.updated', 'console']],
      );
    });

    test('an import writes one event per row it creates or updates (stored as blocks, read one by one at any cursor)', async () => {
      const { next: start } = await events(admin, '?after=now');
      const n = 2500;
      const records = [
        ...Array.from({ length: n }, (_, i) => ({ kind: 'timbre', key: `bulk_${i}`, name: `Bulk ${i}`, sortOrder: 1000 + i })),
        ...Array.from({ length: 30 }, (_, i) => ({ kind: 'timbre', owner: 'alpha', key: `bulk_alpha_${i}`, name: `Alpha bulk ${i}` })),
      ];
      const first = await importRecords(h.services, records);
      assert.equal(first.timbres, n + 30);
      // Again, with new places for a hundred of them: updates, one event each.
      const again = await importRecords(
        h.services,
        records.slice(0, 100).map((r) => ({ ...r, sortOrder: -1 })),
      );
      assert.equal(again.timbres, 100);
      const everything = await all(admin, '', start);
      const rows = everything.filter((e) => e.object.kind === 'timbre');
      assert.equal(rows.length, n + 30 + 100);
      assert.deepEqual(everything.filter((e) => e.type === 'import.completed').length, 2, 'and each import its import.completed');
      const stored = await h.services.repo.db.selectFrom('timbres').select(['id', 'key', 'owner']).where('key', 'like', 'bulk_%').execute();
      const idOf = new Map(stored.map((r) => [r.key, r.id]));
      const sorted = (xs: (string | undefined)[][]) => xs.map((x) => x.join(' ')).sort();
      assert.deepEqual(
        sorted(rows.slice(0, n + 30).map((e) => [e.type, e.object.id, e.source])),
        sorted(records.map((r) => ['timbre.created', idOf.get(r.key), 'import'])),
        'a created event per row',
      );
      assert.deepEqual(
        sorted(rows.slice(n + 30).map((e) => [e.type, e.object.id])),
        sorted(records.slice(0, 100).map((r) => ['timbre.updated', idOf.get(r.key)])),
      );
      // Numbered one by one, with ids of their own; an import's row events name no etag (docs/events.md).
      const seqs = everything.map((e) => e.seq);
      assert.ok(
        seqs.every((q, i) => i === 0 || q > seqs[i - 1]),
        'strictly increasing',
      );
      assert.ok(
        rows.slice(0, n + 30).every((e, i) => i === 0 || e.seq === rows[i - 1].seq + 1),
        'one import transaction: consecutive numbers',
      );
      assert.equal(new Set(everything.map((e) => e.id)).size, everything.length);
      assert.ok(rows.every((e) => /^evt_[0-9A-Z]{26}$/.test(e.id) && e.object.etag === undefined && e.changed.length === 0));
      // Any cursor, any page size: the same events, none twice, none skipped (cursors fall inside blocks).
      for (const limit of [7, 333]) {
        const walked: Ev[] = [];
        let next = start;
        for (;;) {
          const page = await events(admin, `?after=${next}&limit=${limit}`);
          walked.push(...page.data);
          next = page.next;
          if (!page.hasMore) break;
        }
        assert.deepEqual(
          walked.map((e) => e.id),
          everything.map((e) => e.id),
          `pages of ${limit}`,
        );
      }
      const middle = rows[1234];
      assert.deepEqual(
        (await events(admin, `?after=${middle.seq - 1}&limit=2`)).data.map((e) => e.id),
        [middle.id, rows[1235].id],
      );
      // The tenant rule holds inside blocks: beta sees the public rows, never alpha's.
      const beta = (await all(betaKey, '', start)).filter((e) => e.object.kind === 'timbre');
      assert.equal(beta.length, n + 100);
      assert.ok(beta.every((e) => e.object.owner === 'public'));
      const alpha = (await all(alphaKey, '&types=timbre.created', start)).filter((e) => e.object.owner === 'alpha');
      assert.equal(alpha.length, 30);
      assert.equal((await all(admin, '&types=timbre.updated', start)).length, 100);
    });

    test('the tenant rule: an app sees the public catalog and its own, never another app’s objects, keys or upstreams', async () => {
      const { next: start } = await events(admin, '?after=now');
      const mine = await call('POST', '/v1/timbres', alphaKey, { key: 'alpha_secret_voice', name: 'Alpha only' });
      const theirs = await call('POST', '/v1/timbres', betaKey, { key: 'beta_secret_voice', name: 'Beta only' });
      const pub = await call('POST', '/v1/timbres', admin, { key: 'everyone_voice', name: 'Everyone' });
      assert.deepEqual([mine.status, theirs.status, pub.status], [201, 201, 201]);
      assert.equal((await call('POST', '/v1/apps/beta/keys', admin, { name: 'second' })).status, 201);
      assert.equal(
        (await call('PUT', '/v1/apps/beta/upstreams/elevenlabs', admin, { url: 'https://api.elevenlabs.io', apiKey: 'sk_beta_vendor' })).status,
        200,
      );

      const ids = (es: Ev[]) => es.map((e) => `${e.type}:${e.object.owner}`);
      assert.deepEqual(ids((await events(alphaKey, `?after=${start}`)).data), ['timbre.created:alpha', 'timbre.created:public']);
      assert.deepEqual(ids((await events(betaKey, `?after=${start}`)).data), [
        'timbre.created:beta',
        'timbre.created:public',
        'api_key.created:beta',
        'upstream.created:beta',
      ]);
      assert.deepEqual(ids((await events(admin, `?after=${start}`)).data), [
        'timbre.created:alpha',
        'timbre.created:beta',
        'timbre.created:public',
        'api_key.created:beta',
        'upstream.created:beta',
      ]);
      // Filters: exact types and whole kinds.
      assert.deepEqual(ids((await events(admin, `?after=${start}&types=api_key.*,upstream.created`)).data), ['api_key.created:beta', 'upstream.created:beta']);
      // A page that the filter or the rule left empty still moves the cursor to the head it covered.
      const empty = await events(alphaKey, `?after=${start}&types=app.*`);
      assert.deepEqual(empty.data, []);
      assert.equal(empty.next, (await events(admin, '?after=now')).next);
    });

    test('paging, after=now, bad cursors and types, and 410 for a cursor past the retention', async () => {
      const { next: start } = await events(admin, '?after=now');
      for (let i = 0; i < 5; i++) assert.equal((await call('POST', '/v1/timbres', admin, { key: `paged_${i}`, name: `Paged ${i}` })).status, 201);
      const first = await events(admin, `?after=${start}&limit=2`);
      assert.equal(first.data.length, 2);
      assert.equal(first.hasMore, true);
      const second = await events(admin, `?after=${first.next}&limit=2`);
      assert.equal(second.data[0].seq > first.data[1].seq, true);
      assert.equal((await events(admin, '?after=now')).data.length, 0);
      const bad = await call('GET', '/v1/events?after=abc', admin);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'cursor_invalid');
      const badType = await call('GET', '/v1/events?types=timbre', admin);
      assert.equal(badType.status, 400);
      assert.equal((await call('GET', '/v1/events', 'not-a-token')).status, 401);

      // Everything before now is pruned: the old cursor has expired, the head has not.
      const head = (await events(admin, '?after=now')).next;
      const pruned = await h.services.repo.events.prune(Date.now() + 1000);
      assert.ok(pruned >= 5);
      const gone = await call('GET', `/v1/events?after=${start}`, admin);
      assert.equal(gone.status, 410);
      assert.match(String(gone.headers['content-type']), /^application\/problem\+json/);
      assert.equal(gone.body.code, 'events_expired');
      assert.equal(gone.body.title, 'Gone');
      assert.equal((await call('GET', `/v1/events?after=${head}`, admin)).status, 200);
      assert.deepEqual((await events(admin)).data, [], 'without a cursor: from the oldest retained event');
    });

    test('the stream: events arrive live, an app sees only what it may, and Last-Event-ID resumes', async () => {
      const operator = sse(`${base}/v1/events/stream?after=now`, { authorization: `Bearer ${admin}` });
      const alpha = sse(`${base}/v1/events/stream?after=now&types=timbre.*`, { authorization: `Bearer ${alphaKey}` });
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      assert.equal((await call('POST', '/v1/timbres', betaKey, { key: 'streamed_beta', name: 'Streamed, beta' })).status, 201);
      assert.equal((await call('POST', '/v1/timbres', admin, { key: 'streamed_public', name: 'Streamed, public' })).status, 201);
      const seen = await operator.until(2);
      assert.ok(Date.now() - t0 < 1500, 'within a second or so of the commit');
      assert.deepEqual(
        seen.map((e) => e.object.owner),
        ['beta', 'public'],
      );
      await alpha.until(1);
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(
        alpha.got.map((e) => e.object.owner),
        ['public'],
        "beta's private timbre never reaches alpha's stream",
      );
      await operator.close();
      await alpha.close();

      // Resuming after the first: the second comes again, then what was written while away.
      assert.equal((await call('POST', '/v1/timbres', admin, { key: 'while_away', name: 'While away' })).status, 201);
      const resumed = sse(`${base}/v1/events/stream`, { authorization: `Bearer ${admin}`, 'last-event-id': String(seen[0].seq) });
      const again = await resumed.until(2);
      assert.equal(again[0].id, seen[1].id, 'resumed right after the last event it had');
      assert.equal(again[1].type, 'timbre.created');
      assert.equal((await h.services.repo.timbres.byId(again[1].object.id))?.key, 'while_away');
      await resumed.close();
    });

    test('a transaction that appended its event first and commits last is never skipped by a follower', async () => {
      const repo = h.services.repo;
      const start = await repo.events.head();
      const event = (id: string) => ({ type: 'timbre.updated', kind: 'timbre' as const, objectId: id, owner: '', etag: '', changed: ['name'], source: 'test' });
      // A: numbers its event, then holds its transaction open; B writes and commits meanwhile.
      const slow = repo.db.transaction().execute(async (trx) => {
        await repo.events.append(trx, [event('slow')], Date.now());
        await new Promise((r) => setTimeout(r, 400));
      });
      await new Promise((r) => setTimeout(r, 50));
      const fast = repo.transaction(async (trx) => repo.logEvent(trx, event('fast')));
      const seen: number[] = [];
      let after = start;
      let both = false;
      void Promise.all([slow, fast]).then(() => (both = true));
      while (!both) {
        const page = await repo.events.read({ after, limit: 100 });
        seen.push(...page.events.map((e) => e.seq));
        after = page.next;
        await new Promise((r) => setTimeout(r, 10));
      }
      const page = await repo.events.read({ after, limit: 100 });
      seen.push(...page.events.map((e) => e.seq));
      const truth = (await repo.events.read({ after: start, limit: 100 })).events;
      // Numbered in commit order: on PostgreSQL the fast one commits first; SQLite's writers take turns (the
      // fast one waits for the slow one's write lock).
      assert.deepEqual(
        truth.map((e) => e.objectId),
        engine === 'postgres' ? ['fast', 'slow'] : ['slow', 'fast'],
        'numbered in commit order',
      );
      assert.deepEqual(
        seen,
        truth.map((e) => e.seq),
        'the follower saw both',
      );
    });

    test('a write on one instance is on another instance’s stream within a second', async () => {
      // A second instance on the same store (PostgreSQL: the same database; SQLite: the same file).
      const config = loadConfig({ TIMBREL_DATA_DIR: h.dir, ...(engine === 'postgres' ? { DATABASE_URL: h.services.config.databaseUrl } : {}) });
      const services = await openServices(config);
      const other = await buildApp(services);
      await other.listen({ port: 0, host: '127.0.0.1' });
      const otherBase = `http://127.0.0.1:${(other.server.address() as AddressInfo).port}`;
      const stream = sse(`${otherBase}/v1/events/stream?after=now&types=timbre.created`, { authorization: `Bearer ${admin}` });
      try {
        await new Promise((r) => setTimeout(r, 300));
        const lags: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t0 = Date.now();
          assert.equal((await call('POST', '/v1/timbres', admin, { key: `cross_${i}`, name: `Across ${i}` })).status, 201);
          await stream.until(i + 1, 1000);
          lags.push(Date.now() - t0);
        }
        assert.ok(
          lags.every((ms) => ms < 1000),
          `write → the other instance's stream: ${lags.join(', ')} ms`,
        );
      } finally {
        await stream.close();
        await other.close();
        await services.close();
      }
    });

    test('concurrent writers beside a concurrent follower: every acknowledged write has its event, the follower skips none', async () => {
      const { next: start } = await events(admin, '?after=now');
      const followed: Ev[] = [];
      let writing = true;
      const follower = (async () => {
        let next = start;
        while (writing) {
          const page = await events(admin, `?after=${next}&limit=50`);
          followed.push(...page.data);
          next = page.next;
        }
        for (;;) {
          const page = await events(admin, `?after=${next}&limit=1000`);
          followed.push(...page.data);
          next = page.next;
          if (!page.hasMore) return;
        }
      })();
      const acknowledged: string[] = [];
      const clients = 8;
      const each = 25;
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          for (let i = 0; i < each; i++) {
            const token = i % 2 ? alphaKey : admin;
            const r = await call('POST', '/v1/timbres', token, { key: `conc_${c}_${i}`, name: `Concurrent ${c}.${i}` });
            assert.equal(r.status, 201, JSON.stringify(r.body));
            acknowledged.push(r.body.id);
            const p = await call('PATCH', `/v1/timbres/${r.body.id}`, token, { description: `patched ${c}.${i}` });
            assert.equal(p.status, 200);
          }
        }),
      );
      writing = false;
      await follower;
      const truth = await all(admin, `&after=${start}`);
      assert.equal(truth.length, clients * each * 2);
      assert.deepEqual(
        followed.map((e) => e.seq),
        truth.map((e) => e.seq),
        'the follower saw every event, in order, none skipped',
      );
      const created = new Set(truth.filter((e) => e.type === 'timbre.created').map((e) => e.object.id));
      assert.deepEqual(
        acknowledged.filter((id) => !created.has(id)),
        [],
      );
      for (let i = 1; i < truth.length; i++) assert.ok(truth[i].seq > truth[i - 1].seq);
    });
  });
