/** A sort key of the catalog order: (sortOrder, createdAt, id). */
export type SortKey = [number, number, string];

export interface CheckpointEntry {
  token: string;
  total?: number;
  /** keys[j] is the sort key of the row at position (j + 1) * every - 1. */
  keys?: SortKey[];
}

/**
 * The per-process deep-offset index: for each list a store serves (one table, one owner set, one filter),
 * its total and a sort key every `every` rows, valid while the store's change token stays the same.
 * Bounded: the least recently used lists are dropped past `maxLists`.
 */
export class Checkpoints {
  private readonly lists = new Map<string, CheckpointEntry>();

  constructor(
    private readonly token: () => string,
    readonly every = 256,
    private readonly maxLists = 256,
  ) {}

  entry(list: string): CheckpointEntry {
    const token = this.token();
    let e = this.lists.get(list);
    if (e && e.token === token) {
      this.lists.delete(list);
      this.lists.set(list, e);
      return e;
    }
    e = { token };
    this.lists.set(list, e);
    if (this.lists.size > this.maxLists) this.lists.delete(this.lists.keys().next().value!);
    return e;
  }
}

/**
 * Read results (pages, lookups) remembered per process while the store's change token stays the same:
 * the catalog is read far more than it is written, and any write (here or in another process) moves the
 * token. Bounded, least recently used out. Values are shared: callers must not mutate them.
 */
export class TokenCache {
  private readonly entries = new Map<string, { token: string; value: unknown }>();

  constructor(private readonly max = 2048) {}

  get(key: string, token: string): { value: unknown } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    if (e.token !== token) return undefined;
    this.entries.set(key, e);
    return e;
  }

  set(key: string, token: string, value: unknown): void {
    this.entries.set(key, { token, value });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}
