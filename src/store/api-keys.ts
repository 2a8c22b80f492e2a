import type { DB } from './schema.js';
import type { Repository } from './repository.js';

export interface ApiKey {
  id: string;
  appId: string;
  name: string;
  hash: string;
  createdAt: number;
  revokedAt: number | null;
}

export const apiKeyFromRow = (r: DB['api_keys']): ApiKey => ({
  id: r.id,
  appId: r.app_id,
  name: r.name,
  hash: r.hash,
  createdAt: Number(r.created_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

/** Apps' API keys (hashed). */
export class ApiKeyStore {
  constructor(private readonly store: Repository) {}

  async insert(k: ApiKey): Promise<void> {
    await this.store.transaction(async (trx) => {
      await trx.insertInto('api_keys').values({ id: k.id, app_id: k.appId, name: k.name, hash: k.hash, created_at: k.createdAt, revoked_at: null }).execute();
      this.store.logEvent(trx, { type: 'api_key.created', kind: 'api_key', objectId: k.id, owner: k.appId, etag: '', changed: [] });
    });
  }

  /** A key that is not revoked, by the hash of its text. */
  byHash(hash: string): Promise<ApiKey | undefined> {
    return this.store.cached(`apikey:${hash}`, async () => {
      const r = await this.store.db.selectFrom('api_keys').selectAll().where('hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
      return r && apiKeyFromRow(r);
    });
  }

  async list(appId: string): Promise<ApiKey[]> {
    const rows = await this.store.db.selectFrom('api_keys').selectAll().where('app_id', '=', appId).orderBy('created_at').orderBy('id').execute();
    return rows.map(apiKeyFromRow);
  }

  /** Revokes a key; false when there is no such live key. */
  async revoke(id: string, now: number): Promise<boolean> {
    return this.store.transaction(async (trx) => {
      const r = await trx
        .updateTable('api_keys')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .returning('app_id')
        .executeTakeFirst();
      // A revoked key is gone for good: its event says deleted.
      if (r) this.store.logEvent(trx, { type: 'api_key.deleted', kind: 'api_key', objectId: id, owner: r.app_id, etag: '', changed: [] });
      return r !== undefined;
    });
  }
}
