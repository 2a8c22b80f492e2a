import { createWriteStream } from 'node:fs';
import { Option, type Command } from 'commander';
import { type Services } from '../../services.js';
import { exportCatalog } from '../../catalog-io/export.js';
import { withServices, progressOutput } from '../shared.js';

/** `timbrel export`. */
export function register(program: Command): void {
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
        // The import's JSON document: every kind the export writes has its list (docs/catalog-format.md).
        const groups: Record<string, unknown[]> = { anchors: [], digitalHumans: [], timbres: [], bindings: [] };
        const field: Record<string, string> = { anchor: 'anchors', digitalHuman: 'digitalHumans', timbre: 'timbres', binding: 'bindings' };
        for await (const { kind, ...r } of counted(s)) groups[field[kind as string]].push(r);
        await write(`${JSON.stringify(groups, null, 2)}\n`);
      });
      if (o.out) await new Promise<void>((res) => (sink as ReturnType<typeof createWriteStream>).end(res));
      report.done(figures());
    });
}
