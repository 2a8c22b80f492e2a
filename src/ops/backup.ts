/**
 * `timbrel backup DIR` and `timbrel restore DIR` (docs/deployment.md, "Backup and restore").
 *
 * A backup is a directory: `backup.json` (what it holds), the database as one consistent snapshot taken
 * online (SQLite: `VACUUM INTO`, a read transaction, so writers go on; PostgreSQL: `pg_dump`, one
 * snapshot of the whole database), and `files/` with every stored file the snapshot references, copied
 * from whichever file store is configured (the data directory or S3). Apps, API keys, settings and the
 * file-URL signing key are rows of the database: they are in it as stored, secrets still sealed under
 * TIMBREL_SECRET_KEY, which the restoring server needs as well.
 *
 * Restore writes a backup into an empty store (a data directory with no catalog, or a PostgreSQL
 * database with no timbrel tables) and its files into the configured file store, then opens it (running
 * any newer migrations) and counts what it holds.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { copyFile, lstat, mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { PACKAGE_TYPE, sniff } from '../files/sniff.js';
import { SNIFF_BYTES } from '../files/spool.js';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createReadStream } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import Database from 'better-sqlite3';
import type { Config } from '../config.js';
import { openFileStore, openServices, type Services } from '../services.js';
import { SQLITE_FILE, withoutPassword } from '../store/index.js';

export const BACKUP_FORMAT = 'timbrel-backup';
const MANIFEST = 'backup.json';
const PG_DUMP = 'timbrel.pgdump';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: 1;
  engine: 'sqlite' | 'postgres';
  createdAt: string;
  /** The database file in the backup directory. */
  database: string;
  files: number;
  fileBytes: number;
  /** Stored files the snapshot references that the file store no longer had (none, normally). */
  missingFiles: string[];
}

/** A backup of the running catalog into `dir` (which must not exist, or be empty). */
export async function backup(services: Services, config: Config, dir: string): Promise<BackupManifest> {
  dir = resolve(dir);
  if (existsSync(dir) && readdirSync(dir).length) throw new Error(`${dir} is not empty: a backup goes into a new directory`);
  mkdirSync(dir, { recursive: true });
  const engine = services.repo.engine.kind;
  let database: string;
  let ids: string[];
  if (engine === 'sqlite') {
    database = SQLITE_FILE;
    const file = join(dir, database);
    // One read transaction: a consistent copy, while the server's writers go on (WAL).
    await sql`VACUUM INTO ${file}`.execute(services.repo.db);
    const copy = new Database(file, { readonly: true });
    try {
      ids = (copy.prepare('SELECT id FROM files ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    } finally {
      copy.close();
    }
  } else {
    database = PG_DUMP;
    await run(
      'pg_dump',
      ['--format=custom', '--no-owner', '--no-privileges', `--file=${join(dir, database)}`, `--dbname=${config.databaseUrl!}`],
      config.databaseUrl!,
    );
    // After the dump: every file it references is still stored (the garbage collection waits
    // TIMBREL_FILE_GRACE_SECONDS), and a file recorded since is one more, harmless.
    ids = (await services.repo.db.selectFrom('files').select('id').orderBy('id').execute()).map((r) => r.id);
  }
  let bytes = 0;
  const missing: string[] = [];
  for (const id of ids) {
    const source = await services.files.read(id);
    if (!source) {
      missing.push(id);
      continue;
    }
    const target = join(dir, 'files', id.slice(0, 2), id);
    await mkdir(dirname(target), { recursive: true });
    await pipeline(source, createWriteStream(target));
    bytes += statSync(target).size;
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    version: 1,
    engine,
    createdAt: new Date(services.now()).toISOString(),
    database,
    files: ids.length - missing.length,
    fileBytes: bytes,
    missingFiles: missing,
  };
  await writeFile(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export interface Restored {
  engine: 'sqlite' | 'postgres';
  apps: number;
  anchors: number;
  timbres: number;
  digitalHumans: number;
  bindings: number;
  files: number;
}

/** A backup's stored file: its path in the backup and its id (the sha256 its name says). */
interface BackupFile {
  path: string;
  id: string;
}

/** Hashes a file as it streams; the sha256 in hex. */
async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Checks a whole backup before anything is written: the manifest names the engine's own database file in
 * the backup folder (no path leads out of it), every stored file sits where its sha256 puts it and holds
 * those bytes, and nothing else is under files/ (no stray file, no link). Throws what is wrong.
 */
export async function checkBackup(dir: string, target: 'sqlite' | 'postgres'): Promise<{ manifest: BackupManifest; database: string; files: BackupFile[] }> {
  const raw = await readFile(join(dir, MANIFEST), 'utf8').catch(() => undefined);
  let manifest: BackupManifest | undefined;
  try {
    manifest = raw === undefined ? undefined : (JSON.parse(raw) as BackupManifest);
  } catch {
    manifest = undefined;
  }
  if (!manifest || manifest.format !== BACKUP_FORMAT) throw new Error(`${dir} is not a timbrel backup (no readable ${MANIFEST})`);
  if (manifest.engine !== 'sqlite' && manifest.engine !== 'postgres') throw new Error(`the backup's ${MANIFEST} names no engine timbrel knows`);
  if (manifest.engine !== target) {
    throw new Error(
      `the backup is of a ${manifest.engine} store and this timbrel is configured for ${target}: restore it where it was taken from (or move the catalog across with export and import)`,
    );
  }
  const expected = manifest.engine === 'sqlite' ? SQLITE_FILE : PG_DUMP;
  if (manifest.database !== expected)
    throw new Error(
      `the backup's ${MANIFEST} names the database ${JSON.stringify(String(manifest.database).slice(0, 200))}; a backup holds it as ${expected} in its own folder`,
    );
  const database = join(dir, expected);
  const db = await lstat(database).catch(() => undefined);
  if (!db?.isFile()) throw new Error(`the backup has no database file ${expected} (a regular file, not a link)`);
  const files: BackupFile[] = [];
  const root = join(dir, 'files');
  const top = await lstat(root).catch(() => undefined);
  if (top && !top.isDirectory()) throw new Error("the backup's files/ is not a folder");
  if (top) {
    for (const prefix of (await readdir(root)).sort()) {
      const folder = join(root, prefix);
      if (!/^[0-9a-f]{2}$/.test(prefix) || !(await lstat(folder)).isDirectory())
        throw new Error(`files/${prefix} does not belong in a backup (stored files sit in files/<first two hex digits>/<sha256>)`);
      for (const id of (await readdir(folder)).sort()) {
        const path = join(folder, id);
        if (!/^[0-9a-f]{64}$/.test(id) || !id.startsWith(prefix) || !(await lstat(path)).isFile())
          throw new Error(`files/${prefix}/${id.slice(0, 80)} does not belong in a backup (a stored file is a regular file named by its sha256)`);
        if ((await sha256Of(path)) !== id) throw new Error(`backup file ${id} does not hold the bytes its name says: the backup is damaged`);
        files.push({ path, id });
      }
    }
  }
  return { manifest, database, files };
}

/**
 * Restores the backup in `dir` into the store `config` names, which must hold no catalog yet. All or
 * nothing: the whole backup is checked first; the files go into the file store (content-addressed: a
 * file already there is the same file), then the database is put in place in one step (SQLite: copied
 * beside it and renamed; PostgreSQL: pg_restore in one transaction). A failure leaves the store as empty
 * as it was, and the same backup can be restored again.
 */
export async function restore(config: Config, dir: string): Promise<Restored> {
  dir = resolve(dir);
  const target = config.databaseUrl ? 'postgres' : 'sqlite';
  const file = join(config.dataDir, SQLITE_FILE);
  if (target === 'sqlite' && existsSync(file))
    throw new Error(`${resolve(config.dataDir)} already holds a catalog (${SQLITE_FILE}): restore into an empty data directory`);
  if (target === 'postgres' && (await hasCatalog(config)))
    throw new Error(`the database at DATABASE_URL=${withoutPassword(config.databaseUrl!)} already holds a catalog: restore into an empty database`);
  const backup = await checkBackup(dir, target);
  let staged: string | undefined;
  if (target === 'sqlite') {
    mkdirSync(config.dataDir, { recursive: true });
    staged = `${file}.${randomBytes(4).toString('hex')}.restoring`;
    await copyFile(backup.database, staged);
  }
  try {
    const store = await openFileStore(config);
    try {
      for (const f of backup.files) {
        await mkdir(store.spoolDir, { recursive: true });
        const spooled = join(store.spoolDir, `restore-${randomBytes(6).toString('hex')}`);
        await copyFile(f.path, spooled);
        // Checked again as it lands: a backup changed since it was checked is refused, not half restored.
        if ((await sha256Of(spooled)) !== f.id) {
          await rm(spooled, { force: true });
          throw new Error(`backup file ${f.id} changed while it was restored: the backup is damaged`);
        }
        // The type as an upload's is told: by the bytes (a store that serves files itself, S3, keeps it).
        const head = Buffer.alloc(SNIFF_BYTES);
        const fh = await open(spooled, 'r');
        const { bytesRead } = await fh.read(head, 0, SNIFF_BYTES, 0).finally(() => fh.close());
        const contentType = (await sniff(head.subarray(0, bytesRead), ['image', 'audio', 'video']).catch(() => undefined)) ?? PACKAGE_TYPE;
        await store.putSpooled({ path: spooled, id: f.id, size: statSync(spooled).size, remove: () => rm(spooled, { force: true }) }, contentType);
      }
    } finally {
      store.close?.();
    }
    if (staged) {
      await rename(staged, file);
      staged = undefined;
    } else {
      const url = config.databaseUrl!;
      await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${url}`, backup.database], url);
    }
  } finally {
    if (staged) await rm(staged, { force: true });
  }
  const services = await openServices(config);
  try {
    const count = async (table: 'apps' | 'anchors' | 'timbres' | 'digital_humans' | 'bindings') =>
      Number(
        (
          await services.repo.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      engine: target,
      apps: await count('apps'),
      anchors: await count('anchors'),
      timbres: await count('timbres'),
      digitalHumans: await count('digital_humans'),
      bindings: await count('bindings'),
      files: backup.files.length,
    };
  } finally {
    await services.close();
  }
}

/** Whether the PostgreSQL database already has timbrel's tables. */
async function hasCatalog(config: Config): Promise<boolean> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    const r = await client.query(`SELECT to_regclass('public.timbrel_migrations') IS NOT NULL AS has`);
    return Boolean(r.rows[0]?.has);
  } finally {
    await client.end();
  }
}

/** Runs a PostgreSQL client tool; its failure names the tool and the database (password hidden). */
function run(tool: string, args: string[], url: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) =>
      fail(
        new Error(`${tool} is needed for a PostgreSQL backup or restore (${e.message}); install the PostgreSQL client tools of your server's major version`),
      ),
    );
    child.on('exit', (code) =>
      code === 0
        ? done()
        : fail(new Error(`${tool} failed for DATABASE_URL=${withoutPassword(url)}: ${err.trim().split(url).join(withoutPassword(url)).slice(0, 2000)}`)),
    );
  });
}
