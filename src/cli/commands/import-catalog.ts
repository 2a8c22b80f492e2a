import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { boundHeapGrowth } from '../../server.js';
import { CatalogImporter, ImportError, openCatalogFile, type ImportResult } from '../../catalog-io/import.js';
import { out, withServices, progressOutput } from '../shared.js';

/** `timbrel import`. */
export function register(program: Command): void {
  program
    .command('import')
    .description('import a catalog file (NDJSON, or .json); re-importing updates, never duplicates')
    .argument('<file>', 'catalog file, or - for NDJSON on standard input')
    .addOption(new Option('--format <format>', 'file format').choices(['ndjson', 'json']))
    .option('--json', 'JSON lines: {"event":"progress",…} after each committed transaction, then {"event":"done",…}')
    .action(async (file: string, o: { format?: 'ndjson' | 'json'; json?: boolean }) => {
      boundHeapGrowth();
      const started = performance.now();
      const figures = (r: ImportResult) => {
        const seconds = (performance.now() - started) / 1000;
        const rows = r.anchors + r.timbres + r.digitalHumans + r.bindings;
        return {
          ...r,
          seconds: Math.round(seconds * 1000) / 1000,
          rowsPerSecond: Math.round(rows / seconds),
          peakRssBytes: process.resourceUsage().maxRSS * 1024,
        };
      };
      const report = progressOutput(o.json);
      // NDJSON from a file: how far into it the committed records reach, and at this pace when it ends.
      let source: ReturnType<typeof openCatalogFile> | undefined;
      const onProgress = (r: ImportResult) => {
        const f = figures(r);
        const at = source?.position?.();
        const share = at && at.of > 0 ? at.bytes / at.of : undefined;
        const eta = share && share < 1 ? ` (${Math.floor(share * 100)}% of the file, about ${Math.ceil((f.seconds * (1 - share)) / share)} s to go)` : '';
        report.progress(
          at ? { ...f, bytesRead: at.bytes, bytesTotal: at.of } : f,
          `committed ${(r.anchors + r.timbres + r.digitalHumans + r.bindings).toLocaleString('en')} records, ${f.rowsPerSecond.toLocaleString('en')} rows/s, ${f.seconds.toFixed(1)} s${eta}`,
        );
      };
      // A file that is not there is said as such, before any store is opened.
      if (file !== '-' && !existsSync(file)) {
        if (o.json) out(JSON.stringify({ event: 'failed', message: `no such file: ${file}` }));
        throw new Error(`no such file: ${file}`);
      }
      // On a terminal the status line also moves between commits (at most 4 times a second): records read
      // so far, and how far into the file they reach.
      let shownAt = 0;
      let committed = 0;
      const onRead = (records: number) => {
        if (o.json || !process.stderr.isTTY || performance.now() - shownAt < 250) return;
        shownAt = performance.now();
        const at = source?.position?.();
        const share = at && at.of > 0 ? ` (${Math.floor((at.bytes / at.of) * 100)}% of the file)` : '';
        process.stderr.write(
          `\r\x1b[K  read ${records.toLocaleString('en')} records${share}, committed ${committed.toLocaleString('en')}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
      };
      try {
        source = openCatalogFile(file, o.format);
        const opened = source;
        const result = await withServices(
          (s) =>
            new CatalogImporter(s, (r) => ((committed = r.anchors + r.timbres + r.digitalHumans + r.bindings), onProgress(r)), undefined, onRead).run(opened),
          { create: true },
        );
        const summary = figures(result);
        report.done(summary);
        if (!o.json)
          out(
            `imported ${result.anchors} anchors, ${result.timbres} timbres, ${result.digitalHumans} digital humans, ${result.bindings} bindings, ${result.files} files in ${summary.seconds} s (${summary.rowsPerSecond} rows/s)`,
          );
        if (!o.json && result.skipped) {
          const more = result.skipped > result.conflicts.length ? `\n  … and ${result.skipped - result.conflicts.length} more` : '';
          process.stderr.write(
            `skipped ${result.skipped} records that would take another owner's row or key (nothing was moved):\n  ${result.conflicts.join('\n  ')}${more}\n`,
          );
        }
      } catch (err) {
        report.abort();
        const c = err instanceof ImportError ? err.committed : undefined;
        const written = c ? c.anchors + c.timbres + c.digitalHumans + c.bindings + c.files : 0;
        // --json: the failure is a JSON line on standard output too, like every other event of the import.
        if (o.json) {
          out(
            JSON.stringify({
              event: 'failed',
              where: err instanceof ImportError ? err.where : undefined,
              message: (err as Error).message,
              committed: c ? figures(c) : undefined,
            }),
          );
        }
        if (c && written) {
          throw new Error(
            `${(err as Error).message}\n  (committed before it: ${c.anchors} anchors, ${c.timbres} timbres, ${c.digitalHumans} digital humans, ${c.bindings} bindings; its transaction was not written)`,
          );
        }
        if (c) throw new Error(`${(err as Error).message}\n  (nothing was written)`);
        throw err;
      }
    });
}
