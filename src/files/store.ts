import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { access, open, rename, rm, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where stored files' bytes live. Files are content-addressed (sha256), so storing the same picture twice
 * keeps one copy and an id never changes meaning. Implementations: the local filesystem (default) and,
 * for many instances, an S3-compatible bucket.
 */
export interface FileStore {
  /** Stores the bytes (content type as sniffed, for stores that serve the file themselves); returns the id. */
  put(bytes: Buffer, contentType?: string): Promise<string>;
  /**
   * Stores a spooled upload (src/files/spool.ts) under its id, taking the temporary file over (it is gone
   * afterwards, stored or not); its bytes are never all in memory.
   */
  putSpooled(file: { path: string; id: string; size: number; remove(): Promise<void> }, contentType?: string): Promise<void>;
  /** Where uploads are spooled: beside the files on the same filesystem (a rename stores one), or a temp dir. */
  readonly spoolDir: string;
  /** Throws when the store cannot be reached (readiness). */
  check(): Promise<void>;
  /** Releases connections (S3's sockets). */
  close?(): void;
  /** The bytes in [start, end] (inclusive), or all of them. Undefined when the file is not there. */
  read(id: string, range?: { start: number; end: number }): Promise<Readable | undefined>;
  size(id: string): Promise<number | undefined>;
  /** Removes a file (an upload that was refused or not recorded); no error when it is not there. */
  remove(id: string): Promise<void>;
}

export const fileIdOf = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export class FsFileStore implements FileStore {
  readonly spoolDir: string;

  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
    this.spoolDir = join(root, 'spool');
  }

  async putSpooled(file: { path: string; id: string; size: number; remove(): Promise<void> }): Promise<void> {
    try {
      if ((await this.size(file.id)) === file.size) return;
      const final = this.path(file.id);
      mkdirSync(dirname(final), { recursive: true });
      // The spooled file was fsynced: a rename on the same filesystem stores it whole or not at all.
      await rename(file.path, final);
    } finally {
      await file.remove();
    }
  }

  private path(id: string): string {
    if (!/^[0-9a-f]{64}$/.test(id)) throw new Error('bad file id');
    return join(this.root, id.slice(0, 2), id);
  }

  async put(bytes: Buffer): Promise<string> {
    const id = fileIdOf(bytes);
    const final = this.path(id);
    if ((await this.size(id)) === bytes.length) return id;
    mkdirSync(dirname(final), { recursive: true });
    // Write aside, fsync, then rename: a crash leaves either no file or the whole file, never a torn one.
    const tmp = `${final}.${randomBytes(6).toString('hex')}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, final);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return id;
  }

  async remove(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
  }

  async check(): Promise<void> {
    await access(this.root, constants.W_OK);
  }

  async size(id: string): Promise<number | undefined> {
    try {
      return (await stat(this.path(id))).size;
    } catch {
      return undefined;
    }
  }

  async read(id: string, range?: { start: number; end: number }): Promise<Readable | undefined> {
    if ((await this.size(id)) === undefined) return undefined;
    return createReadStream(this.path(id), range ? { start: range.start, end: range.end } : undefined);
  }
}
