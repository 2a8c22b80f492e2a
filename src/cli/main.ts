import { DIALECTS } from '../dialects/registry.js';
import { createRequire } from 'node:module';
import { createWriteStream, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { backup, restore } from '../ops/backup.js';
import { SQLITE_FILE } from '../store/engine.js';
import { openServices, type Services } from '../services.js';
import { boundHeapGrowth, startServer } from '../server.js';
import { ensureDemo, DEMO_APP } from '../demo.js';
import { CatalogImporter, ImportError, openCatalogFile, type ImportResult } from '../catalog-io/import.js';
import { collectFiles } from '../files/gc.js';
import { exportCatalog } from '../catalog-io/export.js';
import { ivhCurl, zegoCurl } from '../signing-examples.js';
import { TimbrelError } from '../core/errors.js';
import type { App, SyncReport } from '../core/types.js';
import { dialectOf, setUpstream, upstreamView } from '../upstream/settings.js';
import { syncUpstream, type SyncScope } from '../upstream/sync/index.js';

/**
 * Text for a terminal: control characters (escape sequences a vendor's text could carry) become spaces;
 * line breaks and tabs stay. JSON output is unchanged by it (JSON escapes every control character).
 */
const printable = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
const out = (s: string) => process.stdout.write(`${printable(s)}\n`);

/**
 * Runs `fn` on the configured store. A command that reads or changes what is stored needs a catalog that
 * exists: on SQLite, a data directory without one (a mistyped TIMBREL_DATA_DIR) is an error instead of a
 * new, empty catalog. Commands that make a catalog's first content (`create`: apps create, import,
 * admin-token) make one, and say so on standard error.
 */
async function withServices<T>(fn: (s: Services, c: Config) => Promise<T>, opts: { create?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  const fresh = !config.databaseUrl && !existsSync(join(config.dataDir, SQLITE_FILE));
  if (fresh && !opts.create) {
    throw new Error(
      `no timbrel catalog in ${resolve(config.dataDir)} (TIMBREL_DATA_DIR): check the path, or make one with \`timbrel serve\`, \`timbrel apps create\` or \`timbrel import\``,
    );
  }
  const services = await openServices(config);
  if (fresh) process.stderr.write(`timbrel: created a new, empty catalog in ${resolve(config.dataDir)}\n`);
  try {
    return await fn(services, config);
  } finally {
    await services.close();
  }
}

/**
 * Progress of a long command: JSON lines on standard output with --json ({"event":"progress",…}, then
 * {"event":"done",…}); a status line on standard error when that is a terminal; else nothing.
 */
function progressOutput(json: boolean | undefined) {
  const tty = !json && process.stderr.isTTY;
  return {
    progress(fields: object, line: string) {
      if (json) out(JSON.stringify({ event: 'progress', ...fields }));
      else if (tty) process.stderr.write(`\r\x1b[K  ${line}`);
    },
    done(fields: object) {
      if (json) out(JSON.stringify({ event: 'done', ...fields }));
      else if (tty) process.stderr.write('\r\x1b[K');
    },
    abort() {
      if (tty) process.stderr.write('\n');
    },
  };
}

function credentials(app: App) {
  return {
    name: app.name,
    zego: { AppId: app.zegoAppId, ServerSecret: app.zegoServerSecret },
    ivh: { appkey: app.ivhAppKey, accesstoken: app.ivhAccessToken },
  };
}

function banner(url: string, config: Config, app: App | undefined, adminToken: string | undefined, fresh = false, apiKey?: string): string {
  const lines = [`timbrel is serving on ${url}  (data: ${config.dataDir}, public URL: ${config.publicUrl})`];
  // A mistyped TIMBREL_DATA_DIR starts an empty catalog: say so where the operator looks.
  if (fresh) lines.push(`New catalog: nothing was stored in ${resolve(config.dataDir)} before this start.`);
  // The operator token is shown once, at the first start (or when TIMBREL_ADMIN_TOKEN is not set and none
  // is stored); later starts say where to get one rather than point at a token that is not there.
  const signIn = adminToken
    ? "sign in with the operator token below or an app's API key"
    : config.adminToken
      ? "sign in with TIMBREL_ADMIN_TOKEN or an app's API key"
      : "sign in with the operator token printed at the first start (`timbrel admin-token --rotate` makes a new one) or an app's API key";
  lines.push(`Console:  ${config.publicUrl}/console/   (${signIn})`);
  lines.push(`API docs: ${config.publicUrl}/v1/docs   (OpenAPI: ${config.publicUrl}/v1/openapi.json)`);
  if (adminToken) {
    lines.push(
      '',
      'Operator token for the /v1 API (shown once; `timbrel admin-token --rotate` makes a new one):',
      `  ${adminToken}`,
      `  curl -H 'Authorization: Bearer ${adminToken}' '${config.publicUrl}/v1/timbres?limit=5'`,
    );
  }
  if (app) {
    // The dialects an API key opens (every one under a prefix of its own, and /v1), from the registry.
    const keyed = DIALECTS.filter((d) => d.prefix);
    const opens = [...keyed.map((d) => d.label), DIALECTS.find((d) => d.name === 'native')!.label].join(', ');
    lines.push(
      '',
      `Demo app "${app.name}" (rate limit ${app.rateLimit}/s):`,
      `  ZEGO  AppId ${app.zegoAppId}  ServerSecret ${app.zegoServerSecret}`,
      `  IVH   appkey ${app.ivhAppKey}  accesstoken ${app.ivhAccessToken}`,
      apiKey ? `  API key ${apiKey}  (${opens}; shown once)` : `  API key: \`timbrel keys create --app ${app.name}\` makes one (${opens})`,
      `  Base URLs: ${keyed.map((d) => `${d.label} ${d.baseUrl(config.publicUrl)}`).join(', ')}`,
      '',
      'Signed requests to paste (valid 10 min for ZEGO, 5 min for IVH; `node bin/timbrel.js curl zego|ivh` prints fresh ones):',
      '',
      `  ${zegoCurl(config.publicUrl, app, 'GetTimbreList', { DigitalHumanId: '42f97c28-1124-4cb2-800a-44d028497027', Offset: 0, Limit: 20 })}`,
      '',
      `  ${ivhCurl(config.publicUrl, app, 'describetimbre', { PageIndex: 1, PageSize: 10 })}`,
      ...(apiKey ? ['', `  curl -H 'xi-api-key: ${apiKey}' '${config.publicUrl}/elevenlabs/v2/voices?page_size=3'`] : []),
    );
  }
  return lines.join('\n');
}

/** This package's version, from its package.json (two levels up from src/cli and from dist/cli alike). */
function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('timbrel')
    .description('Self-hostable catalog of digital-human assets speaking ZEGO and Tencent IVH dialects')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the HTTP service')
    .option('--port <port>', 'port to listen on (TIMBREL_PORT, default 8080)')
    .option('--host <host>', 'address to bind (TIMBREL_HOST, default 127.0.0.1)')
    .option('--demo', 'seed the demo catalog and app on first start, and print credentials and signed curls')
    .action(async (opts: { port?: string; host?: string; demo?: boolean }) => {
      const config = loadConfig(process.env, { port: opts.port, host: opts.host });
      const fresh = !config.databaseUrl && !existsSync(join(config.dataDir, SQLITE_FILE));
      let demoApp: App | undefined;
      let demoKey: string | undefined;
      let adminToken: string | undefined;
      const running = await startServer(config, async (services) => {
        adminToken = await services.access.ensureAdminToken();
        if (opts.demo) ({ app: demoApp, apiKey: demoKey } = await ensureDemo(services));
      });
      // Standard error: standard output carries the JSON log lines, which log shippers read line by line.
      process.stderr.write(`${banner(running.url, config, demoApp, adminToken, fresh, demoKey)}\n`);
    });

  program
    .command('backup')
    .description('a consistent online backup into a new directory: the database (apps, keys and secrets as stored, still sealed) and every stored file')
    .argument('<dir>', 'a new or empty directory')
    .option('--json', 'print what the backup holds as JSON')
    .action(async (dir: string, o: { json?: boolean }) => {
      const m = await withServices((s, c) => backup(s, c, dir));
      if (o.json) out(JSON.stringify(m));
      else out(`backed up the ${m.engine} catalog and ${m.files} stored files (${m.fileBytes.toLocaleString('en')} bytes) into ${resolve(dir)}`);
      if (m.missingFiles.length)
        process.stderr.write(
          `timbrel: ${m.missingFiles.length} stored files the catalog references were not in the file store: ${m.missingFiles.slice(0, 5).join(', ')}\n`,
        );
    });

  program
    .command('restore')
    .description(
      'restore a backup into an empty store (TIMBREL_DATA_DIR with no catalog, or an empty DATABASE_URL) and its files into the configured file store',
    )
    .argument('<dir>', 'a directory written by `timbrel backup`')
    .option('--json', 'print what was restored as JSON')
    .action(async (dir: string, o: { json?: boolean }) => {
      const r = await restore(loadConfig(), dir);
      if (o.json) out(JSON.stringify(r));
      else
        out(
          `restored ${r.apps} apps, ${r.anchors} anchors, ${r.timbres} timbres, ${r.digitalHumans} digital humans, ${r.bindings} bindings and ${r.files} files (${r.engine})`,
        );
    });

  const apps = program.command('apps').description('manage apps (tenants) and their credentials');
  apps
    .command('create')
    .description('create an app and print its credentials')
    .requiredOption('--name <name>', 'app name')
    .option('--rate-limit <n>', 'requests per second (default TIMBREL_DEFAULT_RATE_LIMIT)')
    .option('--zego-app-id <id>', 'keep an existing ZEGO AppId')
    .option('--zego-server-secret <secret>', 'keep an existing ZEGO ServerSecret (32 chars)')
    .option('--ivh-appkey <key>', 'keep an existing IVH appkey')
    .option('--ivh-accesstoken <token>', 'keep an existing IVH accesstoken')
    .option('--json', 'print exactly one JSON object')
    .action(async (o) => {
      const intOpt = (v: string | undefined, name: string) => {
        if (v === undefined) return undefined;
        if (!/^\d+$/.test(v)) throw new TimbrelError('invalid_parameter', `${name} must be a whole number`);
        return Number(v);
      };
      const app = await withServices(
        (s) =>
          s.apps.create({
            name: o.name,
            rateLimit: intOpt(o.rateLimit, '--rate-limit'),
            zegoAppId: intOpt(o.zegoAppId, '--zego-app-id'),
            zegoServerSecret: o.zegoServerSecret,
            ivhAppKey: o.ivhAppkey,
            ivhAccessToken: o.ivhAccesstoken,
          }),
        { create: true },
      );
      if (o.json) {
        out(JSON.stringify(credentials(app)));
        return;
      }
      out(`created app ${app.name} (rate limit ${app.rateLimit}/s)`);
      out(`  ZEGO  AppId ${app.zegoAppId}  ServerSecret ${app.zegoServerSecret}`);
      out(`  IVH   appkey ${app.ivhAppKey}  accesstoken ${app.ivhAccessToken}`);
      out('Keep these secret: they sign requests as this app.');
    });
  apps
    .command('list')
    .description('list apps (without secrets)')
    .option('--json', 'one JSON object per line')
    .action(async (o) => {
      const list = await withServices((s) => s.apps.list());
      for (const a of list) {
        const row = { name: a.name, status: a.status, rateLimit: a.rateLimit, zegoAppId: a.zegoAppId, ivhAppKey: a.ivhAppKey };
        out(o.json ? JSON.stringify(row) : `${a.name}\t${a.status}\t${a.rateLimit}/s\tZEGO ${a.zegoAppId}\tIVH ${a.ivhAppKey}`);
      }
    });
  apps
    .command('set-limit')
    .description("set an app's requests per second")
    .argument('<name>')
    .argument('<perSecond>')
    .action(async (name: string, n: string) => {
      if (!/^\d+$/.test(n) || Number(n) < 1 || Number(n) > 1_000_000)
        throw new TimbrelError('invalid_parameter', `<perSecond> must be a whole number from 1 to 1000000, got ${JSON.stringify(n)}`);
      const app = await withServices((s) => s.apps.setRateLimit(name, Number(n)));
      out(`${app.name}: ${app.rateLimit} requests per second`);
    });
  apps
    .command('rotate')
    .description('give an app a new ZEGO ServerSecret or IVH accesstoken; the old one verifies for a grace period')
    .argument('<name>')
    .addOption(new Option('--dialect <dialect>', 'which secret').choices(['zego', 'ivh']).makeOptionMandatory())
    .option('--grace <seconds>', 'how long the old secret keeps verifying (0: stops at once)', '86400')
    .option('--json', 'print the credentials as one JSON object')
    .action(async (name: string, o: { dialect: 'zego' | 'ivh'; grace: string; json?: boolean }) => {
      if (!/^\d+$/.test(o.grace)) throw new Error('--grace must be whole seconds');
      const app = await withServices((s) => s.apps.rotate(name, o.dialect, Number(o.grace)));
      if (o.json) {
        out(JSON.stringify(credentials(app)));
        return;
      }
      const until = o.dialect === 'zego' ? app.zegoPreviousUntil : app.ivhPreviousUntil;
      out(
        o.dialect === 'zego'
          ? `  ZEGO  AppId ${app.zegoAppId}  ServerSecret ${app.zegoServerSecret}`
          : `  IVH   appkey ${app.ivhAppKey}  accesstoken ${app.ivhAccessToken}`,
      );
      out(until ? `The previous secret verifies until ${new Date(until).toISOString()}.` : 'The previous secret no longer verifies.');
    });
  for (const [cmd, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    apps
      .command(cmd)
      .description(`${cmd} an app`)
      .argument('<name>')
      .action(async (name: string) => {
        const app = await withServices((s) => s.apps.setStatus(name, status));
        out(`${app.name}: ${app.status}`);
      });
  }

  const upstream = apps
    .command('upstream')
    .description("an app's own accounts at the vendors: calls timbrel does not serve are relayed there, and `timbrel sync` pulls the catalog from them");
  upstream
    .command('set')
    .description("set (or replace) an app's upstream for a dialect: zego needs --app-id and --server-secret, ivh --appkey and --accesstoken")
    .argument('<name>', 'the app')
    .argument('<dialect>', 'zego or ivh')
    .option('--url <url>', "the vendor's base URL (default: the vendor's own host; https only, unless its host:port is in TIMBREL_UPSTREAM_ALLOW_HTTP)")
    .option('--app-id <n>', "ZEGO: the app's AppId at ZEGO")
    .option('--server-secret <s>', "ZEGO: the app's ServerSecret at ZEGO")
    .option('--appkey <k>', "IVH: the app's appkey at Tencent")
    .option('--accesstoken <t>', "IVH: the app's accesstoken at Tencent")
    .option('--rate-limit <n>', 'requests a second a sync may make to the vendor', '10')
    .option('--json', 'print one JSON object')
    .action(
      async (
        name: string,
        dialect: string,
        o: { url?: string; appId?: string; serverSecret?: string; appkey?: string; accesstoken?: string; rateLimit: string; json?: boolean },
      ) => {
        if (!/^\d{1,6}$/.test(o.rateLimit)) throw new TimbrelError('invalid_parameter', '--rate-limit must be a whole number of requests a second');
        const u = await withServices((s) => setUpstream(s, name, dialectOf(dialect), { ...o, rateLimit: Number(o.rateLimit) }));
        out(
          o.json
            ? JSON.stringify(upstreamView(u))
            : `${name}: ${u.dialect} upstream ${u.url} (${u.dialect === 'zego' ? `AppId ${u.account}` : `appkey ${u.account}`})`,
        );
      },
    );
  upstream
    .command('remove')
    .description("remove an app's upstream for a dialect (rows its syncs wrote stay)")
    .argument('<name>', 'the app')
    .argument('<dialect>', 'zego or ivh')
    .action(async (name: string, dialect: string) => {
      const removed = await withServices(async (s) => s.repo.upstreams.remove((await s.apps.named(name)).id, dialectOf(dialect)));
      if (!removed) throw new TimbrelError('not_found', `${name} has no ${dialect} upstream`);
      out(`${name}: ${dialect} upstream removed`);
    });
  upstream
    .command('list')
    .description("an app's upstreams (secrets masked) and their last syncs")
    .argument('<name>', 'the app')
    .option('--json', 'print a JSON array')
    .action(async (name: string, o: { json?: boolean }) => {
      const list = await withServices(async (s) => s.repo.upstreams.list((await s.apps.named(name)).id));
      if (o.json) return void out(JSON.stringify(list.map(upstreamView)));
      if (!list.length) return void out(`${name} has no upstream`);
      for (const u of list.map(upstreamView)) {
        const last = u.lastSync ? `last sync ${u.lastSync.outcome} ${new Date(u.lastSync.startedAt).toISOString()}` : 'never synced';
        out(`${u.dialect}\t${u.url}\t${'appId' in u ? `AppId ${u.appId}` : `appkey ${u.appkey}`}\t${u.rateLimit}/s\t${last}`);
      }
    });

  program
    .command('sync')
    .description("pull an app's catalog from its upstream vendor account (idempotent: a second run writes nothing new)")
    .argument('<name>', 'the app')
    .option('--dialect <d>', 'zego or ivh (default: every upstream the app has)')
    .option('--public', "only the vendor's public assets (into the public catalog, once for all apps)")
    .option('--private', "only the app's own assets")
    .option('--json', 'progress and the summary as JSON lines')
    .action(async (name: string, o: { dialect?: string; public?: boolean; private?: boolean; json?: boolean }) => {
      if (o.public && o.private) throw new TimbrelError('invalid_parameter', '--public and --private exclude each other: without either, both are synced');
      const scope: SyncScope = o.public ? 'public' : o.private ? 'private' : 'all';
      const report = progressOutput(o.json);
      const line = (r: SyncReport) =>
        `${r.dialect}: ${r.pages} requests, ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.retired} retired, ${r.restored} restored, ${r.conflicts} conflicts, ${r.files} files copied${r.fileErrors ? ` (${r.fileErrors} failed)` : ''}`;
      const failed = await withServices(async (s) => {
        const app = await s.apps.named(name);
        const dialects = o.dialect ? [dialectOf(o.dialect)] : (await s.repo.upstreams.list(app.id)).map((u) => u.dialect);
        if (!dialects.length) throw new TimbrelError('not_found', `${name} has no upstream: set one with timbrel apps upstream set`);
        let bad = 0;
        // Ctrl-C (or a TERM) stops the sync between two requests: the report says cancelled, nothing is retired.
        const stop = new AbortController();
        const cancel = () => stop.abort();
        process.once('SIGINT', cancel).once('SIGTERM', cancel);
        for (const d of dialects) {
          if (stop.signal.aborted) break;
          const r = await syncUpstream(s, name, d, { scope, signal: stop.signal, onProgress: (p) => report.progress(p, line(p)) });
          report.done(r);
          if (!o.json) {
            const verdict = r.outcome === 'completed' ? 'synced' : r.outcome === 'cancelled' ? 'sync CANCELLED' : 'sync FAILED';
            out(printable(`${verdict} ${line(r)}${r.error ? `\n  ${r.error}` : ''}${r.rowErrors.map((e) => `\n  - ${e}`).join('')}`));
          }
          if (r.outcome !== 'completed') bad++;
        }
        process.off('SIGINT', cancel).off('SIGTERM', cancel);
        return bad;
      });
      if (failed) process.exitCode = 1;
    });

  program
    .command('files')
    .description('stored files (pictures, samples, videos)')
    .command('gc')
    .description(
      'remove stored files no timbre or digital human has referenced for the grace period (a serving instance also does it every TIMBREL_FILE_GC_INTERVAL_SECONDS)',
    )
    .option('--grace <seconds>', 'unreferenced for at least this long (default TIMBREL_FILE_GRACE_SECONDS)')
    .option('--settle <seconds>', 'wait between deleting a row and its bytes, for an upload recording the same file again', '60')
    .option('--json', 'print the result as JSON')
    .action(async (o: { grace?: string; settle: string; json?: boolean }) => {
      const seconds = (v: string, what: string) => {
        if (!/^\d+$/.test(v)) throw new TimbrelError('invalid_parameter', `--${what} must be a whole number of seconds`);
        return Number(v);
      };
      const r = await withServices((s, c) =>
        collectFiles(s, { graceMs: seconds(o.grace ?? String(c.fileGraceSeconds), 'grace') * 1000, settleMs: seconds(o.settle, 'settle') * 1000 }),
      );
      out(o.json ? JSON.stringify(r) : `removed ${r.removed} unreferenced stored file(s) and ${r.spooled} interrupted upload part(s)`);
    });

  program
    .command('secrets')
    .description("apps' signing secrets at rest (TIMBREL_SECRET_KEY)")
    .command('reencrypt')
    .description('seal every app secret and the file-URL signing key under the current TIMBREL_SECRET_KEY (after setting or rotating it)')
    .action(async () => {
      await withServices(async (s) => {
        if (!s.repo.box.encrypting) throw new TimbrelError('invalid_parameter', 'TIMBREL_SECRET_KEY is not set: there is no key to encrypt under');
        const n = await s.repo.reencryptSecrets(s.now());
        out(`re-encrypted the secrets of ${n} app(s) and the file-URL signing key under the current key; previous keys can now be removed`);
      });
    });

  program
    .command('admin-token')
    .description('the operator token of the /v1 API')
    .requiredOption('--rotate', 'make a new token (the old one stops working) and print it once')
    .action(async () => {
      out(await withServices((s) => s.access.rotateAdminToken(), { create: true }));
    });

  const keys = program.command('keys').description("manage apps' API keys for the /v1 API");
  keys
    .command('create')
    .description('create an API key for an app and print it (shown once)')
    .requiredOption('--app <name>', 'the app')
    .option('--name <label>', 'a label for the key', 'default')
    .option('--json', 'print one JSON object')
    .action(async (o: { app: string; name: string; json?: boolean }) => {
      const { key, text } = await withServices(async (s) => {
        return s.access.createKey(await s.apps.named(o.app), o.name);
      });
      out(
        o.json
          ? JSON.stringify({ id: key.id, app: o.app, name: key.name, key: text })
          : `${text}\n  (key ${key.id} of app ${o.app}; shown once, stored only as a hash)`,
      );
    });
  keys
    .command('list')
    .description("list an app's keys (never the keys themselves)")
    .requiredOption('--app <name>', 'the app')
    .option('--json', 'one JSON object per line')
    .action(async (o: { app: string; json?: boolean }) => {
      const list = await withServices(async (s) => s.repo.apiKeys.list((await s.apps.named(o.app)).id));
      for (const k of list) {
        const row = {
          id: k.id,
          name: k.name,
          createdAt: new Date(k.createdAt).toISOString(),
          revokedAt: k.revokedAt === null ? null : new Date(k.revokedAt).toISOString(),
        };
        out(o.json ? JSON.stringify(row) : `${row.id}\t${row.name}\t${row.createdAt}\t${row.revokedAt ? `revoked ${row.revokedAt}` : 'active'}`);
      }
    });
  keys
    .command('revoke')
    .description('revoke an API key at once')
    .argument('<id>')
    .action(async (id: string) => {
      const done = await withServices((s) => s.repo.apiKeys.revoke(id, s.now()));
      if (!done) throw new Error(`no live key ${id}`);
      out(`revoked ${id}`);
    });

  program
    .command('import')
    .description('import a catalog file (NDJSON, or .json); re-importing updates, never duplicates')
    .argument('<file>', 'catalog file, or - for NDJSON on standard input')
    .addOption(new Option('--format <format>', 'file format').choices(['ndjson', 'json']))
    .option('--json', 'JSON lines: {"event":"progress",…} after each committed transaction, then {"event":"done",…}')
    .action(async (file: string, o: { format?: 'ndjson' | 'json'; json?: boolean }) => {
      boundHeapGrowth();
      const started = performance.now();
      const figures = (r: ImportResult) => {
        const seconds = (performance.now() - started) / 1000;
        const rows = r.anchors + r.timbres + r.digitalHumans + r.bindings;
        return {
          ...r,
          seconds: Math.round(seconds * 1000) / 1000,
          rowsPerSecond: Math.round(rows / seconds),
          peakRssBytes: process.resourceUsage().maxRSS * 1024,
        };
      };
      const report = progressOutput(o.json);
      // NDJSON from a file: how far into it the committed records reach, and at this pace when it ends.
      let source: ReturnType<typeof openCatalogFile> | undefined;
      const onProgress = (r: ImportResult) => {
        const f = figures(r);
        const at = source?.position?.();
        const share = at && at.of > 0 ? at.bytes / at.of : undefined;
        const eta = share && share < 1 ? ` (${Math.floor(share * 100)}% of the file, about ${Math.ceil((f.seconds * (1 - share)) / share)} s to go)` : '';
        report.progress(
          at ? { ...f, bytesRead: at.bytes, bytesTotal: at.of } : f,
          `committed ${(r.anchors + r.timbres + r.digitalHumans + r.bindings).toLocaleString('en')} records, ${f.rowsPerSecond.toLocaleString('en')} rows/s, ${f.seconds.toFixed(1)} s${eta}`,
        );
      };
      // A file that is not there is said as such, before any store is opened.
      if (file !== '-' && !existsSync(file)) {
        if (o.json) out(JSON.stringify({ event: 'failed', message: `no such file: ${file}` }));
        throw new Error(`no such file: ${file}`);
      }
      // On a terminal the status line also moves between commits (at most 4 times a second): records read
      // so far, and how far into the file they reach.
      let shownAt = 0;
      let committed = 0;
      const onRead = (records: number) => {
        if (o.json || !process.stderr.isTTY || performance.now() - shownAt < 250) return;
        shownAt = performance.now();
        const at = source?.position?.();
        const share = at && at.of > 0 ? ` (${Math.floor((at.bytes / at.of) * 100)}% of the file)` : '';
        process.stderr.write(
          `\r\x1b[K  read ${records.toLocaleString('en')} records${share}, committed ${committed.toLocaleString('en')}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
      };
      try {
        source = openCatalogFile(file, o.format);
        const opened = source;
        const result = await withServices(
          (s) =>
            new CatalogImporter(s, (r) => ((committed = r.anchors + r.timbres + r.digitalHumans + r.bindings), onProgress(r)), undefined, onRead).run(opened),
          { create: true },
        );
        const summary = figures(result);
        report.done(summary);
        if (!o.json)
          out(
            `imported ${result.anchors} anchors, ${result.timbres} timbres, ${result.digitalHumans} digital humans, ${result.bindings} bindings, ${result.files} files in ${summary.seconds} s (${summary.rowsPerSecond} rows/s)`,
          );
        if (!o.json && result.skipped) {
          const more = result.skipped > result.conflicts.length ? `\n  … and ${result.skipped - result.conflicts.length} more` : '';
          process.stderr.write(
            `skipped ${result.skipped} records that would take another owner's row or key (nothing was moved):\n  ${result.conflicts.join('\n  ')}${more}\n`,
          );
        }
      } catch (err) {
        report.abort();
        const c = err instanceof ImportError ? err.committed : undefined;
        const written = c ? c.anchors + c.timbres + c.digitalHumans + c.bindings + c.files : 0;
        // --json: the failure is a JSON line on standard output too, like every other event of the import.
        if (o.json) {
          out(
            JSON.stringify({
              event: 'failed',
              where: err instanceof ImportError ? err.where : undefined,
              message: (err as Error).message,
              committed: c ? figures(c) : undefined,
            }),
          );
        }
        if (c && written) {
          throw new Error(
            `${(err as Error).message}\n  (committed before it: ${c.anchors} anchors, ${c.timbres} timbres, ${c.digitalHumans} digital humans, ${c.bindings} bindings; its transaction was not written)`,
          );
        }
        if (c) throw new Error(`${(err as Error).message}\n  (nothing was written)`);
        throw err;
      }
    });

  program
    .command('export')
    .description('write the whole catalog as NDJSON (or one JSON document)')
    .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'json']).default('ndjson'))
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--json', 'with --out: JSON-lines progress on standard output ({"event":"progress",…} every 50,000 records, then {"event":"done",…})')
    .action(async (o: { format: 'ndjson' | 'json'; out?: string; json?: boolean }) => {
      if (o.json && !o.out) throw new Error('--json needs --out: the catalog itself goes to standard output otherwise');
      const sink = o.out ? createWriteStream(o.out) : process.stdout;
      const write = (s: string) => new Promise<void>((res) => (sink.write(s) ? res() : sink.once('drain', res)));
      const started = performance.now();
      let records = 0;
      const report = progressOutput(o.json);
      const figures = () => ({ records, seconds: Math.round(performance.now() - started) / 1000 });
      const counted = async function* (s: Services) {
        for await (const r of exportCatalog(s)) {
          yield r;
          if (++records % 50_000 === 0) {
            const f = figures();
            report.progress(f, `exported ${records.toLocaleString('en')} records, ${f.seconds.toFixed(1)} s`);
          }
        }
      };
      await withServices(async (s) => {
        if (o.format === 'ndjson') {
          for await (const r of counted(s)) await write(`${JSON.stringify(r)}\n`);
          return;
        }
        const groups: Record<string, unknown[]> = { digitalHumans: [], timbres: [], bindings: [] };
        const field = { digitalHuman: 'digitalHumans', timbre: 'timbres', binding: 'bindings' } as Record<string, string>;
        for await (const { kind, ...r } of counted(s)) groups[field[kind as string]].push(r);
        await write(`${JSON.stringify(groups, null, 2)}\n`);
      });
      if (o.out) await new Promise<void>((res) => (sink as ReturnType<typeof createWriteStream>).end(res));
      report.done(figures());
    });

  program
    .command('curl')
    .description('print a freshly signed curl for an app (to try a dialect by hand)')
    .argument('<dialect>', 'zego or ivh')
    .option('--app <name>', 'app name', DEMO_APP)
    .option('--url <url>', 'the server to call (default TIMBREL_PUBLIC_URL, or http://127.0.0.1:<port>)')
    .option('--port <port>', 'the local port the server listens on, when it is not the configured one')
    .action(async (dialect: string, o: { app: string; url?: string; port?: string }) => {
      if (dialect !== 'zego' && dialect !== 'ivh') throw new Error(`<dialect> must be zego or ivh, got ${JSON.stringify(dialect)}`);
      if (o.url !== undefined && o.port !== undefined) throw new Error('give --url or --port, not both');
      if (o.url !== undefined && !/^https?:\/\/[^/\s]+/.test(o.url)) throw new Error(`--url must be an http(s) URL, got ${JSON.stringify(o.url)}`);
      if (o.port !== undefined && (!/^\d+$/.test(o.port) || Number(o.port) < 1 || Number(o.port) > 65535))
        throw new Error(`--port must be an integer in [1, 65535], got ${JSON.stringify(o.port)}`);
      await withServices(async (s, config) => {
        const app = await s.apps.byName(o.app);
        if (!app) throw new Error(`no app named ${o.app}`);
        const base = o.url !== undefined ? o.url.replace(/\/+$/, '') : o.port !== undefined ? `http://127.0.0.1:${o.port}` : config.publicUrl;
        if (dialect === 'zego') out(zegoCurl(base, app, 'GetTimbreList', { Offset: 0, Limit: 20 }));
        else out(ivhCurl(base, app, 'describetimbre', { PageIndex: 1, PageSize: 10 }));
      });
    });

  await program.parseAsync(argv);
}
