import { upstreamCommands } from './upstreams.js';
import { Option, type Command } from 'commander';
import { TimbrelError } from '../../core/errors.js';
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

  upstreamCommands(apps.command('upstream'), 'app');
}
