import { resolve } from 'node:path';
import { loadConfig } from '../../config.js';
import { backup, restore } from '../../ops/backup.js';
import type { Command } from 'commander';
import { out, withServices } from '../shared.js';

/** `timbrel backup`. */
export function register(program: Command): void {
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
}
