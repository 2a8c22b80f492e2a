/**
 * The parse worker: reads a catalog file and posts validated chunks to the importer, at most `inFlight`
 * chunks ahead of what the importer has taken (src/catalog-io/source.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { packChunk, parseChunks, readRecords, type CatalogFormat } from './source.js';

const { path, format, now, inFlight } = workerData as { path: string; format: CatalogFormat; now: number; inFlight: number };
const port = parentPort!;
let credits: number = inFlight;
let wake: (() => void) | undefined;
port.on('message', () => {
  credits++;
  wake?.();
});

// Bytes of the file read as far as the records parsed so far (the importer's progress).
let at: number | undefined;
async function* tracked() {
  for await (const r of readRecords(path, format)) {
    if (r.at !== undefined) at = r.at;
    yield r;
  }
}

try {
  for await (const chunk of parseChunks(tracked(), now)) {
    while (credits === 0) await new Promise<void>((r) => (wake = r));
    credits--;
    port.postMessage({ ...packChunk(chunk), at });
  }
  port.postMessage({ done: true });
} catch (err) {
  port.postMessage({ failed: (err as Error).message });
}
