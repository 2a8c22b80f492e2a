import { assetKind, type Asset, type AssetKind } from './kinds.js';
import type { SyncReport, Upstream, UpstreamDialect } from '../core/types.js';
import { originOf } from '../outbound/index.js';
import type { DB } from './schema.js';
import { num, type Db } from './base.js';
import type { Repository } from './repository.js';

/** The kinds a sync writes, as synced_rows names them. */

/**
 * Where a synced row came from: the dialect, the upstream's origin and account, and for a private row the
 * app whose account it is. A sync reads, writes and retires only rows of its own sources.
 */
export const syncSource = (dialect: string, url: string, account: string, appId?: string): string =>
  `${dialect}|${originOf(url)}|${account}${appId === undefined ? '' : `|${appId}`}`;

/** What a lease holder learns when it renews: whether it still holds it, and whether it was asked to stop. */
export interface LeaseState {
  held: boolean;
  cancel: boolean;
}

const sealedAs = (r: Pick<DB['upstreams'], 'app_id' | 'dialect'>) => `${r.app_id}:upstream:${r.dialect}`;

/** A row the sync wrote: what the vendor said of it then (its digest) and when. */
export interface SyncedRow {
  id: string;
  digest: string;
  /** The vendor's id of the row, when it is not `id` (HeyGen's avatar ids). */
  vendorId?: string;
}

/** Apps' upstream accounts (secrets sealed like the apps' own) and the rows their syncs wrote. */
export class UpstreamStore {
  constructor(private readonly store: Repository) {}

  private fromRow(r: DB['upstreams']): Upstream {
    return {
      appId: r.app_id,
      dialect: r.dialect as UpstreamDialect,
      url: r.url,
      account: r.account,
      secret: this.store.box.open(r.secret, sealedAs(r)),
      rateLimit: num(r.rate_limit),
      open: Number(r.open) === 1,
      lastSync: r.last_sync === null ? null : (JSON.parse(r.last_sync) as SyncReport),
      createdAt: num(r.created_at),
      updatedAt: num(r.updated_at),
    };
  }

  /** An app's upstream for a dialect; read through the cache (every relayed call asks). */
  of(appId: string, dialect: UpstreamDialect): Promise<Upstream | undefined> {
    return this.store.cached(`upstream:${appId}:${dialect}`, async () => {
      const r = await this.store.db.selectFrom('upstreams').selectAll().where('app_id', '=', appId).where('dialect', '=', dialect).executeTakeFirst();
      return r && this.fromRow(r);
    });
  }

  async list(appId?: string): Promise<Upstream[]> {
    const rows = await this.store.db
      .selectFrom('upstreams')
      .selectAll()
      .$if(appId !== undefined, (q) => q.where('app_id', '=', appId!))
      .orderBy('app_id')
      .orderBy('dialect')
      .execute();
    return rows.map((r) => this.fromRow(r));
  }

  /** Sets (or replaces) an app's upstream for its dialect; the last sync's report stays with it. */
  async set(u: Omit<Upstream, 'lastSync' | 'createdAt' | 'updatedAt'>, now: number): Promise<Upstream> {
    return this.store.transaction(async (trx) => {
      const row = {
        app_id: u.appId,
        dialect: u.dialect,
        url: u.url,
        account: u.account,
        secret: this.store.box.seal(u.secret, sealedAs({ app_id: u.appId, dialect: u.dialect })),
        rate_limit: u.rateLimit,
        open: u.open ? 1 : 0,
        updated_at: now,
      };
      const had = await trx.selectFrom('upstreams').select('url').where('app_id', '=', u.appId).where('dialect', '=', u.dialect).executeTakeFirst();
      this.store.logEvent(trx, {
        type: had ? 'upstream.updated' : 'upstream.created',
        kind: 'upstream',
        objectId: u.dialect,
        owner: u.appId,
        etag: '',
        changed: [],
      });
      await trx
        .insertInto('upstreams')
        .values({ ...row, last_sync: null, created_at: now })
        .onConflict((oc) => oc.columns(['app_id', 'dialect']).doUpdateSet(row))
        .execute();
      const r = await trx.selectFrom('upstreams').selectAll().where('app_id', '=', u.appId).where('dialect', '=', u.dialect).executeTakeFirstOrThrow();
      return this.fromRow(r);
    });
  }

  /** Removes an app's upstream; false when there was none. Rows its syncs wrote stay. */
  async remove(appId: string, dialect: UpstreamDialect): Promise<boolean> {
    return this.store.transaction(async (trx) => {
      const r = await trx.deleteFrom('upstreams').where('app_id', '=', appId).where('dialect', '=', dialect).executeTakeFirst();
      const gone = Number(r.numDeletedRows) > 0;
      if (gone) this.store.logEvent(trx, { type: 'upstream.deleted', kind: 'upstream', objectId: dialect, owner: appId, etag: '', changed: [] });
      return gone;
    });
  }

  async recordSync(appId: string, dialect: UpstreamDialect, report: SyncReport): Promise<void> {
    await this.store.transaction(async (trx) => {
      await trx
        .updateTable('upstreams')
        .set({ last_sync: JSON.stringify(report) })
        .where('app_id', '=', appId)
        .where('dialect', '=', dialect)
        .execute();
      if (report.finishedAt !== null)
        this.store.logEvent(trx, {
          type: 'sync.completed',
          kind: 'upstream',
          objectId: dialect,
          owner: appId,
          etag: '',
          changed: [],
          data: report as unknown as Record<string, unknown>,
        });
    });
  }

  /** Seals every upstream secret under the current key; returns how many were rewritten. */
  async reencrypt(trx: Db): Promise<number> {
    let n = 0;
    const rows = await trx
      .selectFrom('upstreams')
      .selectAll()
      .$if(this.store.engine.kind === 'postgres', (q) => q.forUpdate())
      .execute();
    for (const r of rows) {
      if (this.store.box.isCurrent(r.secret)) continue;
      const secret = this.store.box.seal(this.store.box.open(r.secret, sealedAs(r)), sealedAs(r));
      await trx.updateTable('upstreams').set({ secret }).where('app_id', '=', r.app_id).where('dialect', '=', r.dialect).execute();
      n++;
    }
    return n;
  }

  /** What `source` wrote among `ids` of a kind, by id (one query a page of the sync). */
  async syncedOf(db: Db, source: string, kind: string, ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom('synced_rows')
        .select(['id', 'digest'])
        .where('source', '=', source)
        .where('kind', '=', kind)
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(r.id, r.digest);
    }
    return out;
  }

  /** Records what a sync wrote (its digest) in the transaction that wrote it. */
  async markSynced(db: Db, source: string, kind: string, rows: SyncedRow[], now: number): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) {
      const values = rows.slice(i, i + 200).map((r) => ({ source, kind, id: r.id, digest: r.digest, synced_at: now, vendor_id: r.vendorId ?? null }));
      await db
        .insertInto('synced_rows')
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(['source', 'kind', 'id'])
            .doUpdateSet((eb) => ({ digest: eb.ref('excluded.digest'), synced_at: eb.ref('excluded.synced_at'), vendor_id: eb.ref('excluded.vendor_id') })),
        )
        .execute();
    }
  }

  /** The sources that wrote an asset (a synced voice names the vendor account it came from). */
  async sourcesOf(kind: AssetKind, id: string): Promise<string[]> {
    const rows = await this.store.db.selectFrom('synced_rows').select('source').where('kind', '=', kind).where('id', '=', id).execute();
    return rows.map((r) => r.source);
  }

  /**
   * The vendor's ids of assets of a kind that a `dialect` upstream synced, by timbrel id (only those whose
   * vendor id is not their own: HeyGen's avatars). One query a 500 ids.
   */
  async vendorIds(kind: AssetKind, ids: string[], dialect: UpstreamDialect): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.store.db
        .selectFrom('synced_rows')
        .select(['id', 'vendor_id'])
        .where('kind', '=', kind)
        .where('id', 'in', ids.slice(i, i + 500))
        .where('vendor_id', 'is not', null)
        .where('source', '>=', `${dialect}|`)
        .where('source', '<', `${dialect}}`)
        .execute();
      for (const r of rows) if (r.vendor_id !== null) out.set(r.id, r.vendor_id);
    }
    return out;
  }

  /** The timbrel ids of the assets of a kind a `dialect` upstream synced under a vendor id (one a source). */
  async idsOfVendorId(kind: AssetKind, vendorId: string, dialect: UpstreamDialect): Promise<string[]> {
    const rows = await this.store.db
      .selectFrom('synced_rows')
      .select('id')
      .where('kind', '=', kind)
      .where('vendor_id', '=', vendorId)
      .where('source', '>=', `${dialect}|`)
      .where('source', '<', `${dialect}}`)
      .execute();
    return [...new Set(rows.map((r) => r.id))];
  }

  /** Every id `source` wrote of a kind. */
  async idsOf(source: string, kind: string): Promise<string[]> {
    const rows = await this.store.db.selectFrom('synced_rows').select('id').where('source', '=', source).where('kind', '=', kind).execute();
    return rows.map((r) => r.id);
  }

  /** The stored assets of a kind among `ids`, by id (any owner, any status). */
  async assetsById(db: Db, kind: AssetKind, ids: string[]): Promise<Map<string, Asset>> {
    const { table, fromRow } = assetKind(kind);
    const out = new Map<string, Asset>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom(table)
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(r.id, fromRow(r));
    }
    return out;
  }

  /**
   * Takes the sync lease of an upstream for `holder` until `now + ttlMs`, when it is free (no row, its
   * holder let it expire, or its holder is `stale`: a process known to be gone). Answers who holds it now.
   */
  async takeLease(appId: string, dialect: UpstreamDialect, holder: string, now: number, ttlMs: number, stale?: string): Promise<string | undefined> {
    return this.store.transaction(async (trx) => {
      await trx
        .insertInto('sync_leases')
        .values({ app_id: appId, dialect, holder, expires_at: now + ttlMs, cancel: 0 })
        .onConflict((oc) =>
          oc
            .columns(['app_id', 'dialect'])
            .doUpdateSet({ holder, expires_at: now + ttlMs, cancel: 0 })
            .where((eb) => eb.or([eb('sync_leases.expires_at', '<', now), eb('sync_leases.holder', '=', stale ?? '')])),
        )
        .execute();
      const r = await trx.selectFrom('sync_leases').select('holder').where('app_id', '=', appId).where('dialect', '=', dialect).executeTakeFirst();
      return r?.holder;
    });
  }

  /** Extends a held lease; says whether it is still held and whether a cancel was asked for. */
  async renewLease(appId: string, dialect: UpstreamDialect, holder: string, now: number, ttlMs: number): Promise<LeaseState> {
    return this.store.transaction(async (trx) => {
      await trx
        .updateTable('sync_leases')
        .set({ expires_at: now + ttlMs })
        .where('app_id', '=', appId)
        .where('dialect', '=', dialect)
        .where('holder', '=', holder)
        .execute();
      const r = await trx.selectFrom('sync_leases').select(['holder', 'cancel']).where('app_id', '=', appId).where('dialect', '=', dialect).executeTakeFirst();
      return { held: r?.holder === holder, cancel: r?.holder === holder && Number(r.cancel) === 1 };
    });
  }

  async releaseLease(appId: string, dialect: UpstreamDialect, holder: string): Promise<void> {
    await this.store.transaction((trx) =>
      trx.deleteFrom('sync_leases').where('app_id', '=', appId).where('dialect', '=', dialect).where('holder', '=', holder).execute(),
    );
  }

  /** Asks the running sync of an upstream (any process) to stop; false when none is running. */
  async cancelLease(appId: string, dialect: UpstreamDialect, now: number): Promise<boolean> {
    return this.store.transaction(async (trx) => {
      const r = await trx
        .updateTable('sync_leases')
        .set({ cancel: 1 })
        .where('app_id', '=', appId)
        .where('dialect', '=', dialect)
        .where('expires_at', '>=', now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    });
  }
}
