/**
 * What a vendor's mapping (zego.ts, ivh.ts) sees of a running sync: the upstream, the SDK transport (paced,
 * answers capped, retries inside a time budget, cancellable), a guarded pager, and the shared writer. A
 * mapping only says what the vendor lists; every rule (sources, tenants, keys, media, caps) is the
 * runner's and the writer's.
 */
import type { Rec } from '../../catalog-io/records.js';
import type { App, SyncStop, Upstream } from '../../core/types.js';
import type { AssetKind } from '../../store/index.js';

export type Kind = AssetKind;

/** Which of the vendor account's assets a sync pulls (`--public`: once for all apps; `--private`: the app's own). */
export type SyncScope = 'all' | 'public' | 'private';

/** One asset as the vendor describes it, in the import's record form, with its media as vendor URLs. */
export interface Pulled {
  kind: Kind;
  rec: Rec;
  /** The app's own (private) asset, else public. */
  own: boolean;
  /** The vendor's id of the asset when `rec.id` is not it (HeyGen's avatars): what its dialect presents. */
  vendorId?: string;
}

/** A sync stopped before the vendor's lists ended: the report says which and why; nothing is retired. */
export class SyncStopped extends Error {
  constructor(
    readonly stop: SyncStop,
    message: string,
  ) {
    super(message);
  }
}

/** A page of a vendor list: its items and the total the vendor claims. */
export interface Page<T> {
  items: T[];
  total: number;
}

export interface SyncContext {
  readonly app: App;
  readonly upstream: Upstream;
  /** The options the SDK's clients take: base URL, the guarded fetch, retries inside the budget. */
  readonly transport: { baseUrl: string; fetch: typeof fetch; timeoutMs: number; retries: number; maxDelayMs: number };
  wanted(own: boolean): boolean;
  /**
   * Walks a vendor list page by page (`at`: the page's index and the items before it) until a page is
   * empty or the claimed total is reached. Stops the sync on a page that repeats what the walk has seen
   * (a vendor paging in circles) and counts rows against the sync's row cap.
   */
  walk<T>(
    list: string,
    at: (index: number, offset: number) => Promise<Page<T>>,
    idOf: (item: T) => string,
    each: (item: T, index: number) => void | Promise<void>,
  ): Promise<void>;
  /** Of these ids, those this app's upstream has written before (its own rows, by the sync's bookkeeping). */
  ownBefore(kind: Kind, ids: string[]): Promise<Set<string>>;
  /** Writes a batch of one kind (new or changed rows of this sync's sources only). */
  write(batch: Pulled[]): Promise<void>;
  /**
   * Sets a digital human's bound timbres, for the public catalog or for this app, as the vendor lists them;
   * `firstIsDefault`: the first is its default voice (HeyGen's `default_voice_id`).
   */
  bind(digitalHumanId: string, scope: 'public' | 'app', timbreIds: string[], firstIsDefault?: boolean): Promise<void>;
  /** A vendor's id in timbrel's one spelling: UUIDs lower-case and dashed; anything else as sent. */
  canonicalId(raw: unknown): string;
}

export type VendorPull = (ctx: SyncContext) => Promise<void>;

export const GENDER_OF: Record<number, string> = { 1: 'male', 2: 'female', 0: 'neutral' };
