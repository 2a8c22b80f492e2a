/**
 * The CLI as a user runs it (node bin/timbrel.js …, from the built dist/): credentials JSON, import and
 * export round trips, failing lines, and a running server that sees the CLI's writes without a restart.
 */
import { after, before, describe, test } from 'node:test';
import { serve as serveProcess } from '../processes.js';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { zegoSignature } from '../../src/dialects/zego/signature.js';

const run = promisify(execFile);
const lastLine = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);
import { BIN } from '../processes.js';
import { hostileVendor } from '../upstream/hostile-vendor.js';

function cli(dataDir: string, args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [BIN, ...args], { env: { ...process.env, TIMBREL_DATA_DIR: dataDir, ...env }, maxBuffer: 1 << 28 });
}

async function cliFails(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  try {
    await cli(dataDir, args, env);
  } catch (err: any) {
    return { code: err.code, stderr: err.stderr };
  }
  assert.fail(`timbrel ${args.join(' ')} should have failed`);
}

/** Starts `serve` on a free port in `dataDir` and resolves with its URL and everything it printed until then. */
async function serve(
  dataDir: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ proc: ChildProcess; url: string; output: string; stdout: () => string }> {
  const s = await serveProcess({ TIMBREL_DATA_DIR: dataDir, ...env }, args);
  return { proc: s.proc, url: s.url, output: s.output(), stdout: s.stdout };
}

/** The URL a server's banner says it serves on. */
const logOf = (output: string) => /serving on (http:\/\/\S+)/.exec(output)![1];

async function zegoCall(url: string, creds: { AppId: number; ServerSecret: string }, action: string, body: object) {
  const ts = Math.floor(Date.now() / 1000);
  const nonce = 'c0ffee00c0ffee00';
  const sig = zegoSignature(creds.AppId, nonce, creds.ServerSecret, ts);
  const res = await fetch(`${url}/?Action=${action}&AppId=${creds.AppId}&SignatureNonce=${nonce}&Timestamp=${ts}&Signature=${sig}&SignatureVersion=2.0`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json() as Promise<any>;
}

describe('timbrel CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'timbrel-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("apps create --json prints exactly one JSON object with both dialects' credentials", async () => {
    const { stdout } = await cli(dir, ['apps', 'create', '--name', 'acme', '--json']);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const creds = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(creds), ['name', 'zego', 'ivh']);
    assert.equal(creds.name, 'acme');
    assert.ok(Number.isInteger(creds.zego.AppId) && creds.zego.AppId > 0 && creds.zego.AppId <= 0xffffffff);
    assert.match(creds.zego.ServerSecret, /^[A-Za-z0-9]{32}$/);
    assert.match(creds.ivh.appkey, /^[0-9a-f]{32}$/);
    assert.match(creds.ivh.accesstoken, /^[A-Za-z0-9]{32}$/);
    const list = await cli(dir, ['apps', 'list', '--json']);
    const apps = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      apps.map((a) => a.name),
      ['acme'],
    );
    assert.ok(!list.stdout.includes(creds.zego.ServerSecret), 'list never shows secrets');
    const dup = await cliFails(dir, ['apps', 'create', '--name', 'acme']);
    assert.match(dup.stderr, /an app named acme exists/);
    const rotated = JSON.parse((await cli(dir, ['apps', 'rotate', 'acme', '--dialect', 'zego', '--grace', '0', '--json'])).stdout);
    assert.equal(rotated.zego.AppId, creds.zego.AppId);
    assert.notEqual(rotated.zego.ServerSecret, creds.zego.ServerSecret);
    assert.equal(rotated.ivh.accesstoken, creds.ivh.accesstoken, 'the other dialect keeps its secret');
    assert.match((await cli(dir, ['apps', 'rotate', 'acme', '--dialect', 'ivh'])).stdout, /previous secret verifies until 20\d\d-/);
  });

  test('--version, and errors that name what the user typed (an option, an argument, DATABASE_URL without its password)', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.equal((await cli(dir, ['--version'])).stdout.trim(), pkg.version);
    const failing = async (args: string[], env: Record<string, string> = {}) => {
      const err = await cli(dir, args, env).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      assert.ok(err, `timbrel ${args.join(' ')} should have failed`);
      assert.equal(err.code, 1);
      return err.stderr.trim();
    };
    assert.equal(await failing(['serve', '--port', 'abc']), 'timbrel: --port must be an integer in [0, 65535], got "abc"');
    await cli(dir, ['apps', 'create', '--name', 'limited']);
    assert.equal(await failing(['apps', 'set-limit', 'limited', '0']), 'timbrel: <perSecond> must be a whole number from 1 to 1000000, got "0"');
    assert.match((await cli(dir, ['apps', 'set-limit', 'limited', '25'])).stdout, /^limited: 25 requests per second/);
    // Nothing listens on port 1: refused at once.
    const db = await failing(['apps', 'list'], { DATABASE_URL: 'postgres://someone:hunter2@127.0.0.1:1/catalog' });
    assert.match(db, /^timbrel: cannot open the PostgreSQL store at DATABASE_URL=postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/catalog: connect ECONNREFUSED/);
    assert.ok(!db.includes('hunter2'), 'the password stays out of the message');
    // curl: another server than the configured public URL.
    assert.match(
      (await cli(dir, ['curl', 'zego', '--app', 'limited', '--port', '9123'])).stdout,
      /^curl -s -X POST 'http:\/\/127\.0\.0\.1:9123\/\?Action=GetTimbreList&AppId=\d+&/,
    );
    assert.match(
      (await cli(dir, ['curl', 'ivh', '--app', 'limited', '--url', 'https://catalog.example.com/'])).stdout,
      /^curl -s -X POST 'https:\/\/catalog\.example\.com\/v2\/ivh\/crmserver\/customerassetservice\/describetimbre\?appkey=/,
    );
    assert.equal(await failing(['curl', 'ivh', '--app', 'limited', '--port', '0']), 'timbrel: --port must be an integer in [1, 65535], got "0"');
    assert.equal(await failing(['curl', 'soap']), 'timbrel: <dialect> must be one of zego, ivh, openai, elevenlabs, heygen, mistral, native, got "soap"');
    // A data directory with no catalog (a mistyped TIMBREL_DATA_DIR): reading it is an error, and nothing
    // is created there; a command that makes a first app says it made a new catalog.
    const typo = join(dir, 'no-such-data-dir');
    const noCatalog = await cli(typo, ['apps', 'list']).then(
      () => assert.fail('should fail'),
      (e: { stderr: string }) => e.stderr.trim(),
    );
    assert.equal(
      noCatalog,
      `timbrel: no timbrel catalog in ${typo} (TIMBREL_DATA_DIR): check the path, or make one with \`timbrel serve\`, \`timbrel apps create\` or \`timbrel import\``,
    );
    assert.equal(existsSync(typo), false, 'nothing created');
    const made = await cli(typo, ['apps', 'create', '--name', 'first', '--json']);
    assert.equal(made.stderr.trim(), `timbrel: created a new, empty catalog in ${typo}`);
    assert.equal(JSON.parse(made.stdout).name, 'first', 'standard output keeps its one JSON object');
    assert.match((await cli(typo, ['apps', 'list'])).stdout, /^first\b/);
  });

  test('import --json of an NDJSON file: each progress event says how far into the file it has come', async () => {
    const own = mkdtempSync(join(tmpdir(), 'timbrel-progress-'));
    const big = join(own, 'progress.ndjson');
    writeFileSync(big, Array.from({ length: 60_000 }, (_, i) => `{"kind":"timbre","key":"progress_${i}","name":"Progress ${i}"}\n`).join(''));
    const size = readFileSync(big).length;
    const events = (await cli(join(own, 'data'), ['import', big, '--json']).finally(() => rmSync(own, { recursive: true, force: true }))).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const progress = events.filter((e) => e.event === 'progress');
    assert.equal(progress.length, 2, 'a transaction of 50,000, then the rest');
    assert.deepEqual(
      progress.map((e) => e.bytesTotal),
      [size, size],
    );
    assert.ok(
      progress[0].bytesRead > size * 0.7 && progress[0].bytesRead < size,
      `the first 50,000 of 60,000 records: ${progress[0].bytesRead} of ${size} bytes`,
    );
    assert.equal(progress[1].bytesRead, size);
    assert.equal(events.at(-1).event, 'done');
  });

  test('import: JSON document with local files, then the same again updates and never duplicates', async () => {
    await cli(dir, ['apps', 'create', '--name', 'demo']);
    const first = lastLine((await cli(dir, ['import', 'demo/catalog.json', '--json'])).stdout);
    assert.equal(first.event, 'done');
    assert.equal(first.timbres, 10);
    assert.equal(first.digitalHumans, 6);
    assert.equal(first.anchors, 4);
    assert.equal(first.bindings, 6);
    assert.ok(first.files > 0);
    const second = lastLine((await cli(dir, ['import', 'demo/catalog.json', '--json'])).stdout);
    assert.equal(second.timbres, 10);
    const exported = (await cli(dir, ['export'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(exported.filter((r) => r.kind === 'timbre').length, 10, 'still 10 timbres after two imports');
    assert.equal(exported.filter((r) => r.kind === 'binding').length, 6);
  });

  test('export then import into an empty store reproduces the catalog', async () => {
    const out = join(dir, 'export.ndjson');
    await cli(dir, ['export', '--out', out]);
    const other = mkdtempSync(join(tmpdir(), 'timbrel-cli-copy-'));
    try {
      await cli(other, ['apps', 'create', '--name', 'demo']);
      // stored: references need the files; copy the catalog's files by importing the demo first
      await cli(other, ['import', 'demo/catalog.json']);
      await cli(other, ['import', out]);
      const a = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const b = (await cli(other, ['export'])).stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const strip = (r: any) => {
        const { createdAt, ...rest } = r;
        void createdAt;
        return rest;
      };
      assert.deepEqual(b.map(strip), a.map(strip));
      // The same catalog as one JSON document (anchors included), imported into a third store, exports the same.
      const doc = JSON.parse((await cli(other, ['export', '--format', 'json'])).stdout);
      assert.deepEqual(Object.keys(doc), ['anchors', 'digitalHumans', 'timbres', 'bindings']);
      assert.ok(doc.anchors.length > 0, 'the demo has anchors');
      const third = mkdtempSync(join(tmpdir(), 'timbrel-cli-json-'));
      try {
        writeFileSync(join(third, 'catalog.json'), JSON.stringify(doc));
        await cli(third, ['apps', 'create', '--name', 'demo']);
        await cli(third, ['import', 'demo/catalog.json']);
        await cli(third, ['import', join(third, 'catalog.json')]);
        const c = (await cli(third, ['export'])).stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        assert.deepEqual(c.map(strip), a.map(strip));
      } finally {
        rmSync(third, { recursive: true, force: true });
      }
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('a failing line is reported and its batch leaves nothing behind', async () => {
    const file = join(dir, 'bad.ndjson');
    writeFileSync(
      file,
      [
        '{"kind":"timbre","key":"ok_1","name":"OK 1"}',
        '',
        '{"kind":"timbre","key":"ok_2","name":"OK 2"}',
        '{"kind":"timbre","key":"bad","name":"Bad","gender":"robot"}',
      ].join('\n'),
    );
    const { code, stderr } = await cliFails(dir, ['import', file]);
    assert.equal(code, 1);
    assert.match(stderr, /line 4: gender must be one of male, female, neutral/);
    assert.match(stderr, /\n {2}\(nothing was written\)\n$/);
    // --json: the failure is one more JSON line on standard output.
    const json = await cli(dir, ['import', file, '--json']).then(
      () => assert.fail('should fail'),
      (e: { stdout: string }) => e.stdout.trim().split('\n'),
    );
    const failed = JSON.parse(json.at(-1)!);
    assert.deepEqual(
      [failed.event, failed.where, failed.message, failed.committed.timbres],
      ['failed', 'line 4', 'line 4: gender must be one of male, female, neutral', 0],
    );
    // A file that is not there: said so, and nothing else.
    const missing = await cliFails(dir, ['import', join(dir, 'no-such.ndjson')]);
    assert.equal(missing.stderr.trim(), `timbrel: no such file: ${join(dir, 'no-such.ndjson')}`);
    const exported = (await cli(dir, ['export'])).stdout;
    assert.ok(!exported.includes('"ok_1"'), 'the failed batch wrote nothing');
    writeFileSync(join(dir, 'notjson.ndjson'), '{"kind":"timbre"\n');
    assert.match((await cliFails(dir, ['import', join(dir, 'notjson.ndjson')])).stderr, /line 1: is not valid JSON/);
    writeFileSync(join(dir, 'owner.ndjson'), '{"kind":"timbre","key":"x","name":"x","owner":"nobody"}\n');
    assert.match((await cliFails(dir, ['import', join(dir, 'owner.ndjson')])).stderr, /line 1: owner: no app named "nobody"/);
    writeFileSync(join(dir, 'exe.ndjson'), `{"kind":"timbre","key":"x","name":"x","image":"${BIN}"}\n`);
    assert.match((await cliFails(dir, ['import', join(dir, 'exe.ndjson')])).stderr, /is not a supported image file/);
  });

  test('a large NDJSON import from standard input commits whole transactions; a late bad line leaves its transaction out', async () => {
    const big = mkdtempSync(join(tmpdir(), 'timbrel-big-'));
    try {
      const lines: string[] = [];
      for (let i = 0; i < 120_000; i++) lines.push(`{"kind":"timbre","key":"k${i}","name":"Voice ${i}","sortOrder":${i}}`);
      lines.push('{"kind":"timbre","key":"late","name":"Late","languages":"en-US"}');
      const file = join(big, 'big.ndjson');
      writeFileSync(file, lines.join('\n') + '\n');
      const failed = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const proc = spawn(process.execPath, [BIN, 'import', '-'], { env: { ...process.env, TIMBREL_DATA_DIR: big } });
        let stderr = '';
        proc.stderr!.on('data', (d) => (stderr += d));
        proc.on('exit', (code) => resolve({ code, stderr }));
        proc.stdin!.end(readFileSync(file));
      });
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, /line 120001: languages must be an array/);
      assert.match(failed.stderr, /committed before it: 0 anchors, 100,?000 timbres/);
      const keys = (await cli(big, ['export'])).stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).key);
      assert.equal(keys.length, 100_000, 'the first two transactions of 50,000 stay');
      assert.equal(new Set(keys).size, 100_000);
      assert.ok(!keys.includes('k100000'), 'the failed transaction wrote nothing');
      // The whole file without its bad line: the rest goes in, nothing is duplicated.
      writeFileSync(file, lines.slice(0, -1).join('\n') + '\n');
      const events = (await cli(big, ['import', file, '--json'])).stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      assert.deepEqual(
        events.map((l) => [l.event, l.timbres]),
        [
          ['progress', 50_000],
          ['progress', 100_000],
          ['progress', 120_000],
          ['done', 120_000],
        ],
        'a progress line per committed transaction, then done',
      );
      assert.ok(events.every((l) => typeof l.rowsPerSecond === 'number' && typeof l.seconds === 'number'));
      assert.equal((await cli(big, ['export'])).stdout.trim().split('\n').length, 120_000);
      const exported = join(big, 'out.ndjson');
      const progress = (await cli(big, ['export', '--out', exported, '--json'])).stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      assert.deepEqual(
        progress.map((p) => [p.event, p.records]),
        [
          ['progress', 50_000],
          ['progress', 100_000],
          ['done', 120_000],
        ],
      );
      assert.equal(readFileSync(exported, 'utf8').trim().split('\n').length, 120_000);
      assert.match((await cliFails(big, ['export', '--json'])).stderr, /--json needs --out/);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  });

  test('apps upstream set/list/remove: secrets masked, https enforced; sync without an upstream says how to set one', async () => {
    await cli(dir, ['apps', 'create', '--name', 'gateway', '--json']);
    const refused = await cliFails(dir, [
      'apps',
      'upstream',
      'set',
      'gateway',
      'zego',
      '--url',
      'http://zego.example.com',
      '--app-id',
      '123',
      '--server-secret',
      'abcdefghijklmnopqrstuvwxyz012345',
    ]);
    assert.match(refused.stderr, /must be https/);
    const set = await cli(dir, [
      'apps',
      'upstream',
      'set',
      'gateway',
      'zego',
      '--app-id',
      '123',
      '--server-secret',
      'abcdefghijklmnopqrstuvwxyz012345',
      '--json',
    ]);
    assert.equal(JSON.parse(set.stdout).url, 'https://aigc-digitalhuman-api.zegotech.cn');
    await cli(dir, ['apps', 'upstream', 'set', 'gateway', 'ivh', '--appkey', 'k123', '--accesstoken', 'token-at-tencent-0123']);
    const listed = await cli(dir, ['apps', 'upstream', 'list', 'gateway', '--json']);
    assert.ok(!listed.stdout.includes('abcdefghijklmnopqrstuvwxyz012345') && !listed.stdout.includes('token-at-tencent-0123'));
    assert.deepEqual(
      JSON.parse(listed.stdout).map((u: { dialect: string; serverSecret?: string; accesstoken?: string }) => [u.dialect, u.serverSecret ?? u.accesstoken]),
      [
        ['ivh', '…0123'],
        ['zego', '…2345'],
      ],
    );
    const human = await cli(dir, ['apps', 'upstream', 'list', 'gateway']);
    assert.match(human.stdout, /zego\thttps:\/\/aigc-digitalhuman-api\.zegotech\.cn\tAppId 123\t10\/s\tnever synced/);
    await cli(dir, ['apps', 'upstream', 'remove', 'gateway', 'ivh']);
    await cli(dir, ['apps', 'upstream', 'remove', 'gateway', 'zego']);
    assert.match((await cli(dir, ['apps', 'upstream', 'list', 'gateway'])).stdout, /gateway has no upstream/);
    assert.match((await cliFails(dir, ['sync', 'gateway'])).stderr, /no upstream: set one with timbrel apps upstream set/);
    assert.match((await cliFails(dir, ['apps', 'upstream', 'remove', 'gateway', 'zego'])).stderr, /has no zego upstream/);
  });

  test("sync: Ctrl-C cancels it (nothing retired); a vendor's terminal escapes never reach the terminal", async () => {
    const vendor = await hostileVendor();
    const env = { TIMBREL_UPSTREAM_ALLOW_HTTP: vendor.hostPort };
    try {
      await cli(dir, ['apps', 'create', '--name', 'synced', '--json']);
      await cli(
        dir,
        ['apps', 'upstream', 'set', 'synced', 'zego', '--url', vendor.url, '--app-id', '123', '--server-secret', 'abcdefghijklmnopqrstuvwxyz012345'],
        env,
      );
      // A vendor that answers every list call with a message full of escape sequences.
      vendor.persona.fail = { code: 400010001, message: 'boom\u001b[2J\u001b]0;pwned\u0007 done' };
      const failed = await cliFails(dir, ['sync', 'synced'], env);
      assert.equal(failed.code, 1);
      vendor.persona.fail = undefined;
      // A vendor that pages forever, slowly: the sync runs until Ctrl-C.
      vendor.persona.endless = true;
      vendor.persona.delayMs = 50;
      const child = spawn(process.execPath, [BIN, 'sync', 'synced'], { env: { ...process.env, TIMBREL_DATA_DIR: dir, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      for (let i = 0; i < 100 && (vendor.calls.GetTimbreList ?? 0) < 3; i++) await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGINT');
      assert.equal(await exited, 1);
      assert.match(stdout, /sync CANCELLED zego: .* 0 retired/);
      assert.match(stdout, /the sync was cancelled/);
      const status = await cli(dir, ['apps', 'upstream', 'list', 'synced', '--json']);
      assert.equal(JSON.parse(status.stdout)[0].lastSync.outcome, 'cancelled');
      assert.doesNotMatch(stdout + stderr, /\u001b|\u0007/);
      // The failed run's report, as the human listing shows it, carries no escape either.
      assert.doesNotMatch((await cli(dir, ['apps', 'upstream', 'list', 'synced'])).stdout, /\u001b|\u0007/);
    } finally {
      await vendor.close();
    }
  });

  test('keys create/list/revoke and admin-token --rotate take effect on a running server', async () => {
    const made = JSON.parse((await cli(dir, ['keys', 'create', '--app', 'acme', '--name', 'ci', '--json'])).stdout);
    assert.match(made.key, /^tbk_[A-Za-z0-9_-]{32}$/);
    const listed = (await cli(dir, ['keys', 'list', '--app', 'acme', '--json'])).stdout;
    assert.ok(listed.includes(made.id) && !listed.includes(made.key), 'list shows the key id, never the key');
    assert.match((await cliFails(dir, ['keys', 'create', '--app', 'nobody'])).stderr, /no app named nobody/);
    const { proc, url } = await serve(dir);
    try {
      const get = (token: string) => fetch(`${url}/v1/timbres?limit=1`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
      assert.equal(await get(made.key), 200);
      await cli(dir, ['keys', 'revoke', made.id]);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(await get(made.key), 401);
      assert.match((await cliFails(dir, ['keys', 'revoke', made.id])).stderr, /no live key/);
      const token = (await cli(dir, ['admin-token', '--rotate'])).stdout.trim();
      assert.match(token, /^tba_/);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(await get(token), 200);
    } finally {
      proc.kill('SIGTERM');
    }
  });

  test('events tail shows what the CLI changed (source cli); webhooks add/list/test/deliveries/remove; a running server delivers', async () => {
    // The events of this run's earlier commands (apps, keys) are in the log, saying cli.
    const tail = (await cli(dir, ['events', 'tail', '--after', '0', '--no-follow', '--json', '--types', 'app.*,api_key.*'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(tail.length >= 2, 'app and key events');
    assert.ok(tail.every((e: { source: string }) => e.source === 'cli'));
    assert.ok(tail.some((e: { type: string; object: { owner: string } }) => e.type === 'app.created' && e.object.owner === 'acme'));
    const human = (await cli(dir, ['events', 'tail', '--after', '0', '--no-follow', '--app', 'acme', '--types', 'api_key.created'])).stdout;
    assert.match(human, /^\d+\t\S+Z\tapi_key\.created\t\S+\tacme\tcli$/m);
    assert.match((await cliFails(dir, ['events', 'tail', '--types', 'timbre'])).stderr, /types must be/);
    assert.match((await cliFails(dir, ['webhooks', 'add', 'http://10.0.0.9/hook'])).stderr, /plain http is allowed only/);

    // A receiver of the test's own: a ping queued by the CLI is delivered by the running server.
    const got: { headers: Record<string, unknown>; body: string }[] = [];
    const receiver = (await import('node:http')).createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as { port: number }).port;
    const env = { TIMBREL_OUTBOUND_ALLOW_HTTP: `127.0.0.1:${port}`, TIMBREL_OUTBOUND_ALLOW_PRIVATE: '127.0.0.1/32' };
    const added = JSON.parse(
      (await cli(dir, ['webhooks', 'add', `http://127.0.0.1:${port}/hook`, '--app', 'acme', '--types', 'timbre.*', '--json'], env)).stdout,
    );
    assert.match(added.secret, /^whsec_/);
    assert.deepEqual([added.app, added.types], ['acme', ['timbre.*']]);
    const listed = (await cli(dir, ['webhooks', 'list', '--json'])).stdout;
    assert.ok(listed.includes(added.id) && !listed.includes(added.secret), 'the secret is printed once');
    const { proc } = await serve(dir, [], env);
    try {
      assert.match((await cli(dir, ['webhooks', 'test', added.id])).stdout, /^queued dlv_/);
      for (let i = 0; i < 100 && !got.length; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(JSON.parse(got[0].body).type, 'ping');
      assert.match(String(got[0].headers['webhook-signature']), /^v1,/);
      const deliveries = (await cli(dir, ['webhooks', 'deliveries', added.id, '--json'])).stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      for (let i = 0; i < 40 && deliveries[0]?.status !== 'succeeded'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        deliveries.splice(0, 1, JSON.parse((await cli(dir, ['webhooks', 'deliveries', added.id, '--json'])).stdout.trim().split('\n')[0]));
      }
      assert.deepEqual([deliveries[0].eventType, deliveries[0].status, deliveries[0].lastStatus], ['ping', 'succeeded', 200]);
    } finally {
      proc.kill('SIGTERM');
      receiver.close();
    }
    assert.equal((await cli(dir, ['webhooks', 'remove', added.id])).stdout.trim(), `removed ${added.id}`);
  });

  test('a running server sees apps and imports made by the CLI, without a restart', async () => {
    const live = mkdtempSync(join(tmpdir(), 'timbrel-live-'));
    const { proc, url } = await serve(live);
    try {
      const creds = JSON.parse((await cli(live, ['apps', 'create', '--name', 'late', '--json'])).stdout);
      const before = await zegoCall(url, creds.zego, 'GetTimbreList', {});
      assert.equal(before.Code, 0, 'the new app authenticates at once');
      assert.equal(before.Data.Total, 0);
      const file = join(live, 'more.ndjson');
      writeFileSync(file, '{"kind":"timbre","key":"new_voice","name":"New voice","image":"https://x.example/n.png"}\n');
      await cli(live, ['import', file]);
      const afterImport = await zegoCall(url, creds.zego, 'GetTimbreList', {});
      assert.deepEqual(
        afterImport.Data.Timbres.map((t: any) => t.Name),
        ['New voice'],
      );
      await cli(live, ['apps', 'set-limit', 'late', '1']);
      // Seen once the server next looks at the store's data version (at most every
      // OTHER_WRITES_SEEN_WITHIN_MS; a webhook dispatcher's tick may just have looked): calls for a second.
      const codes: number[] = [];
      const since = Date.now();
      while (!codes.includes(400010009) && Date.now() - since < 1000) {
        codes.push((await zegoCall(url, creds.zego, 'GetTimbreList', {})).Code);
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.ok(codes.includes(400010009), `a new limit applies without restart: ${codes}`);
    } finally {
      proc.kill('SIGTERM');
      rmSync(live, { recursive: true, force: true });
    }
  });

  test('first run: serve --demo prints credentials and signed curls that work as pasted', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'timbrel-demo-'));
    const { proc, output } = await serve(fresh, ['--demo']);
    try {
      assert.match(output, /ZEGO {2}AppId \d+ {2}ServerSecret \S{32}/);
      assert.match(output, /IVH {3}appkey [0-9a-f]{32} {2}accesstoken \S{32}/);
      const all = output
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('curl '));
      assert.equal(all.length, 4);
      const [native, ...curls] = all;
      assert.match(output, /API key tbk_\S+ {2}\(OpenAI-compatible, ElevenLabs, HeyGen, Mistral, native \/v1; shown once\)/);
      const eleven = JSON.parse((await run('bash', ['-c', curls[2]])).stdout);
      assert.deepEqual([eleven.voices.length, eleven.has_more, typeof eleven.next_page_token], [3, true, 'string']);
      assert.match(output, /Operator token for the \/v1 API[^\n]*\n {2}tba_\S+/);
      assert.match(output, /\(sign in with the operator token below or an app's API key\)/);
      assert.match(output, /New catalog: nothing was stored in \S+ before this start\./);
      const nativeOut = JSON.parse((await run('bash', ['-c', native])).stdout);
      assert.equal(nativeOut.items.length, 5);
      const zegoOut = JSON.parse((await run('bash', ['-c', curls[0]])).stdout);
      assert.equal(zegoOut.Code, 0);
      assert.deepEqual(
        zegoOut.Data.Timbres.map((t: any) => t.Name),
        ['Warm narrator', 'Brand voice'],
      );
      const picture = await fetch(zegoOut.Data.Timbres[0].AvatarUrl);
      assert.equal(picture.status, 200);
      assert.equal(picture.headers.get('content-type'), 'image/png');
      const ivhOut = JSON.parse((await run('bash', ['-c', curls[1]])).stdout);
      assert.equal(ivhOut.Header.Code, 0);
      assert.ok(ivhOut.Payload.Total >= 9);
      // `timbrel curl` prints a command that answers as pasted, for every dialect of the registry.
      const port = new URL(logOf(output)).port;
      for (const dialect of ['zego', 'ivh', 'openai', 'elevenlabs', 'heygen', 'mistral', 'native']) {
        const printed = (await cli(fresh, ['curl', dialect, '--port', port])).stdout.trim();
        assert.doesNotMatch(printed, /[\u0000-\u001f]/, 'no control characters');
        const answered = JSON.parse((await run('bash', ['-c', printed.replace(/^curl /, 'curl -f ')])).stdout);
        assert.ok(answered && typeof answered === 'object', `${dialect} answered JSON`);
        if (dialect === 'zego') assert.equal(answered.Code, 0);
        if (dialect === 'ivh') assert.equal(answered.Header.Code, 0);
      }
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      // Standard output carries the JSON log lines only; the banner and the token went to standard error.
      const logged = await serve(fresh, [], { TIMBREL_LOG_LEVEL: 'info' });
      await fetch(`${logged.url}/healthz`);
      await new Promise((r) => setTimeout(r, 300));
      logged.proc.kill('SIGTERM');
      await new Promise((r) => logged.proc.once('exit', r));
      const lines = logged.stdout().split('\n').filter(Boolean);
      assert.ok(lines.length > 0, 'the server logged');
      for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `a log line: ${line}`);
      assert.doesNotMatch(logged.stdout(), /serving on|Console:/);
      assert.match(logged.output, /serving on http/);
      // A second start keeps the stored token and prints none.
      const again = await serve(fresh, ['--demo']);
      again.proc.kill('SIGTERM');
      assert.doesNotMatch(again.output, /tba_|tbk_/);
      assert.match(again.output, /API key: `timbrel keys create --app demo` makes one/);
      assert.doesNotMatch(again.output, /operator token below/, 'no pointer to a token that is not printed');
      assert.doesNotMatch(again.output, /New catalog/);
      assert.match(again.output, /sign in with the operator token printed at the first start \(`timbrel admin-token --rotate` makes a new one\)/);
    } finally {
      proc.kill('SIGTERM');
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
