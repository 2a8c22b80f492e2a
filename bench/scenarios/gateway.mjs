// The gateway: a relayed call against the vendor stand-in directly, and a sync from a vendor of the bench's own.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { zegoSignature } from '../../dist/dialects/zego/signature.js';
import { BIN, ROUNDS, cannon, f, load, log, median, run, startBare, startTimbrel, summary, work } from '../lib.mjs';

/**
 * The gateway (docs/gateway.md). Relay: a streaming call (ZEGO DriveByText) relayed through timbrel to a
 * vendor stand-in (bare node:http answering ZEGO's envelope), against the same client calling that stand-in
 * directly; the ratio is what the relay leaves of the vendor's own throughput on this machine, and the CPU
 * figure what one relayed call costs timbrel. Sync: `timbrel sync` of an app whose vendor is a second
 * timbrel server holding BENCH_SYNC_ROWS public timbres (default 20,000) and 500 digital humans, the
 * upstream's limit raised; rows/s of the first sync, and the seconds of a second one (which writes nothing).
 */
export async function measureGateway() {
  const vendorSecret = 'benchVendorSecretBenchVendor0001';
  const vendorAppId = 770077;
  const PORT = 21000 + Math.floor(Math.random() * 1000);
  log(`\n== gateway: relay and sync, SQLite (load average ${load()}) ==`);
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
    `timbrel sync (ZEGO)   ${written.toLocaleString('en')} rows in ${f(first.seconds, 1)} s = ${sync.rowsPerSecond.toLocaleString('en')} rows/s over ${sync.requests.toLocaleString('en')} requests (process start included); second sync ${f(second.seconds, 1)} s, ${sync.secondSyncWrites} writes`,
  );
  return { relay, sync };
}
