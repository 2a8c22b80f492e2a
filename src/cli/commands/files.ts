import { collectFiles } from '../../files/gc.js';
import { TimbrelError } from '../../core/errors.js';
import type { Command } from 'commander';
import { out, withServices } from '../shared.js';

/** `timbrel files`. */
export function register(program: Command): void {
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
}
