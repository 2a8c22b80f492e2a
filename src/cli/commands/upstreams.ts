import { TimbrelError } from '../../core/errors.js';
import { OPERATOR_UPSTREAM, type Upstream } from '../../core/types.js';
import { dialectOf, setUpstream, UPSTREAM_DIALECTS, upstreamView } from '../../upstream/settings.js';
import type { Command } from 'commander';
import { out, withServices } from '../shared.js';
import { runSyncs } from './sync.js';

/** How a listing names an upstream's account (never its secret). */
const accountOf = (u: Upstream): string =>
  u.dialect === 'zego' ? `AppId ${u.account}` : u.dialect === 'ivh' ? `appkey ${u.account}` : `API key …${u.secret.slice(-4)}`;

/**
 * `timbrel apps upstream …` (an app's own accounts) and `timbrel upstream …` (the operator's, used by every
 * app without its own for that dialect): set, remove, list.
 */
export function upstreamCommands(group: Command, whose: 'app' | 'operator'): void {
  const app = whose === 'app';
  const dialects = UPSTREAM_DIALECTS.join(', ');
  group.description(
    app
      ? "an app's own accounts at the vendors: calls timbrel does not serve are relayed there, and `timbrel sync` pulls the catalog from them"
      : "the operator's accounts at the vendors: an app without an upstream of its own for a dialect relays through these",
  );
  /** The owner id of the upstreams named by the command's arguments. */
  const ownerOf = async (s: Parameters<Parameters<typeof withServices>[0]>[0], name?: string) =>
    name === undefined ? OPERATOR_UPSTREAM : (await s.apps.named(name)).id;
  const label = (name?: string) => name ?? 'operator';

  const set = group
    .command('set')
    .description(
      `set (or replace) ${app ? "an app's" : "the operator's"} upstream for a dialect: zego needs --app-id and --server-secret, ivh --appkey and --accesstoken, elevenlabs, openai and heygen --api-key`,
    );
  if (app) set.argument('<name>', 'the app');
  set
    .argument('<dialect>', dialects)
    .option(
      '--url <url>',
      "the vendor's base URL (default: as set before, else the vendor's own host; https only, unless its host:port is in TIMBREL_UPSTREAM_ALLOW_HTTP)",
    )
    .option('--app-id <n>', "ZEGO: the account's AppId at ZEGO")
    .option('--server-secret <s>', "ZEGO: the account's ServerSecret at ZEGO")
    .option('--appkey <k>', "IVH: the account's appkey at Tencent")
    .option('--accesstoken <t>', "IVH: the account's accesstoken at Tencent")
    .option('--api-key <k>', "ElevenLabs, OpenAI-compatible, HeyGen: the account's API key at the vendor")
    .option('--rate-limit <n>', 'requests a second a sync may make to the vendor', '10')
    .option('--open', 'ElevenLabs, OpenAI-compatible, HeyGen: also relay calls naming voices or avatars the catalog holds nowhere')
    .option('--no-open', 'relay only what the catalog allows (the default)')
    .option('--json', 'print one JSON object')
    .action(async (...args: unknown[]) => {
      const [name, dialect, o] = (app ? args : [undefined, ...args]) as [
        string | undefined,
        string,
        {
          url?: string;
          appId?: string;
          serverSecret?: string;
          appkey?: string;
          accesstoken?: string;
          apiKey?: string;
          rateLimit: string;
          open?: boolean;
          json?: boolean;
        },
      ];
      if (!/^\d{1,6}$/.test(o.rateLimit)) throw new TimbrelError('invalid_parameter', '--rate-limit must be a whole number of requests a second');
      const u = await withServices((s) => setUpstream(s, name, dialectOf(dialect), { ...o, rateLimit: Number(o.rateLimit) }));
      out(o.json ? JSON.stringify(upstreamView(u)) : `${label(name)}: ${u.dialect} upstream ${u.url} (${accountOf(u)})`);
    });

  const remove = group.command('remove').description(`remove ${app ? "an app's" : "the operator's"} upstream for a dialect (rows its syncs wrote stay)`);
  if (app) remove.argument('<name>', 'the app');
  remove.argument('<dialect>', dialects).action(async (...args: unknown[]) => {
    const [name, dialect] = (app ? args : [undefined, ...args]) as [string | undefined, string];
    const removed = await withServices(async (s) => s.repo.upstreams.remove(await ownerOf(s, name), dialectOf(dialect)));
    if (!removed) throw new TimbrelError('not_found', `${label(name)} has no ${dialect} upstream`);
    out(`${label(name)}: ${dialect} upstream removed`);
  });

  const list = group.command('list').description(`${app ? "an app's" : "the operator's"} upstreams (secrets masked) and their last syncs`);
  if (app) list.argument('<name>', 'the app');
  list.option('--json', 'print a JSON array').action(async (...args: unknown[]) => {
    const [name, o] = (app ? args : [undefined, ...args]) as [string | undefined, { json?: boolean }];
    const all = await withServices(async (s) => s.repo.upstreams.list(await ownerOf(s, name)));
    if (o.json) return void out(JSON.stringify(all.map(upstreamView)));
    if (!all.length) return void out(`${label(name)} has no upstream`);
    for (const u of all) {
      const last = u.lastSync ? `last sync ${u.lastSync.outcome} ${new Date(u.lastSync.startedAt).toISOString()}` : 'never synced';
      out(`${u.dialect}\t${u.url}\t${accountOf(u)}\t${u.rateLimit}/s\t${last}`);
    }
  });
}

/** `timbrel upstream`: the operator's upstreams. */
export function register(program: Command): void {
  const group = program.command('upstream');
  upstreamCommands(group, 'operator');
  group
    .command('sync')
    .description("pull the public catalog from the operator's upstreams (everything they list is written public)")
    .argument('[dialect]', 'one dialect (default: every operator upstream)')
    .option('--json', 'progress and the summary as JSON lines')
    .action((dialect: string | undefined, o: { json?: boolean }) => runSyncs(undefined, dialect, 'public', o.json));
}
