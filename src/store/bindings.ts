import { PUBLIC_OWNER as PUBLIC, type Binding, type Timbre } from '../core/types.js';
import { TimbrelError } from '../core/errors.js';
import { versionOf } from '../core/events.js';
import { timbreFromRow } from './rows.js';
import { type Db } from './base.js';
import type { Repository } from './repository.js';

/** Bindings of timbres to digital humans, per owner. */
export class BindingStore {
  constructor(private readonly store: Repository) {}

  /**
   * The active timbres bound to a digital human, in binding order. A timbre bound under several owners
   * (the operator's public binding and the app's own) is listed once, where it first appears.
   */
  boundTimbres(digitalHumanId: string, bindingOwners: string[], timbreOwners: string[]): Promise<Timbre[]> {
    return this.store.cached(`bound:${digitalHumanId}|${bindingOwners.join(',')}|${timbreOwners.join(',')}`, () =>
      this.loadBoundTimbres(digitalHumanId, bindingOwners, timbreOwners),
    );
  }

  private async loadBoundTimbres(digitalHumanId: string, bindingOwners: string[], timbreOwners: string[]): Promise<Timbre[]> {
    const rows = await this.store.db
      .selectFrom('bindings as b')
      .innerJoin('timbres as t', 't.id', 'b.timbre_id')
      .selectAll('t')
      .where('b.digital_human_id', '=', digitalHumanId)
      .where('b.owner', 'in', bindingOwners)
      .where('t.owner', 'in', timbreOwners)
      .where('t.status', '=', 'active')
      .orderBy('b.sort_order')
      .orderBy('b.created_at')
      .orderBy('t.id')
      .execute();
    const seen = new Set<string>();
    const out: Timbre[] = [];
    for (const r of rows) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(timbreFromRow(r));
    }
    return out;
  }

  /**
   * The default voice of each digital human as an app sees it (docs/dialects/heygen.md): the key of the timbre of the
   * app's own default binding, else of the public one; the timbre visible to the app and active.
   */
  defaultKeys(digitalHumanIds: string[], app: string): Promise<Map<string, string>> {
    const ids = [...new Set(digitalHumanIds)].sort();
    return this.store.cached(`defaults:${app}|${ids.join(',')}`, async () => {
      const found = new Map<string, { key: string; own: boolean }>();
      for (let i = 0; i < ids.length; i += 1000) {
        const rows = await this.store.db
          .selectFrom('bindings as b')
          .innerJoin('timbres as t', 't.id', 'b.timbre_id')
          .select(['b.digital_human_id as dh', 'b.owner as owner', 't.key as key'])
          .where('b.digital_human_id', 'in', ids.slice(i, i + 1000))
          .where('b.is_default', '=', 1)
          .where('b.owner', 'in', [PUBLIC, app])
          .where('t.owner', 'in', [PUBLIC, app])
          .where('t.status', '=', 'active')
          .orderBy('b.sort_order')
          .orderBy('b.created_at')
          .orderBy('t.id')
          .execute();
        for (const r of rows) {
          const own = r.owner !== PUBLIC;
          const had = found.get(r.dh);
          if (!had || (own && !had.own)) found.set(r.dh, { key: r.key, own });
        }
      }
      return new Map([...found].map(([dh, v]) => [dh, v.key]));
    });
  }

  async upsert(db: Db, bindings: Binding[]): Promise<void> {
    if (!bindings.length) return;
    await db
      .insertInto('bindings')
      .values(
        bindings.map((b) => ({
          owner: b.owner,
          digital_human_id: b.digitalHumanId,
          timbre_id: b.timbreId,
          sort_order: b.sortOrder,
          is_default: b.isDefault ? 1 : 0,
          created_at: b.createdAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['digital_human_id', 'owner', 'timbre_id']).doUpdateSet((eb) => ({
          sort_order: eb.ref('excluded.sort_order'),
          is_default: eb.ref('excluded.is_default'),
        })),
      )
      .execute();
  }

  /**
   * Changes one owner's bindings of a digital human (bind, unbind, reorder, default): the digital human's
   * row is locked (lockedRow) while `change` turns the owner's current bindings into the new ones, so
   * concurrent binders to one digital human take turns and each sees the others' acknowledged bindings.
   */
  async change(digitalHumanId: string, owner: string, change: (mine: Binding[]) => Binding[] | Promise<Binding[]>): Promise<void> {
    await this.store.transaction(async (trx) => {
      if (!(await this.store.lockedRow(trx, 'digital_humans', digitalHumanId))) throw new TimbrelError('digital_human_not_found', 'no such digital human');
      const before = await this.of(digitalHumanId, [owner], trx);
      const next = await change(before);
      await trx.deleteFrom('bindings').where('digital_human_id', '=', digitalHumanId).where('owner', '=', owner).execute();
      if (next.length) await this.upsert(trx, next);
      // The event's etag is the owner's bindings' version, as the native API tags them (before its dot).
      const version = (bs: Binding[]) => versionOf(bs.map((b) => [b.timbreId, b.sortOrder, b.isDefault]));
      const sorted = [...next].sort((a, b) => a.sortOrder - b.sortOrder);
      if (version(before) !== version(sorted))
        this.store.logEvent(trx, {
          type: 'binding.updated',
          kind: 'binding',
          objectId: digitalHumanId,
          owner,
          etag: `"${version(sorted)}"`,
          changed: ['timbres'],
        });
    });
  }

  /** A digital human's bindings whose owner is one of `owners` (undefined = any), in binding order. */
  async of(digitalHumanId: string, owners?: string[], db: Db = this.store.db): Promise<Binding[]> {
    let q = db.selectFrom('bindings').selectAll().where('digital_human_id', '=', digitalHumanId);
    if (owners) q = q.where('owner', 'in', owners);
    const rows = await q.orderBy('sort_order').orderBy('created_at').orderBy('timbre_id').execute();
    return rows.map((r) => ({
      owner: r.owner,
      digitalHumanId: r.digital_human_id,
      timbreId: r.timbre_id,
      sortOrder: Number(r.sort_order),
      isDefault: Boolean(Number(r.is_default)),
      createdAt: Number(r.created_at),
    }));
  }
}
