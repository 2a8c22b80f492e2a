import { sql } from 'kysely';
import type { Repository } from './repository.js';
import { whileWriteLocked } from './write-lock.js';

/** One bucket of an app's use: an hour, a dialect, how the calls went (served or relayed) and their outcome. */
export interface UsageRow {
  hour: number;
  appId: string;
  dialect: string;
  via: string;
  outcome: string;
  requests: number;
  characters: number;
  bytes: number;
}

/** Apps' use in hourly buckets: each instance adds what it counted, so a bucket sums every instance's. */
export class UsageStore {
  constructor(private readonly store: Repository) {}

  /**
   * Adds counts to their buckets (a bucket's counts grow, never reset). Not through the store's
   * transaction: usage is no catalog change, and moving the change token every flush would empty every
   * instance's read cache.
   */
  async add(rows: UsageRow[]): Promise<void> {
    if (!rows.length) return;
    await whileWriteLocked(() =>
      this.store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += 500) {
          await trx
            .insertInto('usage_hours')
            .values(
              rows.slice(i, i + 500).map((r) => ({
                hour: r.hour,
                app_id: r.appId,
                dialect: r.dialect,
                via: r.via,
                outcome: r.outcome,
                requests: r.requests,
                characters: r.characters,
                bytes: r.bytes,
              })),
            )
            .onConflict((oc) =>
              oc.columns(['app_id', 'hour', 'dialect', 'via', 'outcome']).doUpdateSet({
                requests: sql`usage_hours.requests + excluded.requests`,
                characters: sql`usage_hours.characters + excluded.characters`,
                bytes: sql`usage_hours.bytes + excluded.bytes`,
              }),
            )
            .execute();
        }
      }),
    );
  }

  /** An app's buckets from `from` (inclusive) to `to` (exclusive), oldest first. */
  async hours(appId: string, from: number, to: number): Promise<UsageRow[]> {
    const rows = await this.store.db
      .selectFrom('usage_hours')
      .selectAll()
      .where('app_id', '=', appId)
      .where('hour', '>=', from)
      .where('hour', '<', to)
      .orderBy('hour')
      .orderBy('dialect')
      .orderBy('via')
      .orderBy('outcome')
      .execute();
    return rows.map((r) => ({
      hour: Number(r.hour),
      appId: r.app_id,
      dialect: r.dialect,
      via: r.via,
      outcome: r.outcome,
      requests: Number(r.requests),
      characters: Number(r.characters),
      bytes: Number(r.bytes),
    }));
  }

  /** Forgets the buckets before `before` (the retention); answers how many went. */
  async prune(before: number): Promise<number> {
    const r = await this.store.db.deleteFrom('usage_hours').where('hour', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
