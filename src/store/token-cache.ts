/**
 * Read results (pages, lookups) remembered per process while the store's change token stays the same:
 * the catalog is read far more than it is written, and any write (here or in another process) moves the
 * token. Bounded, least recently used out. Values are shared: callers must not mutate them.
 *
 * A hit only stamps its entry (a Map delete and re-insert per hit, the usual LRU move, cost more than the
 * rest of a cached vendor request's lookups); the least recently stamped entry is found by a scan when an
 * insert overflows, which happens on a miss, next to a database query.
 */
export class TokenCache {
  private readonly entries = new Map<string, { token: string; value: unknown; used: number }>();
  private clock = 0;

  constructor(private readonly max = 2048) {}

  get(key: string, token: string): { value: unknown } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.token !== token) {
      this.entries.delete(key);
      return undefined;
    }
    e.used = ++this.clock;
    return e;
  }

  set(key: string, token: string, value: unknown): void {
    this.entries.set(key, { token, value, used: ++this.clock });
    if (this.entries.size <= this.max) return;
    let oldest: string | undefined;
    let oldestUsed = Infinity;
    for (const [k, e] of this.entries) {
      if (e.used < oldestUsed) {
        oldestUsed = e.used;
        oldest = k;
      }
    }
    this.entries.delete(oldest!);
  }

  get size(): number {
    return this.entries.size;
  }
}
