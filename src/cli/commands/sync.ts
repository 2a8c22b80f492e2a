import { TimbrelError } from '../../core/errors.js';
import { OPERATOR_UPSTREAM, type SyncReport } from '../../core/types.js';
import { dialectOf } from '../../upstream/settings.js';
import { syncUpstream, type SyncScope } from '../../upstream/sync/index.js';
import type { Command } from 'commander';
import { printable, out, withServices, progressOutput } from '../shared.js';

/** `timbrel sync`. */
export function register(program: Command): void {
  program
    .command('sync')
    .description("pull an app's catalog from its upstream vendor account (idempotent: a second run writes nothing new)")
    .argument('<name>', 'the app')
    .option('--dialect <d>', 'zego, ivh, elevenlabs, openai or heygen (default: every upstream of the app)')
    .option('--public', "only the vendor's public assets (into the public catalog, once for all apps)")
    .option('--private', "only the app's own assets")
    .option('--json', 'progress and the summary as JSON lines')
    .action(async (name: string, o: { dialect?: string; public?: boolean; private?: boolean; json?: boolean }) => {
      if (o.public && o.private) throw new TimbrelError('invalid_parameter', '--public and --private exclude each other: without either, both are synced');
      const scope: SyncScope = o.public ? 'public' : o.private ? 'private' : 'all';
      await runSyncs(name, o.dialect, scope, o.json);
    });
}

/** Syncs an app's upstreams (or the operator's, `name` undefined): one dialect, or every one that syncs. */
export async function runSyncs(name: string | undefined, dialect: string | undefined, scope: SyncScope, json?: boolean): Promise<void> {
  const report = progressOutput(json);
  const line = (r: SyncReport) =>
    `${r.dialect}: ${r.pages} requests, ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.retired} retired, ${r.restored} restored, ${r.conflicts} conflicts, ${r.files} files copied${r.fileErrors ? ` (${r.fileErrors} failed)` : ''}`;
  const failed = await withServices(async (s) => {
    const owner = name === undefined ? OPERATOR_UPSTREAM : (await s.apps.named(name)).id;
    const all = (await s.repo.upstreams.list(owner)).map((u) => u.dialect);
    const dialects = dialect ? [dialectOf(dialect)] : all;
    const who = name ?? 'the operator';
    const setOne = `set one with timbrel ${name === undefined ? '' : 'apps '}upstream set`;
    if (!dialects.length) throw new TimbrelError('not_found', `${who} has no upstream: ${setOne}`);
    let bad = 0;
    // Ctrl-C (or a TERM) stops the sync between two requests: the report says cancelled, nothing is retired.
    const stop = new AbortController();
    const cancel = () => stop.abort();
    process.once('SIGINT', cancel).once('SIGTERM', cancel);
    for (const d of dialects) {
      if (stop.signal.aborted) break;
      const r = await syncUpstream(s, name, d, { scope, signal: stop.signal, onProgress: (p) => report.progress(p, line(p)) });
      report.done(r);
      if (!json) {
        const verdict = r.outcome === 'completed' ? 'synced' : r.outcome === 'cancelled' ? 'sync CANCELLED' : 'sync FAILED';
        out(printable(`${verdict} ${line(r)}${r.error ? `\n  ${r.error}` : ''}${r.rowErrors.map((e) => `\n  - ${e}`).join('')}`));
      }
      if (r.outcome !== 'completed') bad++;
    }
    process.off('SIGINT', cancel).off('SIGTERM', cancel);
    return bad;
  });
  if (failed) process.exitCode = 1;
}
