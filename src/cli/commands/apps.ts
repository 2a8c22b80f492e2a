import { Option, type Command } from 'commander';
import { TimbrelError } from '../../core/errors.js';
import { dialectOf, setUpstream, upstreamView } from '../../upstream/settings.js';
import { out, withServices, credentials } from '../shared.js';

/** `timbrel apps`. */
export function register(program: Command): void {
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
}
