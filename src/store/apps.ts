import { type App } from '../core/types.js';
import type { DB } from './schema.js';
import { SecretBox } from '../core/secret-box.js';
import { num, type Db } from './base.js';
import type { Repository } from './repository.js';

export function appFromRow(r: DB['apps'], box: SecretBox): App {
  const open = (v: string, column: string) => box.open(v, `${r.id}:${column}`);
  return {
    id: r.id,
    name: r.name,
    rateLimit: num(r.rate_limit),
    status: r.status as App['status'],
    zegoAppId: num(r.zego_app_id),
    zegoServerSecret: open(r.zego_server_secret, 'zego_server_secret'),
    ivhAppKey: r.ivh_appkey,
    ivhAccessToken: open(r.ivh_accesstoken, 'ivh_accesstoken'),
    zegoPreviousSecret: r.zego_previous_secret === null ? null : open(r.zego_previous_secret, 'zego_previous_secret'),
    zegoPreviousUntil: r.zego_previous_until === null ? null : num(r.zego_previous_until),
    ivhPreviousToken: r.ivh_previous_token === null ? null : open(r.ivh_previous_token, 'ivh_previous_token'),
    ivhPreviousUntil: r.ivh_previous_until === null ? null : num(r.ivh_previous_until),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function appToRow(a: App, box: SecretBox): DB['apps'] {
  const seal = (v: string, column: string) => box.seal(v, `${a.id}:${column}`);
  return {
    id: a.id,
    name: a.name,
    rate_limit: a.rateLimit,
    status: a.status,
    zego_app_id: a.zegoAppId,
    zego_server_secret: seal(a.zegoServerSecret, 'zego_server_secret'),
    ivh_appkey: a.ivhAppKey,
    ivh_accesstoken: seal(a.ivhAccessToken, 'ivh_accesstoken'),
    zego_previous_secret: a.zegoPreviousSecret === null ? null : seal(a.zegoPreviousSecret, 'zego_previous_secret'),
    zego_previous_until: a.zegoPreviousUntil,
    ivh_previous_token: a.ivhPreviousToken === null ? null : seal(a.ivhPreviousToken, 'ivh_previous_token'),
    ivh_previous_until: a.ivhPreviousUntil,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

/** Apps (tenants): their names, signing credentials (sealed at rest) and limits. */
export class AppStore {
  constructor(private readonly store: Repository) {}

  async insert(app: App): Promise<void> {
    await this.store.transaction(async (trx) => {
      await trx.insertInto('apps').values(appToRow(app, this.store.box)).execute();
      this.store.logEvent(trx, { type: 'app.created', kind: 'app', objectId: app.id, owner: app.id, etag: '', changed: [] });
    });
  }

  async update(id: string, patch: Partial<Pick<App, 'name' | 'rateLimit' | 'status'>>, now: number): Promise<void> {
    const set: Partial<DB['apps']> = { updated_at: now };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.rateLimit !== undefined) set.rate_limit = patch.rateLimit;
    if (patch.status !== undefined) set.status = patch.status;
    await this.store.transaction(async (trx) => {
      const r = await trx.updateTable('apps').set(set).where('id', '=', id).executeTakeFirst();
      const changed = (['name', 'rateLimit', 'status'] as const).filter((k) => patch[k] !== undefined);
      if (Number(r.numUpdatedRows) > 0) this.store.logEvent(trx, { type: 'app.updated', kind: 'app', objectId: id, owner: id, etag: '', changed });
    });
  }

  /**
   * Rotates an app's signing secrets: `change` turns the app as stored (its row locked for the
   * transaction) into the app with new secrets, so two rotations at once never lose one's new secret.
   */
  async rotateSecrets(name: string, now: number, change: (current: App) => App): Promise<App | undefined> {
    return this.store.transaction(async (trx) => {
      const row = await trx
        .selectFrom('apps')
        .selectAll()
        .where('name', '=', name)
        .$if(this.store.engine.kind === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      if (!row) return undefined;
      const next = change(appFromRow(row, this.store.box));
      await trx.updateTable('apps').set(this.secretColumns(next, now)).where('id', '=', row.id).execute();
      this.store.logEvent(trx, { type: 'app.updated', kind: 'app', objectId: row.id, owner: row.id, etag: '', changed: ['secrets'] });
      return { ...next, updatedAt: now };
    });
  }

  /** An app's signing-secret columns, sealed under the current key. */
  secretColumns(a: App, now: number): Partial<DB['apps']> {
    const row = appToRow(a, this.store.box);
    return {
      zego_server_secret: row.zego_server_secret,
      zego_previous_secret: row.zego_previous_secret,
      zego_previous_until: row.zego_previous_until,
      ivh_accesstoken: row.ivh_accesstoken,
      ivh_previous_token: row.ivh_previous_token,
      ivh_previous_until: row.ivh_previous_until,
      updated_at: now,
    };
  }

  byZegoId(appId: number): Promise<App | undefined> {
    return this.store.cached(`app:zego:${appId}`, async () => {
      const r = await this.store.db.selectFrom('apps').selectAll().where('zego_app_id', '=', appId).executeTakeFirst();
      return r && appFromRow(r, this.store.box);
    });
  }

  byIvhKey(appkey: string): Promise<App | undefined> {
    return this.store.cached(`app:ivh:${appkey}`, async () => {
      const r = await this.store.db.selectFrom('apps').selectAll().where('ivh_appkey', '=', appkey).executeTakeFirst();
      return r && appFromRow(r, this.store.box);
    });
  }

  async byName(name: string, db: Db = this.store.db): Promise<App | undefined> {
    const r = await db.selectFrom('apps').selectAll().where('name', '=', name).executeTakeFirst();
    return r && appFromRow(r, this.store.box);
  }

  byId(id: string): Promise<App | undefined> {
    return this.store.cached(`app:id:${id}`, async () => {
      const r = await this.store.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
      return r && appFromRow(r, this.store.box);
    });
  }

  /** Through the cache: an operator's catalog-order list reads one run per app, on every page. */
  list(): Promise<App[]> {
    return this.store.cached('apps', async () => {
      const rows = await this.store.db.selectFrom('apps').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map((r) => appFromRow(r, this.store.box));
    });
  }
}
