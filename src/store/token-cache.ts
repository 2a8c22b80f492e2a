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
