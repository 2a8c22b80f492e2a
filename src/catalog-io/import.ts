import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { TimbrelError } from '../core/errors.js';
import { isUuid, normalizeId, stableId } from '../core/ids.js';
import { AVATAR_TYPES, DRIVER_TYPES, GENDERS, PUBLIC_OWNER, TIMBRE_TYPES, type Binding, type DigitalHuman, type Timbre } from '../core/types.js';
import { sniff, type FileKind } from '../files/sniff.js';
import { STORED_PREFIX } from '../files/urls.js';
import type { Services } from '../services.js';
import { bool, instant, int, kindOf, num, oneOf, optStr, owner, str, strList, type Kind, type Rec } from './records.js';

export interface ImportSource {
  /** Records with the line (NDJSON) or position (JSON) they came from, for error reports. */
  records: AsyncIterable<{ where: string; record: unknown }>;
  /** Relative local file paths are read from here. */
  baseDir: string;
}

export interface ImportResult {
  timbres: number;
  digitalHumans: number;
  bindings: number;
  files: number;
}

export class ImportError extends Error {
  constructor(
    readonly where: string,
    message: string,
    readonly committed: ImportResult,
  ) {
    super(`${where}: ${message}`);
  }
}

// One transaction (one fsync under synchronous=FULL) per 5,000 records.
const BATCH = 5000;

/** Opens a catalog file: `.json` is one document; anything else is NDJSON (one record a line). */
export function openCatalogFile(path: string, format?: 'json' | 'ndjson'): ImportSource {
  const fmt = format ?? (path.endsWith('.json') ? 'json' : 'ndjson');
  const baseDir = dirname(resolve(path));
  if (fmt === 'ndjson') {
    return {
      baseDir,
      records: (async function* () {
        const lines = createInterface({ input: path === '-' ? process.stdin : createReadStream(path), crlfDelay: Infinity });
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
          yield { where: `line ${n}`, record };
        }
      })(),
    };
  }
  return {
    baseDir,
    records: (async function* () {
      const doc = JSON.parse(await readFile(path, 'utf8'));
      if (typeof doc !== 'object' || doc === null) throw new Error(`${path} is not a catalog document`);
      const groups: [string, Kind][] = [['digitalHumans', 'digitalHuman'], ['timbres', 'timbre'], ['bindings', 'binding']];
      for (const [field, kind] of groups) {
        const items = doc[field] ?? [];
        if (!Array.isArray(items)) throw new Error(`${path}: ${field} must be an array`);
        for (let i = 0; i < items.length; i++) yield { where: `${field}[${i}]`, record: { kind, ...items[i] } };
      }
    })(),
  };
}

/**
 * Imports a catalog in batches of BATCH records, each in one transaction: a failing record stops the
 * import with its line, earlier batches stay, its own batch leaves nothing. Importing the same file again
 * updates the same rows (ids are given, or found by owner+key, or derived stably) and never duplicates.
 */
export class CatalogImporter {
  private readonly appIds = new Map<string, string>();
  private readonly result: ImportResult = { timbres: 0, digitalHumans: 0, bindings: 0, files: 0 };
  private readonly storedFiles = new Map<string, string>();

  constructor(
    private readonly services: Services,
    private readonly onProgress?: (r: ImportResult) => void,
  ) {}

  async run(source: ImportSource): Promise<ImportResult> {
    let batch: { where: string; kind: Kind; record: Rec }[] = [];
    for await (const { where, record } of source.records) {
      if (record instanceof TimbrelError) throw new ImportError(where, record.message, this.result);
      try {
        batch.push({ where, kind: kindOf(record), record: record as Rec });
      } catch (err) {
        throw new ImportError(where, (err as Error).message, this.result);
      }
      if (batch.length >= BATCH) {
        await this.flush(batch, source.baseDir);
        batch = [];
      }
    }
    await this.flush(batch, source.baseDir);
    return this.result;
  }

  private async ownerId(name: string | null): Promise<string> {
    if (name === null) return PUBLIC_OWNER;
    let id = this.appIds.get(name);
    if (!id) {
      const app = await this.services.repo.appByName(name);
      if (!app) throw new TimbrelError('invalid_parameter', `owner: no app named ${JSON.stringify(name)} (create it with \`timbrel apps create\`)`);
      id = app.id;
      this.appIds.set(name, id);
    }
    return id;
  }

  /** A file field: external URL as is; a local path stored (checked by its bytes); a stored: ref if present. */
  private async asset(value: string | null, field: string, kind: FileKind, baseDir: string): Promise<string | null> {
    if (value === null) return null;
    if (/^https?:\/\//i.test(value)) return value;
    if (value.startsWith(STORED_PREFIX)) {
      if (!(await this.services.repo.fileById(value.slice(STORED_PREFIX.length)))) {
        throw new TimbrelError('invalid_parameter', `${field}: ${value} is not a stored file`);
      }
      return value;
    }
    const path = isAbsolute(value) ? value : resolve(baseDir, value);
    const cached = this.storedFiles.get(`${kind}:${path}`);
    if (cached) return cached;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      throw new TimbrelError('invalid_parameter', `${field}: cannot read ${value}`);
    }
    const contentType = await sniff(bytes, [kind]);
    if (!contentType) throw new TimbrelError('invalid_parameter', `${field}: ${value} is not a supported ${kind} file`);
    const id = await this.services.files.put(bytes);
    await this.services.repo.insertFile({ id, contentType, size: bytes.length, createdAt: this.services.now() });
    this.result.files++;
    const ref = `${STORED_PREFIX}${id}`;
    this.storedFiles.set(`${kind}:${path}`, ref);
    return ref;
  }

  private async flush(batch: { where: string; kind: Kind; record: Rec }[], baseDir: string): Promise<void> {
    if (!batch.length) return;
    const repo = this.services.repo;
    const now = this.services.now();
    const dhs = new Map<string, DigitalHuman>();
    const timbres = new Map<string, Timbre>();
    const bindings = new Map<string, Binding>();
    const timbreWhere = new Map<string, string>();
    // Keys of this batch's timbres, per owner, so a binding may name a timbre of the same batch by key.
    const batchKeys = new Map<string, string>();

    let current = '';
    try {
      // Parse and validate the whole batch before writing any of it.
      const pendingTimbres: { where: string; t: Timbre; idGiven: boolean; ownerName: string }[] = [];
      for (const { where, kind, record } of batch) {
        current = where;
        if (kind === 'digitalHuman') {
          const d = await this.digitalHuman(record, baseDir, now);
          dhs.set(d.id, d);
        } else if (kind === 'timbre') {
          pendingTimbres.push({ where, ...(await this.timbre(record, baseDir, now)) });
        }
      }
      // Resolve timbre ids by (owner, key) against what is stored, so a re-import updates in place.
      const byOwner = new Map<string, typeof pendingTimbres>();
      for (const p of pendingTimbres) {
        const list = byOwner.get(p.t.owner) ?? [];
        list.push(p);
        byOwner.set(p.t.owner, list);
      }
      for (const [own, list] of byOwner) {
        const existing = await repo.timbreOwnersByKey(repo.db, own, list.map((p) => p.t.key));
        for (const p of list) {
          current = p.where;
          const stored = existing.get(p.t.key);
          // Derived from the owner's name, not its internal id, so that two instances agree on a file's ids.
          if (!p.idGiven) p.t.id = stored ?? stableId('timbre', p.ownerName, p.t.key);
          else if (stored && stored !== p.t.id) {
            throw new TimbrelError('conflict', `key ${JSON.stringify(p.t.key)} already belongs to timbre ${stored}`);
          }
          const prev = batchKeys.get(`${own}\u0000${p.t.key}`);
          if (prev && prev !== p.t.id) throw new TimbrelError('conflict', `key ${JSON.stringify(p.t.key)} appears twice with different ids`);
          batchKeys.set(`${own}\u0000${p.t.key}`, p.t.id);
          timbres.set(p.t.id, p.t);
          timbreWhere.set(p.t.id, p.where);
        }
      }
      for (const { where, kind, record } of batch) {
        if (kind !== 'binding') continue;
        current = where;
        const b = await this.binding(record, now, dhs, timbres, batchKeys);
        bindings.set(`${b.digitalHumanId}\u0000${b.owner}\u0000${b.timbreId}`, b);
      }
      current = batch[0].where;
      await repo.transaction(async (trx) => {
        await chunked([...dhs.values()], 500, (rows) => repo.upsertDigitalHumans(trx, rows));
        await chunked([...timbres.values()], 500, (rows) => repo.upsertTimbres(trx, rows));
        await chunked([...bindings.values()], 1000, (rows) => repo.upsertBindings(trx, rows));
      });
    } catch (err) {
      const message = err instanceof TimbrelError ? err.message : `could not be written (${(err as Error).message})`;
      throw new ImportError(current, message, this.result);
    }
    this.result.digitalHumans += dhs.size;
    this.result.timbres += timbres.size;
    this.result.bindings += bindings.size;
    this.onProgress?.(this.result);
  }

  private async timbre(r: Rec, baseDir: string, now: number): Promise<{ t: Timbre; idGiven: boolean; ownerName: string }> {
    const ownerName = owner(r);
    const own = await this.ownerId(ownerName);
    const givenId = optStr(r, 'id', 64);
    const id = givenId === null ? '' : normalizeId(givenId);
    if (id === undefined) throw new TimbrelError('invalid_parameter', 'id must be a UUID');
    const timbre: Timbre = {
      id,
      owner: own,
      key: str(r, 'key', { required: true, max: 128 }),
      name: str(r, 'name', { required: true, max: 256 }),
      description: str(r, 'description', { max: 2048 }),
      gender: oneOf(r, 'gender', GENDERS, 'neutral'),
      languages: strList(r, 'languages'),
      emotions: strList(r, 'emotions'),
      timbreType: oneOf(r, 'timbreType', TIMBRE_TYPES, 'Boutique'),
      supportedAvatarTypes: strList(r, 'supportedAvatarTypes', AVATAR_TYPES),
      driverTypes: strList(r, 'driverTypes', DRIVER_TYPES),
      expiresAt: instant(r, 'expiresAt'),
      image: await this.asset(optStr(r, 'image'), 'image', 'image', baseDir),
      sample: await this.asset(optStr(r, 'sample'), 'sample', 'audio', baseDir),
      tags: strList(r, 'tags'),
      age: str(r, 'age', { max: 64 }),
      accent: str(r, 'accent', { max: 64 }),
      useCases: strList(r, 'useCases'),
      status: oneOf(r, 'status', ['active', 'retired'] as const, 'active'),
      replacedBy: optStr(r, 'replacedBy', 64),
      sortOrder: int(r, 'sortOrder', 0),
      createdAt: instant(r, 'createdAt') ?? now,
      updatedAt: now,
    };
    return { t: timbre, idGiven: givenId !== null, ownerName: ownerName ?? '' };
  }

  private async digitalHuman(r: Rec, baseDir: string, now: number): Promise<DigitalHuman> {
    const ownerName = owner(r);
    const own = await this.ownerId(ownerName);
    const givenId = optStr(r, 'id', 64);
    const name = str(r, 'name', { required: true, max: 256 });
    const anchorCode = str(r, 'anchorCode', { max: 128 });
    const clothesName = str(r, 'clothesName', { max: 128 });
    const poseName = str(r, 'poseName', { max: 128 });
    // Derived from the owner's name, not its internal id, so that two instances agree on a file's ids.
    const id = givenId === null ? stableId('digitalHuman', ownerName ?? '', name, anchorCode, clothesName, poseName) : normalizeId(givenId);
    if (!id) throw new TimbrelError('invalid_parameter', 'id must be a UUID (with dashes or as 32 hex)');
    const rawActions = r.actions ?? [];
    if (!Array.isArray(rawActions) || rawActions.length > 100) throw new TimbrelError('invalid_parameter', 'actions must be an array of at most 100 items');
    const actions = [];
    for (const a of rawActions) {
      if (typeof a !== 'object' || a === null) throw new TimbrelError('invalid_parameter', 'actions items must be objects {code, previewVideo}');
      const ar = a as Rec;
      actions.push({
        code: str(ar, 'code', { required: true, max: 128 }),
        previewVideo: await this.asset(optStr(ar, 'previewVideo'), 'actions.previewVideo', 'video', baseDir),
      });
    }
    return {
      id,
      owner: own,
      name,
      anchorCode,
      clothesName,
      poseName,
      resolution: str(r, 'resolution', { max: 32 }),
      avatarType: oneOf(r, 'avatarType', AVATAR_TYPES, 'real_man_2d'),
      headerImage: await this.asset(optStr(r, 'headerImage'), 'headerImage', 'image', baseDir),
      poseImage: await this.asset(optStr(r, 'poseImage'), 'poseImage', 'image', baseDir),
      clothesImage: await this.asset(optStr(r, 'clothesImage'), 'clothesImage', 'image', baseDir),
      actions,
      driverTypes: strList(r, 'driverTypes', DRIVER_TYPES),
      backgroundChangeable: bool(r, 'backgroundChangeable', false),
      originZoom: num(r, 'originZoom', 1),
      effectiveAt: instant(r, 'effectiveAt'),
      expiresAt: instant(r, 'expiresAt'),
      status: oneOf(r, 'status', ['active', 'retired'] as const, 'active'),
      replacedBy: optStr(r, 'replacedBy', 64),
      sortOrder: int(r, 'sortOrder', 0),
      createdAt: instant(r, 'createdAt') ?? now,
      updatedAt: now,
    };
  }

  /**
   * A binding: owner (app name or null), digitalHuman (id), timbre (id or key). The operator binds public
   * timbres to public digital humans; an app binds what it can see (domain.md).
   */
  private async binding(
    r: Rec,
    now: number,
    dhs: Map<string, DigitalHuman>,
    timbres: Map<string, Timbre>,
    batchKeys: Map<string, string>,
  ): Promise<Binding> {
    const repo = this.services.repo;
    const own = await this.ownerId(owner(r));
    const allowed = own === PUBLIC_OWNER ? [PUBLIC_OWNER] : [PUBLIC_OWNER, own];
    const dhId = normalizeId(str(r, 'digitalHuman', { required: true, max: 64 }));
    const dhOwner = dhId && (dhs.get(dhId)?.owner ?? (await repo.ownersOf(repo.db, 'digital_humans', [dhId])).get(dhId));
    if (!dhId || dhOwner === undefined || !allowed.includes(dhOwner)) {
      throw new TimbrelError('invalid_parameter', 'digitalHuman: no such digital human visible to the binding owner');
    }
    const ref = str(r, 'timbre', { required: true, max: 128 });
    let timbreId: string | undefined;
    if (isUuid(ref)) {
      const tOwner = timbres.get(ref)?.owner ?? (await repo.ownersOf(repo.db, 'timbres', [ref])).get(ref);
      if (tOwner !== undefined && allowed.includes(tOwner)) timbreId = ref;
    } else {
      // By key: the owner's own timbre first, then the public one.
      for (const o of [...allowed].reverse()) {
        timbreId = batchKeys.get(`${o}\u0000${ref}`) ?? (await repo.timbreOwnersByKey(repo.db, o, [ref])).get(ref);
        if (timbreId) break;
      }
    }
    if (!timbreId) throw new TimbrelError('invalid_parameter', `timbre: no timbre ${JSON.stringify(ref)} visible to the binding owner`);
    return {
      owner: own,
      digitalHumanId: dhId,
      timbreId,
      sortOrder: int(r, 'sortOrder', 0),
      isDefault: bool(r, 'isDefault', false),
      createdAt: now,
    };
  }
}

async function chunked<T>(items: T[], size: number, fn: (rows: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}
