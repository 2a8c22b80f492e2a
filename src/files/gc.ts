/**
 * Garbage collection of stored files: a file no timbre or digital human has referenced for a grace period
 * (counted from the last time it was uploaded, imported or referenced by a write) is removed, row first,
 * bytes after a settle time. A write that references a file renews it in its own transaction
 * (FileStore.touch), and an upload of the same bytes records it again; the bytes of a file whose row
 * came back during the settle time are kept. Uploads interrupted by a crash leave spooled parts behind:
 * those older than an hour are removed too.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Services } from '../services.js';

export interface GcResult {
  /** Files whose rows and bytes were removed. */
  removed: number;
  /** Spooled parts of interrupted uploads removed. */
  spooled: number;
}

const SPOOL_STALE_MS = 3_600_000;

/**
 * How long the collection waits between deleting a file's row and removing its bytes: longer than an
 * upload of the same bytes takes from finding them stored to recording them again (a transaction).
 */
export const FILE_GC_SETTLE_MS = 60_000;

export async function collectFiles(services: Services, opts: { graceMs: number; settleMs: number }): Promise<GcResult> {
  const { repo, files } = services;
  let removed = 0;
  for (;;) {
    const ids = await repo.files.deleteUnreferenced(services.now() - opts.graceMs);
    if (!ids.length) break;
    await new Promise((r) => setTimeout(r, opts.settleMs));
    for (const id of ids) {
      if (await repo.files.byId(id)) continue;
      await files.remove(id);
      removed++;
    }
    if (ids.length < 1000) break;
  }
  return { removed, spooled: await sweepSpool(files.spoolDir, services.now()) };
}

async function sweepSpool(dir: string, now: number): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let n = 0;
  for (const name of names) {
    if (!name.startsWith('upload-')) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > SPOOL_STALE_MS) {
      await rm(path, { force: true });
      n++;
    }
  }
  return n;
}

/** Runs collectFiles every `intervalMs` (one run at a time) until stopped. */
export function scheduleFileGc(
  services: Services,
  opts: { intervalMs: number; graceMs: number; settleMs: number; onError(err: unknown): void; onDone(r: GcResult): void },
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    collectFiles(services, opts)
      .then(opts.onDone, opts.onError)
      .finally(() => (running = false));
  }, opts.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
