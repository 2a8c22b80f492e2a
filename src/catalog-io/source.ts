/**
 * Catalog sources: a file (NDJSON, one record a line, or one JSON document) read and validated in a
 * worker thread beside the writer, or records handed over in-process.
 */
import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { on } from 'node:events';
import { Worker } from 'node:worker_threads';
import { TimbrelError } from '../core/errors.js';
import { forImport, parseRecord, type ImportRecord } from './parse.js';
import type { Kind } from './records.js';
import { TIMBRE_COLUMN } from '../store/index.js';

/** Records validated a chunk at a time, in file order. */
export interface ImportSource {
  chunks(now: number): AsyncIterable<ImportRecord[]>;
  /**
   * Relative local file paths are read from here; null: a source that may not name local files at all (a
   * catalog sent over the API: the server's files are not the caller's to read).
   */
  baseDir: string | null;
  /**
   * How far reading has come: bytes of the file read up to the last chunk handed out, and the file's size
   * (an NDJSON file; undefined for standard input and in-process records).
   */
  position?(): { bytes: number; of: number } | undefined;
}

export type CatalogFormat = 'json' | 'ndjson';

export const CHUNK = 1000;

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** Records with the line (NDJSON) or position (JSON) they came from, for error reports. */
export async function* readRecords(path: string, format: CatalogFormat): AsyncGenerator<{ where: string; record: unknown; at?: number }> {
  if (format === 'ndjson') {
    const file = path === '-' ? undefined : createReadStream(path);
    const lines = createInterface({ input: file ?? process.stdin, crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        record = new TimbrelError('invalid_parameter', 'is not valid JSON');
      }
      // Bytes read from the file so far (ahead of this line by at most the stream's buffer).
      yield { where: `line ${n}`, record, at: file?.bytesRead };
    }
    return;
  }
  const doc = JSON.parse(path === '-' ? await text(process.stdin) : await readFile(path, 'utf8'));
  if (typeof doc !== 'object' || doc === null) throw new Error(`${path} is not a catalog document`);
  const groups: [string, Kind][] = [
    ['anchors', 'anchor'],
    ['digitalHumans', 'digitalHuman'],
    ['timbres', 'timbre'],
    ['bindings', 'binding'],
  ];
  for (const [field, kind] of groups) {
    const items = doc[field] ?? [];
    if (!Array.isArray(items)) throw new Error(`${path}: ${field} must be an array`);
    for (let i = 0; i < items.length; i++) yield { where: `${field}[${i}]`, record: { kind, ...items[i] } };
  }
}

/** Validates records in chunks; stops after the first bad one (the import stops there). */
export async function* parseChunks(records: AsyncIterable<{ where: string; record: unknown }>, now: number): AsyncGenerator<ImportRecord[]> {
  let chunk: ImportRecord[] = [];
  for await (const { where, record } of records) {
    const p = forImport(parseRecord(where, record, now));
    chunk.push(p);
    if (p.kind === 'error') break;
    if (chunk.length >= CHUNK) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/** Records given in-process (tests, the API); validated in this thread. */
export function recordSource(
  records: AsyncIterable<{ where: string; record: unknown }> | Iterable<{ where: string; record: unknown }>,
  baseDir: string | null = process.cwd(),
): ImportSource {
  return {
    baseDir,
    chunks: (now) =>
      parseChunks(
        (async function* () {
          yield* records;
        })(),
        now,
      ),
  };
}

/**
 * Chunks in flight between the parse worker and the writer: enough to keep both busy, bounded memory. The
 * worker parses on while a PostgreSQL transaction writes its staged rows (~1 s a 50,000-row transaction):
 * 4 chunks ahead, a million rows imported at 28,900 rows/s; 16 at 32,200 (peak RSS 209 → 226 MB); 48 at
 * 32,200 (270 MB).
 */
const IN_FLIGHT = 16;

/**
 * A catalog file (`-` = standard input), read and validated in a worker thread so that JSON parsing and
 * validation run beside the writer. `.json` is one document; anything else is NDJSON.
 */
export function openCatalogFile(path: string, format?: CatalogFormat): ImportSource {
  const fmt = format ?? (path.endsWith('.json') ? 'json' : 'ndjson');
  let at: number | undefined;
  let size: number | undefined;
  try {
    size = path === '-' || fmt !== 'ndjson' ? undefined : statSync(path).size;
  } catch {
    size = undefined;
  }
  return {
    baseDir: dirname(resolve(path === '-' ? '.' : path)),
    chunks: (now) => workerChunks(path, fmt, now, (bytes) => (at = bytes)),
    position: () => (at === undefined || size === undefined ? undefined : { bytes: Math.min(at, size), of: size }),
  };
}

/**
 * The columns of a timbre that mostly repeat from row to row: enums, short lists, times. The writer's thread
 * is the import's bottleneck, and deserializing a string costs it as much as making one, so a chunk from
 * the parse worker carries each distinct value of these once, and its rows carry indexes (~6 strings a row
 * cross instead of ~17; measured +5% rows/s on a million timbres).
 */
const SHARED = (
  [
    'owner',
    'gender',
    'languages',
    'emotions',
    'timbre_type',
    'supported_avatar_types',
    'driver_types',
    'expires_at',
    'tags',
    'age',
    'accent',
    'use_cases',
    'status',
    'replaced_by',
    'created_at',
    'updated_at',
  ] as const
).map((c) => TIMBRE_COLUMN[c]);

/** A chunk as the parse worker posts it: its timbre rows' SHARED columns are indexes into `values`. */
export interface PackedChunk {
  chunk: ImportRecord[];
  values: unknown[];
}

/** Packs a chunk in place for posting. */
export function packChunk(chunk: ImportRecord[]): PackedChunk {
  const values: unknown[] = [];
  const index = new Map<unknown, number>();
  for (const p of chunk) {
    if (p.kind !== 'timbre') continue;
    for (const c of SHARED) {
      const v = p.row[c];
      let i = index.get(v);
      if (i === undefined) index.set(v, (i = values.push(v) - 1));
      p.row[c] = i;
    }
  }
  return { chunk, values };
}

/** Unpacks a posted chunk in place. */
export function unpackChunk({ chunk, values }: PackedChunk): ImportRecord[] {
  for (const p of chunk) {
    if (p.kind !== 'timbre') continue;
    for (const c of SHARED) p.row[c] = values[p.row[c] as number] as never;
  }
  return chunk;
}

async function* workerChunks(path: string, format: CatalogFormat, now: number, reached: (bytes: number) => void): AsyncGenerator<ImportRecord[]> {
  // Run from source (tests under tsx) the worker is the .ts file beside this one.
  const self = new URL(import.meta.url);
  const entry = new URL(self.pathname.endsWith('.ts') ? './parse-worker.ts' : './parse-worker.js', self);
  // `-`: the worker's process.stdin is fed from this process's standard input.
  const worker = new Worker(entry, { workerData: { path, format, now, inFlight: IN_FLIGHT }, stdin: path === '-' });
  if (path === '-') process.stdin.pipe(worker.stdin!);
  try {
    for await (const [msg] of on(worker, 'message', { close: ['exit'] })) {
      const m = msg as Partial<PackedChunk> & { failed?: string; done?: true; at?: number };
      if (m.failed !== undefined) throw new Error(m.failed);
      if (m.done) return;
      worker.postMessage('more');
      if (m.at !== undefined) reached(m.at);
      yield unpackChunk(m as PackedChunk);
    }
    throw new Error('the parse worker stopped before the end of the file');
  } finally {
    if (path === '-') process.stdin.unpipe(worker.stdin!).pause();
    await worker.terminate();
  }
}
