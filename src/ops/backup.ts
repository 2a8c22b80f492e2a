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
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createReadStream } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import Database from 'better-sqlite3';
import type { Config } from '../config.js';
import { openServices, type Services } from '../services.js';
import { SQLITE_FILE, withoutPassword } from '../store/engine.js';

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
    await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${join(dir, database)}`, `--dbname=${config.databaseUrl!}`], config.databaseUrl!);
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
  const manifest: BackupManifest = { format: BACKUP_FORMAT, version: 1, engine, createdAt: new Date(services.now()).toISOString(), database, files: ids.length - missing.length, fileBytes: bytes, missingFiles: missing };
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

/** Restores the backup in `dir` into the store `config` names, which must hold no catalog yet. */
export async function restore(config: Config, dir: string): Promise<Restored> {
  dir = resolve(dir);
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8').catch(() => '{}')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new Error(`${dir} is not a timbrel backup (no ${MANIFEST})`);
  const target = config.databaseUrl ? 'postgres' : 'sqlite';
  if (manifest.engine !== target) {
    throw new Error(`the backup is of a ${manifest.engine} store and this timbrel is configured for ${target}: restore it where it was taken from (or move the catalog across with export and import)`);
  }
  if (target === 'sqlite') {
    const file = join(config.dataDir, SQLITE_FILE);
    if (existsSync(file)) throw new Error(`${resolve(config.dataDir)} already holds a catalog (${SQLITE_FILE}): restore into an empty data directory`);
    mkdirSync(config.dataDir, { recursive: true });
    // Copied aside, then renamed: an interrupted restore leaves no half database behind.
    const tmp = `${file}.${randomBytes(4).toString('hex')}.restoring`;
    await copyFile(join(dir, manifest.database), tmp);
    await rename(tmp, file);
  } else {
    const url = config.databaseUrl!;
    if (await hasCatalog(config)) throw new Error(`the database at DATABASE_URL=${withoutPassword(url)} already holds a catalog: restore into an empty database`);
    await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${url}`, join(dir, manifest.database)], url);
  }
  const services = await openServices(config);
  try {
    // The files, into whichever file store this timbrel uses, each checked against its own name.
    const root = join(dir, 'files');
    let files = 0;
    if (existsSync(root)) {
      for (const prefix of readdirSync(root)) {
        for (const id of readdirSync(join(root, prefix))) {
          const path = join(root, prefix, id);
          const spooled = join(services.files.spoolDir, `restore-${randomBytes(6).toString('hex')}`);
          await mkdir(services.files.spoolDir, { recursive: true });
          const hash = createHash('sha256');
          await pipeline(createReadStream(path), async function* (chunks) {
            for await (const c of chunks) {
              hash.update(c);
              yield c;
            }
          }, createWriteStream(spooled));
          if (hash.digest('hex') !== id) {
            await rm(spooled, { force: true });
            throw new Error(`backup file ${id} does not hold the bytes its name says: the backup is damaged`);
          }
          const size = statSync(spooled).size;
          const row = await services.repo.files.byId(id);
          await services.files.putSpooled({ path: spooled, id, size, remove: () => rm(spooled, { force: true }) }, row?.contentType);
          files++;
        }
      }
    }
    const count = async (table: 'apps' | 'anchors' | 'timbres' | 'digital_humans' | 'bindings') =>
      Number((await services.repo.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { engine: target, apps: await count('apps'), anchors: await count('anchors'), timbres: await count('timbres'), digitalHumans: await count('digital_humans'), bindings: await count('bindings'), files };
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
    child.on('error', (e) => fail(new Error(`${tool} is needed for a PostgreSQL backup or restore (${e.message}); install the PostgreSQL client tools of your server's major version`)));
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${tool} failed for DATABASE_URL=${withoutPassword(url)}: ${err.trim().split(url).join(withoutPassword(url)).slice(0, 2000)}`))));
  });
}
