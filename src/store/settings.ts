import type { Repository } from './repository.js';

/** Settings that hold secrets, sealed at rest (SettingStore.secret). */
export const SECRET_SETTINGS = ['url_signing_key'];

/** Instance settings, secret ones sealed at rest. */
export class SettingStore {
  constructor(private readonly store: Repository) {}

  /** Read through the cache: the operator token is checked on every operator request. */
  get(key: string): Promise<string | undefined> {
    return this.store.cached(`setting:${key}`, async () => {
      const r = await this.store.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      return r?.value;
    });
  }

  /**
   * A setting that is a secret (the key that signs file URLs): sealed at rest under TIMBREL_SECRET_KEY like
   * the apps' secrets (plain text is read as it is, from before a key was set; reencryptSecrets seals it).
   */
  async secret(key: string): Promise<string | undefined> {
    const stored = await this.get(key);
    return stored === undefined ? undefined : this.store.box.open(stored, `settings:${key}`);
  }

  /** Seals secret settings still stored in plain text (a new database's signing key) once a key is configured. */
  async sealPlainSecrets(): Promise<void> {
    if (!this.store.box.encrypting) return;
    for (const key of SECRET_SETTINGS) {
      const stored = await this.get(key);
      if (stored !== undefined && !this.store.box.isSealed(stored)) await this.set(key, this.store.box.seal(stored, `settings:${key}`));
    }
  }

  async set(key: string, value: string): Promise<void> {
    await this.store.transaction((trx) =>
      trx
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute(),
    );
  }
}
