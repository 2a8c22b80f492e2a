// Speech through timbrel: ElevenLabs text-to-speech relayed to a vendor stand-in that streams audio, against
// the same client calling the stand-in directly. Figures: the time to the first audio byte that timbrel
// adds (single connection, alternating, medians), and the CPU one relayed call costs timbrel under load,
// beside nginx `proxy_pass` to the same stand-in (the vendor key set by nginx, as timbrel sets it) in the same run.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { ROUNDS, SAMPLES, cannon, cli, f, load, log, median, pct, startNginx, startTimbrel, summary, work } from '../lib.mjs';

const VOICE = 'benchVoice0000000001';
const KEY = 'sk_bench_vendor_key';

/** A vendor stand-in: answers text-to-speech with four 4 KiB audio chunks, the first at once. */
async function startSpeechVendor(port) {
  const vendor = spawn(
    process.execPath,
    [
      '-e',
      `
    const chunk = Buffer.alloc(4096, 7);
    require('node:http').createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.headers['xi-api-key'] !== ${JSON.stringify(KEY)}) { res.writeHead(401); return res.end(); }
        res.writeHead(200, { 'content-type': 'audio/mpeg' });
        res.write(chunk);
        let n = 1;
        const next = () => { if (n++ < 4) { res.write(chunk); setImmediate(next); } else res.end(); };
        setImmediate(next);
      });
    }).listen(${port}, '127.0.0.1', () => console.log('up'));
  `,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await once(vendor.stdout, 'data');
  return vendor;
}

/** Milliseconds to the first body byte of one POST on a kept-alive connection, then the rest read. */
function firstByte(agent, url, headers, body) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let first;
      res.on('data', () => (first ??= Number(process.hrtime.bigint() - t0) / 1e6));
      res.on('end', () => (res.statusCode === 200 ? resolve(first) : reject(new Error(`answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function measureSpeech() {
  const PORT = 23000 + Math.floor(Math.random() * 1000);
  log(`\n== speech relay: ElevenLabs text-to-speech through timbrel, SQLite (load average ${load()}) ==`);
  const vendor = await startSpeechVendor(PORT + 1);
  const dir = join(work, 'data-speech');
  const env = { ...process.env, TIMBREL_DATA_DIR: dir, TIMBREL_UPSTREAM_ALLOW_HTTP: `127.0.0.1:${PORT + 1}`, TIMBREL_LOG_LEVEL: 'warn' };
  await cli(env, ['apps', 'create', '--name', 'bench', '--rate-limit', '1000000', '--json']);
  const { key } = await cli(env, ['keys', 'create', '--app', 'bench', '--json'], true);
  await cli(env, ['upstream', 'set', 'elevenlabs', '--url', `http://127.0.0.1:${PORT + 1}`, '--api-key', KEY]);
  const voices = join(work, 'speech-voices.ndjson');
  writeFileSync(voices, `${JSON.stringify({ kind: 'timbre', key: VOICE, name: 'Bench voice' })}\n`);
  await cli(env, ['import', voices, '--json']);
  const { server, base } = await startTimbrel(env, PORT);
  const body = JSON.stringify({ text: 'The first move is what sets everything in motion.', model_id: 'eleven_flash_v2_5' });
  const path = `/v1/text-to-speech/${VOICE}/stream`;
  const direct = { url: `http://127.0.0.1:${PORT + 1}${path}`, headers: { 'xi-api-key': KEY } };
  const relayed = { url: `${base}/elevenlabs${path}`, headers: { 'xi-api-key': key } };
  const agents = [new http.Agent({ keepAlive: true, maxSockets: 1 }), new http.Agent({ keepAlive: true, maxSockets: 1 })];
  for (let i = 0; i < 20; i++) {
    await firstByte(agents[0], direct.url, direct.headers, body);
    await firstByte(agents[1], relayed.url, relayed.headers, body);
  }
  const d = [];
  const r = [];
  for (let i = 0; i < SAMPLES; i++) {
    d.push(await firstByte(agents[0], direct.url, direct.headers, body));
    r.push(await firstByte(agents[1], relayed.url, relayed.headers, body));
  }
  for (const a of agents) a.destroy();
  const shape = (headers) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const nginx = await startNginx(PORT + 2, '', { to: `127.0.0.1:${PORT + 1}`, headers: { 'xi-api-key': KEY } });
  const loadRounds = { relayed: [], direct: [], nginx: [] };
  for (let i = 0; i < ROUNDS; i++) {
    loadRounds.relayed.push(await cannon(relayed.url, server.pid, undefined, shape(relayed.headers)));
    loadRounds.direct.push(await cannon(direct.url, vendor.pid, undefined, shape(direct.headers)));
    if (nginx) loadRounds.nginx.push(await cannon(`http://127.0.0.1:${nginx.port}${path}`, nginx.workerPid, undefined, shape({})));
  }
  nginx?.stop();
  server.kill('SIGTERM');
  await once(server, 'exit');
  vendor.kill();
  rmSync(dir, { recursive: true, force: true });
  const speech = {
    firstByte: { directP50Ms: median(d), relayedP50Ms: median(r), addedP50Ms: median(r) - median(d), relayedP99Ms: pct(r, 0.99) },
    load: {
      relayed: summary(loadRounds.relayed),
      direct: summary(loadRounds.direct),
      ratio: median(loadRounds.relayed.map((x, i) => x.rps / loadRounds.direct[i].rps)),
      nginx: nginx ? summary(loadRounds.nginx) : undefined,
      cpuVsNginx: nginx ? median(loadRounds.relayed.map((x, i) => x.cpuUsPerRequest / loadRounds.nginx[i].cpuUsPerRequest)) : undefined,
    },
  };
  log(
    `TTS first audio byte  direct p50 ${f(speech.firstByte.directP50Ms, 3)} ms, through timbrel p50 ${f(speech.firstByte.relayedP50Ms, 3)} ms (p99 ${f(speech.firstByte.relayedP99Ms, 2)} ms): timbrel adds ${f(speech.firstByte.addedP50Ms, 3)} ms (${SAMPLES} alternating calls, one connection each)`,
  );
  log(
    `TTS relayed under load ${Math.round(speech.load.relayed.rps).toLocaleString('en')} req/s, ${f(speech.load.relayed.cpuUsPerRequest, 1)} µs timbrel CPU/call; the stand-in directly ${Math.round(speech.load.direct.rps).toLocaleString('en')} req/s; relayed ÷ direct ${f(speech.load.ratio)} (50 connections, 16 KiB of audio a call)`,
  );
  if (speech.load.nginx)
    log(
      `TTS through nginx proxy_pass ${Math.round(speech.load.nginx.rps).toLocaleString('en')} req/s, ${f(speech.load.nginx.cpuUsPerRequest, 1)} µs nginx worker CPU/call; timbrel's CPU per relayed call ÷ nginx's ${f(speech.load.cpuVsNginx, 1)} (timbrel also authenticates the app, checks the voice against the catalog and counts usage)`,
    );
  return speech;
}
