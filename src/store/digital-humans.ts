import { type Expression, type SqlBool, type Transaction } from 'kysely';
import { type DigitalHuman, type Page } from '../core/types.js';
import type { DB } from './schema.js';
import { TimbrelError } from '../core/errors.js';
import { digitalHumanFromRow, digitalHumanToRow } from './rows.js';
import { type Db, type Narrowing, type KeysetRequest, type WriteMode, oneOfTexts } from './base.js';
import type { Repository } from './repository.js';

export interface DigitalHumanFilter {
  anchorCodes?: string[];
  ids?: string[];
  /** The look's own avatar type (IVH getimagebyanchor's VirtualmanTypeCode). */
  avatarType?: string;
  /** Only looks with a non-empty anchorCode. */
  anchored?: boolean;
}

export interface DigitalHumanSearch extends KeysetRequest {
  owners?: string[];
  privateOnly?: boolean;
  status: string[];
  avatarType?: string[];
  anchorCode?: string[];
  q?: string;
}

/** The file fields of a digital human: its pictures and its actions' preview videos. */
export const digitalHumanFiles = (d: DigitalHuman) =>
  [d.headerImage, d.poseImage, d.clothesImage, d.coverImage, d.renderPackage, d.frameFillPackage, ...d.actions.map((a) => a.previewVideo)].filter(
    (r): r is string => Boolean(r),
  );

/** What a bulk write of looks did: anchors it made for codes that resolved to nothing, looks it left out and why. */
export interface LooksWritten {
  anchorsMade: number;
  skipped: { index: number; reason: string }[];
  /** The indexes (into the looks given) of those inserted; the others written were updated. */
  inserted: Set<number>;
}

/** Digital humans: lists, reads and searches, single-asset writes, bulk writes. */
export class DigitalHumanStore {
  constructor(private readonly store: Repository) {}

  async list(owners: string[], filter: DigitalHumanFilter, offset: number, limit: number): Promise<Page<DigitalHuman>> {
    const where = (eb: any): Expression<SqlBool> | undefined => {
      const parts: Expression<SqlBool>[] = [];
      if (filter.anchorCodes) parts.push(oneOfTexts(eb, 'anchor_code', filter.anchorCodes));
      if (filter.ids) parts.push(oneOfTexts(eb, 'id', filter.ids));
      if (filter.avatarType !== undefined) parts.push(oneOfTexts(eb, 'avatar_type', [filter.avatarType]));
      if (filter.anchored) parts.push(eb('anchor_code', '!=', ''));
      return parts.length ? eb.and(parts) : undefined;
    };
    const filterKey = JSON.stringify(filter);
    return this.store.cached(`list:dh|${owners.join(',')}|${filterKey}|${offset}|${limit}`, async () => {
      const page = await this.store.page('digital_humans', owners, where, filterKey, offset, limit);
      return { total: page.total, items: page.rows.map(digitalHumanFromRow) };
    });
  }

  /** A digital human by id, if its owner is one of `owners` (undefined = any); retired ones still resolve. */
  byId(id: string, owners?: string[]): Promise<DigitalHuman | undefined> {
    return this.store.rowById('digital_humans', id, owners, digitalHumanFromRow);
  }

  /**
   * Digital humans, written by id; every anchorCode made to resolve first (AnchorStore.ensureFor: the first
   * of `dhs` that names a new code supplies its anchor). Looks not written: another owner's id, or a public
   * look naming a code only an app holds; their indexes are into `dhs`.
   */
  async upsert(db: Db, dhs: DigitalHuman[], mode: WriteMode = 'upsert'): Promise<LooksWritten> {
    if (!dhs.length) return { anchorsMade: 0, skipped: [], inserted: new Set() };
    if (!db.isTransaction) return this.store.transaction((trx) => this.upsert(trx, dhs, mode));
    const { made, refused } = await this.store.anchors.ensureFor(db as Transaction<DB>, dhs, dhs[0].updatedAt);
    const out = new Set(refused.map((r) => r.index));
    const kept = dhs.map((d, index) => ({ d, index })).filter(({ index }) => !out.has(index));
    const skipped = [...refused];
    const inserted = new Set<number>();
    if (kept.length) {
      // Written in id order (neighbouring keys share index pages); anchors above were made in the given
      // order, so the first look of a new code in a file supplies its anchor.
      kept.sort((a, b) => (a.d.id < b.d.id ? -1 : a.d.id > b.d.id ? 1 : 0));
      const rows = kept.map(({ d }) => digitalHumanToRow(d));
      const written = await this.store.upsertById(db, 'digital_humans', Object.keys(rows[0]), rows.map(Object.values), mode);
      for (const i of written.skipped) skipped.push({ index: kept[i].index, reason: `digital human ${kept[i].d.id} belongs to another owner` });
      written.inserted.forEach((yes, i) => yes && inserted.add(kept[i].index));
    }
    return { anchorsMade: made.length, skipped: skipped.sort((a, b) => a.index - b.index), inserted };
  }

  /** The native API's digital-human search; like TimbreStore.search. */
  async search(s: DigitalHumanSearch): Promise<{ rows: DigitalHuman[]; total?: number }> {
    const build = (narrow: Narrowing) =>
      this.store.db.selectFrom('digital_humans').where((eb) => {
        const f = { ...s, ...narrow };
        const all: Expression<SqlBool>[] = [eb('status', 'in', f.status)];
        if (f.owners) all.push(eb('owner', 'in', f.owners));
        if (f.privateOnly) all.push(eb('owner', '!=', ''));
        if (f.avatarType?.length) all.push(eb('avatar_type', 'in', f.avatarType));
        if (f.anchorCode?.length) all.push(oneOfTexts(eb, 'anchor_code', f.anchorCode));
        if (f.q) {
          const needle = f.q.toLowerCase();
          all.push(eb.or(['name', 'anchor_code', 'clothes_name', 'pose_name'].map((c) => this.store.containsExpr(c, needle, true))));
        }
        return eb.and(all);
      });
    return this.store.keysetPage(build, await this.store.runsOf('digital_humans', s), s, digitalHumanFromRow);
  }

  /** Creates a digital human whose id must be new (like TimbreStore.create). */
  async create(d: DigitalHuman): Promise<void> {
    await this.store.transaction(async (trx) => {
      await this.store.files.touch(trx, digitalHumanFiles(d), d.updatedAt);
      const [refused] = (await this.upsert(trx, [d], 'insert')).skipped;
      if (refused)
        throw new TimbrelError(
          'conflict',
          refused.reason.includes('anchorCode') ? refused.reason : `a digital human with id ${d.id} exists`,
          refused.reason.includes('anchorCode') ? 'anchorCode' : 'id',
        );
      this.store.logMove(trx, 'digital_humans', undefined, d);
    });
  }

  /** Changes a stored digital human under its row lock (like TimbreStore.change). */
  change(id: string, owners: string[] | undefined, change: (current: DigitalHuman) => DigitalHuman | Promise<DigitalHuman>): Promise<DigitalHuman | undefined> {
    return this.store.transaction((trx) => this.changeIn(trx, id, owners, change));
  }

  /** change inside the caller's transaction. */
  async changeIn(
    trx: Transaction<DB>,
    id: string,
    owners: string[] | undefined,
    change: (current: DigitalHuman) => DigitalHuman | Promise<DigitalHuman>,
  ): Promise<DigitalHuman | undefined> {
    const row = await this.store.lockedRow(trx, 'digital_humans', id);
    if (!row || (owners && !owners.includes(row.owner))) return undefined;
    const current = digitalHumanFromRow(row);
    const next = { ...(await change(current)), id: current.id, owner: current.owner };
    const had = new Set(digitalHumanFiles(current));
    await this.store.files.touch(
      trx,
      digitalHumanFiles(next).filter((r) => !had.has(r)),
      next.updatedAt,
    );
    const [refused] = (await this.upsert(trx, [next])).skipped;
    if (refused) throw new TimbrelError('conflict', refused.reason, 'anchorCode');
    this.store.logMove(trx, 'digital_humans', current, next);
    return next;
  }
}
