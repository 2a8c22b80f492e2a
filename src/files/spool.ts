/**
 * An upload taken as a stream: its bytes go to a temporary file beside the store while they are hashed
 * and counted, and only the first SNIFF_BYTES stay in memory (to tell the type by). Memory therefore does
 * not grow with the size of the file, however many arrive at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { TimbrelError } from '../core/errors.js';

/** What the type sniffer sees: enough for every accepted format's header (file-type asks for 4,100). */
export const SNIFF_BYTES = 64 * 1024;

export interface Spooled {
  /** The temporary file (the caller moves it into the store or removes it). */
  path: string;
  /** sha256 of the bytes: the stored file's id. */
  id: string;
  size: number;
  /** The first bytes, for sniffing. */
  head: Buffer;
  remove(): Promise<void>;
}

/**
 * Writes `source` to a new file in `dir`, fsynced, at most `limit` bytes: one byte more is refused with
 * body_too_large (and the partial file removed). `truncated()` lets a multipart parser say it stopped at
 * its own limit.
 */
export async function spool(source: Readable, dir: string, limit: number, truncated: () => boolean = () => false, what = 'file'): Promise<Spooled> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `upload-${randomBytes(8).toString('hex')}.tmp`);
  const remove = () => rm(path, { force: true });
  const fh = await open(path, 'w');
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headSize = 0;
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new TimbrelError('body_too_large', `the ${what} is over the limit of ${limit} bytes`);
      hash.update(chunk);
      if (headSize < SNIFF_BYTES) {
        const part = chunk.subarray(0, SNIFF_BYTES - headSize);
        // A copy: the chunk's memory belongs to the stream's pool.
        head.push(Buffer.from(part));
        headSize += part.length;
      }
      await fh.write(chunk);
    }
    if (truncated()) throw new TimbrelError('body_too_large', `the ${what} is over the limit of ${limit} bytes`);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await remove();
    throw err;
  }
  await fh.close();
  return { path, id: hash.digest('hex'), size, head: Buffer.concat(head), remove };
}
