import { StoreBase } from './base.js';
import { appFromRow, AppStore } from './apps.js';
import { ApiKeyStore } from './api-keys.js';
import { BindingStore } from './bindings.js';
import { DigitalHumanStore } from './digital-humans.js';
import { AnchorStore } from './anchors.js';
import { FileStore } from './files.js';
import { SECRET_SETTINGS, SettingStore } from './settings.js';
import { TimbreStore } from './timbres.js';
import { UpstreamStore } from './upstreams.js';
import { UsageStore } from './usage.js';
import { WebhookStore } from './webhooks.js';
export { SORTS, sortKeyOf, type Db, type ListedRow, type ListSort, type WriteTransaction } from './base.js';
export type { ApiKey } from './api-keys.js';
export type { DigitalHumanFilter } from './digital-humans.js';
export type { AnchorFilter, AnchorSearch } from './anchors.js';
export { StageError, type StageSettled, type StagedTimbre, type TimbreFilter } from './timbres.js';

/**
 * Every statement timbrel runs is in the store; the core and the dialects never see SQL. One store per
 * aggregate, each in its own file beside its siblings (a new entity is a new file and a field here), over
 * what they share (StoreBase: the engine, transactions, the read cache, lists and paging).
 */
export class Repository extends StoreBase {
  readonly apps = new AppStore(this);
  readonly apiKeys = new ApiKeyStore(this);
  readonly timbres = new TimbreStore(this);
  readonly digitalHumans = new DigitalHumanStore(this);
  readonly anchors = new AnchorStore(this);
  readonly bindings = new BindingStore(this);
  readonly files = new FileStore(this);
  readonly settings = new SettingStore(this);
  readonly upstreams = new UpstreamStore(this);
  readonly usage = new UsageStore(this);
  readonly webhooks = new WebhookStore(this);

  /**
   * Seals every app's secrets under the current key (after a key is set or rotated); returns how many apps
   * were rewritten. Values already under the current key are left alone.
   */
  async reencryptSecrets(now: number): Promise<number> {
    let n = 0;
    await this.transaction(async (trx) => {
      // The key that signs file URLs is a secret too.
      for (const key of SECRET_SETTINGS) {
        const r = await trx
          .selectFrom('settings')
          .select('value')
          .where('key', '=', key)
          .$if(this.engine.kind === 'postgres', (q) => q.forUpdate())
          .executeTakeFirst();
        if (!r || this.box.isCurrent(r.value)) continue;
        const sealed = this.box.seal(this.box.open(r.value, `settings:${key}`), `settings:${key}`);
        await trx.updateTable('settings').set({ value: sealed }).where('key', '=', key).execute();
      }
      const rows = await trx
        .selectFrom('apps')
        .selectAll()
        .$if(this.engine.kind === 'postgres', (q) => q.forUpdate())
        .execute();
      for (const r of rows) {
        const stored = [r.zego_server_secret, r.ivh_accesstoken, r.zego_previous_secret, r.ivh_previous_token].filter((v): v is string => v !== null);
        if (stored.every((v) => this.box.isCurrent(v))) continue;
        await trx
          .updateTable('apps')
          .set(this.apps.secretColumns(appFromRow(r, this.box), now))
          .where('id', '=', r.id)
          .execute();
        n++;
      }
      n += await this.upstreams.reencrypt(trx);
    });
    return n;
  }
}
