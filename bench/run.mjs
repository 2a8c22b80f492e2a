// timbrel benchmark: prints figures, never passes or fails on time (docs/benchmarks.md).
// Everything runs against the built CLI and server as separate processes on loopback, on a catalog of
// BENCH_ROWS public timbres (default 1,000,000), and each figure is set against a baseline from the same run.
import { spawn, execFile } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { zegoSignature } from '../dist/dialects/zego/signature.js';
import { ivhSignature } from '../dist/dialects/tencent-ivh/signature.js';

const run = promisify(execFile);
// BENCH_ROWS: one catalog size, or several (comma-separated); a size past 1,000,000 is measured beside
// 1,000,000, so the run prints how the figures move from 1M to it.
const SIZES = (() => {
  const asked = String(process.env.BENCH_ROWS ?? 1_000_000)
    .split(',')
    .map((n) => Number(n.replace(/_/g, '')));
  if (asked.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error('BENCH_ROWS: whole numbers of rows, at least 1,000 each');
  return [...new Set(asked.length === 1 && asked[0] > 1_000_000 ? [1_000_000, asked[0]] : asked)].sort((a, b) => a - b);
})();
let ROWS = SIZES[0];
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
// The throughput comparison: this many alternating rounds per server, each half a load run long.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_SECONDS = Math.max(1, Math.round(DURATION / 2));
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 400);
const work = join(process.cwd(), 'bench/.work');
const BIN = join(process.cwd(), 'bin/timbrel.js');
// PostgreSQL beside SQLite: a fresh database on this server (BENCH_POSTGRES_URL=off skips it).
const PG_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const log = (s) => process.stdout.write(`${s}\n`);
const f = (n, d = 2) => Number(n).toFixed(d);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// ---- 1. catalog file and CLI import -------------------------------------------------------------------
const file = join(work, 'catalog.ndjson');
async function writeCatalog() {
  const out = createWriteStream(file);
  for (let i = 0; i < ROWS; i++) {
    const line = `{"kind":"timbre","key":"voice_${i}","name":"Voice ${i}","description":"Benchmark voice number ${i}","gender":"${i % 2 ? 'male' : 'female'}","languages":["en-US"],"timbreType":"Boutique","driverTypes":["Text"],"image":"https://cdn.example.com/timbres/${i}.png","sample":"https://cdn.example.com/samples/${i}.wav","tags":["bench"],"sortOrder":${i}}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

// Anchors and their looks (issue 15): BENCH_LOOKS digital humans, two a presenter, all public and 3D.
const LOOKS = Number(process.env.BENCH_LOOKS ?? 100_000);
const ANCHORS = Math.ceil(LOOKS / 2);
const lookFile = join(work, 'looks.ndjson');
async function writeLooks() {
  const out = createWriteStream(lookFile);
  for (let i = 0; i < ANCHORS; i++) {
    const line = `{"kind":"anchor","code":"host_${i}","name":"Host ${i}","gender":"${i % 2 ? 'male' : 'female'}","avatarType":"real_man_3d","headerImage":"https://cdn.example.com/anchors/${i}.png","sortOrder":${i}}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  for (let i = 0; i < LOOKS; i++) {
    const a = i % ANCHORS;
    const line = `{"kind":"digitalHuman","name":"Host ${a} look ${i}","anchorCode":"host_${a}","clothesName":"outfit ${i % 7}","poseName":"standing","resolution":"1920x1080","avatarType":"real_man_3d","headerImage":"https://cdn.example.com/looks/${i}.png","driverTypes":["Text"],"actions":[{"code":"wave","name":"Wave","previewVideo":"https://cdn.example.com/a/${i}.mp4"}],"sortOrder":${i}}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

// ---- load helpers -------------------------------------------------------------------------------------
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100); // utime + stime, in clock ticks of 10 ms
};
/**
 * One load run of ROUND_SECONDS against `url` (50 connections); `vary` (optional) gives each request its own
 * body or path: a different page every time, as vendor clients paging through a catalog send them (none is
 * in the page cache twice in a row). Figures: req/s, latency, and the server's CPU time per request.
 */
async function cannon(url, pid, vary, shape) {
  const cpu0 = cpuMs(pid);
  let n = 0;
  const requests = vary ? [{ setupRequest: (req) => ({ ...req, ...vary(n++) }) }] : undefined;
  const result = await autocannon({ url, ...shape, connections: 50, duration: ROUND_SECONDS, requests });
  if (result.non2xx || result.errors) throw new Error(`load run of ${url} had ${result.non2xx} non-2xx and ${result.errors} errors`);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUsPerRequest: ((cpuMs(pid) - cpu0) * 1000) / result.requests.total,
  };
}
/** The medians of a load's rounds. */
const summary = (rs) => ({
  rps: median(rs.map((r) => r.rps)),
  p50: median(rs.map((r) => r.p50)),
  p99: median(rs.map((r) => r.p99)),
  cpuUsPerRequest: median(rs.map((r) => r.cpuUsPerRequest)),
  rounds: rs.map((r) => Math.round(r.rps)),
});
/**
 * The baseline: a bare node:http server on `port` answering, for each path in `bodies`, those bytes
 * (the body of '/' for any other path), with nothing else to do.
 */
async function startBare(port, bodies) {
  const file = join(work, `bare-${port}.json`);
  writeFileSync(file, JSON.stringify(bodies));
  const bare = spawn(
    process.execPath,
    [
      '-e',
      `
    const bodies = Object.fromEntries(Object.entries(JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))).map(([k, v]) => [k, Buffer.from(v)]));
    require('node:http').createServer((req, res) => {
      const body = bodies[req.url.split('?')[0]] ?? bodies['/'];
      req.resume();
      req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }); res.end(body); });
    }).listen(${port}, '127.0.0.1', () => console.log('up'));
  `,
      file,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await once(bare.stdout, 'data');
  return bare;
}

/** `timbrel serve` on `port` with `env`, once it answers /healthz. */
async function startTimbrel(env, port) {
  const server = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  server.stdout.resume();
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${base}/healthz`);
      return { server, base };
    } catch {
      if (i > 1000) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** Every figure on one engine: `engineEnv` names its store (nothing: SQLite in a fresh data dir). */
async function measure(engine, engineEnv) {
  const dataDir = join(work, `data-${engine}-${ROWS}`);
  const env = { ...process.env, TIMBREL_DATA_DIR: dataDir, ...engineEnv };
  const figures = { engine, rows: ROWS };
  log(
    `\n== ${engine}, ${ROWS.toLocaleString('en')} timbres (load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}) ==`,
  );
  figures.loadAverage = loadavg()[0];
  const creds = JSON.parse((await run(process.execPath, [BIN, 'apps', 'create', '--name', 'bench', '--rate-limit', '1000000', '--json'], { env })).stdout);
  const adminToken = (await run(process.execPath, [BIN, 'admin-token', '--rotate'], { env })).stdout.trim();
  const appKey = JSON.parse((await run(process.execPath, [BIN, 'keys', 'create', '--app', 'bench', '--json'], { env })).stdout).key;
  log(`importing ${ROWS.toLocaleString('en')} timbres through the CLI…`);
  const imported = JSON.parse((await run(process.execPath, [BIN, 'import', file, '--json'], { env, maxBuffer: 1 << 20 })).stdout.trim().split('\n').at(-1));
  figures.import = {
    rows: imported.timbres,
    seconds: imported.seconds,
    rowsPerSecond: imported.rowsPerSecond,
    peakRssMB: Math.round(imported.peakRssBytes / 1048576),
  };
  if (LOOKS > 0) {
    log(`importing ${ANCHORS.toLocaleString('en')} anchors and ${LOOKS.toLocaleString('en')} looks through the CLI…`);
    const looks = JSON.parse((await run(process.execPath, [BIN, 'import', lookFile, '--json'], { env, maxBuffer: 1 << 20 })).stdout.trim().split('\n').at(-1));
    figures.lookImport = { anchors: looks.anchors, looks: looks.digitalHumans, seconds: looks.seconds };
  }

  // ---- 2. the server ------------------------------------------------------------------------------------
  const PORT = 18000 + Math.floor(Math.random() * 1000);
  const spawnedAt = performance.now();
  const { server, base } = await startTimbrel(env, PORT);
  const listeningAt = performance.now();

  /** The server's current and peak RSS (MB), noted after each phase to show which one grows it. */
  const rssSteps = [];
  function noteRss(phase) {
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const mb = (k) => Math.round(Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)[1]) / 1024);
    rssSteps.push(`${phase} ${mb('VmRSS')}/${mb('VmHWM')}`);
  }
  noteRss('started');

  function zegoUrl(action) {
    const ts = Math.floor(Date.now() / 1000);
    const nonce = 'be0c4a1f9d2e3b70';
    const sig = zegoSignature(creds.zego.AppId, nonce, creds.zego.ServerSecret, ts);
    return `${base}/?Action=${action}&AppId=${creds.zego.AppId}&SignatureNonce=${nonce}&Timestamp=${ts}&Signature=${sig}&SignatureVersion=2.0`;
  }
  function ivhUrl(path) {
    const params = { appkey: creds.ivh.appkey, timestamp: String(Math.floor(Date.now() / 1000)) };
    return `${base}/v2/ivh/crmserver/customerassetservice/${path}?appkey=${params.appkey}&timestamp=${params.timestamp}&signature=${encodeURIComponent(ivhSignature(params, creds.ivh.accesstoken))}`;
  }

  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  /** One timed request on the single keep-alive connection: its time in ms, status and body. */
  function request(method, url, headers, body) {
    return new Promise((resolve, reject) => {
      const t0 = process.hrtime.bigint();
      const req = http.request(url, { method, agent, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  const post = (url, body) => request('POST', url, { 'content-type': 'application/json' }, body);

  /**
   * p50 of alternating single-connection requests, so both sides see the same machine state. A body may be
   * a function of the sample number: distinct pages are never in timbrel's page cache, so they measure the
   * store's seek itself.
   */
  async function latencyPair(a, b) {
    const body = (side, i) => (typeof side.body === 'function' ? side.body(i) : side.body);
    for (let i = 0; i < 20; i++) {
      await post(a.url, body(a, SAMPLES + i));
      await post(b.url, body(b, SAMPLES + i));
    }
    const ta = [],
      tb = [];
    for (let i = 0; i < SAMPLES; i++) {
      ta.push((await post(a.url, body(a, i))).ms);
      tb.push((await post(b.url, body(b, i))).ms);
    }
    return { a: median(ta), b: median(tb), a99: pct(ta, 0.99), b99: pct(tb, 0.99) };
  }

  // Start-up → first deep answer: the server's first GetTimbreList at Offset 999,980, sent as soon as it
  // listens (its deep-offset index is taken now), while a second connection asks /healthz every 5 ms: the
  // slowest of those answers is what the index costs everybody else meanwhile.
  const deepBody = JSON.stringify({ Offset: Math.min(999_980, ROWS - 20), Limit: 20 });
  const firstBody = JSON.stringify({ Offset: 0, Limit: 20 });
  {
    const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const probe = () =>
      new Promise((resolve, reject) => {
        const t0 = performance.now();
        http.get(`${base}/healthz`, { agent: probeAgent }, (res) => res.resume().on('end', () => resolve(performance.now() - t0))).on('error', reject);
      });
    let answered = false;
    const probes = [];
    const prober = (async () => {
      while (!answered) {
        probes.push(await probe());
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const t0 = performance.now();
    const first = await post(zegoUrl('GetTimbreList'), deepBody);
    const firstDeepMs = performance.now() - t0;
    answered = true;
    await prober;
    probeAgent.destroy();
    if (first.status !== 200 || JSON.parse(first.body).Code !== 0) throw new Error(`unexpected first deep answer: ${first.body.slice(0, 300)}`);
    figures.startup = {
      listenMs: listeningAt - spawnedAt,
      firstDeepMs,
      sinceSpawnMs: performance.now() - spawnedAt,
      probes: probes.length,
      probeMaxMs: Math.max(0, ...probes),
    };
  }
  // Sanity: the deep page is the right page.
  const deep = JSON.parse((await post(zegoUrl('GetTimbreList'), deepBody)).body);
  if (deep.Code !== 0 || deep.Data.Total !== ROWS || deep.Data.Timbres.length !== 20) {
    throw new Error(`unexpected deep page: ${JSON.stringify(deep).slice(0, 300)}`);
  }

  // ---- 3. deep offsets ---------------------------------------------------------------------------------
  {
    const url = zegoUrl('GetTimbreList');
    const r = await latencyPair({ url, body: firstBody }, { url, body: deepBody });
    figures.zegoDeepOffset = { p50FirstMs: r.a, p50DeepMs: r.b, ratio: r.b / r.a };
    // Every request a different page: Offsets 0, 20, 40, … against 999,980, 999,960, … (no cache hits).
    const cold = await latencyPair(
      { url, body: (i) => JSON.stringify({ Offset: i * 20, Limit: 20 }) },
      { url, body: (i) => JSON.stringify({ Offset: Math.max(0, Math.min(ROWS - 20, 999_980) - i * 20), Limit: 20 }) },
    );
    figures.zegoDeepOffsetUncached = { p50FirstMs: cold.a, p50DeepMs: cold.b, ratio: cold.b / cold.a };
  }
  {
    const url = ivhUrl('describetimbre');
    const lastPage = Math.ceil(ROWS / 100);
    const first = JSON.stringify({ Header: {}, Payload: { PageIndex: 1, PageSize: 100 } });
    const last = JSON.stringify({ Header: {}, Payload: { PageIndex: lastPage, PageSize: 100 } });
    const check = JSON.parse((await post(url, last)).body);
    if (check.Header.Code !== 0 || check.Payload.TimbreAssets.length === 0) throw new Error(`unexpected last page: ${JSON.stringify(check).slice(0, 300)}`);
    const r = await latencyPair({ url, body: first }, { url, body: last });
    figures.ivhLastPage = { p50FirstMs: r.a, p50LastMs: r.b, ratio: r.b / r.a };
    const page = (n) => JSON.stringify({ Header: {}, Payload: { PageIndex: n, PageSize: 100 } });
    const cold = await latencyPair({ url, body: (i) => page(1 + i) }, { url, body: (i) => page(Math.max(1, lastPage - i)) });
    figures.ivhLastPageUncached = { p50FirstMs: cold.a, p50LastMs: cold.b, ratio: cold.b / cold.a };
  }

  // Anchors (issue 15): getanchor over the presenters and getimagebyanchor over their looks, last page ÷
  // first page (PageSize 100), the same page each time and a different page each time.
  if (LOOKS > 0) {
    const pages = async (path, count, payload, listed) => {
      const url = ivhUrl(path);
      const last = Math.ceil(count / 100);
      const body = (n) => JSON.stringify({ Header: {}, Payload: { ...payload, PageIndex: n, PageSize: 100 } });
      const check = JSON.parse((await post(url, body(last))).body);
      if (check.Header.Code !== 0 || check.Payload.Total !== count || check.Payload[listed].length === 0)
        throw new Error(`unexpected last ${path} page: ${JSON.stringify(check).slice(0, 300)}`);
      const r = await latencyPair({ url, body: body(1) }, { url, body: body(last) });
      const cold = await latencyPair({ url, body: (i) => body(1 + i) }, { url, body: (i) => body(Math.max(1, last - i)) });
      return { p50FirstMs: r.a, p50LastMs: r.b, ratio: r.b / r.a, uncached: { p50FirstMs: cold.a, p50LastMs: cold.b, ratio: cold.b / cold.a } };
    };
    figures.anchors = {
      getanchor: await pages('getanchor', ANCHORS, { VirtualmanTypeCode: 'real_man_3d' }, 'Virtualmans'),
      getimagebyanchor: await pages('getimagebyanchor', LOOKS, { VirtualmanTypeCode: 'real_man_3d' }, 'Virtualmans'),
    };
  }

  noteRss('deep offsets');

  // ---- 3a. writes beside readers ----------------------------------------------------------------------
  // A reader pages deep on its own connection (a different page each time, so no page-cache hit), for
  // WRITE_SECONDS without writes and WRITE_SECONDS with one write a second through /v1 (a new public
  // timbre at the head of the list: every offset after it moves). Then, write → visible at the deepest
  // offset: a timbre added at the list's end, polled for at Offset total − 1 until it is there.
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
    const write = async (sortOrder) => {
      const t0 = performance.now();
      const res = await fetch(`${base}/v1/timbres`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ key: `bench_write_${written++}`, name: 'Written while read', sortOrder }),
      });
      if (res.status !== 201) throw new Error(`a write answered ${res.status}: ${await res.text()}`);
      const id = (await res.json()).id;
      writeTimes?.push(performance.now() - t0);
      return id;
    };
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
          writer = writer.then(() => write(-1_000_000 - written));
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
  noteRss('writes');

  // ---- 3b. the native API: search with filters, and cursor paging -------------------------------------
  const get = (url) => request('GET', url, { authorization: `Bearer ${adminToken}` });
  {
    // q + two filters, each request a different name (no two alike, so nothing is served from a cache).
    const search = (i) =>
      `${base}/v1/timbres?q=${encodeURIComponent(`voice ${(i * 7919) % ROWS}`)}&gender=${i % 2 ? 'male' : 'female'}&language=en-US&limit=20`;
    const check = JSON.parse((await get(search(1))).body);
    if (!check.items || check.items.length < 1) throw new Error(`unexpected search answer: ${JSON.stringify(check).slice(0, 300)}`);
    const times = [];
    for (let i = 0; i < 5; i++) await get(search(SAMPLES + i));
    const n = Math.min(SAMPLES, 200);
    for (let i = 0; i < n; i++) times.push((await get(search(i))).ms);
    figures.nativeSearch = { samples: n, p50Ms: median(times), p99Ms: pct(times, 0.99) };
    noteRss('searches');

    // Walk every page with limit=100 to the last cursor, then time the first page against the last.
    let cursor = null;
    let last = null;
    let pages = 0;
    const walkStart = performance.now();
    for (;;) {
      const page = JSON.parse((await get(`${base}/v1/timbres?limit=100${cursor ? `&cursor=${cursor}` : ''}`)).body);
      pages++;
      if (!page.nextCursor) break;
      last = cursor = page.nextCursor;
    }
    const walkSeconds = (performance.now() - walkStart) / 1000;
    const first = `${base}/v1/timbres?limit=100`;
    const lastUrl = `${base}/v1/timbres?limit=100&cursor=${last}`;
    const ta = [],
      tb = [];
    for (let i = 0; i < SAMPLES; i++) {
      ta.push((await get(first)).ms);
      tb.push((await get(lastUrl)).ms);
    }
    figures.nativeCursor = { pages, walkSeconds, p50FirstMs: median(ta), p50LastMs: median(tb), ratio: median(tb) / median(ta) };
    noteRss('cursor walk');
  }

  // ---- 4. throughput against a bare Node http server ----------------------------------------------------
  // The load generator shares the machine with the server, and the machine's speed drifts from one run to
  // the next: the two servers are loaded in alternating rounds (both are up; an idle one costs nothing)
  // and the medians compared. Each server's CPU time per request (user + system, from /proc) is printed too.
  const firstPage = (await post(zegoUrl('GetTimbreList'), firstBody)).body;
  const BARE_PORT = PORT + 1;
  // The new dialects' cached pages (issue 17): the same page every time; the bare server answers their bytes too.
  const elevenlabsPath = '/elevenlabs/v2/voices?page_size=20';
  const heygenPath = '/heygen/v2/avatar_group/host_0/avatars';
  const keyed = (header) => ({ method: 'GET', headers: { [header]: appKey } });
  const fetchOk = async (path, header) => {
    const res = await request('GET', `${base}${path}`, { [header]: appKey });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${res.body.slice(0, 300)}`);
    return res.body;
  };
  const bareBodies = { '/': firstPage, [elevenlabsPath.split('?')[0]]: await fetchOk(elevenlabsPath, 'xi-api-key') };
  if (LOOKS > 0) bareBodies[heygenPath] = await fetchOk(heygenPath, 'x-api-key');
  const bare = await startBare(BARE_PORT, bareBodies);
  // nginx (when installed) answering the same bytes: the physical limit of this machine's loopback HTTP,
  // beside which bare node:http is itself a ratio. One worker process, as timbrel runs one.
  const nginx = await startNginx(BARE_PORT + 1, firstPage);
  // Pseudo-random pages, the same sequence in every run.
  const spread = (i, n) => (i * 2654435761) % n;
  const lastOffset = Math.min(ROWS - 20, 1_000_000);
  const varied = {
    zegoRandom: () => ({ url: zegoUrl('GetTimbreList'), vary: (i) => ({ body: JSON.stringify({ Offset: spread(i, lastOffset), Limit: 20 }) }) }),
    ivhRandom: () => ({
      url: ivhUrl('describetimbre'),
      vary: (i) => ({ body: JSON.stringify({ Header: {}, Payload: { PageIndex: 1 + spread(i, Math.ceil(ROWS / 20)), PageSize: 20 } }) }),
    }),
    nativeList: () => ({
      url: `${base}/v1/timbres?limit=20`,
      // An app's key; a first page, a filter, or a page after a cursor.
      vary: (i) => ({ path: nativePaths[i % nativePaths.length] }),
      shape: { method: 'GET', headers: { authorization: `Bearer ${appKey}` } },
    }),
  };
  // ElevenLabs' library by page number and HeyGen's groups by code: a different page every request.
  varied.elevenlabsRandom = () => ({
    url: `${base}/elevenlabs/v1/shared-voices?page_size=20`,
    vary: (i) => ({ path: `/elevenlabs/v1/shared-voices?page_size=20&page=${spread(i, Math.floor(lastOffset / 20))}` }),
    shape: keyed('xi-api-key'),
  });
  if (LOOKS > 0)
    varied.heygenRandom = () => ({
      url: `${base}${heygenPath}`,
      vary: (i) => ({ path: `/heygen/v2/avatar_group/host_${spread(i, ANCHORS)}/avatars` }),
      shape: keyed('x-api-key'),
    });
  const nativePaths = ['/v1/timbres?limit=20', '/v1/timbres?limit=20&gender=male', '/v1/timbres?limit=20&owner=public&timbreType=Boutique'];
  // Cursors of the catalog order, 30 pages apart from the start.
  for (let i = 0, cursor = null; i < 30 * 30; i++) {
    const page = JSON.parse(
      (await request('GET', `${base}/v1/timbres?limit=20${cursor ? `&cursor=${cursor}` : ''}`, { authorization: `Bearer ${appKey}` })).body,
    );
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
    if (i % 30 === 29) nativePaths.push(`/v1/timbres?limit=20&cursor=${cursor}`);
  }
  const zegoShape = { method: 'POST', body: firstBody, headers: { 'content-type': 'application/json' } };
  const kinds = ['zegoRandom', 'ivhRandom', 'nativeList', 'elevenlabsRandom', ...(LOOKS > 0 ? ['heygenRandom'] : [])];
  const rounds = {
    timbrel: [],
    bare: [],
    nginx: [],
    elevenlabs: [],
    elevenlabsBare: [],
    heygen: [],
    heygenBare: [],
    ...Object.fromEntries(kinds.map((k) => [k, []])),
  };
  for (let i = 0; i < ROUNDS; i++) {
    // A fresh signature each round: a signed URL is good for ±600 s.
    rounds.timbrel.push(await cannon(zegoUrl('GetTimbreList'), server.pid, undefined, zegoShape));
    rounds.bare.push(await cannon(`http://127.0.0.1:${BARE_PORT}/`, bare.pid, undefined, zegoShape));
    if (nginx) rounds.nginx.push(await cannon(`http://127.0.0.1:${nginx.port}/`, nginx.workerPid, undefined, zegoShape));
    rounds.elevenlabs.push(await cannon(`${base}${elevenlabsPath}`, server.pid, undefined, keyed('xi-api-key')));
    rounds.elevenlabsBare.push(await cannon(`http://127.0.0.1:${BARE_PORT}${elevenlabsPath}`, bare.pid, undefined, keyed('xi-api-key')));
    if (LOOKS > 0) {
      rounds.heygen.push(await cannon(`${base}${heygenPath}`, server.pid, undefined, keyed('x-api-key')));
      rounds.heygenBare.push(await cannon(`http://127.0.0.1:${BARE_PORT}${heygenPath}`, bare.pid, undefined, keyed('x-api-key')));
    }
    for (const kind of kinds) {
      const v = varied[kind]();
      rounds[kind].push(await cannon(v.url, server.pid, v.vary, v.shape ?? zegoShape));
    }
  }
  bare.kill();
  nginx?.stop();
  noteRss('load');
  const rss = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024;
  server.kill('SIGTERM');
  await once(server, 'exit');
  const timbrel = summary(rounds.timbrel);
  const baseline = summary(rounds.bare);

  figures.throughput = {
    responseBytes: Buffer.byteLength(firstPage),
    timbrel: timbrel,
    bareNodeHttp: baseline,
    ratio: timbrel.rps / baseline.rps,
    roundRatios: rounds.timbrel.map((r, i) => r.rps / rounds.bare[i].rps),
  };
  if (nginx)
    figures.throughput.nginx = {
      ...summary(rounds.nginx),
      bareRatio: median(rounds.bare.map((r, i) => r.rps / rounds.nginx[i].rps)),
      ratio: median(rounds.timbrel.map((r, i) => r.rps / rounds.nginx[i].rps)),
    };
  // Each varied load against the bare server's round beside it.
  for (const kind of ['zegoRandom', 'ivhRandom', 'nativeList']) {
    figures.throughput[kind] = { ...summary(rounds[kind]), ratio: median(rounds[kind].map((r, i) => r.rps / rounds.bare[i].rps)) };
  }
  // The new dialects: each against the bare server answering its cached page's bytes.
  const against = (rs, bases) => ({ ...summary(rs), ratio: median(rs.map((r, i) => r.rps / bases[i].rps)) });
  figures.throughput.elevenlabs = {
    bytes: Buffer.byteLength(bareBodies[elevenlabsPath.split('?')[0]]),
    cached: against(rounds.elevenlabs, rounds.elevenlabsBare),
    random: against(rounds.elevenlabsRandom, rounds.elevenlabsBare),
  };
  if (LOOKS > 0)
    figures.throughput.heygen = {
      bytes: Buffer.byteLength(bareBodies[heygenPath]),
      cached: against(rounds.heygen, rounds.heygenBare),
      random: against(rounds.heygenRandom, rounds.heygenBare),
    };
  rmSync(dataDir, { recursive: true, force: true });
  figures.serverPeakRssMB = Math.round(rss);
  figures.rssSteps = rssSteps;
  report(figures);
  return figures;
}

/**
 * nginx on `port` answering `body` to any request, or undefined when this machine has no nginx. Its
 * worker's pid is what the CPU figures read.
 */
async function startNginx(port, body) {
  const bin = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'].find((p) => existsSync(p));
  if (!bin) {
    log('nginx is not installed: the physical-limit anchor is left out (apt-get install nginx-light)');
    return undefined;
  }
  const dir = join(work, `nginx-${port}`);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const quoted = `'${body.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  writeFileSync(
    join(dir, 'nginx.conf'),
    `
worker_processes 1;
daemon off;
master_process on;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs/error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port};
    location / { default_type 'application/json; charset=utf-8'; return 200 ${quoted}; }
  }
}
`,
  );
  const master = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' });
      if ((await res.text()) !== body) throw new Error('nginx answers other bytes than bare node:http');
      break;
    } catch (err) {
      if (i > 100 || master.exitCode !== null) throw new Error(`nginx did not start: ${err.message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const workerPid = Number(readFileSync(`/proc/${master.pid}/task/${master.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
  return { port, workerPid, stop: () => master.kill('SIGQUIT') };
}

const results = [];
// BENCH_ONLY=gateway: only the gateway's figures (relay and sync), a minute instead of half an hour.
const ONLY = process.env.BENCH_ONLY ?? '';
if (ONLY !== 'gateway' && LOOKS > 0) await writeLooks();
for (const size of ONLY === 'gateway' ? [] : SIZES) {
  ROWS = size;
  log(`\nwriting a catalog of ${ROWS.toLocaleString('en')} timbres…`);
  await writeCatalog();
  results.push(await measure('SQLite', {}));
  if (PG_URL !== 'off') await measurePostgres();
}

async function measurePostgres() {
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: PG_URL });
  const name = `timbrel_bench_${process.pid}`;
  let created = false;
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    created = true;
  } catch (err) {
    log(`\nPostgreSQL at ${PG_URL} is not reachable (${err.message}): its figures are skipped.`);
  }
  if (created) {
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    try {
      results.push(await measure('PostgreSQL', { DATABASE_URL: url.toString() }));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
}
if (results.length > 1) sideBySide(results);
const unpaged = ONLY === 'gateway' ? undefined : await measureUnpaged();
const gateway = await measureGateway();

/**
 * The unpaged lists (OpenAI's voices, ElevenLabs' legacy /v1/voices, HeyGen's voices and avatars) answer a
 * whole catalog, and refuse one past TIMBREL_UNPAGED_MAX: measured on a small catalog of their own (40
 * voices, 8 presenters with 16 looks and a default voice each, as an app's voice picker sees it), each
 * against the bare server answering the same bytes. SQLite, cached answers.
 */
async function measureUnpaged() {
  const dataDir = join(work, 'data-unpaged');
  const env = { ...process.env, TIMBREL_DATA_DIR: dataDir };
  log(
    `\n== unpaged lists, SQLite, 40 voices and 16 looks (load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}) ==`,
  );
  await run(process.execPath, [BIN, 'apps', 'create', '--name', 'bench', '--rate-limit', '1000000', '--json'], { env });
  const appKey = JSON.parse((await run(process.execPath, [BIN, 'keys', 'create', '--app', 'bench', '--json'], { env })).stdout).key;
  const small = join(work, 'small.ndjson');
  const lines = [];
  for (let i = 0; i < 40; i++)
    lines.push({
      kind: 'timbre',
      key: `voice_${i}`,
      name: `Voice ${i}`,
      description: `A voice for the picker, number ${i}`,
      gender: i % 2 ? 'male' : 'female',
      languages: [['en-US'], ['zh-CN'], ['en-GB', 'fr-FR']][i % 3],
      accent: 'neutral',
      age: 'young',
      useCases: ['narration'],
      sample: `https://cdn.example.com/samples/${i}.wav`,
      sortOrder: i,
    });
  for (let i = 0; i < 8; i++)
    lines.push({
      kind: 'anchor',
      code: `host_${i}`,
      name: `Host ${i}`,
      gender: i % 2 ? 'male' : 'female',
      avatarType: 'real_man_2d',
      headerImage: `https://cdn.example.com/anchors/${i}.png`,
      sortOrder: i,
    });
  const lookId = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  for (let i = 0; i < 16; i++)
    lines.push({
      kind: 'digitalHuman',
      id: lookId(i),
      name: `Host ${i % 8} look ${i}`,
      anchorCode: `host_${i % 8}`,
      avatarType: 'real_man_2d',
      headerImage: `https://cdn.example.com/looks/${i}.png`,
      actions: [{ code: 'wave', previewVideo: `https://cdn.example.com/a/${i}.mp4` }],
      sortOrder: i,
    });
  for (let i = 0; i < 16; i++) lines.push({ kind: 'binding', digitalHuman: lookId(i), timbre: `voice_${i}`, isDefault: true });
  writeFileSync(small, lines.map((l) => JSON.stringify(l)).join('\n'));
  await run(process.execPath, [BIN, 'import', small, '--json'], { env });
  const PORT = 19000 + Math.floor(Math.random() * 1000);
  const { server, base } = await startTimbrel(env, PORT);
  const lists = [
    ['OpenAI voices', '/openai/v1/audio/voices', { authorization: `Bearer ${appKey}` }],
    ['ElevenLabs /v1/voices', '/elevenlabs/v1/voices', { 'xi-api-key': appKey }],
    ['HeyGen voices', '/heygen/v2/voices', { 'x-api-key': appKey }],
    ['HeyGen avatars', '/heygen/v2/avatars', { 'x-api-key': appKey }],
  ];
  const bodies = {};
  for (const [, path, headers] of lists) {
    const res = await fetch(`${base}${path}`, { headers });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    bodies[path] = await res.text();
  }
  bodies['/'] = bodies[lists[0][1]];
  const bare = await startBare(PORT + 1, bodies);
  const rounds = Object.fromEntries(lists.map(([label]) => [label, { timbrel: [], bare: [] }]));
  for (let i = 0; i < ROUNDS; i++) {
    for (const [label, path, headers] of lists) {
      rounds[label].timbrel.push(await cannon(`${base}${path}`, server.pid, undefined, { method: 'GET', headers }));
      rounds[label].bare.push(await cannon(`http://127.0.0.1:${PORT + 1}${path}`, bare.pid, undefined, { method: 'GET', headers }));
    }
  }
  bare.kill();
  server.kill('SIGTERM');
  await once(server, 'exit');
  rmSync(dataDir, { recursive: true, force: true });
  const out = lists.map(([label, path]) => {
    const r = rounds[label];
    return {
      label,
      path,
      bytes: Buffer.byteLength(bodies[path]),
      timbrel: summary(r.timbrel),
      bare: summary(r.bare),
      ratio: median(r.timbrel.map((x, i) => x.rps / r.bare[i].rps)),
    };
  });
  log('');
  for (const x of out) {
    log(
      `${x.label.padEnd(22)}${Math.round(x.timbrel.rps).toLocaleString('en')} req/s, p99 ${x.timbrel.p99} ms, ${f(x.timbrel.cpuUsPerRequest, 1)} µs server CPU/request; bare ${Math.round(x.bare.rps).toLocaleString('en')} req/s; ÷ bare ${f(x.ratio)} (target ≥ 0.5; ${x.bytes.toLocaleString('en')} bytes, the same answer each time)`,
    );
  }
  return out;
}
log('');
log(JSON.stringify({ results, unpaged, gateway }));

/**
 * The gateway (docs/gateway.md). Relay: a streaming call (ZEGO DriveByText) relayed through timbrel to a
 * vendor stand-in (bare node:http answering ZEGO's envelope), against the same client calling that stand-in
 * directly; the ratio is what the relay leaves of the vendor's own throughput on this machine, and the CPU
 * figure what one relayed call costs timbrel. Sync: `timbrel sync` of an app whose vendor is a second
 * timbrel server holding BENCH_SYNC_ROWS public timbres (default 20,000) and 500 digital humans, the
 * upstream's limit raised; rows/s of the first sync, and the seconds of a second one (which writes nothing).
 */
async function measureGateway() {
  const vendorSecret = 'benchVendorSecretBenchVendor0001';
  const vendorAppId = 770077;
  const PORT = 21000 + Math.floor(Math.random() * 1000);
  log(
    `\n== gateway: relay and sync, SQLite (load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}) ==`,
  );
  // Relay.
  const answer = JSON.stringify({ Code: 0, Message: 'success', RequestId: 'bench', Data: { DriveId: 'drive-0001' } });
  const stand = await startBare(PORT + 1, { '/': answer });
  const relayDir = join(work, 'data-relay');
  const relayEnv = { ...process.env, TIMBREL_DATA_DIR: relayDir, TIMBREL_UPSTREAM_ALLOW_HTTP: `127.0.0.1:${PORT + 1}`, TIMBREL_LOG_LEVEL: 'warn' };
  const app = JSON.parse(
    (await run(process.execPath, [BIN, 'apps', 'create', '--name', 'bench', '--rate-limit', '1000000', '--json'], { env: relayEnv })).stdout,
  );
  await run(
    process.execPath,
    [
      BIN,
      'apps',
      'upstream',
      'set',
      'bench',
      'zego',
      '--url',
      `http://127.0.0.1:${PORT + 1}`,
      '--app-id',
      String(vendorAppId),
      '--server-secret',
      vendorSecret,
    ],
    { env: relayEnv },
  );
  const { server, base } = await startTimbrel(relayEnv, PORT);
  const signed = () => {
    const ts = Math.floor(Date.now() / 1000);
    const nonce = Math.random().toString(16).slice(2, 18);
    return `/?Action=DriveByText&AppId=${app.zego.AppId}&SignatureNonce=${nonce}&Timestamp=${ts}&Signature=${zegoSignature(app.zego.AppId, nonce, app.zego.ServerSecret, ts)}&SignatureVersion=2.0`;
  };
  const shape = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ TaskId: 'task-0001', Text: 'hello' }) };
  const relayed = [];
  const direct = [];
  for (let i = 0; i < ROUNDS; i++) {
    relayed.push(await cannon(`${base}/`, server.pid, () => ({ path: signed() }), shape));
    direct.push(await cannon(`http://127.0.0.1:${PORT + 1}/`, stand.pid, () => ({ path: signed() }), shape));
  }
  const metrics = await (await fetch(`${base}/metrics`)).text();
  server.kill('SIGTERM');
  await once(server, 'exit');
  stand.kill();
  rmSync(relayDir, { recursive: true, force: true });
  const relay = {
    timbrel: summary(relayed),
    direct: summary(direct),
    ratio: median(relayed.map((x, i) => x.rps / direct[i].rps)),
    failed: [...metrics.matchAll(/timbrel_upstream_requests_total\{dialect="zego",outcome="(?:unreachable|timeout|invalid)"\} (\d+)/g)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    ),
    cutByLoadTool: Number(/timbrel_upstream_requests_total\{dialect="zego",outcome="aborted"\} (\d+)/.exec(metrics)?.[1] ?? 0),
  };
  log(
    `relayed DriveByText   ${Math.round(relay.timbrel.rps).toLocaleString('en')} req/s, p50 ${relay.timbrel.p50} ms, p99 ${relay.timbrel.p99} ms, ${f(relay.timbrel.cpuUsPerRequest, 1)} µs timbrel CPU/call; the vendor stand-in directly ${Math.round(relay.direct.rps).toLocaleString('en')} req/s; relayed ÷ direct ${f(relay.ratio)} (50 connections; ${relay.failed} relay failures; ${relay.cutByLoadTool} calls in flight when the load tool closed its connections)`,
  );

  // Sync.
  const rows = Number(process.env.BENCH_SYNC_ROWS ?? 20_000);
  const vendorDir = join(work, 'data-vendor');
  const vendorEnv = { ...process.env, TIMBREL_DATA_DIR: vendorDir, TIMBREL_LOG_LEVEL: 'warn' };
  await run(
    process.execPath,
    [
      BIN,
      'apps',
      'create',
      '--name',
      'vendor',
      '--rate-limit',
      '1000000',
      '--zego-app-id',
      String(vendorAppId),
      '--zego-server-secret',
      vendorSecret,
      '--json',
    ],
    { env: vendorEnv },
  );
  const file = join(work, 'vendor.ndjson');
  const lines = [];
  for (let i = 0; i < 500; i++)
    lines.push({
      kind: 'digitalHuman',
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: `Look ${i}`,
      actions: [{ code: 'wave' }],
      sortOrder: i % 7,
    });
  for (let i = 0; i < rows; i++) lines.push({ kind: 'timbre', key: `voice_${i}`, name: `Voice ${i}`, sortOrder: i % 11 });
  for (let i = 0; i < 500; i++)
    lines.push(
      { kind: 'timbre', owner: 'vendor', key: `own_${i}`, name: `Own ${i}` },
      { kind: 'binding', owner: 'vendor', digitalHuman: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, timbre: `own_${i}` },
    );
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
  await run(process.execPath, [BIN, 'import', file, '--json'], { env: vendorEnv });
  const vendor = await startTimbrel(vendorEnv, PORT + 2);
  const syncDir = join(work, 'data-sync');
  const syncEnv = { ...process.env, TIMBREL_DATA_DIR: syncDir, TIMBREL_UPSTREAM_ALLOW_HTTP: `127.0.0.1:${PORT + 2}`, TIMBREL_LOG_LEVEL: 'warn' };
  await run(process.execPath, [BIN, 'apps', 'create', '--name', 'shop', '--json'], { env: syncEnv });
  await run(
    process.execPath,
    [
      BIN,
      'apps',
      'upstream',
      'set',
      'shop',
      'zego',
      '--url',
      vendor.base,
      '--app-id',
      String(vendorAppId),
      '--server-secret',
      vendorSecret,
      '--rate-limit',
      '100000',
    ],
    { env: syncEnv },
  );
  const timed = async () => {
    const t0 = performance.now();
    const { stdout } = await run(process.execPath, [BIN, 'sync', 'shop', '--json'], { env: syncEnv, maxBuffer: 1 << 26 });
    return { seconds: (performance.now() - t0) / 1000, report: JSON.parse(stdout.trim().split('\n').at(-1)) };
  };
  const first = await timed();
  const second = await timed();
  vendor.server.kill('SIGTERM');
  await once(vendor.server, 'exit');
  rmSync(vendorDir, { recursive: true, force: true });
  rmSync(syncDir, { recursive: true, force: true });
  const written = first.report.created + first.report.updated;
  const sync = {
    rows: written,
    requests: first.report.pages,
    seconds: first.seconds,
    rowsPerSecond: Math.round(written / first.seconds),
    secondSyncSeconds: second.seconds,
    secondSyncWrites: second.report.created + second.report.updated + second.report.retired + second.report.restored,
    outcome: first.report.outcome,
  };
  log(
    `timbrel sync (ZEGO)   ${written.toLocaleString('en')} rows in ${f(first.seconds, 1)} s = ${sync.rowsPerSecond.toLocaleString('en')} rows/s over ${sync.requests.toLocaleString('en')} requests (target ≥ 2,000; process start included); second sync ${f(second.seconds, 1)} s, ${sync.secondSyncWrites} writes`,
  );
  return { relay, sync };
}

// ---- report -------------------------------------------------------------------------------------------
function report(figures) {
  const t = figures.throughput;
  log('');
  log(
    `timbrel benchmark — ${ROWS.toLocaleString('en')} public timbres, ${figures.engine}, Node ${process.version}, load: ${ROUNDS} alternating ${ROUND_SECONDS} s rounds per server`,
  );
  log('');
  log(
    `CLI import            ${figures.import.rows.toLocaleString('en')} rows in ${f(figures.import.seconds)} s = ${figures.import.rowsPerSecond.toLocaleString('en')} rows/s (target ≥ 50,000); peak RSS ${figures.import.peakRssMB} MB (target ≤ 300)`,
  );
  const perRound = (x) => x.rounds.map((n) => n.toLocaleString('en')).join(', ');
  log(
    `GetTimbreList signed  ${Math.round(t.timbrel.rps).toLocaleString('en')} req/s, p50 ${t.timbrel.p50} ms, p99 ${t.timbrel.p99} ms, ${f(t.timbrel.cpuUsPerRequest, 1)} µs server CPU/request (50 connections; medians of ${ROUNDS} rounds: ${perRound(t.timbrel)})`,
  );
  log(
    `bare node:http        ${Math.round(t.bareNodeHttp.rps).toLocaleString('en')} req/s, p50 ${t.bareNodeHttp.p50} ms, p99 ${t.bareNodeHttp.p99} ms, ${f(t.bareNodeHttp.cpuUsPerRequest, 1)} µs server CPU/request (same ${t.responseBytes}-byte JSON; rounds: ${perRound(t.bareNodeHttp)})`,
  );
  log(`  ratio               ${f(t.ratio)} (target ≥ 0.8); round by round ${t.roundRatios.map((r) => f(r)).join(', ')}`);
  if (t.nginx)
    log(
      `nginx, same bytes     ${Math.round(t.nginx.rps).toLocaleString('en')} req/s, ${f(t.nginx.cpuUsPerRequest, 1)} µs worker CPU/request; bare node:http ÷ nginx ${f(t.nginx.bareRatio)}, timbrel ÷ nginx ${f(t.nginx.ratio)} (the machine's physical limit)`,
    );
  for (const [kind, label, target] of [
    ['zegoRandom', 'GetTimbreList random', 0.5],
    ['ivhRandom', 'describetimbre random', 0.5],
    ['nativeList', '/v1/timbres app key', 0.3],
  ]) {
    const x = t[kind];
    log(
      `${label.padEnd(22)}${Math.round(x.rps).toLocaleString('en')} req/s, p99 ${x.p99} ms, ${f(x.cpuUsPerRequest, 1)} µs server CPU/request; ÷ bare ${f(x.ratio)} (target ≥ ${target}; a different page on every request)`,
    );
  }
  for (const [name, label, x] of [
    ['ElevenLabs', '/v2/voices', t.elevenlabs],
    ['HeyGen', 'group looks', t.heygen],
  ]) {
    if (!x) continue;
    log(
      `${`${name} ${label}`.padEnd(22)}cached ${Math.round(x.cached.rps).toLocaleString('en')} req/s, ${f(x.cached.cpuUsPerRequest, 1)} µs CPU/request, ÷ bare ${f(x.cached.ratio)} (target ≥ 0.5; bare answers the same ${x.bytes.toLocaleString('en')} bytes); random ${Math.round(x.random.rps).toLocaleString('en')} req/s, ÷ bare ${f(x.random.ratio)} (${name === 'HeyGen' ? "a random presenter's looks" : 'a random library page by number'})`,
    );
  }
  log(
    `GetTimbreList p50     Offset 0: ${f(figures.zegoDeepOffset.p50FirstMs, 3)} ms, Offset ${Math.min(999_980, figures.rows - 20).toLocaleString('en')}: ${f(figures.zegoDeepOffset.p50DeepMs, 3)} ms, ratio ${f(figures.zegoDeepOffset.ratio)} (target ≤ 2)`,
  );
  log(
    `  distinct pages      near Offset 0: ${f(figures.zegoDeepOffsetUncached.p50FirstMs, 3)} ms, near Offset ${Math.min(999_980, figures.rows - 20).toLocaleString('en')}: ${f(figures.zegoDeepOffsetUncached.p50DeepMs, 3)} ms, ratio ${f(figures.zegoDeepOffsetUncached.ratio)} (no page-cache hits)`,
  );
  log(
    `describetimbre p50    page 1: ${f(figures.ivhLastPage.p50FirstMs, 3)} ms, last page: ${f(figures.ivhLastPage.p50LastMs, 3)} ms, ratio ${f(figures.ivhLastPage.ratio)} (target ≤ 2)`,
  );
  log(
    `  distinct pages      first pages: ${f(figures.ivhLastPageUncached.p50FirstMs, 3)} ms, last pages: ${f(figures.ivhLastPageUncached.p50LastMs, 3)} ms, ratio ${f(figures.ivhLastPageUncached.ratio)} (no page-cache hits)`,
  );
  if (figures.anchors) {
    log(
      `anchors import        ${figures.lookImport.anchors.toLocaleString('en')} anchors + ${figures.lookImport.looks.toLocaleString('en')} looks in ${f(figures.lookImport.seconds, 1)} s`,
    );
    for (const path of ['getanchor', 'getimagebyanchor']) {
      const x = figures.anchors[path];
      log(
        `${`${path} p50`.padEnd(22)}page 1: ${f(x.p50FirstMs, 3)} ms, last page: ${f(x.p50LastMs, 3)} ms, ratio ${f(x.ratio)} (target ≤ 2); distinct pages ${f(x.uncached.p50FirstMs, 3)} / ${f(x.uncached.p50LastMs, 3)} ms, ratio ${f(x.uncached.ratio)}`,
      );
    }
  }
  const st = figures.startup;
  log(
    `start-up              listening ${f(st.listenMs, 0)} ms after spawn; first deep answer (Offset ${Math.min(999_980, figures.rows - 20).toLocaleString('en')}) ${f(st.firstDeepMs, 0)} ms after listening (target ≤ 1,000 ms); /healthz meanwhile: ${st.probes} answers, slowest ${f(st.probeMaxMs, 1)} ms`,
  );
  const w = figures.writesBesideReaders;
  log(
    `reader, deep pages    p50 / p99 / max ${f(w.quiet.p50, 2)} / ${f(w.quiet.p99, 2)} / ${f(w.quiet.max, 1)} ms alone; ${f(w.writing.p50, 2)} / ${f(w.writing.p99, 2)} / ${f(w.writing.max, 1)} ms with one write a second through /v1 (target p99 ≤ 20 ms); p99 ratio ${f(w.writing.p99 / w.quiet.p99)}`,
  );
  const ib = w.importBeside;
  log(
    `beside a CLI import   reader p50 / p99 / max ${f(ib.p50, 2)} / ${f(ib.p99, 2)} / ${f(ib.max, 1)} ms over ${f(ib.seconds, 1)} s while \`timbrel import\` added ${ib.rows.toLocaleString('en')} timbres (${ib.rowsPerSecond.toLocaleString('en')} rows/s) and ${ib.writes} writes went through /v1 (each waited for the import's write lock: p50 ${f(ib.writeP50, 0)} ms, max ${f(ib.writeMax, 0)} ms)`,
  );
  log(`write → visible       at the deepest offset in ${f(w.visibleMs, 1)} ms (median of 5, max ${f(w.visibleMaxMs, 1)}; target ≤ 100 ms)`);
  log(
    `/v1 q + 2 filters     p50 ${f(figures.nativeSearch.p50Ms, 1)} ms, p99 ${f(figures.nativeSearch.p99Ms, 1)} ms over ${figures.nativeSearch.samples} distinct searches (target p99 ≤ 20 ms)`,
  );
  log(
    `/v1 cursor paging     walked ${figures.nativeCursor.pages.toLocaleString('en')} pages of 100 in ${f(figures.nativeCursor.walkSeconds, 1)} s; p50 first page ${f(figures.nativeCursor.p50FirstMs, 3)} ms, last page ${f(figures.nativeCursor.p50LastMs, 3)} ms, ratio ${f(figures.nativeCursor.ratio)} (target ≤ 2)`,
  );
  log(`server peak RSS       ${figures.serverPeakRssMB} MB (target ≤ 300); RSS/peak MB after each phase: ${figures.rssSteps.join(', ')}`);
}

/** The same figures, one column per engine. */
function sideBySide(rs) {
  const rows = [
    ['CLI import rows/s', (r) => r.import.rowsPerSecond.toLocaleString('en')],
    ['load average at the start', (r) => f(r.loadAverage)],
    ['CLI import seconds', (r) => f(r.import.seconds, 1)],
    ['CLI import peak RSS MB', (r) => r.import.peakRssMB],
    ['start-up → first deep answer ms', (r) => f(r.startup.firstDeepMs, 0)],
    ['  slowest /healthz meanwhile ms', (r) => f(r.startup.probeMaxMs, 1)],
    ['GetTimbreList req/s', (r) => Math.round(r.throughput.timbrel.rps).toLocaleString('en')],
    ['  ÷ bare node:http', (r) => f(r.throughput.ratio)],
    ['  ÷ nginx', (r) => (r.throughput.nginx ? f(r.throughput.nginx.ratio) : '-')],
    ['bare node:http ÷ nginx', (r) => (r.throughput.nginx ? f(r.throughput.nginx.bareRatio) : '-')],
    ['  server CPU µs/request', (r) => f(r.throughput.timbrel.cpuUsPerRequest, 1)],
    ['GetTimbreList random ÷ bare', (r) => f(r.throughput.zegoRandom.ratio)],
    ['describetimbre random ÷ bare', (r) => f(r.throughput.ivhRandom.ratio)],
    ['/v1/timbres app key ÷ bare', (r) => f(r.throughput.nativeList.ratio)],
    ['ElevenLabs cached/random ÷ bare', (r) => `${f(r.throughput.elevenlabs.cached.ratio)} / ${f(r.throughput.elevenlabs.random.ratio)}`],
    ['HeyGen cached/random ÷ bare', (r) => (r.throughput.heygen ? `${f(r.throughput.heygen.cached.ratio)} / ${f(r.throughput.heygen.random.ratio)}` : '-')],
    ['GetTimbreList deep ÷ first p50', (r) => f(r.zegoDeepOffset.ratio)],
    ['  distinct pages', (r) => f(r.zegoDeepOffsetUncached.ratio)],
    ['describetimbre last ÷ first p50', (r) => f(r.ivhLastPage.ratio)],
    ['  distinct pages', (r) => f(r.ivhLastPageUncached.ratio)],
    ['getanchor last ÷ first p50', (r) => (r.anchors ? f(r.anchors.getanchor.ratio) : '-')],
    ['  distinct pages', (r) => (r.anchors ? f(r.anchors.getanchor.uncached.ratio) : '-')],
    ['getimagebyanchor last ÷ first p50', (r) => (r.anchors ? f(r.anchors.getimagebyanchor.ratio) : '-')],
    ['  distinct pages', (r) => (r.anchors ? f(r.anchors.getimagebyanchor.uncached.ratio) : '-')],
    ['reader p99 ms alone / 1 write/s', (r) => `${f(r.writesBesideReaders.quiet.p99, 1)} / ${f(r.writesBesideReaders.writing.p99, 1)}`],
    ['reader max ms alone / 1 write/s', (r) => `${f(r.writesBesideReaders.quiet.max, 1)} / ${f(r.writesBesideReaders.writing.max, 1)}`],
    ['reader p99 / max ms beside import', (r) => `${f(r.writesBesideReaders.importBeside.p99, 1)} / ${f(r.writesBesideReaders.importBeside.max, 1)}`],
    [
      '  /v1 write p50 / max ms meanwhile',
      (r) => `${f(r.writesBesideReaders.importBeside.writeP50, 0)} / ${f(r.writesBesideReaders.importBeside.writeMax, 0)}`,
    ],
    ['write → visible, deepest ms', (r) => f(r.writesBesideReaders.visibleMs, 1)],
    ['/v1 q + 2 filters p50 / p99 ms', (r) => `${f(r.nativeSearch.p50Ms, 1)} / ${f(r.nativeSearch.p99Ms, 1)}`],
    ['/v1 cursor last ÷ first p50', (r) => f(r.nativeCursor.ratio)],
    ['server peak RSS MB', (r) => r.serverPeakRssMB],
  ];
  log('');
  const size = (n) => (n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n.toLocaleString('en'));
  log(`${'side by side'.padEnd(34)}${rs.map((r) => ` ${r.engine} ${size(r.rows)}`.padStart(18)).join('')}`);
  for (const [label, get] of rows) log(`${label.padEnd(34)}${rs.map((r) => String(get(r)).padStart(18)).join('')}`);
  // How each engine's import time grows from the smallest size to each larger one (target ≤ 5.5 for 5×).
  for (const engine of new Set(rs.map((r) => r.engine))) {
    const mine = rs.filter((r) => r.engine === engine);
    for (const r of mine.slice(1)) {
      log(
        `${engine} import ${size(r.rows)} time ÷ ${size(mine[0].rows)} time: ${f(r.import.seconds / mine[0].import.seconds)} (rows ×${f(r.rows / mine[0].rows, 1)})`,
      );
    }
  }
}
