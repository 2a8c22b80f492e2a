/**
 * `timbrel`: the CLI. Each command lives in its own file under `commands/` and registers itself here.
 */
import { Command } from 'commander';
import { DIALECTS } from '../dialects/registry.js';
import { packageVersion } from './shared.js';
import { setProcessSource } from '../core/events.js';
import { register as serve } from './commands/serve.js';
import { register as backup } from './commands/backup.js';
import { register as apps } from './commands/apps.js';
import { register as sync } from './commands/sync.js';
import { register as upstream } from './commands/upstreams.js';
import { register as files } from './commands/files.js';
import { register as secrets } from './commands/secrets.js';
import { register as keys } from './commands/keys.js';
import { register as importCatalog } from './commands/import-catalog.js';
import { register as exportCatalog } from './commands/export-catalog.js';
import { register as curl } from './commands/curl.js';
import { register as events } from './commands/events.js';

export async function main(argv: string[]): Promise<void> {
  // The events of what a CLI command changes say `cli` (`timbrel serve` says `api` again).
  setProcessSource('cli');
  await program().parseAsync(argv);
}

/** The CLI's commands, options and words (the tests hold the README and the docs to them). */
export function program(): Command {
  const program = new Command('timbrel')
    .description(`Self-hostable catalog of digital-human assets speaking the ${DIALECTS.map((d) => d.label).join(', ')} dialects`)
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError();

  serve(program);
  backup(program);
  apps(program);
  upstream(program);
  sync(program);
  files(program);
  secrets(program);
  keys(program);
  importCatalog(program);
  exportCatalog(program);
  events(program);
  curl(program);
  return program;
}
