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
 *
 * Blocks. A bulk write (an import's chunk) appends its events as blocks: one row holding up to BLOCK_EVENTS
 * events of one type and owner (`n` of them, numbered `seq` … `seq + n - 1`; their objects in `objects`),
 * which every read expands into the events themselves. One row a block rather than one an event: an
 * import of 300,000 timbres lost half its speed to its events as rows (docs/benchmarks.md).
 */

import { sql } from 'kysely';
import { newEventIds, PUBLIC_KINDS, type EventObjectKind, type NewEvent, type StoredEvent } from '../core/events.js';
import type { SnapshotRun } from './engine.js';
import type { DB } from './schema.js';
import type { Db } from './sorts.js';
import type { StoreBase } from './base.js';

/** The columns an append writes (pos is the table's own). */
const EVENT_COLUMNS = ['seq', 'n', 'id', 'type', 'created_at', 'kind', 'object_id', 'owner', 'etag', 'changed', 'source', 'data', 'place', 'objects'] as const;

/** The most numbers one read of the feed spans (its filters may leave most of them out). */
const READ_SPAN = 10_000;

/** The most events one block row holds. */
export const BLOCK_EVENTS = 1000;

/** The advisory lock one numbering holds at a time (a constant: "timbrel events"). */
const SEQUENCE_LOCK = 0x7469_6d62_6576;
/** Rows numbered a transaction (a longer backlog takes several turns). */
const SEQUENCE_BATCH = 10_000;
/** How far pruning has deleted (events at or below it are gone): a cursor below it is expired. */
const PRUNED_THROUGH = 'events_pruned_through';

/** A block's events before the log numbers them: one type, kind, owner and source; an object each. */
export interface NewBlock {
  type: string;
  kind: EventObjectKind;
  owner: string;
  /** Each event's object id, etag and place (NewEvent's). */
  objects: [string, string, string | null][];
}

/** What a transaction appends: single events and blocks, in order. */
export type Appended = (NewEvent & { source: string }) | (NewBlock & { source: string; block: true });

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

type EventRow = DB['events'];

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The id of a block's `i`-th event: the block's id with its last six characters its index (unique, stable). */
function blockEventId(id: string, i: number): string {
  let tail = '';
  for (let k = 0, v = i; k < 6; k++, v = Math.floor(v / 32)) tail = CROCKFORD[v % 32] + tail;
  return id.slice(0, -6) + tail;
}

/** The events a row holds (one, or a block's), each with its place. */
function expand(r: EventRow): (Omit<StoredEvent, 'place'> & { place: string | null; pos: number })[] {
  const common = {
    type: r.type,
    createdAt: Number(r.created_at),
    kind: r.kind as StoredEvent['kind'],
    owner: r.owner,
    source: r.source,
    pos: Number(r.pos),
  };
  if (r.objects === null) {
    return [
      {
        ...common,
        seq: Number(r.seq),
        id: r.id,
        objectId: r.object_id,
        etag: r.etag,
        changed: JSON.parse(r.changed) as string[],
        place: r.place,
        ...(r.data === null ? {} : { data: JSON.parse(r.data) as Record<string, unknown> }),
      },
    ];
  }
  const objects = JSON.parse(r.objects) as [string, string, string | null][];
  return objects.map(([objectId, etag, place], i) => ({
    ...common,
    seq: Number(r.seq) + i,
    id: blockEventId(r.id, i),
    objectId,
    etag,
    changed: [],
    place,
  }));
}

/** An event as a list's index follows it: where its object was and is in its owner's active list. */
export interface PlacedEvent {
  seq: number;
  /** Where its row was appended: a snapshot names the rows it holds that had no number yet by this. */
  pos: number;
  kind: EventObjectKind;
  owner: string;
  id: string;
  place: string;
}

/** The last number a log's rows cover (0 when empty), as `run`'s statement reads them. */
const LAST_SQL = 'SELECT seq + n - 1 FROM events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1';

/**
 * The log's head as a snapshot (StoreEngine.readSnapshot) sees it, and the rows with places it holds that
 * have no number yet (PostgreSQL: committed, not yet numbered; they will be numbered after the head).
 */
export async function headIn(run: SnapshotRun): Promise<{ head: number; unnumbered: Set<number> }> {
  // Never below what pruning took (a log pruned empty goes on from there).
  const top = Number((await run(LAST_SQL, []))[0]?.[0] ?? 0);
  const pruned = Number((await run('SELECT value FROM settings WHERE key = ?', [PRUNED_THROUGH]))[0]?.[0] ?? 0);
  const head = Math.max(top, pruned);
  // Only rows a list follows (places): the others never come to a list to be recognised.
  const unnumbered = new Set(
    (await run('SELECT pos FROM events WHERE seq IS NULL AND (place IS NOT NULL OR objects IS NOT NULL)', [])).map((r) => Number(r[0])),
  );
  return { head, unnumbered };
}

export class EventStore {
  constructor(private readonly store: StoreBase) {}

  /** Appends a transaction's events and blocks: numbered now on SQLite, after the commit on PostgreSQL (see above). */
  async append(trx: Db, events: Appended[], now: number): Promise<void> {
    if (!events.length) return;
    const engine = this.store.engine;
    // SQLite: numbered now, after the highest number given or pruned (a log pruned empty goes on from there).
    let next = engine.runEach ? (await this.top(trx)) + 1 : 0;
    const ids = newEventIds(now, events.length);
    const rows = events.map((e, i) => {
      const n = 'block' in e ? e.objects.length : 1;
      const seq = engine.runEach ? next : null;
      next += n;
      if ('block' in e) return [seq, n, ids[i], e.type, now, e.kind, '', e.owner, '', '[]', e.source, null, null, JSON.stringify(e.objects)];
      const data = e.data === undefined ? null : JSON.stringify(e.data);
      return [seq, 1, ids[i], e.type, now, e.kind, e.objectId, e.owner, e.etag, JSON.stringify(e.changed), e.source, data, e.place ?? null, null];
    });
    const columns = EVENT_COLUMNS.join(', ');
    if (engine.runEach) {
      // SQLite: one prepared statement run over every row, on the transaction's connection.
      engine.runEach(`INSERT INTO events (${columns}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`, rows);
      return;
    }
    // PostgreSQL: 2,000 rows a statement, as one JSON parameter (StoreBase.upsertById does the same).
    for (let i = 0; i < rows.length; i += 2000) {
      const json = JSON.stringify(rows.slice(i, i + 2000).map((r) => Object.fromEntries(EVENT_COLUMNS.map((c, k) => [c, r[k]]))));
      await sql`INSERT INTO events (${sql.raw(columns)}) SELECT ${sql.raw(columns)} FROM json_populate_recordset(NULL::events, ${json}::json)`.execute(trx);
    }
  }

  /** The last number given, or pruned through. */
  private async top(db: Db): Promise<number> {
    const r = await sql<{ last: number }>`SELECT seq + n - 1 AS last FROM events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`.execute(db);
    return Math.max(Number(r.rows[0]?.last ?? 0), await this.prunedThrough(db));
  }

  /**
   * PostgreSQL: numbers the committed rows that have no number yet, in the order they were appended,
   * after the last number given; one numbering at a time (a second waits for the first, then finds what it
   * numbered). Nothing to do on SQLite, nor when every row has its number.
   */
  async sequence(): Promise<void> {
    // A backlog takes several numberings.
    while ((await this.sequenceBatch()) === SEQUENCE_BATCH);
  }

  /** One numbering (at most SEQUENCE_BATCH rows): how many rows it numbered. */
  private async sequenceBatch(): Promise<number> {
    if (this.store.engine.kind !== 'postgres') return 0;
    const pending = await this.store.db.selectFrom('events').select('pos').where('seq', 'is', null).limit(1).executeTakeFirst();
    if (!pending) return 0;
    return this.store.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${SEQUENCE_LOCK})`.execute(trx);
      const rows = await trx.selectFrom('events').select(['pos', 'n']).where('seq', 'is', null).orderBy('pos').limit(SEQUENCE_BATCH).execute();
      if (!rows.length) return 0;
      // Never below what pruning took: a log pruned empty goes on from where it was.
      let next = (await this.top(trx)) + 1;
      const pos = rows.map((r) => Number(r.pos));
      const seq = rows.map((r) => {
        const at = next;
        next += Number(r.n);
        return at;
      });
      await sql`UPDATE events e SET seq = u.seq FROM unnest(${pos}::bigint[], ${seq}::bigint[]) AS u(pos, seq) WHERE e.pos = u.pos`.execute(trx);
      return rows.length;
    });
  }

  /** The last numbered event's seq (0 for an empty log), after numbering what has committed. */
  async head(): Promise<number> {
    await this.sequence();
    return this.top(this.store.db);
  }

  /** The seq at or below which events were pruned (a cursor below it has expired). */
  async prunedThrough(db: Db = this.store.db): Promise<number> {
    const r = await db.selectFrom('settings').select('value').where('key', '=', PRUNED_THROUGH).executeTakeFirst();
    return Number(r?.value ?? 0);
  }

  /**
   * The rows holding events after `after` up to `head` (a block may start at or before `after`), oldest
   * first, at most `limit` rows, narrowed by `where`.
   */
  private async rowsAfter(after: number, head: number, limit: number, where: (q: any) => any = (q) => q): Promise<EventRow[]> {
    // The row holding `after + 1` starts at the last number at or below it, or after it: found first, so
    // the read is a range of the seq index (as one statement, SQLite scanned the table, reading every
    // block's objects: 20 ms a read over a few hundred blocks).
    const holder = await this.store.db.selectFrom('events').select('seq').where('seq', '<=', after).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const q = this.store.db
      .selectFrom('events')
      .selectAll()
      .where('seq', '>=', Number(holder?.seq ?? 0))
      .where('seq', '<=', head)
      .where(sql<boolean>`seq + n - 1 > ${after}`);
    return (await where(q).orderBy('seq').limit(limit).execute()) as EventRow[];
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
    // At most READ_SPAN numbers a read: a block's events are expanded in the server, and rows the filters
    // leave out still cost their reading; `next` goes on from where the span ended.
    const upTo = Math.min(head, q.after + Math.max(READ_SPAN, q.limit));
    const rows = await this.rowsAfter(q.after, upTo, q.limit + 1, (w) =>
      w
        .$if(q.viewer !== undefined, (w: any) =>
          w.where((eb: any) => eb.or([eb('owner', '=', q.viewer!), eb.and([eb('owner', '=', ''), eb('kind', 'in', PUBLIC_KINDS as string[])])])),
        )
        .$if(q.types !== undefined && q.types.length > 0, (w: any) =>
          w.where((eb: any) => eb.or([...(exact.length ? [eb('type', 'in', exact)] : []), ...prefixes.map((p) => eb('type', 'like', p))])),
        ),
    );
    const all = rows.flatMap(expand).filter((e) => e.seq > q.after && e.seq <= upTo);
    const events: StoredEvent[] = all.slice(0, q.limit).map(({ place: _place, pos: _pos, ...e }) => e);
    const full = all.length > q.limit;
    return { events, next: full ? events[events.length - 1].seq : upTo, hasMore: full || upTo < head };
  }

  /**
   * The moves in the asset lists after `after` up to `through` (numbered events with a place), oldest first:
   * those numbered up to `after + limit` (whole rows: a block's events together), and where to read on:
   * what every process's list indexes follow (store/list-indexes.ts).
   */
  async places(after: number, through: number, limit: number): Promise<{ events: PlacedEvent[]; next: number }> {
    // The numbers after `after` up to `limit` of them: at most `limit` events (and the rest of a block).
    const upTo = Math.min(through, after + limit);
    const rows = await this.rowsAfter(after, upTo, limit, (w) => w.where((eb: any) => eb.or([eb('place', 'is not', null), eb('objects', 'is not', null)])));
    // Read straight from the rows (no event objects made: a follow reads every event of an import).
    const events: PlacedEvent[] = [];
    for (const r of rows) {
      const seq = Number(r.seq);
      const base = { pos: Number(r.pos), kind: r.kind as EventObjectKind, owner: r.owner };
      if (r.objects === null) {
        if (r.place !== null && seq > after) events.push({ ...base, seq, id: r.object_id, place: r.place });
        continue;
      }
      const objects = JSON.parse(r.objects) as [string, string, string | null][];
      for (let i = Math.max(0, after + 1 - seq); i < objects.length; i++) {
        const place = objects[i][2];
        if (place !== null) events.push({ seq: seq + i, pos: base.pos, kind: base.kind, owner: base.owner, id: objects[i][0], place });
      }
    }
    return { events, next: Math.max(upTo, events.at(-1)?.seq ?? 0) };
  }

  /**
   * Deletes events created before `before` (and at most up to seq `upTo`: what every webhook endpoint was
   * offered), `batch` rows at a time (each batch its own short transaction, so writers never wait long),
   * and records how far it went. Returns how many rows it deleted.
   */
  async prune(before: number, batch = 1000, upTo = Number.MAX_SAFE_INTEGER): Promise<number> {
    let deleted = 0;
    for (;;) {
      const n = await this.store.transaction(async (trx) => {
        const rows = await trx
          .selectFrom('events')
          .select(['seq', 'n'])
          .where('created_at', '<', before)
          .where(sql<boolean>`seq + n - 1 <= ${upTo}`)
          .orderBy('seq')
          .limit(batch)
          .execute();
        if (!rows.length) return 0;
        const lastRow = rows[rows.length - 1];
        const last = Number(lastRow.seq) + Number(lastRow.n) - 1;
        await trx.deleteFrom('events').where('seq', '<=', Number(lastRow.seq)).where('created_at', '<', before).execute();
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
