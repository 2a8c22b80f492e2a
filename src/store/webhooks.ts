/**
 * Webhook endpoints and their deliveries (docs/events.md, "Webhooks"). An endpoint follows the event log
 * from its cursor: a fan-out turns the events it may see into delivery rows (one per event, in the
 * transaction that moves the cursor, the endpoint's row locked), and any instance claims due deliveries
 * with a lease (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so two instances never claim one row), so each
 * delivery is attempted by one instance at a time and an instance that dies leaves its leases to expire.
 */
import type { Selectable } from 'kysely';
import type { NewEvent } from '../core/events.js';
import type { DB } from './schema.js';
import type { Repository } from './repository.js';

export type WebhookStatus = 'enabled' | 'disabled';
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface Webhook {
  id: string;
  appId: string;
  url: string;
  description: string;
  types: string[];
  secret: string;
  previousSecret: string | null;
  previousUntil: number | null;
  status: WebhookStatus;
  disabledReason: string | null;
  failingSince: number | null;
  cursor: number;
  createdAt: number;
  updatedAt: number;
}

export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventSeq: number;
  eventType: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  lastResponse: string | null;
  redeliveryOf: string;
  createdAt: number;
  updatedAt: number;
}

/** A new delivery: an event (or a ping) for an endpoint, due now. */
export interface NewDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventSeq: number;
  eventType: string;
  payload: string;
  redeliveryOf?: string;
}

const sealedAs = (id: string) => `webhook:${id}`;

const deliveryFromRow = (r: Selectable<DB['webhook_deliveries']>): Delivery => ({
  id: r.id,
  webhookId: r.webhook_id,
  eventId: r.event_id,
  eventSeq: Number(r.event_seq),
  eventType: r.event_type,
  payload: r.payload,
  status: r.status as DeliveryStatus,
  attempts: Number(r.attempts),
  nextAt: r.next_at === null ? null : Number(r.next_at),
  lastStatus: r.last_status === null ? null : Number(r.last_status),
  lastError: r.last_error,
  lastDurationMs: r.last_duration_ms === null ? null : Number(r.last_duration_ms),
  lastResponse: r.last_response,
  redeliveryOf: r.redelivery_of,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export class WebhookStore {
  constructor(private readonly store: Repository) {}

  private fromRow(r: Selectable<DB['webhooks']>): Webhook {
    return {
      id: r.id,
      appId: r.app_id,
      url: r.url,
      description: r.description,
      types: JSON.parse(r.types) as string[],
      secret: this.store.box.open(r.secret, sealedAs(r.id)),
      previousSecret: r.previous_secret === null ? null : this.store.box.open(r.previous_secret, sealedAs(r.id)),
      previousUntil: r.previous_until === null ? null : Number(r.previous_until),
      status: r.status as WebhookStatus,
      disabledReason: r.disabled_reason,
      failingSince: r.failing_since === null ? null : Number(r.failing_since),
      cursor: Number(r.cursor),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    };
  }

  async insert(w: Webhook): Promise<void> {
    await this.store.transaction(async (trx) => {
      await trx
        .insertInto('webhooks')
        .values({
          id: w.id,
          app_id: w.appId,
          url: w.url,
          description: w.description,
          types: JSON.stringify(w.types),
          secret: this.store.box.seal(w.secret, sealedAs(w.id)),
          previous_secret: null,
          previous_until: null,
          status: w.status,
          disabled_reason: null,
          failing_since: null,
          cursor: w.cursor,
          created_at: w.createdAt,
          updated_at: w.updatedAt,
        })
        .execute();
    });
  }

  async byId(id: string): Promise<Webhook | undefined> {
    const r = await this.store.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    return r && this.fromRow(r);
  }

  /** Endpoints of an app (`appId`), of the operator (''), or every one (undefined). */
  async list(appId?: string): Promise<Webhook[]> {
    const rows = await this.store.db
      .selectFrom('webhooks')
      .selectAll()
      .$if(appId !== undefined, (q) => q.where('app_id', '=', appId!))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => this.fromRow(r));
  }

  /** Changes an endpoint under its row lock (with `event`'s record when it says one); undefined when it is gone. */
  async change(id: string, fn: (w: Webhook) => Webhook, event?: (before: Webhook, after: Webhook) => NewEvent | undefined): Promise<Webhook | undefined> {
    return this.store.transaction(async (trx) => {
      const r = await trx
        .selectFrom('webhooks')
        .selectAll()
        .where('id', '=', id)
        .$if(this.store.engine.kind === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      if (!r) return undefined;
      const next = fn(this.fromRow(r));
      await trx
        .updateTable('webhooks')
        .set({
          url: next.url,
          description: next.description,
          types: JSON.stringify(next.types),
          secret: this.store.box.seal(next.secret, sealedAs(id)),
          previous_secret: next.previousSecret === null ? null : this.store.box.seal(next.previousSecret, sealedAs(id)),
          previous_until: next.previousUntil,
          status: next.status,
          disabled_reason: next.disabledReason,
          failing_since: next.failingSince,
          updated_at: next.updatedAt,
        })
        .where('id', '=', id)
        .execute();
      const e = event?.(this.fromRow(r), next);
      if (e) this.store.logEvent(trx, e);
      return next;
    });
  }

  /** Removes an endpoint and its deliveries; false when there was none. */
  async remove(id: string): Promise<boolean> {
    return this.store.transaction(async (trx) => {
      await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
      const r = await trx.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  /**
   * Moves an endpoint's cursor from `from` to `to`, making `deliveries` due, in one transaction: only when
   * the cursor is still `from` (another instance that fanned out first wins; this one's rows are not
   * written). Answers whether it moved.
   */
  async fanOut(webhookId: string, from: number, to: number, deliveries: NewDelivery[], now: number): Promise<boolean> {
    return this.store.transaction(async (trx) => {
      const moved = await trx.updateTable('webhooks').set({ cursor: to }).where('id', '=', webhookId).where('cursor', '=', from).executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) return false;
      for (let i = 0; i < deliveries.length; i += 200)
        await trx
          .insertInto('webhook_deliveries')
          .values(deliveries.slice(i, i + 200).map((d) => this.deliveryRow(d, now)))
          .execute();
      return true;
    });
  }

  private deliveryRow(d: NewDelivery, now: number) {
    return {
      id: d.id,
      webhook_id: d.webhookId,
      event_id: d.eventId,
      event_seq: d.eventSeq,
      event_type: d.eventType,
      payload: d.payload,
      status: 'pending',
      attempts: 0,
      next_at: now,
      lease_holder: null,
      lease_until: null,
      last_status: null,
      last_error: null,
      last_duration_ms: null,
      last_response: null,
      redelivery_of: d.redeliveryOf ?? '',
      created_at: now,
      updated_at: now,
    };
  }

  /** Adds one delivery (a redelivery or a ping), due now. */
  async addDelivery(d: NewDelivery, now: number): Promise<void> {
    await this.store.transaction((trx) => trx.insertInto('webhook_deliveries').values(this.deliveryRow(d, now)).execute());
  }

  /**
   * Claims up to `limit` due deliveries of enabled endpoints for `holder` until `now + leaseMs`, skipping
   * endpoints in `busy` (this process delivers to them already): pending, due, and not leased by a
   * holder that is still alive. PostgreSQL skips rows another instance is claiming.
   */
  async claim(holder: string, now: number, leaseMs: number, limit: number, busy: string[]): Promise<Delivery[]> {
    return this.store.transaction(async (trx) => {
      let q = trx
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .select('d.id')
        .where('d.status', '=', 'pending')
        .where('d.next_at', '<=', now)
        .where('w.status', '=', 'enabled')
        .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', now)]))
        .$if(busy.length > 0, (w) => w.where('d.webhook_id', 'not in', busy))
        .orderBy('d.next_at')
        .orderBy('d.event_seq')
        .limit(limit);
      if (this.store.engine.kind === 'postgres') q = q.forUpdate('d').skipLocked();
      const ids = (await q.execute()).map((r) => r.id);
      if (!ids.length) return [];
      await trx
        .updateTable('webhook_deliveries')
        .set({ lease_holder: holder, lease_until: now + leaseMs })
        .where('id', 'in', ids)
        .execute();
      const rows = await trx.selectFrom('webhook_deliveries').selectAll().where('id', 'in', ids).execute();
      return rows.map(deliveryFromRow).sort((a, b) => a.eventSeq - b.eventSeq);
    });
  }

  /** Gives back leases `holder` took but will not use now (the rows stay due). */
  async release(ids: string[], holder: string): Promise<void> {
    if (!ids.length) return;
    await this.store.transaction((trx) =>
      trx.updateTable('webhook_deliveries').set({ lease_holder: null, lease_until: null }).where('id', 'in', ids).where('lease_holder', '=', holder).execute(),
    );
  }

  /**
   * Records an attempt: `next` is when to try again (undefined: no attempt left, or it succeeded). Only
   * while `holder` still holds the lease (one that lost it to another instance records nothing).
   */
  async finish(
    id: string,
    holder: string,
    outcome: { ok: boolean; status: number | null; error: string | null; durationMs: number; response: string | null; next?: number },
    now: number,
  ): Promise<boolean> {
    return this.store.transaction(async (trx) => {
      const r = await trx
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          status: outcome.ok ? 'succeeded' : outcome.next === undefined ? 'failed' : 'pending',
          next_at: outcome.ok || outcome.next === undefined ? null : outcome.next,
          lease_holder: null,
          lease_until: null,
          last_status: outcome.status,
          last_error: outcome.error,
          last_duration_ms: Math.round(outcome.durationMs),
          last_response: outcome.response,
          updated_at: now,
        }))
        .where('id', '=', id)
        .where('lease_holder', '=', holder)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    });
  }

  async delivery(webhookId: string, id: string): Promise<Delivery | undefined> {
    const r = await this.store.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).where('id', '=', id).executeTakeFirst();
    return r && deliveryFromRow(r);
  }

  /** An endpoint's deliveries, newest first, before `before` (created_at, id) when given. */
  async deliveries(webhookId: string, limit: number, before?: { createdAt: number; id: string }): Promise<Delivery[]> {
    const rows = await this.store.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .$if(before !== undefined, (q) =>
        q.where((eb) => eb.or([eb('created_at', '<', before!.createdAt), eb.and([eb('created_at', '=', before!.createdAt), eb('id', '<', before!.id)])])),
      )
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(deliveryFromRow);
  }

  /** The oldest pending delivery's event time per endpoint (the backlog gauge), as created_at. */
  async backlog(): Promise<{ webhookId: string; oldest: number }[]> {
    const rows = await this.store.db
      .selectFrom('webhook_deliveries')
      .select(['webhook_id', (eb) => eb.fn.min('created_at').as('oldest')])
      .where('status', '=', 'pending')
      .groupBy('webhook_id')
      .execute();
    return rows.map((r) => ({ webhookId: r.webhook_id, oldest: Number(r.oldest) }));
  }

  /** The smallest cursor of the enabled endpoints (the log keeps what they have not been offered), or undefined. */
  async lowestCursor(): Promise<number | undefined> {
    const r = await this.store.db
      .selectFrom('webhooks')
      .select((eb) => eb.fn.min('cursor').as('cursor'))
      .where('status', '=', 'enabled')
      .executeTakeFirst();
    return r?.cursor === null || r?.cursor === undefined ? undefined : Number(r.cursor);
  }

  /** Deletes finished deliveries older than `before`; returns how many. */
  async pruneDeliveries(before: number): Promise<number> {
    const r = await this.store.transaction((trx) =>
      trx.deleteFrom('webhook_deliveries').where('status', '!=', 'pending').where('updated_at', '<', before).executeTakeFirst(),
    );
    return Number(r.numDeletedRows);
  }
}
