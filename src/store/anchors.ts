import { scopeConflict } from '../core/scope.js';
import { sql, type Expression, type SqlBool, type Transaction } from 'kysely';
import { PUBLIC_OWNER as PUBLIC, type Anchor, type DigitalHuman, type Page } from '../core/types.js';
import { stableId } from '../core/ids.js';
import type { DB } from './schema.js';
import { TimbrelError } from '../core/errors.js';
import { anchorFromRow, anchorToRow, digitalHumanFromRow } from './rows.js';
import { type Db, type KeysetRequest, type Narrowing, type WriteMode, NUL, oneOfTexts } from './base.js';
import type { Repository } from './repository.js';

export interface AnchorFilter {
  /** The anchor's own avatar type (IVH getanchor's VirtualmanTypeCode). */
  avatarType?: string;
  /** Exact codes; any of them. */
  codes?: string[];
}

export interface AnchorSearch extends KeysetRequest {
  owners?: string[];
  privateOnly?: boolean;
  status: string[];
  avatarType?: string[];
  gender?: string[];
  tag?: string[];
  q?: string;
}

/** The advisory-lock space of anchor codes ('anch'): writers of one code serialize on PostgreSQL. */
const CODE_LOCK_SPACE = 0x616e6368;

/** Why `a` may not hold its code given who holds it (`holders`, any owner): the API's scope rule. */
export function codeConflictAmong(a: Pick<Anchor, 'id' | 'owner' | 'code'>, holders: { id: string; owner: string }[]): string | undefined {
  return scopeConflict({ noun: 'anchor', field: 'code', value: a.code }, a, holders);
}

/** The file fields of an anchor. */
export const anchorFiles = (a: Anchor) => [a.headerImage].filter((r): r is string => Boolean(r));

/**
 * Anchors (presenters): lists, reads, searches and writes, and the link to their looks. A look (digital
 * human) belongs to the anchor whose code equals its anchorCode among the anchors its owner can see: its
 * owner's own, else the public one (docs/domain.md). A code is unique among what one app sees, as a timbre key.
 */
export class AnchorStore {
  constructor(private readonly store: Repository) {}

  list(owners: string[], filter: AnchorFilter, offset: number, limit: number): Promise<Page<Anchor>> {
    const where = (eb: any): Expression<SqlBool> | undefined => {
      const parts: Expression<SqlBool>[] = [];
      if (filter.avatarType !== undefined) parts.push(oneOfTexts(eb, 'avatar_type', [filter.avatarType]));
      if (filter.codes) parts.push(oneOfTexts(eb, 'code', filter.codes));
      return parts.length ? eb.and(parts) : undefined;
    };
    const filterKey = JSON.stringify(filter);
    return this.store.cached(`list:anchors|${owners.join(',')}|${filterKey}|${offset}|${limit}`, async () => {
      const page = await this.store.page('anchors', owners, where, filterKey, offset, limit);
      return { total: page.total, items: page.rows.map(anchorFromRow) };
    });
  }

  /** An anchor by id, if its owner is one of `owners` (undefined = any); retired ones still resolve. */
  byId(id: string, owners?: string[]): Promise<Anchor | undefined> {
    return this.store.rowById('anchors', id, owners, anchorFromRow);
  }

  /** The active anchor of a code among `owners`' (an app's own first; codes do not shadow, so one at most). */
  async byCode(code: string, owners: string[]): Promise<Anchor | undefined> {
    if (code.includes(NUL)) return undefined;
    const rows = await this.store.db
      .selectFrom('anchors')
      .selectAll()
      .where('code', '=', code)
      .where('owner', 'in', owners)
      .where('status', '=', 'active')
      .orderBy('owner', 'desc')
      .limit(1)
      .execute();
    return rows.length ? anchorFromRow(rows[0]) : undefined;
  }

  /**
   * The visible, active looks of each of `anchors` as a viewer sees them (`looks` for many anchors at once,
   * in one query a thousand codes).
   */
  async looksOfMany(anchors: Anchor[], viewerOwners: string[]): Promise<Map<string, DigitalHuman[]>> {
    const codes = [...new Set(anchors.map((a) => a.code))].filter((c) => !c.includes(NUL)).sort();
    const byCode = await this.store.cached(`anchors:looks-of|${viewerOwners.join(',')}|${codes.join('\u0000')}`, async () => {
      const out = new Map<string, DigitalHuman[]>();
      for (let i = 0; i < codes.length; i += 1000) {
        const rows = await this.store.db
          .selectFrom('digital_humans')
          .selectAll()
          .where('anchor_code', 'in', codes.slice(i, i + 1000))
          .where('owner', 'in', viewerOwners)
          .where('status', '=', 'active')
          .orderBy('sort_order')
          .orderBy('created_at')
          .orderBy('id')
          .execute();
        for (const r of rows) {
          const d = digitalHumanFromRow(r);
          (out.get(d.anchorCode) ?? out.set(d.anchorCode, []).get(d.anchorCode)!).push(d);
        }
      }
      return out;
    });
    // A private anchor's looks are its owner's only; a public anchor's, every viewer's.
    return new Map(anchors.map((a) => [a.id, (byCode.get(a.code) ?? []).filter((d) => a.owner === PUBLIC || d.owner === a.owner)]));
  }

  /**
   * The anchor of each look: by code, the look owner's own anchor first, else the public one. Retired
   * anchors resolve (their looks keep rendering the code and name). Looks without a code map to nothing.
   */
  async ofLooks(looks: Pick<DigitalHuman, 'owner' | 'anchorCode'>[], db: Db = this.store.db): Promise<(Anchor | undefined)[]> {
    const codes = [...new Set(looks.map((l) => l.anchorCode).filter((c) => c !== '' && !c.includes(NUL)))].sort();
    if (!codes.length) return looks.map(() => undefined);
    const owners = [...new Set([PUBLIC, ...looks.map((l) => l.owner)])].sort();
    const load = async () => {
      const rows = await db.selectFrom('anchors').selectAll().where('code', 'in', codes).where('owner', 'in', owners).execute();
      return rows.map(anchorFromRow);
    };
    const found = db.isTransaction ? await load() : await this.store.cached(`anchors:codes|${owners.join(',')}|${codes.join('\u0000')}`, load);
    const by = new Map(found.map((a) => [`${a.owner}\u0000${a.code}`, a]));
    return looks.map((l) => (l.anchorCode ? (by.get(`${l.owner}\u0000${l.anchorCode}`) ?? by.get(`${PUBLIC}\u0000${l.anchorCode}`)) : undefined));
  }

  /**
   * The visible, active looks of an anchor, in domain order: its owner's and (for a public anchor) the
   * viewer's own; `viewerOwners` undefined: every owner's (the operator).
   */
  async looks(anchor: Anchor, viewerOwners: string[] | undefined): Promise<DigitalHuman[]> {
    const owners = anchor.owner === PUBLIC ? viewerOwners : [anchor.owner].filter((o) => !viewerOwners || viewerOwners.includes(o));
    return this.store.cached(`anchors:looks|${anchor.id}|${owners?.join(',') ?? '*'}`, async () => {
      if (owners && !owners.length) return [];
      const rows = await this.store.db
        .selectFrom('digital_humans')
        .selectAll()
        .where('anchor_code', '=', anchor.code)
        .$if(owners !== undefined, (q) => q.where('owner', 'in', owners!))
        .where('status', '=', 'active')
        .orderBy('sort_order')
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const looks = rows.map(digitalHumanFromRow);
      // A look of an app that also holds its own anchor of this code belongs to that anchor (none can: the
      // code rule keeps a private code from shadowing a public one), so every look found here is this one's.
      return looks;
    });
  }

  /** How many looks (any status, any owner that can see it) hang under an anchor. */
  async lookCount(db: Db, anchor: Anchor): Promise<number> {
    let q = db
      .selectFrom('digital_humans')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('anchor_code', '=', anchor.code);
    if (anchor.owner !== PUBLIC) q = q.where('owner', '=', anchor.owner);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  /** The native API's anchor search (like DigitalHumanStore.search). */
  async search(s: AnchorSearch): Promise<{ rows: Anchor[]; total?: number }> {
    const build = (narrow: Narrowing) =>
      this.store.db.selectFrom('anchors').where((eb) => {
        const f = { ...s, ...narrow };
        const all: Expression<SqlBool>[] = [eb('status', 'in', f.status)];
        if (f.owners) all.push(eb('owner', 'in', f.owners));
        if (f.privateOnly) all.push(eb('owner', '!=', ''));
        if (f.avatarType?.length) all.push(eb('avatar_type', 'in', f.avatarType));
        if (f.gender?.length) all.push(eb('gender', 'in', f.gender));
        if (f.tag?.length) all.push(eb('tag', 'in', f.tag));
        if (f.q) {
          const needle = f.q.toLowerCase();
          all.push(eb.or(['name', 'code'].map((c) => this.store.containsExpr(c, needle, true))));
        }
        return eb.and(all);
      });
    return this.store.keysetPage(build, await this.store.runsOf('anchors', s), s, anchorFromRow);
  }

  /**
   * Serializes the writers of anchor codes until the transaction ends (PostgreSQL; SQLite is serialized
   * already). One lock for every code, not one a code: a bulk import names tens of thousands of codes in
   * one transaction, and as many advisory locks overflow PostgreSQL's lock table ("out of shared memory",
   * max_locks_per_transaction). Anchor writes are rare; readers never take it.
   */
  async lockCodes(trx: Transaction<DB>, codes: string[]): Promise<void> {
    if (this.store.engine.kind !== 'postgres' || !codes.length) return;
    await sql`select pg_advisory_xact_lock(${CODE_LOCK_SPACE}, 0)`.execute(trx);
  }

  /**
   * Why `a` may not hold its code, or undefined: the owner holds it already under another id, a private
   * code would shadow a public one, or a public code would take one an app holds.
   */
  async codeConflict(db: Db, a: Pick<Anchor, 'id' | 'owner' | 'code'>): Promise<string | undefined> {
    return codeConflictAmong(a, (await this.codeHolders(db, [a.code])).get(a.code) ?? []);
  }

  /** Who holds each of `codes`, any owner: code → [{id, owner}] (one query for a bulk write's codes). */
  async codeHolders(db: Db, codes: string[]): Promise<Map<string, { id: string; owner: string }[]>> {
    const found = new Map<string, { id: string; owner: string }[]>();
    const usable = [...new Set(codes)].filter((c) => !c.includes(NUL));
    for (let i = 0; i < usable.length; i += 1000) {
      for (const r of await db
        .selectFrom('anchors')
        .select(['code', 'id', 'owner'])
        .where('code', 'in', usable.slice(i, i + 1000))
        .execute()) {
        const list = found.get(r.code);
        if (list) list.push({ id: r.id, owner: r.owner });
        else found.set(r.code, [{ id: r.id, owner: r.owner }]);
      }
    }
    return found;
  }

  /** Anchors by id; like TimbreStore.upsertRows, returns the indexes of those not written (another owner's id). */
  async upsert(db: Db, anchors: Anchor[], mode: WriteMode = 'upsert'): Promise<number[]> {
    return (await this.write(db, anchors, mode)).skipped;
  }

  /** upsert, saying also which anchors were inserted (the others written were updated). */
  async write(db: Db, anchors: Anchor[], mode: WriteMode = 'upsert'): Promise<{ skipped: number[]; inserted: boolean[] }> {
    if (!anchors.length) return { skipped: [], inserted: [] };
    if (!db.isTransaction) return this.store.transaction((trx) => this.write(trx, anchors, mode));
    const rows = anchors.map(anchorToRow);
    return this.store.upsertById(db, 'anchors', Object.keys(rows[0]), rows.map(Object.values), mode);
  }

  /** The ids stored for codes of one owner. */
  async idsByCode(db: Db, owner: string, codes: string[]): Promise<Map<string, string>> {
    const usable = [...new Set(codes)].filter((c) => !c.includes(NUL));
    if (!usable.length) return new Map();
    const rows = await db.selectFrom('anchors').select(['code', 'id']).where('owner', '=', owner).where('code', 'in', usable).execute();
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /** Creates an anchor whose id must be new and whose code is free among what its owner can see. */
  async create(a: Anchor): Promise<void> {
    await this.store.transaction(async (trx) => {
      await this.lockCodes(trx, [a.code]);
      const conflict = await this.codeConflict(trx, a);
      if (conflict) throw new TimbrelError('conflict', conflict, 'code');
      await this.store.files.touch(trx, anchorFiles(a), a.updatedAt);
      if ((await this.upsert(trx, [a], 'insert')).length) throw new TimbrelError('conflict', `an anchor with id ${a.id} exists`, 'id');
      this.store.logMove(trx, 'anchors', undefined, a);
    });
  }

  change(id: string, owners: string[] | undefined, change: (current: Anchor) => Anchor | Promise<Anchor>): Promise<Anchor | undefined> {
    return this.store.transaction((trx) => this.changeIn(trx, id, owners, change));
  }

  /** Changes a stored anchor under its row lock. Its code stays: looks find their anchor by it. */
  async changeIn(
    trx: Transaction<DB>,
    id: string,
    owners: string[] | undefined,
    change: (current: Anchor) => Anchor | Promise<Anchor>,
  ): Promise<Anchor | undefined> {
    const row = await this.store.lockedRow(trx, 'anchors', id);
    if (!row || (owners && !owners.includes(row.owner))) return undefined;
    const current = anchorFromRow(row);
    const next = { ...(await change(current)), id: current.id, owner: current.owner };
    if (next.code !== current.code)
      throw new TimbrelError('invalid_parameter', "an anchor's code cannot change (its looks name it): create another anchor", 'code');
    const had = new Set(anchorFiles(current));
    await this.store.files.touch(
      trx,
      anchorFiles(next).filter((r) => !had.has(r)),
      next.updatedAt,
    );
    await this.upsert(trx, [next]);
    this.store.logMove(trx, 'anchors', current, next);
    return next;
  }

  /** Deletes an anchor that has no looks; one with looks is a conflict (retire it instead). */
  async remove(id: string, owners: string[] | undefined, check: (current: Anchor) => void): Promise<Anchor | undefined> {
    return this.store.transaction(async (trx) => {
      const row = await this.store.lockedRow(trx, 'anchors', id);
      if (!row || (owners && !owners.includes(row.owner))) return undefined;
      const current = anchorFromRow(row);
      check(current);
      await this.lockCodes(trx, [current.code]);
      const n = await this.lookCount(trx, current);
      if (n > 0)
        throw new TimbrelError('conflict', `the anchor still has ${n} look${n === 1 ? '' : 's'}: retire it, or move its looks to another anchorCode first`);
      await trx.deleteFrom('anchors').where('id', '=', id).execute();
      this.store.logMove(trx, 'anchors', current, undefined);
      return current;
    });
  }

  /**
   * Makes every non-empty anchorCode of `looks` resolve (inside the caller's write transaction): a code
   * that resolves to nothing gets an anchor of the look's owner, its name, avatar type and header image
   * from the first such look (docs/domain.md decision). Returns the anchors made, and the indexes of looks that
   * cannot have their code: a public look naming a code only an app holds.
   */
  async ensureFor(trx: Transaction<DB>, looks: DigitalHuman[], now: number): Promise<{ made: Anchor[]; refused: { index: number; reason: string }[] }> {
    const made: Anchor[] = [];
    const refused: { index: number; reason: string }[] = [];
    const coded = looks.map((l, index) => ({ l, index })).filter(({ l }) => l.anchorCode !== '');
    if (!coded.length) return { made, refused };
    await this.lockCodes(
      trx,
      coded.map(({ l }) => l.anchorCode),
    );
    const resolved = await this.ofLooks(
      coded.map(({ l }) => l),
      trx,
    );
    const pending = new Map<string, Anchor>();
    for (let i = 0; i < coded.length; i++) {
      const { l, index } = coded[i];
      if (resolved[i]) continue;
      const k = `${l.owner}\u0000${l.anchorCode}`;
      if (pending.has(k) || pending.has(`${PUBLIC}\u0000${l.anchorCode}`)) continue;
      // Read in the transaction: on SQLite it holds the one connection.
      const ownerName = l.owner === PUBLIC ? '' : ((await trx.selectFrom('apps').select('name').where('id', '=', l.owner).executeTakeFirst())?.name ?? l.owner);
      const a: Anchor = {
        id: stableId('anchor', ownerName, l.anchorCode),
        owner: l.owner,
        code: l.anchorCode,
        name: l.name,
        gender: 'neutral',
        tag: 'Basic',
        headerImage: l.headerImage,
        avatarType: l.avatarType,
        status: 'active',
        replacedBy: null,
        sortOrder: l.sortOrder,
        createdAt: now,
        updatedAt: now,
      };
      const conflict = await this.codeConflict(trx, a);
      if (conflict) {
        refused.push({
          index,
          reason: `anchorCode ${JSON.stringify(l.anchorCode)} is held by an app's private anchor; a public digital human may name only a public anchor`,
        });
        continue;
      }
      pending.set(k, a);
    }
    const list = [...pending.values()];
    if (list.length) {
      await this.store.files.touch(trx, list.flatMap(anchorFiles), now);
      const skipped = new Set(await this.upsert(trx, list, 'insert'));
      for (const [i, a] of list.entries()) {
        if (skipped.has(i)) throw new TimbrelError('conflict', `anchor id ${a.id} (derived from its owner and code) is taken`, 'anchorCode');
        made.push(a);
        this.store.logMove(trx, 'anchors', undefined, a);
      }
    }
    return { made, refused };
  }
}
