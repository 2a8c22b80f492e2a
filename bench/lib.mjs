// Shared by the benchmark's scenarios: its settings, statistics, the load tool and the servers it starts.
import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { once } from 'node:events';
import autocannon from 'autocannon';

export const run = promisify(execFile);
// BENCH_ROWS: one catalog size, or several (comma-separated); a size past 1,000,000 is measured beside
// 1,000,000, so the run prints how the figures move from 1M to it.
export const SIZES = (() => {
  const asked = String(process.env.BENCH_ROWS ?? 1_000_000)
    .split(',')
    .map((n) => Number(n.replace(/_/g, '')));
  if (asked.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error('BENCH_ROWS: whole numbers of rows, at least 1,000 each');
  return [...new Set(asked.length === 1 && asked[0] > 1_000_000 ? [1_000_000, asked[0]] : asked)].sort((a, b) => a - b);
})();
export const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
// The throughput comparison: this many alternating rounds per server, each half a load run long.
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
export const ROUND_SECONDS = Math.max(1, Math.round(DURATION / 2));
export const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 400);
export const work = join(process.cwd(), 'bench/.work');
export const BIN = join(process.cwd(), 'bin/timbrel.js');
// PostgreSQL beside SQLite: a fresh database on this server (BENCH_POSTGRES_URL=off skips it).
export const PG_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const log = (s) => process.stdout.write(`${s}\n`);
export const f = (n, d = 2) => Number(n).toFixed(d);
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
/** The machine's load average, as each scenario's heading prints it. */
export const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

// Anchors and their looks: BENCH_LOOKS digital humans, two a presenter, all public and 3D.
export const LOOKS = Number(process.env.BENCH_LOOKS ?? 100_000);
export const ANCHORS = Math.ceil(LOOKS / 2);

export const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100); // utime + stime, in clock ticks of 10 ms
};
/**
 * One load run of ROUND_SECONDS against `url` (50 connections); `vary` (optional) gives each request its own
 * body or path: a different page every time, as vendor clients paging through a catalog send them (none is
 * in the page cache twice in a row). Figures: req/s, latency, and the server's CPU time per request.
 */
export async function cannon(url, pid, vary, shape) {
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
export const summary = (rs) => ({
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
export async function startBare(port, bodies) {
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
export async function startTimbrel(env, port) {
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

/**
 * nginx on `port` answering `body` to any request, or undefined when this machine has no nginx. With
 * `proxy`, it is a reverse proxy instead (`proxy_pass` to `proxy.to` over kept-alive connections, the
 * `proxy.headers` set, answers streamed unbuffered): the anchor a relay's CPU per call is set beside. Its
 * worker's pid is what the CPU figures read.
 */
export async function startNginx(port, body, proxy) {
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
  ${proxy ? `upstream vendor { server ${proxy.to}; keepalive 64; }` : ''}
  server {
    listen 127.0.0.1:${port};
    location / { ${
      proxy
        ? `proxy_pass http://vendor; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; ${Object.entries(proxy.headers)
            .map(([k, v]) => `proxy_set_header ${k} "${v}";`)
            .join(' ')}`
        : `default_type 'application/json; charset=utf-8'; return 200 ${quoted};`
    } }
  }
}
`,
  );
  const master = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' });
      const text = await res.text();
      if (!proxy && text !== body) throw new Error('nginx answers other bytes than bare node:http');
      break;
    } catch (err) {
      if (i > 100 || master.exitCode !== null) throw new Error(`nginx did not start: ${err.message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const workerPid = Number(readFileSync(`/proc/${master.pid}/task/${master.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
  return { port, workerPid, stop: () => master.kill('SIGQUIT') };
}

/** The CLI with `args` under `env`; its last line of output parsed as JSON when `json`. */
export async function cli(env, args, json = false) {
  const { stdout } = await run(process.execPath, [BIN, ...args], { env, maxBuffer: 1 << 26 });
  return json ? JSON.parse(stdout.trim().split('\n').at(-1)) : stdout;
}
