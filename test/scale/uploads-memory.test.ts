/**
 * Uploads stream: a real `serve` process takes six concurrent 45 MB uploads from one app key
 * while its resident memory is sampled; bytes go to disk while they are hashed, so memory does not grow
 * with upload size. Before, the same six uploads took RSS from ~200 MB to ~550 MB. Also: the per-app cap on
 * uploads in progress answers 429. A render package four times the picture limit streams the same way.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type Served } from '../processes.js';

const ADMIN = 'upload-test-operator-token-0123456789abcdef';
const MB = 1024 * 1024;

/** The process's resident set, from /proc (bytes). */
function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

/** A 45 MB WAV: a real header, then silence. Sent in 1 MB writes. */
function put(url: string, token: string, size: number): Promise<number> {
  const header = readFileSync('demo/assets/tone-low.wav').subarray(0, 44);
  const chunk = Buffer.alloc(MB);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'audio/wav', 'content-length': size } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const part = sent === 0 ? Buffer.concat([header, chunk.subarray(0, Math.min(MB, size) - header.length)]) : chunk.subarray(0, Math.min(MB, size - sent));
        sent += part.length;
        if (!req.write(part)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('uploads stream to disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timbrel-uploads-'));
  let server: Served;
  let key: string;
  const ids: string[] = [];
  const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

  before(async () => {
    server = await serve({ TIMBREL_DATA_DIR: dir, TIMBREL_ADMIN_TOKEN: ADMIN, TIMBREL_MAX_UPLOAD_BYTES: String(50 * MB), TIMBREL_MAX_CONCURRENT_UPLOADS: '6' });
    await fetch(`${server.url}/v1/apps`, { method: 'POST', headers, body: JSON.stringify({ name: 'uploader', rateLimit: 1000 }) });
    key = (await (await fetch(`${server.url}/v1/apps/uploader/keys`, { method: 'POST', headers, body: '{}' })).json()).key;
    for (let i = 0; i < 7; i++) {
      const made = await fetch(`${server.url}/v1/timbres`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ key: `big_${i}`, name: `Big ${i}` }),
      });
      ids.push((await made.json()).id);
    }
  });
  after(() => {
    server?.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('six concurrent 45 MB uploads add at most 50 MB of resident memory; a seventh at once is refused (429)', async () => {
    const pid = server.proc.pid!;
    const base = rss(pid);
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(pid))), 20);
    try {
      const statuses = await Promise.all([
        ...ids.slice(0, 6).map((id) => put(`${server.url}/v1/timbres/${id}/sample`, key, 45 * MB)),
        (async () => {
          // The seventh starts once the six are under way: over TIMBREL_MAX_CONCURRENT_UPLOADS.
          await new Promise((r) => setTimeout(r, 150));
          return put(`${server.url}/v1/timbres/${ids[6]}/sample`, key, 45 * MB);
        })(),
      ]);
      assert.deepEqual(statuses.slice(0, 6), [200, 200, 200, 200, 200, 200]);
      assert.equal(statuses[6], 429);
    } finally {
      clearInterval(sampler);
    }
    const grew = (peak - base) / MB;
    console.log(
      `# RSS before ${(base / MB).toFixed(1)} MB, peak during six concurrent 45 MB uploads ${(peak / MB).toFixed(1)} MB (+${grew.toFixed(1)} MB), after ${(rss(pid) / MB).toFixed(1)} MB`,
    );
    assert.ok(grew <= 50, `RSS grew ${grew.toFixed(1)} MB`);
    // The six are stored whole.
    const t = await (await fetch(`${server.url}/v1/timbres/${ids[0]}`, { headers: { authorization: `Bearer ${key}` } })).json();
    const head = await fetch(t.sample, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers.get('content-length')), 45 * MB);
  });

  test('a 200 MB render package (over the 50 MB picture limit, under the 1 GiB package limit) streams: at most 50 MB of resident memory, stored whole', async () => {
    const made = await fetch(`${server.url}/v1/digital-humans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Big package', smallImageMode: true }),
    });
    const id = (await made.json()).id as string;
    const pid = server.proc.pid!;
    const base = rss(pid);
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(pid))), 20);
    let status: number;
    try {
      status = await put(`${server.url}/v1/digital-humans/${id}/render-package`, key, 200 * MB);
    } finally {
      clearInterval(sampler);
    }
    assert.equal(status, 200);
    const grew = (peak - base) / MB;
    console.log(`# RSS before ${(base / MB).toFixed(1)} MB, peak during a 200 MB package upload ${(peak / MB).toFixed(1)} MB (+${grew.toFixed(1)} MB)`);
    assert.ok(grew <= 50, `RSS grew ${grew.toFixed(1)} MB`);
    const d = await (await fetch(`${server.url}/v1/digital-humans/${id}`, { headers: { authorization: `Bearer ${key}` } })).json();
    const head = await fetch(d.renderPackage, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers.get('content-length')), 200 * MB);
  });
});
