/**
 * Scale-out: three timbrel processes on one PostgreSQL and Redis, behind nginx configured by
 * deploy/nginx/timbrel.conf (its instance ports substituted). A timbre created through one instance is
 * listed by the other two within a second; an app limited to 10/s that asks for 50/s gets 9–11 per second
 * summed over all three; stopping one instance under write load loses no acknowledged write.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgres, postgresUp, redisReachable, TEST_REDIS_URL } from '../engines.js';
import { serve, type Served } from '../processes.js';
import { zegoSignature } from '../../src/dialects/zego/signature.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const ADMIN = 'multi-instance-operator-token-0123456789';
if (!NGINX) {
  const msg = 'nginx is not installed (apt-get install nginx-light)';
  if (process.env.CI) throw new Error(`${msg}: CI needs it`);
  process.stderr.write(`\n  NOTICE: ${msg}; the multi-instance suite is SKIPPED.\n\n`);
}
const up = Boolean(NGINX) && (await postgresUp()) && (await redisReachable());

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

// A skipped suite does not count in the run's summary; a skipped test does.
if (!up) test('three instances behind nginx on one PostgreSQL and Redis', { skip: 'PostgreSQL, Redis or nginx is missing' }, () => {});
describe('three instances behind nginx on one PostgreSQL and Redis', { skip: !up }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'timbrel-multi-'));
  const instances: Served[] = [];
  let nginx: ChildProcess;
  let lb: string;
  let drop: () => Promise<void>;

  const api = async (base: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
  };

  before(async () => {
    const db = await freshPostgres();
    drop = db.drop;
    const lbPort = await freePort();
    lb = `http://127.0.0.1:${lbPort}`;
    // Started together: the migrations run once, under the advisory lock, whoever comes first.
    const started = await Promise.all(
      [1, 2, 3].map((i) =>
        serve({
          TIMBREL_DATA_DIR: join(dir, `i${i}`),
          DATABASE_URL: db.url,
          REDIS_URL: TEST_REDIS_URL,
          TIMBREL_ADMIN_TOKEN: ADMIN,
          TIMBREL_PUBLIC_URL: lb,
        }),
      ),
    );
    instances.push(...started);
    const ports = started.map((s) => new URL(s.url).port);
    let site = readFileSync('deploy/nginx/timbrel.conf', 'utf8');
    ['8081', '8082', '8083'].forEach((p, i) => (site = site.replace(`127.0.0.1:${p}`, `127.0.0.1:${ports[i]}`)));
    site = site.replace('listen 80;', `listen 127.0.0.1:${lbPort};`);
    const prefix = join(dir, 'nginx');
    mkdirSync(join(prefix, 'logs'), { recursive: true });
    writeFileSync(join(prefix, 'site.conf'), site);
    writeFileSync(
      join(prefix, 'nginx.conf'),
      `daemon off;\nworker_processes 1;\npid ${prefix}/nginx.pid;\nerror_log ${prefix}/logs/error.log warn;\nevents { worker_connections 1024; }\n` +
        `http {\n  access_log off;\n  client_body_temp_path ${prefix}/body;\n  proxy_temp_path ${prefix}/proxy;\n  fastcgi_temp_path ${prefix}/fastcgi;\n  uwsgi_temp_path ${prefix}/uwsgi;\n  scgi_temp_path ${prefix}/scgi;\n  include ${prefix}/site.conf;\n}\n`,
    );
    execFileSync(NGINX!, ['-t', '-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: 'pipe' });
    nginx = spawn(NGINX!, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${lb}/healthz`)).ok) break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });

  after(async () => {
    nginx?.kill('SIGQUIT');
    for (const s of instances) if (s.proc.exitCode === null) s.proc.kill('SIGTERM');
    await Promise.all(instances.map((s) => s.exited));
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a timbre created through one instance is listed by the other two within 1 s', async () => {
    const made = await api(instances[0].url, 'POST', '/v1/timbres', { key: 'across', name: 'Across Instances', description: 'multi instance probe' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const t0 = performance.now();
    for (const other of instances.slice(1)) {
      let listed = false;
      while (!listed && performance.now() - t0 < 3000) {
        const page = await api(other.url, 'GET', '/v1/timbres?q=Across&limit=5');
        listed = page.body.items.some((t: { id: string }) => t.id === made.body.id);
        if (!listed) await new Promise((r) => setTimeout(r, 10));
      }
      assert.ok(listed, `listed by ${other.url}`);
    }
    const ms = performance.now() - t0;
    assert.ok(ms < 1000, `listed by both others after ${Math.round(ms)} ms`);
  });

  test('an app limited to 10/s asking for 50/s gets 9–11 successes per second over all three instances', async () => {
    const made = await api(lb, 'POST', '/v1/apps', { name: 'limited', rateLimit: 10 });
    assert.equal(made.status, 201);
    const { AppId, ServerSecret } = made.body.credentials.zego;
    const call = async (i: number) => {
      const ts = Math.floor(Date.now() / 1000);
      const nonce = `n${i.toString(16).padStart(15, '0')}`;
      const q = `Action=GetTimbreList&AppId=${AppId}&SignatureNonce=${nonce}&Timestamp=${ts}&Signature=${zegoSignature(AppId, nonce, ServerSecret, ts)}&SignatureVersion=2.0`;
      const res = await fetch(`${lb}/?${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"Offset":0,"Limit":5}' });
      return (await res.json()).Code as number;
    };
    // Start on a second boundary; 50 requests a second, evenly spaced, for five seconds.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const start = Date.now();
    const results: Promise<{ second: number; code: number }>[] = [];
    for (let i = 0; i < 250; i++) {
      const due = start + i * 20;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      const second = Math.floor(Date.now() / 1000);
      results.push(call(i).then((code) => ({ second, code })));
    }
    const done = await Promise.all(results);
    const perSecond = new Map<number, number>();
    for (const r of done) if (r.code === 0) perSecond.set(r.second, (perSecond.get(r.second) ?? 0) + 1);
    const first = Math.floor(start / 1000);
    const counts = [0, 1, 2, 3, 4].map((k) => perSecond.get(first + k) ?? 0);
    const refused = done.filter((r) => r.code !== 0).map((r) => r.code);
    assert.ok(
      refused.every((c) => c === refused[0]),
      'every refusal is the rate-limit code',
    );
    for (const n of counts) assert.ok(n >= 9 && n <= 11, `successes per second: ${counts.join(', ')}`);
    process.stdout.write(`# rate limit over 3 instances, 10/s asked at 50/s: ${counts.join(', ')} per second\n`);
  });

  test('stopping one instance under write load loses no acknowledged write; it exits cleanly', async () => {
    const acknowledged: string[] = [];
    let failed = 0;
    let stopAt = Date.now() + 800;
    const until = Date.now() + 2500;
    let n = 0;
    const worker = async () => {
      while (Date.now() < until) {
        const key = `load-${n++}`;
        try {
          const r = await api(lb, 'POST', '/v1/timbres', { key, name: `Load ${key}` });
          if (r.status === 201) acknowledged.push(r.body.id);
          else failed++;
        } catch {
          failed++;
        }
      }
    };
    const stopper = (async () => {
      await new Promise((r) => setTimeout(r, stopAt - Date.now()));
      instances[1].proc.kill('SIGTERM');
      stopAt = Date.now();
    })();
    await Promise.all([worker(), worker(), worker(), worker(), stopper]);
    assert.equal(await instances[1].exited, 0, 'the stopped instance exited cleanly');
    assert.ok(acknowledged.length > 50, `writes acknowledged: ${acknowledged.length}`);
    const all = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await api(instances[0].url, 'GET', `/v1/timbres?limit=100&owner=public${cursor ? `&cursor=${cursor}` : ''}`);
      for (const t of page.body.items) all.add(t.id);
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    const lost = acknowledged.filter((id) => !all.has(id));
    assert.deepEqual(lost, [], 'every acknowledged write is there');
    process.stdout.write(`# write load across a stop: ${acknowledged.length} acknowledged, ${failed} refused, 0 lost\n`);
  });
});
