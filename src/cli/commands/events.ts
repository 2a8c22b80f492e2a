import type { Command } from 'commander';
import { TimbrelError } from '../../core/errors.js';
import type { Services } from '../../services.js';
import { eventViews, typesOf } from '../../dialects/native/events.js';
import { addWebhook, pingWebhook, redeliver, rotateWebhookSecret } from '../../webhooks/index.js';
import { OutboundRefused } from '../../outbound/index.js';
import type { Webhook } from '../../store/index.js';
import { out, withServices } from '../shared.js';

/** How often `events tail` looks at the store's change token (a cheap local read) while it follows. */
const TAIL_TICK_MS = 200;

/** `timbrel events tail` and `timbrel webhooks …`. */
export function register(program: Command): void {
  const events = program.command('events').description('the event log: one event per change of the catalog (docs/events.md)');
  events
    .command('tail')
    .description('print the events from now on (or after --after) as they come, until Ctrl-C')
    .option('--app <name>', "only what this app may see (the public catalog's events and its own)")
    .option('--types <list>', 'comma-separated types, kind.* for all of a kind (timbre.*,binding.updated)')
    .option('--after <cursor>', 'start after this event (a seq), not at the head')
    .option('--no-follow', 'print what is there and exit')
    .option('--json', 'one JSON event per line (as /v1/events shows them)')
    .action(async (o: { app?: string; types?: string; after?: string; follow: boolean; json?: boolean }) => {
      await withServices(async (s) => {
        const viewer = o.app === undefined ? undefined : (await s.apps.named(o.app)).id;
        const types = typesOf(o.types);
        if (o.after !== undefined && !/^\d{1,15}$/.test(o.after)) throw new TimbrelError('invalid_parameter', '--after must be an event seq');
        let after = o.after === undefined ? await s.repo.events.head() : Number(o.after);
        const stop = new AbortController();
        process.once('SIGINT', () => stop.abort()).once('SIGTERM', () => stop.abort());
        for (;;) {
          const seen = s.repo.engine.changeToken();
          const page = await s.repo.events.read({ after, limit: 500, viewer, types });
          for (const e of await eventViews(s, page.events))
            out(
              o.json
                ? JSON.stringify(e)
                : `${e.seq}\t${e.createdAt}\t${e.type}\t${e.object.id}\t${e.object.owner}\t${e.source}${e.changed.length ? `\t${e.changed.join(',')}` : ''}`,
            );
          after = page.next;
          if (page.hasMore) continue;
          if (!o.follow || stop.signal.aborted) return;
          while (s.repo.engine.changeToken() === seen && !stop.signal.aborted) await new Promise((r) => setTimeout(r, TAIL_TICK_MS));
          if (stop.signal.aborted) return;
        }
      });
    });

  const hooks = program.command('webhooks').description('webhook endpoints: the event log POSTed to a URL, signed (Standard Webhooks)');
  const appIdOf = async (s: Services, app: string | undefined) => (app === undefined ? '' : (await s.apps.named(app)).id);
  const view = async (s: Services, w: Webhook) => ({
    id: w.id,
    app: w.appId === '' ? null : ((await s.repo.apps.byId(w.appId))?.name ?? null),
    url: w.url,
    types: w.types,
    status: w.status,
    disabledReason: w.disabledReason,
  });
  const found = async (s: Services, id: string) => {
    const w = await s.repo.webhooks.byId(id);
    if (!w) throw new TimbrelError('not_found', `no webhook endpoint ${id}`);
    return w;
  };
  hooks
    .command('add')
    .description("add an endpoint (an app's: what the app may see; without --app, the operator's: every event) and print its secret (shown once)")
    .argument('<url>', 'https (http only for a host:port in TIMBREL_OUTBOUND_ALLOW_HTTP)')
    .option('--app <name>', 'the app whose endpoint it is')
    .option('--types <list>', 'comma-separated types, kind.* for all of a kind (default: every type)')
    .option('--description <text>', 'what it is for')
    .option('--json', 'print one JSON object')
    .action(async (url: string, o: { app?: string; types?: string; description?: string; json?: boolean }) => {
      const { w, shown } = await withServices(async (s) => {
        const w = await addWebhook(s, await appIdOf(s, o.app), { url, description: o.description, types: typesOf(o.types) }).catch((err: Error) => {
          throw err instanceof OutboundRefused ? new TimbrelError('invalid_parameter_value', `url: ${err.message}`) : err;
        });
        return { w, shown: await view(s, w) };
      });
      out(o.json ? JSON.stringify({ ...shown, secret: w.secret }) : `${w.id}\t${w.url}\n  secret ${w.secret} (shown once: verify deliveries with it)`);
    });
  hooks
    .command('list')
    .description('the endpoints (never their secrets)')
    .option('--app <name>', "one app's")
    .option('--json', 'one JSON object per line')
    .action(async (o: { app?: string; json?: boolean }) => {
      const rows = await withServices(async (s) => {
        const list = await s.repo.webhooks.list(o.app === undefined ? undefined : await appIdOf(s, o.app));
        return Promise.all(list.map((w) => view(s, w)));
      });
      for (const r of rows) out(o.json ? JSON.stringify(r) : `${r.id}\t${r.app ?? '(operator)'}\t${r.status}\t${r.url}\t${r.types.join(',') || '*'}`);
    });
  hooks
    .command('remove')
    .description('remove an endpoint and its deliveries')
    .argument('<id>')
    .action(async (id: string) => {
      if (!(await withServices((s) => s.repo.webhooks.remove(id)))) throw new TimbrelError('not_found', `no webhook endpoint ${id}`);
      out(`removed ${id}`);
    });
  hooks
    .command('rotate-secret')
    .description('a new signing secret (printed once); the old one still signs for 24 hours')
    .argument('<id>')
    .action(async (id: string) => {
      const r = await withServices((s) => rotateWebhookSecret(s, id));
      if (!r) throw new TimbrelError('not_found', `no webhook endpoint ${id}`);
      out(`${r.secret}\n  (the previous secret signs too until ${new Date(r.previousUntil).toISOString()})`);
    });
  hooks
    .command('enable')
    .description('enable an endpoint again (its failing streak cleared)')
    .argument('<id>')
    .action(async (id: string) => {
      await withServices(async (s) => {
        await found(s, id);
        await s.repo.webhooks.change(id, (w) => ({ ...w, status: 'enabled', failingSince: null, disabledReason: null, updatedAt: s.now() }));
      });
      out(`enabled ${id}`);
    });
  hooks
    .command('deliveries')
    .description("an endpoint's latest deliveries: status, attempts, the last answer")
    .argument('<id>')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'one JSON object per line')
    .action(async (id: string, o: { limit: string; json?: boolean }) => {
      if (!/^\d{1,3}$/.test(o.limit) || Number(o.limit) < 1) throw new TimbrelError('invalid_parameter', '--limit must be 1 to 999');
      const list = await withServices(async (s) => s.repo.webhooks.deliveries((await found(s, id)).id, Number(o.limit)));
      for (const d of list) {
        const row = {
          id: d.id,
          eventType: d.eventType,
          eventSeq: d.eventSeq,
          status: d.status,
          attempts: d.attempts,
          lastStatus: d.lastStatus,
          lastError: d.lastError,
        };
        out(o.json ? JSON.stringify(row) : `${d.id}\t${d.eventType}\t${d.status}\t${d.attempts} attempt(s)\t${d.lastStatus ?? ''}\t${d.lastError ?? ''}`);
      }
    });
  hooks
    .command('redeliver')
    .description('send a delivery again (same event, same webhook-id); a running server sends it')
    .argument('<id>', 'the endpoint')
    .argument('<delivery>', 'the delivery')
    .action(async (id: string, delivery: string) => {
      const made = await withServices(async (s) => {
        const d = await s.repo.webhooks.delivery((await found(s, id)).id, delivery);
        if (!d) throw new TimbrelError('not_found', `no delivery ${delivery} of ${id}`);
        return redeliver(s, d);
      });
      out(`queued ${made}`);
    });
  hooks
    .command('test')
    .description('send a ping event to an endpoint; a running server sends it')
    .argument('<id>')
    .action(async (id: string) => {
      const made = await withServices(async (s) => {
        const w = await found(s, id);
        return pingWebhook(s, w, w.appId === '' ? 'public' : ((await s.repo.apps.byId(w.appId))?.name ?? 'public'));
      });
      out(`queued ${made}`);
    });
}
