/**
 * Apps' use that lasts (docs/gateway.md, "Usage"): each answered request of an app is counted into its hour
 * here, in memory, and added to the store's hourly buckets every few seconds and when the process closes.
 * Every instance adds its own counts, so a bucket is the sum over instances; buckets older than the
 * retention (90 days) are dropped. A flush that fails (the database away) keeps its counts for the next.
 */
import type { Repository, UsageRow } from './store/index.js';

const HOUR_MS = 3_600_000;
export const USAGE_RETENTION_DAYS = 90;
/** Buckets held while the database is away, at most (then the oldest counts are dropped, and said so). */
const MAX_PENDING = 100_000;

export interface UsageEvent {
  appId: string;
  dialect: string;
  /** `served` by timbrel, or relayed through the app's `own` upstream or the `operator`'s. */
  via: 'served' | 'own' | 'operator';
  failed: boolean;
  characters?: number;
  bytes?: number;
}

export class UsageRecorder {
  private pending = new Map<string, UsageRow>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | undefined;
  private prunedAt = 0;
  /** Counts dropped because the database stayed away too long (for the operator's log). */
  dropped = 0;

  constructor(
    private readonly repo: Repository,
    private readonly now: () => number,
    flushMs = 10_000,
  ) {
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  count(e: UsageEvent): void {
    const hour = Math.floor(this.now() / HOUR_MS) * HOUR_MS;
    const outcome = e.failed ? 'failed' : 'ok';
    const key = `${hour}|${e.appId}|${e.dialect}|${e.via}|${outcome}`;
    let row = this.pending.get(key);
    if (!row) {
      if (this.pending.size >= MAX_PENDING) {
        this.dropped++;
        return;
      }
      row = { hour, appId: e.appId, dialect: e.dialect, via: e.via, outcome, requests: 0, characters: 0, bytes: 0 };
      this.pending.set(key, row);
    }
    row.requests++;
    row.characters += e.characters ?? 0;
    row.bytes += e.bytes ?? 0;
  }

  /** Adds what was counted to the store (one flush at a time); prunes past the retention once an hour. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(): Promise<void> {
    const rows = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.repo.usage.add(rows);
    } catch {
      // Kept for the next flush, added to what came meanwhile.
      for (const r of rows) {
        const key = `${r.hour}|${r.appId}|${r.dialect}|${r.via}|${r.outcome}`;
        const now = this.pending.get(key);
        if (now) {
          now.requests += r.requests;
          now.characters += r.characters;
          now.bytes += r.bytes;
        } else if (this.pending.size < MAX_PENDING) this.pending.set(key, r);
        else this.dropped++;
      }
      return;
    }
    if (this.now() - this.prunedAt > HOUR_MS) {
      this.prunedAt = this.now();
      await this.repo.usage.prune(this.now() - USAGE_RETENTION_DAYS * 24 * HOUR_MS).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
