// The catalog scenario's writes: a deep reader alone, beside one write a second (through its own instance,
// then through another instance on the same store), beside a CLI import; write → visible at the deepest
// offset (on its own instance, and on another).
import http from 'node:http';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, work, BIN, median, pct, startTimbrel } from '../lib.mjs';

/**
 * A reader pages deep on its own connection (a different page each time, so no page-cache hit), for
 * WRITE_SECONDS without writes and WRITE_SECONDS with one write a second through /v1 (a new public timbre
 * at the head of the list: every offset after it moves). Then, write → visible at the deepest offset: a
 * timbre added at the list's end, polled for at Offset total − 1 until it is there.
 */
export async function writesBesideReaders(ctx) {
  const { rows: ROWS, env, figures, adminToken, base, zegoUrl, post, noteRss } = ctx;
  {
    {
      const WRITE_SECONDS = Number(process.env.BENCH_WRITE_SECONDS ?? 8);
      const readerAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const readOnce = (i) =>
        new Promise((resolve, reject) => {
          const t0 = process.hrtime.bigint();
          const req = http.request(zegoUrl('GetTimbreList'), { method: 'POST', agent: readerAgent, headers: { 'content-type': 'application/json' } }, (res) => {
            res.resume();
            res.on('end', () => resolve(Number(process.hrtime.bigint() - t0) / 1e6));
          });
          req.on('error', reject);
          req.end(JSON.stringify({ Offset: Math.max(0, Math.min(ROWS, 1_000_000) - 1000 - ((i * 37) % 100_000)), Limit: 20 }));
        });
      const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
      let written = 0;
      /** Where each write's time goes, when a phase wants them. */
      let writeTimes;
      const write = async (sortOrder, via = base) => {
        const t0 = performance.now();
        const res = await fetch(`${via}/v1/timbres`, {
          method: 'POST',
          headers: admin,
          body: JSON.stringify({ key: `bench_write_${written++}`, name: 'Written while read', sortOrder }),
        });
        if (res.status !== 201) throw new Error(`a write answered ${res.status}: ${await res.text()}`);
        const id = (await res.json()).id;
        writeTimes?.push(performance.now() - t0);
        return id;
      };
      /** Reads for `seconds` (or `until` settles), writing once a second through `writing` (a base URL, or this instance's when true). */
      const readFor = async (seconds, writing, until) => {
        const times = [];
        const end = performance.now() + seconds * 1000;
        let done = false;
        until?.finally(() => (done = true)).catch(() => undefined);
        let writer = Promise.resolve();
        let nextWrite = performance.now() + 500;
        for (let i = 0; until ? !done : performance.now() < end; i++) {
          if (writing && performance.now() >= nextWrite) {
            nextWrite += 1000;
            writer = writer.then(() => write(-1_000_000 - written, writing === true ? base : writing));
          }
          times.push(await readOnce(i));
        }
        await writer;
        return { samples: times.length, p50: median(times), p99: pct(times, 0.99), max: Math.max(...times) };
      };
      await readFor(1, false);
      const quiet = await readFor(WRITE_SECONDS, false);
      const writing = await readFor(WRITE_SECONDS, true);
      // Write → visible at the deepest offset ZEGO pages to (Offset ≤ 1,000,000): a timbre added at the head
      // moves every row one place down, so the row that was at D − 1 must be found at D.
      const visible = [];
      const rowAt = async (offset) =>
        JSON.parse((await post(zegoUrl('GetTimbreList'), JSON.stringify({ Offset: offset, Limit: 1 }))).body).Data?.Timbres?.[0]?.TimbreId;
      for (let i = 0; i < 5; i++) {
        const deepest = Math.min(ROWS + written - 1, 1_000_000);
        const before = await rowAt(deepest - 1);
        await write(-2_000_000_000 + written);
        const t0 = performance.now();
        while ((await rowAt(deepest)) !== before) {
          if (performance.now() - t0 > 20_000) throw new Error('a write was not visible at the deepest offset within 20 s');
        }
        visible.push(performance.now() - t0);
      }
      // Another instance on the same store (a second server: its writes reach this one through the event log,
      // docs/events.md): the same reader beside one write a second made there, then write → visible here.
      const { server: second, base: secondBase } = await startTimbrel(env, 19000 + Math.floor(Math.random() * 1000));
      let elsewhere;
      const visibleElsewhere = [];
      try {
        elsewhere = await readFor(WRITE_SECONDS, secondBase);
        for (let i = 0; i < 5; i++) {
          const deepest = Math.min(ROWS + written - 1, 1_000_000);
          const before = await rowAt(deepest - 1);
          await write(-2_000_000_000 + written, secondBase);
          const t0 = performance.now();
          while ((await rowAt(deepest)) !== before) {
            if (performance.now() - t0 > 20_000) throw new Error("another instance's write was not visible at the deepest offset within 20 s");
          }
          visibleElsewhere.push(performance.now() - t0);
        }
      } finally {
        second.kill('SIGTERM');
      }
      // The same reader and one write a second while a CLI import adds BESIDE_ROWS timbres at the list's end
      // (its transactions hold SQLite's write lock for up to seconds: the server's writes wait, off the event
      // loop), from the import's start to its end.
      const BESIDE_ROWS = Math.min(250_000, Math.floor(ROWS / 4));
      const besideFile = join(work, 'beside.ndjson');
      writeFileSync(
        besideFile,
        Array.from(
          { length: BESIDE_ROWS },
          (_, i) => `{"kind":"timbre","key":"bench_beside_${i}","name":"Imported beside ${i}","sortOrder":${2_000_000_000 + i}}\n`,
        ).join(''),
      );
      const writesBefore = written;
      writeTimes = [];
      const importing = run(process.execPath, [BIN, 'import', besideFile, '--json'], { env, maxBuffer: 1 << 22 }).then(({ stdout }) =>
        JSON.parse(stdout.trim().split('\n').at(-1)),
      );
      const besideStart = performance.now();
      const importBeside = await readFor(0, true, importing);
      const besideImport = await importing;
      rmSync(besideFile, { force: true });
      figures.writesBesideReaders = {
        quiet,
        writing,
        writes: written,
        visibleMs: median(visible),
        visibleMaxMs: Math.max(...visible),
        elsewhere,
        visibleElsewhereMs: median(visibleElsewhere),
        visibleElsewhereMaxMs: Math.max(...visibleElsewhere),
        importBeside: {
          ...importBeside,
          seconds: (performance.now() - besideStart) / 1000,
          rows: besideImport.timbres,
          rowsPerSecond: besideImport.rowsPerSecond,
          writes: written - writesBefore,
          writeP50: median(writeTimes),
          writeMax: Math.max(...writeTimes),
        },
      };
    }
  }
  noteRss('writes');
}
