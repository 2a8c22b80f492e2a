/**
 * The event log's words (docs/events.md): one thin event per change, appended in the change's own
 * transaction, read by `/v1/events`, its stream and (later) webhooks.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';

/** What an event is about. */
export type EventObjectKind = 'timbre' | 'digital_human' | 'anchor' | 'binding' | 'app' | 'api_key' | 'upstream' | 'import' | 'webhook';

/** The kinds an app sees of the public catalog (owner ''); of the others it sees only its own. */
export const PUBLIC_KINDS: readonly EventObjectKind[] = ['timbre', 'digital_human', 'anchor', 'binding'];

/** An event before the log numbers it. */
export interface NewEvent {
  type: string;
  kind: EventObjectKind;
  objectId: string;
  /** '' for the public catalog (or, for apps, keys, upstreams and imports, the operator's), else an app's id. */
  owner: string;
  /** The object's version after the change (an asset's entity tag up to its dot), '' when it has none. */
  etag: string;
  changed: string[];
  /** A report (sync.completed, import.completed), kept as JSON. */
  data?: Record<string, unknown>;
  /** Internal: an asset's move in its owner's active list (store/list-indexes.ts, placeOf); never shown. */
  place?: string;
}

/** Where an asset is in its owner's active list, as an event's place records it: '' when it is not in it. */
const placed = (a: { status: string; sortOrder: number; createdAt: number } | undefined): string =>
  a && a.status === 'active' ? `${a.sortOrder},${a.createdAt}` : '';

/**
 * An asset change's place (`before|after`, each `sortOrder,createdAt` or ''), or undefined when it did not
 * move in its list. `before` null: not known (a bulk update), written `?`.
 */
export function placeOf(
  before: { status: string; sortOrder: number; createdAt: number } | undefined | null,
  after: { status: string; sortOrder: number; createdAt: number } | undefined,
): string | undefined {
  if (before === null) return '?';
  const b = placed(before);
  const a = placed(after);
  return b === a ? undefined : `${b}|${a}`;
}

export interface StoredEvent extends NewEvent {
  seq: number;
  id: string;
  createdAt: number;
  source: string;
}

/** An asset's version: its entity tag without quotes or the file-URL epoch (native API ETags up to the dot). */
export const versionOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 27);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `evt_` and a ULID (time-ordered, 26 characters): the webhook-id a delivery keeps across retries. */
export function newEventId(now: number): string {
  return newEventIds(now, 1)[0];
}

/** `n` event ids of one moment (newEventId), their randomness drawn at once (an import's commit has thousands). */
export function newEventIds(now: number, n: number): string[] {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16 * n);
  const ids: string[] = [];
  for (let k = 0; k < n; k++) {
    let rand = '';
    for (let i = 16 * k; i < 16 * k + 16; i++) rand += CROCKFORD[bytes[i] % 32];
    ids.push(`evt_${time}${rand}`);
  }
  return ids;
}

const sources = new AsyncLocalStorage<string>();
let processSource = 'api';

/**
 * Where the changes of this process come from unless said otherwise: `api` in the server (the console
 * says `console` per request), `cli` in the CLI.
 */
export const setProcessSource = (source: string): void => {
  processSource = source;
};

/** Runs `fn` with its changes' events saying `source` (`sync:elevenlabs`, `import`, `console`). */
export const withEventSource = <T>(source: string, fn: () => T): T => sources.run(source, fn);

export const eventSource = (): string => sources.getStore() ?? processSource;

/** Whether `types` (`timbre.*`, `binding.updated`) takes an event type. */
export function typeMatcher(types: string[] | undefined): (type: string) => boolean {
  if (!types?.length) return () => true;
  const exact = new Set(types.filter((t) => !t.endsWith('.*')));
  const prefixes = types.filter((t) => t.endsWith('.*')).map((t) => t.slice(0, -1));
  return (type) => exact.has(type) || prefixes.some((p) => type.startsWith(p));
}
