// The catalog scenario: BENCH_ROWS public timbres (and BENCH_LOOKS looks) imported through the CLI, then a
// server on them measured phase by phase (catalog-reads, catalog-writes, catalog-load).
import http from 'node:http';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { zegoSignature } from '../../dist/dialects/zego/signature.js';
import { ivhSignature } from '../../dist/dialects/tencent-ivh/signature.js';
import { ANCHORS, BIN, LOOKS, SAMPLES, load, log, median, pct, run, startTimbrel, work } from '../lib.mjs';
import { report } from '../report.mjs';
import { anchorPages, deepOffsets, nativeApi, startup } from './catalog-reads.mjs';
import { writesBesideReaders } from './catalog-writes.mjs';
import { throughput } from './catalog-load.mjs';

const file = join(work, 'catalog.ndjson');
const lookFile = join(work, 'looks.ndjson');

/** The catalog file of `ROWS` timbres. */
export async function writeCatalog(ROWS) {
  const out = createWriteStream(file);
  for (let i = 0; i < ROWS; i++) {
    const line = `{"kind":"timbre","key":"voice_${i}","name":"Voice ${i}","description":"Benchmark voice number ${i}","gender":"${i % 2 ? 'male' : 'female'}","languages":["en-US"],"timbreType":"Boutique","driverTypes":["Text"],"image":"https://cdn.example.com/timbres/${i}.png","sample":"https://cdn.example.com/samples/${i}.wav","tags":["bench"],"sortOrder":${i}}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The file of ANCHORS presenters and LOOKS looks. */
export async function writeLooks() {
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

/** Every figure of the catalog on one engine: `engineEnv` names its store (nothing: SQLite in a fresh data dir). */
export async function measureCatalog(engine, engineEnv, ROWS) {
  const dataDir = join(work, `data-${engine}-${ROWS}`);
  const env = { ...process.env, TIMBREL_DATA_DIR: dataDir, ...engineEnv };
  const figures = { engine, rows: ROWS };
  log(`\n== ${engine}, ${ROWS.toLocaleString('en')} timbres (load average ${load()}) ==`);
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

  const deepBody = JSON.stringify({ Offset: Math.min(999_980, ROWS - 20), Limit: 20 });
  const firstBody = JSON.stringify({ Offset: 0, Limit: 20 });
  const ctx = {
    rows: ROWS,
    env,
    figures,
    creds,
    adminToken,
    appKey,
    server,
    base,
    PORT,
    zegoUrl,
    ivhUrl,
    request,
    post,
    latencyPair,
    noteRss,
    deepBody,
    firstBody,
    spawnedAt,
    listeningAt,
  };
  // The phases, in order: start-up first (the server has not answered anything yet), load last (it stops the server).
  for (const phase of [startup, deepOffsets, ...(LOOKS > 0 ? [anchorPages] : []), writesBesideReaders, nativeApi, throughput]) await phase(ctx);
  rmSync(dataDir, { recursive: true, force: true });
  figures.rssSteps = rssSteps;
  report(figures);
  return figures;
}
