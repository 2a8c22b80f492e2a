/**
 * The event log (docs/events.md): appended in the transaction of the change it records (StoreBase
 * collects a transaction's events and appends them just before it commits), read in `seq` order.
 *
 * Order. A reader of `seq > n` must never pass a number that commits later. SQLite's writers hold the
 * database's one write lock from their start, so an event numbered when it is appended is numbered in
 * commit order. PostgreSQL's transactions commit in another order than they reach any point in their work,
 * so an event is appended there without a number (`seq` null), and numbered after its commit by the first
 * reader that comes (`sequence`): one transaction at a time under an advisory lock, numbering every
 * committed unnumbered event after the highest number given. Numbers are then given in the order the
 * numbering transactions commit, and a reader reads numbered events only, so once it has seen `seq = n`
 * every smaller number is there already. Writers never wait for each other on the log (an earlier design
 * held one lock from each write's append to its commit: writes through /v1 on PostgreSQL fell by a third,
 * docs/benchmarks.md).
 */
import { sql, type Selectable } from 'kysely';
import { newEventId, PUBLIC_KINDS, type NewEvent, type StoredEvent } from '../core/events.js';
import type { DB } from './schema.js';
import type { Db } from './sorts.js';
import type { StoreBase } from './base.js';

/** The advisory lock one numbering holds at a time (a constant: "timbrel events"). */
const SEQUENCE_LOCK = 0x7469_6d62_6576;
/** Events numbered a transaction (a longer backlog takes several readers' turns). */
const SEQUENCE_BATCH = 10_000;
/** How far pruning has deleted (events at or below it are gone): a cursor below it is expired. */
const PRUNED_THROUGH = 'events_pruned_through';

export interface EventQuery {
  after: number;
  limit: number;
  /** An app's id: the events it may see (public catalog objects and its own); undefined = every event. */
  viewer?: string;
  types?: string[];
}

export interface EventPage {
  events: StoredEvent[];
  /** Where the next read starts: the last event's seq, or the head the read covered. */
  next: number;
  hasMore: boolean;
}

const fromRow = (r: Selectable<DB['events']>): StoredEvent => ({
  seq: Number(r.seq),
  id: r.id,
  type: r.type,
  createdAt: Number(r.created_at),
  kind: r.kind as StoredEvent['kind'],
  objectId: r.object_id,
  owner: r.owner,
  etag: r.etag,
  changed: JSON.parse(r.changed) as string[],
  source: r.source,
  ...(r.data === null ? {} : { data: JSON.parse(r.data) as Record<string, unknown> }),
});

export class EventStore {
  constructor(private readonly store: StoreBase) {}

  /** Appends a transaction's events: numbered now on SQLite, after the commit on PostgreSQL (see above). */
  async append(trx: Db, events: (NewEvent & { source: string })[], now: number): Promise<void> {
    if (!events.length) return;
    // SQLite: numbered now, after the highest number given or pruned (a log pruned empty goes on from there).
    let next = this.store.engine.kind === 'sqlite' ? await this.top(trx) : 0;
    for (let i = 0; i < events.length; i += 200) {
      await trx
        .insertInto('events')
        .values(
          events.slice(i, i + 200).map((e) => ({
            seq: this.store.engine.kind === 'sqlite' ? ++next : null,
            id: newEventId(now),
            type: e.type,
            created_at: now,
            kind: e.kind,
            object_id: e.objectId,
            owner: e.owner,
            etag: e.etag,
            changed: JSON.stringify(e.changed),
            source: e.source,
            data: e.data === undefined ? null : JSON.stringify(e.data),
          })),
        )
        .execute();
    }
  }

  /** The highest number given or pruned. */
  private async top(db: Db): Promise<number> {
    const r = await db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return Math.max(Number(r?.seq ?? 0), await this.prunedThrough(db));
  }

  /**
   * PostgreSQL: numbers the committed events that have no number yet, in the order they were appended,
   * after the highest number given; one numbering at a time (a second waits for the first, then finds
   * what it numbered). Nothing to do on SQLite, nor when every event has its number.
   */
  async sequence(): Promise<void> {
    if (this.store.engine.kind !== 'postgres') return;
    const pending = await this.store.db.selectFrom('events').select('pos').where('seq', 'is', null).limit(1).executeTakeFirst();
    if (!pending) return;
    await this.store.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${SEQUENCE_LOCK})`.execute(trx);
      const rows = await trx.selectFrom('events').select('pos').where('seq', 'is', null).orderBy('pos').limit(SEQUENCE_BATCH).execute();
      if (!rows.length) return;
      // Never below what pruning took: a log pruned empty goes on from where it was.
      const from = await this.top(trx);
      const pos = rows.map((r) => Number(r.pos));
      const seq = pos.map((_, i) => from + i + 1);
      await sql`UPDATE events e SET seq = u.seq FROM unnest(${pos}::bigint[], ${seq}::bigint[]) AS u(pos, seq) WHERE e.pos = u.pos`.execute(trx);
    });
  }

  /** The last numbered event's seq (0 for an empty log), after numbering what has committed. */
  async head(): Promise<number> {
    await this.sequence();
    const r = await this.store.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return Number(r?.seq ?? 0);
  }

  /** The seq at or below which events were pruned (a cursor below it has expired). */
  async prunedThrough(db: Db = this.store.db): Promise<number> {
    const r = await db.selectFrom('settings').select('value').where('key', '=', PRUNED_THROUGH).executeTakeFirst();
    return Number(r?.value ?? 0);
  }

  /**
   * Events after `after`, oldest first, that the viewer may see and the types take. The head is read
   * first (numbering what has committed): every event at or below it is numbered and there (see above), so
   * `next` may pass over what the filters left out without skipping anything that commits later.
   */
  async read(q: EventQuery): Promise<EventPage> {
    const head = await this.head();
    if (head <= q.after) return { events: [], next: q.after, hasMore: false };
    const exact = q.types?.filter((t) => !t.endsWith('.*')) ?? [];
    const prefixes = q.types?.filter((t) => t.endsWith('.*')).map((t) => `${t.slice(0, -1)}%`) ?? [];
    const rows = await this.store.db
      .selectFrom('events')
      .selectAll()
      .where('seq', '>', q.after)
      .where('seq', '<=', head)
      .$if(q.viewer !== undefined, (w) =>
        w.where((eb) => eb.or([eb('owner', '=', q.viewer!), eb.and([eb('owner', '=', ''), eb('kind', 'in', PUBLIC_KINDS as string[])])])),
      )
      .$if(q.types !== undefined && q.types.length > 0, (w) =>
        w.where((eb) => eb.or([...(exact.length ? [eb('type', 'in', exact)] : []), ...prefixes.map((p) => eb('type', 'like', p))])),
      )
      .orderBy('seq')
      .limit(q.limit + 1)
      .execute();
    const events = rows.slice(0, q.limit).map(fromRow);
    const hasMore = rows.length > q.limit;
    return { events, next: hasMore ? events[events.length - 1].seq : head, hasMore };
  }

  /**
   * Deletes events created before `before` (and at most up to seq `upTo`: what every webhook endpoint was
   * offered), `batch` at a time (each batch its own short transaction, so
   * writers never wait long), and records how far it went. Returns how many it deleted.
   */
  async prune(before: number, batch = 1000, upTo = Number.MAX_SAFE_INTEGER): Promise<number> {
    let deleted = 0;
    for (;;) {
      const n = await this.store.transaction(async (trx) => {
        const rows = await trx
          .selectFrom('events')
          .select('seq')
          .where('created_at', '<', before)
          .where('seq', '<=', upTo)
          .orderBy('seq')
          .limit(batch)
          .execute();
        if (!rows.length) return 0;
        const last = Number(rows[rows.length - 1].seq);
        await trx.deleteFrom('events').where('seq', '<=', last).where('created_at', '<', before).execute();
        await trx
          .insertInto('settings')
          .values({ key: PRUNED_THROUGH, value: String(last) })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(last) }))
          .execute();
        return rows.length;
      });
      deleted += n;
      if (n < batch) return deleted;
    }
  }
}
