import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { TimbrelError } from '../core/errors.js';
import { isUuid, newId, normalizeId } from '../core/ids.js';
import { withEventSource } from '../core/events.js';
import { PUBLIC_OWNER, type Anchor, type Binding, type DigitalHuman } from '../core/types.js';
import { sniff, type FileKind } from '../files/sniff.js';
import { STORED_PREFIX, isExternalUrl } from '../files/urls.js';
import type { Services } from '../services.js';
import { codeConflictAmong } from '../store/index.js';
import { StageError, type Db, type StageSettled, type StagedTimbre, type WriteTransaction } from '../store/index.js';
import { TIMBRE_COLUMN as C, type ListedRow, type TimbreValues } from '../store/index.js';
import type { ImportRecord } from './parse.js';
import type { ImportSource } from './source.js';

export { openCatalogFile, recordSource, type ImportSource } from './source.js';
export { ImportError, type ImportResult } from './import-result.js';
import { ImportError, MAX_REPORTED, emptyResult as empty, type ImportResult } from './import-result.js';

type TimbreRecord = Extract<ImportRecord, { kind: 'timbre' }>;

/**
 * Records are written a chunk at a time into a transaction that commits every TX_RECORDS records. Large
 * transactions are what makes a bulk load fast: under WAL every commit writes each page it dirtied again,
 * and random ids dirty pages all over the primary-key index (measured on 1,000,000 rows: 5,000 a commit
 * ~33k rows/s, 50,000 ~55k; 200,000 measured no better again on 2026-11-21). Memory stays bounded by the
 * chunks in flight, not the transaction.
 */
const TX_RECORDS = 50_000;

/** An import takes the store's statistics once it has written this many rows, then each time it doubles them. */
const STATISTICS_FROM_ROWS = 20_000;

const NONE_STORED: ReadonlyMap<string, string> = new Map();

/**
 * Imports a catalog in transactions of TX_RECORDS records: a failing record stops the import with its
 * line, earlier transactions stay, its own leaves nothing. Importing the same file again updates the same
 * rows (ids are given, or found by owner+key, or derived stably) and never duplicates. A binding names a
 * digital human and a timbre that come earlier in the file or are already stored.
 */
export class CatalogImporter {
  private readonly appIds = new Map<string, string>();
  private readonly result = empty();
  private readonly storedFiles = new Map<string, string>();
  /** Written in the open transaction, not yet committed. */
  private pending = empty();
  private pendingRecords = 0;
  private write: WriteTransaction | undefined;
  /** Ids of the open transaction's timbres by owner, then key, so a binding may name one by key. */
  private txKeys = new Map<string, Map<string, string>>();
  /**
   * Owners whose every stored timbre this import wrote under its derived id: they had none when the import
   * first met them, no record of theirs has given an id since, and nothing else has written between this
   * import's transactions (the engine's write mark). Their keys need no lookup: a key can only be stored
   * under the id the import derives for it again. A million-row import into an empty catalog saves a
   * thousand-key query per chunk. Owners leave the set for good; without a write mark (PostgreSQL) the set
   * stays empty.
   */
  private readonly freshOwners = new Set<string>();
  private readonly metOwners = new Set<string>();
  /**
   * The engine's write mark as this import last saw it: right after its last commit, or at the start of
   * the open transaction. Undefined when the engine has none.
   */
  private mark: string | undefined;
  /** Where each timbre staged in the open transaction was read, by its place in the stage (PostgreSQL). */
  private stagedWheres: string[] = [];
  /** The row values of each timbre staged in the open transaction, by its place in the stage: their events. */
  private stagedRows: TimbreValues[] = [];
  /** Rows this import wrote before its last statistics were taken, and since. */
  private writtenAtStatistics = 0;
  private writtenSinceStatistics = 0;

  constructor(
    private readonly services: Services,
    /** Told after each commit; the import waits for a promise it returns before the next transaction. */
    private readonly onProgress?: (committed: ImportResult) => void | Promise<void>,
    /** Records a transaction (whole chunks: it commits once it holds at least this many). */
    private readonly transactionRecords = TX_RECORDS,
    /** Told after each chunk is written into the open transaction: the records read so far (not yet all committed). */
    private readonly onRead?: (records: number) => void,
    /** An app importing its own records: it names only stored files it uploaded or can see referenced. */
    private readonly fileOwner?: string,
  ) {}

  /** Records read and written into a transaction so far, committed or not. */
  private read = 0;

  /** Imports `source`; every change it writes says it came from an import (docs/events.md). */
  run(source: ImportSource): Promise<ImportResult> {
    return withEventSource('import', () => this.runImport(source));
  }

  private async runImport(source: ImportSource): Promise<ImportResult> {
    let where = 'the source';
    try {
      for await (const chunk of source.chunks(this.services.now())) {
        where = chunk[0]?.where ?? where;
        if (!this.write) {
          this.write = await this.services.repo.beginWrite();
          // A moved mark: something else wrote since this import's last commit.
          const mark = this.services.repo.writeMark();
          if (mark !== this.mark) this.freshOwners.clear();
          this.mark = mark;
        }
        await this.flush(chunk, source.baseDir, this.write.db);
        this.pendingRecords += chunk.length;
        this.read += chunk.length;
        this.onRead?.(this.read);
        if (this.pendingRecords >= this.transactionRecords) await this.commit();
      }
      await this.commit();
      // One event for the whole import, with its report (its rows have no events of their own yet: docs/events.md).
      await this.services.repo.transaction(async (trx) =>
        this.services.repo.logEvent(trx, {
          type: 'import.completed',
          kind: 'import',
          objectId: newId(),
          owner: this.fileOwner ?? PUBLIC_OWNER,
          etag: '',
          changed: [],
          data: { ...this.result, conflicts: this.result.conflicts.slice(0, 20) } as unknown as Record<string, unknown>,
        }),
      );
      // Committed already: a store that cannot settle (autovacuum will) does not undo a finished import.
      await this.services.repo.settleAfterBulkLoad().catch(() => undefined);
      return this.result;
    } catch (err) {
      await this.write?.rollback().catch(() => undefined);
      this.write = undefined;
      if (err instanceof ImportError) throw err;
      throw new ImportError(where, `could not be read (${(err as Error).message})`, this.result);
    }
  }

  /** Writes the staged timbres of the open transaction (PostgreSQL), reporting what was left out. */
  private async settleStaged(): Promise<void> {
    if (!this.write?.copyFrom) return;
    let settled: StageSettled;
    try {
      settled = await this.services.repo.timbres.settleStaged(this.write);
    } catch (err) {
      if (err instanceof StageError) throw new ImportError(this.stagedWheres[err.seq], err.message, this.result);
      throw new ImportError(this.stagedWheres.at(-1) ?? 'the source', `could not be written (${(err as Error).message})`, this.result);
    }
    this.pending.timbres += settled.written;
    this.services.repo.logBulk(
      this.write.db,
      'timbres',
      settled.rows.map((r) => {
        const asset = listed(this.stagedRows[r.seq]);
        asset.id = r.id;
        // An update keeps the stored row's creation time.
        if (r.before) asset.createdAt = r.before.createdAt;
        return { asset, inserted: r.inserted, before: r.before && { ...r.before, id: r.id, owner: asset.owner } };
      }),
    );
    for (const s of settled.skipped) {
      const where = this.stagedWheres[s.seq];
      if (s.reason === 'other-owner') this.conflict(where, `timbre ${s.id} belongs to another owner`);
      else
        this.conflict(
          where,
          s.reason === 'shadows' ? `key ${JSON.stringify(s.key)} is held by an app's private timbre` : `key ${JSON.stringify(s.key)} is a public timbre's key`,
        );
    }
  }

  private async commit(): Promise<void> {
    if (!this.write) return;
    await this.settleStaged();
    this.stagedWheres = [];
    this.stagedRows = [];
    await this.write.commit();
    this.write = undefined;
    this.mark = this.services.repo.writeMark();
    const written = this.pending.anchors + this.pending.timbres + this.pending.digitalHumans + this.pending.bindings;
    this.writtenSinceStatistics += written;
    if (this.writtenSinceStatistics >= Math.max(STATISTICS_FROM_ROWS, this.writtenAtStatistics)) {
      // Planner statistics for the lookups of the transactions to come (analyzeAfterGrowth).
      await this.services.repo.analyzeAfterGrowth();
      this.writtenAtStatistics += this.writtenSinceStatistics;
      this.writtenSinceStatistics = 0;
    }
    for (const k of ['anchors', 'timbres', 'digitalHumans', 'bindings', 'files', 'skipped'] as const) this.result[k] += this.pending[k];
    this.result.conflicts.push(...this.pending.conflicts.slice(0, MAX_REPORTED - this.result.conflicts.length));
    this.pending = empty();
    this.pendingRecords = 0;
    this.txKeys = new Map();
    await this.onProgress?.({ ...this.result });
  }

  /** Whether this import's open transaction wrote `key` in the other scope (public vs. an app's). */
  private heldInOtherScope(owner: string, key: string): boolean {
    if (owner !== PUBLIC_OWNER) return this.txKeys.get(PUBLIC_OWNER)?.has(key) ?? false;
    for (const [o, keys] of this.txKeys) if (o !== PUBLIC_OWNER && keys.has(key)) return true;
    return false;
  }

  /** A record skipped for another owner's row or key: counted, and reported with its line. */
  private conflict(where: string, message: string): void {
    this.pending.skipped++;
    if (this.pending.conflicts.length < MAX_REPORTED) this.pending.conflicts.push(`${where}: ${message} (skipped)`);
  }

  /** The owner's id when it needs no lookup: public, or an app name seen before. */
  private knownOwner(name: string | null): string | undefined {
    return name === null ? PUBLIC_OWNER : this.appIds.get(name);
  }

  private async ownerId(name: string | null, db: Db): Promise<string> {
    const known = this.knownOwner(name);
    if (known !== undefined) return known;
    const app = await this.services.repo.apps.byName(name!, db);
    if (!app)
      throw new TimbrelError(
        'invalid_parameter',
        `owner: no app named ${JSON.stringify(name)} (create it with \`timbrel apps create\`; to move a whole catalog with its apps, keys and files, use \`timbrel backup\` and \`timbrel restore\`)`,
      );
    this.appIds.set(name!, app.id);
    return app.id;
  }

  /** A file field: external URL as is; a local path stored (checked by its bytes); a stored: ref if present. */
  private async asset(value: string | null, field: string, kind: FileKind, baseDir: string | null, db: Db): Promise<string | null> {
    if (value === null) return null;
    if (isExternalUrl(value)) return value;
    if (value.startsWith(STORED_PREFIX)) {
      try {
        if (this.fileOwner !== undefined && !(await this.services.repo.files.mayUse(this.fileOwner, value.slice(STORED_PREFIX.length), db))) {
          throw new TimbrelError('invalid_parameter', 'not usable');
        }
        await this.services.repo.files.touch(db, [value], this.services.now());
      } catch (err) {
        if (!(err instanceof TimbrelError)) throw err;
        throw new TimbrelError('invalid_parameter', `${field}: ${value} is not a stored file`);
      }
      return value;
    }
    if (baseDir === null)
      throw new TimbrelError(
        'invalid_parameter',
        `${field}: ${JSON.stringify(value.slice(0, 200))} is neither an http(s) URL nor stored:<sha256>; local files are read by \`timbrel import\` only`,
      );
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
    const id = await this.services.files.put(bytes, contentType);
    await this.services.repo.files.insert({ id, contentType, size: bytes.length, createdAt: this.services.now() }, db);
    this.pending.files++;
    const ref = `${STORED_PREFIX}${id}`;
    this.storedFiles.set(`${kind}:${path}`, ref);
    return ref;
  }

  /** Resolves a validated chunk against the store, then writes it into the open transaction `db`. */
  private async flush(chunk: ImportRecord[], baseDir: string | null, db: Db): Promise<void> {
    const repo = this.services.repo;
    const anchors = new Map<string, Anchor>();
    /** Anchor codes' holders (stored, then this chunk's), read once a chunk; the ids this chunk gives anchors. */
    let codeHolders: Map<string, { id: string; owner: string }[]> | undefined;
    const chunkAnchors = new Set<string>();
    const dhs = new Map<string, DigitalHuman>();
    const timbres = new Map<string, TimbreValues>();
    const bindings = new Map<string, Binding>();
    /** Where each asset of the chunk was read (the conflicts found at write time name it). */
    const wheres = new Map<string, string>();
    let current = chunk[0].where;
    try {
      const byOwner = new Map<string, TimbreRecord[]>();
      for (const p of chunk) {
        current = p.where;
        if (p.kind === 'error') throw new TimbrelError('invalid_parameter', p.message);
        if (p.kind === 'anchor') {
          const a = p.a;
          a.owner = await this.ownerId(p.ownerName, db);
          a.headerImage = await this.asset(a.headerImage, 'headerImage', 'image', baseDir, db);
          // Who holds the chunk's codes: stored (one query a chunk), and taken by this chunk's earlier records.
          codeHolders ??= await repo.anchors.codeHolders(
            db,
            chunk.flatMap((r) => (r.kind === 'anchor' ? [r.a.code] : [])),
          );
          const holders = codeHolders.get(a.code) ?? [];
          // A re-import finds the anchor of (owner, code) stored under whatever id it has.
          const stored = holders.find((h) => h.owner === a.owner && !chunkAnchors.has(h.id))?.id;
          if (!p.idGiven && stored) a.id = stored;
          else if (stored && stored !== a.id) throw new TimbrelError('conflict', `code ${JSON.stringify(a.code)} already belongs to anchor ${stored}`);
          const taken = holders.find((h) => h.owner === a.owner && h.id !== a.id && chunkAnchors.has(h.id));
          if (taken) throw new TimbrelError('conflict', `code ${JSON.stringify(a.code)} appears twice with different ids`);
          const conflict = codeConflictAmong(a, holders);
          if (conflict) {
            this.conflict(p.where, conflict);
            continue;
          }
          if (!holders.some((h) => h.id === a.id)) codeHolders.set(a.code, [...holders, { id: a.id, owner: a.owner }]);
          chunkAnchors.add(a.id);
          anchors.set(a.id, a);
          wheres.set(a.id, p.where);
        } else if (p.kind === 'digitalHuman') {
          const d = p.d;
          d.owner = await this.ownerId(p.ownerName, db);
          d.headerImage = await this.asset(d.headerImage, 'headerImage', 'image', baseDir, db);
          d.poseImage = await this.asset(d.poseImage, 'poseImage', 'image', baseDir, db);
          d.clothesImage = await this.asset(d.clothesImage, 'clothesImage', 'image', baseDir, db);
          d.coverImage = await this.asset(d.coverImage, 'coverImage', 'image', baseDir, db);
          d.renderPackage = await this.asset(d.renderPackage, 'renderPackage', 'package', baseDir, db);
          d.frameFillPackage = await this.asset(d.frameFillPackage, 'frameFillPackage', 'package', baseDir, db);
          for (const a of d.actions) a.previewVideo = await this.asset(a.previewVideo, 'actions.previewVideo', 'video', baseDir, db);
          dhs.set(d.id, d);
          wheres.set(d.id, p.where);
        } else if (p.kind === 'timbre') {
          // A million rows: a known owner and external URLs resolve without a round through the event loop.
          const row = p.row;
          const own = this.knownOwner(p.ownerName) ?? (await this.ownerId(p.ownerName, db));
          row[C.owner] = own;
          if (p.files) {
            row[C.image] = await this.asset(row[C.image] as string | null, 'image', 'image', baseDir, db);
            row[C.sample] = await this.asset(row[C.sample] as string | null, 'sample', 'audio', baseDir, db);
            const samples = JSON.parse(row[C.language_samples] as string) as Record<string, string>;
            for (const tag of Object.keys(samples)) samples[tag] = (await this.asset(samples[tag], `languageSamples.${tag}`, 'audio', baseDir, db))!;
            row[C.language_samples] = JSON.stringify(samples);
          }
          const list = byOwner.get(own);
          if (list) list.push(p);
          else byOwner.set(own, [p]);
        }
      }
      if (this.write?.copyFrom) {
        // PostgreSQL: the rows go to the transaction's stage by COPY; the store checks and writes them
        // together when the transaction commits, or before this chunk's bindings look them up.
        const staged: StagedTimbre[] = [];
        for (const list of byOwner.values()) {
          for (const p of list) {
            staged.push({ row: p.row, seq: this.stagedWheres.length, idGiven: p.idGiven });
            this.stagedWheres.push(p.where);
            this.stagedRows.push(p.row);
          }
        }
        await repo.timbres.stageRows(this.write, staged);
        if (chunk.some((p) => p.kind === 'binding')) await this.settleStaged();
      }
      // Timbre ids by (owner, key) against what is stored, so a re-import updates in place.
      for (const [own, list] of this.write?.copyFrom ? [] : byOwner) {
        let keys = this.txKeys.get(own);
        if (!keys) this.txKeys.set(own, (keys = new Map()));
        if (!this.metOwners.has(own)) {
          this.metOwners.add(own);
          if (this.mark !== undefined && !(await repo.timbres.ownerHasAny(db, own))) this.freshOwners.add(own);
        }
        if (list.some((p) => p.idGiven)) this.freshOwners.delete(own);
        const chunkKeys = list.map((p) => p.row[C.key] as string);
        const existing = this.freshOwners.has(own) ? NONE_STORED : await repo.timbres.idsByKey(db, own, chunkKeys);
        // A private key may not shadow a public one, nor a public key take one an app holds (the API's rule).
        const shadowed = await repo.timbres.keysHeldAcrossScopes(db, own, chunkKeys);
        for (const p of list) {
          current = p.where;
          const row = p.row;
          const key = row[C.key] as string;
          if (shadowed.has(key) || this.heldInOtherScope(own, key)) {
            this.conflict(
              p.where,
              own === PUBLIC_OWNER ? `key ${JSON.stringify(key)} is held by an app's private timbre` : `key ${JSON.stringify(key)} is a public timbre's key`,
            );
            continue;
          }
          const stored = existing.get(key);
          if (!p.idGiven) row[C.id] = stored ?? row[C.id];
          else if (stored && stored !== row[C.id]) {
            throw new TimbrelError('conflict', `key ${JSON.stringify(key)} already belongs to timbre ${stored}`);
          }
          const id = row[C.id] as string;
          const prev = keys.get(key);
          if (prev && prev !== id) throw new TimbrelError('conflict', `key ${JSON.stringify(key)} appears twice with different ids`);
          keys.set(key, id);
          timbres.set(id, row);
          wheres.set(id, p.where);
        }
      }
      current = chunk[0].where;
      // In id order: neighbouring keys share index pages, so fewer pages are dirtied.
      const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      // A record whose id is another owner's row is left alone (never moved to this owner) and reported.
      // Each written row has its event, an update's with where the row was (its place in its list).
      const anchorList = [...anchors.values()].sort((a, b) => byId(a.id, b.id));
      const anchorsBefore = await repo.placesOf(
        db,
        'anchors',
        anchorList.map((a) => a.id),
      );
      const anchorsWritten = await repo.anchors.write(db, anchorList);
      for (const i of anchorsWritten.skipped) {
        anchors.delete(anchorList[i].id);
        this.conflict(wheres.get(anchorList[i].id)!, `anchor ${anchorList[i].id} belongs to another owner`);
      }
      repo.logBulk(
        db,
        'anchors',
        written(anchorList, anchorsWritten.skipped, (i) => anchorsWritten.inserted[i], anchorsBefore),
      );
      // In the order read: the first look of a new anchor code supplies the anchor (the store writes by id).
      const dhList = [...dhs.values()];
      const looksBefore = await repo.placesOf(
        db,
        'digital_humans',
        dhList.map((d) => d.id),
      );
      const looks = await repo.digitalHumans.upsert(db, dhList);
      for (const { index, reason } of looks.skipped) {
        dhs.delete(dhList[index].id);
        this.conflict(wheres.get(dhList[index].id)!, reason);
      }
      repo.logBulk(
        db,
        'digital_humans',
        written(
          dhList,
          looks.skipped.map((k) => k.index),
          (i) => looks.inserted.has(i),
          looksBefore,
        ),
      );
      this.pending.anchors += looks.anchorsMade;
      // In the catalog's list order: a new row's place in the table follows it, so a page's rows share a
      // table page or two (in id order, a random page's 20 rows were 20 table pages apart and each read
      // cost a page; docs/benchmarks.md). The id index sees the same pages either way.
      const inListOrder = (a: TimbreValues, b: TimbreValues) =>
        (a[C.sort_order] as number) - (b[C.sort_order] as number) ||
        (a[C.created_at] as number) - (b[C.created_at] as number) ||
        byId(a[C.id] as string, b[C.id] as string);
      const rows = [...timbres.values()].sort(inListOrder);
      // An owner this import alone has written (freshOwners) has no stored row an update could move.
      const timbresBefore = await repo.placesOf(
        db,
        'timbres',
        rows.flatMap((r) => (this.freshOwners.has(r[C.owner] as string) ? [] : [r[C.id] as string])),
      );
      const timbresWritten = await repo.timbres.writeRows(db, rows);
      for (const i of timbresWritten.skipped) {
        const id = rows[i][C.id] as string;
        timbres.delete(id);
        this.txKeys.get(rows[i][C.owner] as string)?.delete(rows[i][C.key] as string);
        this.conflict(wheres.get(id)!, `timbre ${id} belongs to another owner`);
      }
      repo.logBulk(
        db,
        'timbres',
        written(rows.map(listed), timbresWritten.skipped, (i) => timbresWritten.inserted[i], timbresBefore),
      );
      for (const p of chunk) {
        if (p.kind !== 'binding') continue;
        current = p.where;
        const b = await this.binding(p, dhs, timbres, db);
        bindings.set(`${b.digitalHumanId}\u0000${b.owner}\u0000${b.timbreId}`, b);
      }
      for (let i = 0; i < bindings.size; i += 1000) await repo.bindings.upsert(db, [...bindings.values()].slice(i, i + 1000));
    } catch (err) {
      if (err instanceof ImportError) throw err;
      const message = err instanceof TimbrelError ? err.message : `could not be written (${(err as Error).message})`;
      throw new ImportError(current, message, this.result);
    }
    this.pending.anchors += anchors.size;
    this.pending.digitalHumans += dhs.size;
    this.pending.timbres += timbres.size;
    this.pending.bindings += bindings.size;
  }

  /**
   * A binding: owner (app name or null), digitalHuman (id), timbre (id or key). The operator binds public
   * timbres to public digital humans; an app binds what it can see (docs/domain.md).
   */
  private async binding(
    p: Extract<ImportRecord, { kind: 'binding' }>,
    dhs: Map<string, DigitalHuman>,
    timbres: Map<string, TimbreValues>,
    db: Db,
  ): Promise<Binding> {
    const repo = this.services.repo;
    const own = await this.ownerId(p.ownerName, db);
    const allowed = own === PUBLIC_OWNER ? [PUBLIC_OWNER] : [PUBLIC_OWNER, own];
    const dhId = normalizeId(p.digitalHuman);
    const dhOwner = dhId && (dhs.get(dhId)?.owner ?? (await repo.ownersOf(db, 'digital_humans', [dhId])).get(dhId));
    if (!dhId || dhOwner === undefined || !allowed.includes(dhOwner)) {
      throw new TimbrelError('invalid_parameter', 'digitalHuman: no such digital human visible to the binding owner');
    }
    const ref = p.timbre;
    let timbreId: string | undefined;
    if (isUuid(ref)) {
      const tOwner = (timbres.get(ref)?.[C.owner] as string | undefined) ?? (await repo.ownersOf(db, 'timbres', [ref])).get(ref);
      if (tOwner !== undefined && allowed.includes(tOwner)) timbreId = ref;
    } else {
      // By key: the owner's own timbre first, then the public one.
      for (const o of [...allowed].reverse()) {
        timbreId = this.txKeys.get(o)?.get(ref) ?? (await repo.timbres.idsByKey(db, o, [ref])).get(ref);
        if (timbreId) break;
      }
    }
    if (!timbreId) throw new TimbrelError('invalid_parameter', `timbre: no timbre ${JSON.stringify(ref)} visible to the binding owner`);
    return { owner: own, digitalHumanId: dhId, timbreId, sortOrder: p.sortOrder, isDefault: p.isDefault, createdAt: this.services.now() };
  }
}

/**
 * The rows of a bulk write that were written (not in `skipped`), for their events: whether each was
 * inserted, and for an updated one where it was (its stored creation time kept, as the update keeps it).
 */
function written<T extends ListedRow>(
  list: T[],
  skipped: number[],
  inserted: (i: number) => boolean,
  before: Map<string, ListedRow>,
): { asset: T; inserted: boolean; before?: ListedRow }[] {
  const out = new Set(skipped);
  return list.flatMap((asset, i): { asset: T; inserted: boolean; before?: ListedRow }[] => {
    if (out.has(i)) return [];
    const was = before.get(asset.id);
    if (inserted(i)) return [{ asset, inserted: true }];
    return [{ asset: was ? { ...asset, createdAt: was.createdAt } : asset, inserted: false, before: was }];
  });
}

/** What a timbre's event needs of its row values: which list it is in, and where. */
const listed = (v: TimbreValues): ListedRow => ({
  id: v[C.id] as string,
  owner: v[C.owner] as string,
  status: v[C.status] as string,
  sortOrder: v[C.sort_order] as number,
  createdAt: v[C.created_at] as number,
});
