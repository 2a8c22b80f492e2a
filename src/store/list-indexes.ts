import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from './schema.js';
import { PUBLIC_OWNER } from '../core/types.js';
import type { StoreEngine } from './engine.js';
import { CHECKPOINT_EVERY, DeepIndex, compareKeys, type SortKey } from './lists.js';
import type { SnapshotRun } from './engine.js';
import type { EventObjectKind } from '../core/events.js';
import { headIn, type EventStore, type PlacedEvent } from './events.js';

import type { Listable } from './sorts.js';

/** A list's index as one snapshot saw it, with the log's head there (and what it held unnumbered). */
interface Taken {
  index: DeepIndex;
  head: number;
  unnumbered: Set<number>;
}

export const ORDER = ['sort_order', 'created_at', 'id'] as const;

/** How long walkIndex holds the connection before it lets other requests run. */
export const WALK_SLICE_MS = 8;

/** Lists whose deep-offset index a process keeps (least recently read out). */
export const INDEXED_LISTS = 64;

/** What a list needs to know of a row: whether it is in the list, and where. */
export interface ListedRow {
  id: string;
  owner: string;
  status: string;
  sortOrder: number;
  createdAt: number;
}

/** The list table of each asset kind an event names. */
const TABLE_OF: Partial<Record<EventObjectKind, Listable>> = { timbre: 'timbres', digital_human: 'digital_humans', anchor: 'anchors' };

/**
 * A read waits for its process to follow the log to the head whenever at most this many events are new (a
 * write's few: read-your-writes); a longer stretch (an import's commit), or a follow still busy with one
 * when the read comes, it waits for at most FOLLOW_WAIT_MS, then answers from the index as followed so far
 * while the follow goes on.
 */
export const FOLLOW_AWAIT_EVENTS = 4000;
export const FOLLOW_WAIT_MS = 10;
/** Events a follow reads a statement (and applies between two turns of the event loop). */
const FOLLOW_BATCH = 2000;
/** Ranges walked again whose late events a list must still recognise; past this, it is taken again. */
const MAX_SKIPS = 32;

/**
 * A part of a list read from one snapshot (its rows after `after` up to and including `through`; the whole
 * list without bounds): the events the snapshot held already, which the list must not apply again.
 */
interface Skip {
  after?: SortKey;
  through?: SortKey;
  /** The log's head in the snapshot: events up to it were in it. */
  head: number;
  /** Events it held that had no number yet (PostgreSQL), by their append position; numbered after `head`. */
  unnumbered: Set<number>;
}

interface Held {
  /** The change token the index is right for: nothing to follow while it has not moved. */
  token: string;
  table: Listable;
  owners: string[];
  index: DeepIndex;
  /** How far in the log the index has followed; undefined: not followed (a filtered list), taken again after a change. */
  seq?: number;
  skips: Skip[];
}

const keyOf = (at: string, id: string): SortKey => {
  const comma = at.indexOf(',');
  return [Number(at.slice(0, comma)), Number(at.slice(comma + 1)), id];
};

/**
 * The deep-offset indexes (src/store/lists.ts) of the lists this process read lately: taken from one
 * snapshot of the store together with the event log's head, then kept and moved by the log (docs/events.md,
 * "following other writers"): every write, this process's or another's (a CLI import, another instance),
 * comes to each index as the events after its position, and only a list whose events it cannot place (a
 * filtered list, a bulk update whose rows' places were not known) is taken again.
 */
export class ListIndexes {
  /** The lists read lately (least recently read first). */
  private readonly lists = new Map<string, Held>();

  private readonly inFlight = new Map<string, Promise<Taken>>();

  /** The follows of the log, one after another (follow), and how many are running or waiting. */
  private following: Promise<void> = Promise.resolve();
  private follows = 0;

  /** How many times a list's index was taken from the store (tests and metrics: writes should not). */
  taken = 0;

  /** How many times a block of a list was walked again after writes landed in it together (split). */
  mended = 0;

  constructor(
    private readonly engine: StoreEngine,
    private readonly log: EventStore,
  ) {}

  private get db(): Kysely<DB> {
    return this.engine.db;
  }

  /**
   * A list's deep-offset index, taken when the list is first read (its checkpoints when a deep offset
   * first asks for them), then kept and moved along the event log (follow): a write by anyone moves it; a
   * list the log cannot move (filtered) is taken again after a change.
   */
  async indexOf(table: Listable, owners: string[], where: (eb: any) => Expression<SqlBool> | undefined, filterKey: string, deep: boolean): Promise<DeepIndex> {
    const list = `${table}|${owners.join(',')}|${filterKey}`;
    const token = this.engine.changeToken();
    // A followed index whose block an import's commit overgrew stays right (only slower to seek in) until
    // the follow walks that block again (mend); one whose counts went wrong is taken again.
    const usable = (h: Held | undefined): h is Held =>
      h !== undefined && !h.index.broken && (h.seq !== undefined || !h.index.worn) && (h.index.complete || !deep);
    let held = this.lists.get(list);
    if (usable(held) && held.token !== token && held.seq !== undefined) {
      await this.followWithin(token);
      held = this.lists.get(list);
    }
    // A followed list is answered from its index even while a long follow (an import's commit) goes on.
    if (usable(held) && (held.token === token || held.seq !== undefined)) {
      // Least recently used last.
      this.lists.delete(list);
      this.lists.set(list, held);
      return held.index;
    }
    const flightKey = `index\u0000${token}\u0000${deep}\u0000${list}`;
    let flight = this.inFlight.get(flightKey);
    if (!flight) {
      const whole = owners.length === 1 && filterKey === '{}';
      const take = whole ? this.walk(table, owners[0]) : this.take(table, owners, where, deep);
      flight = take.finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, flight);
    }
    const taken = await flight;
    // A filtered list has no place in the log's events: it is taken again after any change.
    const followed = filterKey === '{}';
    this.lists.delete(list);
    this.lists.set(list, {
      token,
      table,
      owners,
      index: taken.index,
      seq: followed ? taken.head : undefined,
      skips: [{ head: taken.head, unnumbered: taken.unnumbered }],
    });
    if (this.lists.size > INDEXED_LISTS) this.lists.delete(this.lists.keys().next().value!);
    return taken.index;
  }

  /**
   * Takes the deep-offset indexes of the public lists that every vendor client pages (timbres, digital
   * humans), for a server to start while it gets ready to listen: its first deep page then finds them
   * taken, or being taken. Measured on 5,000,000 timbres on PostgreSQL, its first deep answer came ~1 s
   * after listening without this (the walk reads the whole list index from the OS cache).
   */
  async warm(): Promise<void> {
    await this.engine.settled?.(2000);
    for (const table of ['timbres', 'digital_humans'] as const) await this.indexOf(table, [PUBLIC_OWNER], () => undefined, '{}', true);
  }

  /** Follows the log up to now: to the end when it is short, else for at most FOLLOW_WAIT_MS (it goes on regardless). */
  private async followWithin(token: string): Promise<void> {
    // Behind a follow still busy (an import's commit), a read waits at most FOLLOW_WAIT_MS; else it waits
    // to learn how much there is to follow, and for all of it when it is short (read your writes).
    const queued = this.follows > 0;
    let long!: (events: number) => void;
    const stretch = new Promise<number>((resolve) => (long = resolve));
    const done = this.follow(token, long);
    let timer: NodeJS.Timeout | undefined;
    let late: Promise<'late'> | undefined;
    const limit = () => (late ??= new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), FOLLOW_WAIT_MS))));
    try {
      const first = await Promise.race([done.then(() => 'done' as const), stretch, ...(queued ? [limit()] : [])]);
      if (typeof first === 'number') await (first <= FOLLOW_AWAIT_EVENTS ? done : Promise.race([done, limit()]));
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The followed lists brought up to the log's head (after the change token `token` was seen), one follow
   * at a time; `stretch` is told how many events it has to read once it knows.
   */
  follow(token: string, stretch?: (events: number) => void): Promise<void> {
    this.follows++;
    const run = this.following.then(() => this.followTo(token, stretch)).finally(() => this.follows--);
    this.following = run.catch(() => undefined);
    return run;
  }

  private async followTo(token: string, stretch?: (events: number) => void): Promise<void> {
    const lists = [...this.lists.values()].filter((h) => h.seq !== undefined && h.token !== token);
    if (!lists.length) return;
    // Numbers what has committed (PostgreSQL) and reads the head: every event of a change the token saw is at or below it.
    const head = await this.log.head();
    const pruned = await this.log.prunedThrough();
    for (const h of lists) if (h.seq! < pruned) h.seq = undefined;
    let from = Math.min(...lists.filter((h) => h.seq !== undefined).map((h) => h.seq!));
    stretch?.(head - from);
    while (from < head) {
      const { events: batch, next } = await this.log.places(from, head, FOLLOW_BATCH);
      for (const e of batch) {
        const table = TABLE_OF[e.kind];
        for (const h of lists) if (h.table === table) this.apply(h, e);
      }
      // A row a snapshot held unnumbered comes once (a batch holds whole rows: a block's events together).
      for (const h of lists) for (const k of h.skips) for (const e of batch) k.unnumbered.delete(e.pos);
      from = next;
      // SQLite's statements answer without any I/O wait: without a turn of the event loop here, a follow of
      // an import's commit held every other request until its end (500 ms for 50,000 events).
      if (from < head) await new Promise((resolve) => setImmediate(resolve));
    }
    for (const h of lists) {
      if (h.seq === undefined) continue;
      h.seq = Math.max(h.seq, head);
      h.skips = h.skips.filter((k) => k.head > h.seq! || k.unnumbered.size > 0);
      if (h.skips.length > MAX_SKIPS) h.seq = undefined;
      else h.token = token;
    }
    for (const h of lists) if (h.seq !== undefined && h.index.worn) await this.mend(h);
  }

  /** One event's move in one list, unless the list's snapshot held it already. */
  private apply(h: Held, e: PlacedEvent): void {
    if (h.seq === undefined || e.seq <= h.seq || !h.owners.includes(e.owner)) return;
    if (e.place === '?') {
      // Where the row was is not known (a bulk update): the list is taken again.
      h.seq = undefined;
      return;
    }
    const bar = e.place.indexOf('|');
    const before = e.place.slice(0, bar);
    const after = e.place.slice(bar + 1);
    if (before) this.moveUnlessHeld(h, e, keyOf(before, e.id), -1);
    if (after) this.moveUnlessHeld(h, e, keyOf(after, e.id), 1);
  }

  private moveUnlessHeld(h: Held, e: PlacedEvent, k: SortKey, by: 1 | -1): void {
    for (const s of h.skips) {
      const inside = (!s.after || compareKeys(k, s.after) > 0) && (!s.through || compareKeys(k, s.through) <= 0);
      if (!inside) continue;
      if (e.seq <= s.head || s.unnumbered.has(e.pos)) return;
    }
    h.index.move(k, by);
  }

  /**
   * A followed index whose rows landed together in one block (an import's commit) has that block walked
   * again from a snapshot, rather than the whole list taken again; an index whose counts went wrong, or a
   * list of several owners, is taken again when next read.
   */
  private async mend(h: Held): Promise<void> {
    if (h.index.broken || h.owners.length !== 1 || !h.index.complete) {
      h.seq = undefined;
      return;
    }
    // From the last block back: splitting a block leaves the ones before it where they were.
    for (const j of h.index.overgrown().reverse()) {
      const { after, through } = h.index.bounds(j);
      await this.log.sequence();
      const walked = await this.engine.readSnapshot(async (run) => ({
        ...(await headIn(run)),
        ...(await this.walkRange(run, h.table, h.owners[0], after, through)),
      }));
      h.index.split(j, walked.keys, walked.rest);
      h.skips.push({ after, through, head: walked.head, unnumbered: walked.unnumbered });
      this.mended++;
    }
    if (h.index.worn) h.seq = undefined;
  }

  /** One owner's whole list, unfiltered, from one snapshot with the log's head (walkRange). */
  private async walk(table: Listable, owner: string): Promise<Taken> {
    this.taken++;
    // What has committed numbered first (PostgreSQL): the snapshot then holds few unnumbered events, and the
    // follow from its head has little to read (unnumbered, the whole log was read once just to skip it).
    await this.log.sequence();
    return this.engine.readSnapshot(async (run) => {
      const at = await headIn(run);
      const { keys, rest } = await this.walkRange(run, table, owner);
      return { ...at, index: new DeepIndex(keys.length * CHECKPOINT_EVERY + rest, keys, true) };
    });
  }

  /**
   * The checkpoints of one owner's active rows after `after` up to and including `through` (undefined:
   * from the start, to the end): every CHECKPOINT_EVERY-th row's sort key, and how many rows follow the
   * last. SQLite walks the list's own index a step at a time (each step seeks past the last checkpoint and
   * skips CHECKPOINT_EVERY - 1 entries), holding the event loop WALK_SLICE_MS at a time: measured on
   * 5,000,000 timbres, 0.37-0.45 s of walking against 2.2 s for a row_number() pass plus 0.23-0.32 s for a
   * count, both in one synchronous call. PostgreSQL makes the same walk one recursive query in the server
   * (1,000,000 timbres: 134 ms, against 370 ms for a count plus 504 ms for a row_number() pass).
   */
  private async walkRange(run: SnapshotRun, table: Listable, owner: string, after?: SortKey, through?: SortKey): Promise<{ keys: SortKey[]; rest: number }> {
    const list = `FROM ${table} WHERE owner = ? AND status = 'active'`;
    const upTo = through ? ' AND (sort_order, created_at, id) <= (?, ?, ?)' : '';
    const bound = through ?? [];
    const step = `ORDER BY sort_order, created_at, id LIMIT 1 OFFSET ${CHECKPOINT_EVERY - 1}`;
    const toKey = (r: unknown[]): SortKey => [Number(r[0]), Number(r[1]), String(r[2])];
    let keys: SortKey[] = [];
    if (this.engine.kind === 'postgres') {
      const from = after ? ' AND (sort_order, created_at, id) > (?, ?, ?)' : '';
      const found = await run(
        `WITH RECURSIVE cp(sort_order, created_at, id) AS (
          (SELECT sort_order, created_at, id ${list}${from}${upTo} ${step})
          UNION ALL
          SELECT x.sort_order, x.created_at, x.id FROM cp CROSS JOIN LATERAL (
            SELECT l.sort_order, l.created_at, l.id FROM ${table} l
            WHERE l.owner = ? AND l.status = 'active' AND (l.sort_order, l.created_at, l.id) > (cp.sort_order, cp.created_at, cp.id)${upTo.replaceAll('(sort_order, created_at, id)', '(l.sort_order, l.created_at, l.id)')}
            ORDER BY l.sort_order, l.created_at, l.id LIMIT 1 OFFSET ${CHECKPOINT_EVERY - 1}) x
        )
        SELECT sort_order, created_at, id FROM cp`,
        [owner, ...(after ?? []), ...bound, owner, ...bound],
      );
      keys = found.map(toKey);
    } else {
      const next = `SELECT sort_order, created_at, id ${list} AND (sort_order, created_at, id) > (?, ?, ?)${upTo} ${step}`;
      const first = `SELECT sort_order, created_at, id ${list}${upTo} ${step}`;
      let at = after;
      for (let done = false; !done;) {
        const until = performance.now() + WALK_SLICE_MS;
        do {
          const [r] = at ? await run(next, [owner, ...at, ...bound]) : await run(first, [owner, ...bound]);
          if (!r) done = true;
          else keys.push((at = toKey(r)));
        } while (!done && performance.now() < until);
        // Other requests run here, between two slices of the walk (the snapshot holds).
        if (!done) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const last = keys.at(-1) ?? after;
    const past = last ? ' AND (sort_order, created_at, id) > (?, ?, ?)' : '';
    const [[n]] = await run(`SELECT count(*) FROM (SELECT 1 ${list}${past}${upTo} LIMIT ${CHECKPOINT_EVERY}) r`, [owner, ...(last ?? []), ...bound]);
    return { keys, rest: Number(n) };
  }

  /** The list's total and (when `withCheckpoints`) every CHECKPOINT_EVERY-th sort key, from one snapshot. */
  private async take(table: Listable, owners: string[], where: (eb: any) => Expression<SqlBool> | undefined, withCheckpoints: boolean): Promise<Taken> {
    this.taken++;
    const counted = this.scoped(table, owners, where)
      .select((eb: any) => eb.fn.countAll().as('n'))
      .compile();
    // keys[j] is the sort key of the row at position (j + 1) * CHECKPOINT_EVERY - 1.
    const inner = this.scoped(table, owners, where).select([...ORDER, sql<number>`row_number() over (order by sort_order, created_at, id)`.as('rn')]);
    const marks = this.db
      .selectFrom(inner.as('x'))
      .select(ORDER as any)
      .where(sql<SqlBool>`rn % ${sql.lit(CHECKPOINT_EVERY)} = 0`)
      .orderBy('rn' as any)
      .compile();
    await this.log.sequence();
    return this.engine.readSnapshot(async (run) => {
      const at = await headIn(run);
      const total = Number((await run(counted.sql, counted.parameters))[0][0]);
      if (!withCheckpoints) return { ...at, index: new DeepIndex(total, [], false) };
      const rows = await run(marks.sql, marks.parameters);
      return {
        ...at,
        index: new DeepIndex(
          total,
          rows.map((r) => [Number(r[0]), Number(r[1]), String(r[2])] as SortKey),
          true,
        ),
      };
    });
  }

  scoped(table: Listable, owners: string[], where: (eb: any) => Expression<SqlBool> | undefined): any {
    let q: any = this.db
      .selectFrom(table as any)
      .where('owner' as any, owners.length === 1 ? '=' : 'in', owners.length === 1 ? owners[0] : owners)
      .where('status' as any, '=', 'active');
    q = q.where((eb: any) => where(eb) ?? eb.lit(true));
    return q;
  }
}
