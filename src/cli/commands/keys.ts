import type { Command } from 'commander';
import { out, withServices } from '../shared.js';

/** `timbrel keys`. */
export function register(program: Command): void {
  const keys = program.command('keys').description("manage apps' API keys (they open the key dialects and the /v1 API)");
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
}
