/**
 * Sync (docs/gateway.md, "Sync"): an app's catalog pulled from its vendor account through the vendor's
 * own list APIs (the SDK's clients), written through the store's transactions like any other write.
 *
 * The runner owns everything a vendor could abuse, so that a mapping (zego.ts, ivh.ts) only says what the
 * vendor lists:
 * - one sync of an upstream at a time across processes and instances (a lease in the database that expires
 *   when its holder dies), cancellable from anywhere (`cancelSync`: the lease's flag, and at once in the
 *   process that runs it);
 * - the vendor's answers read to TIMBREL_SYNC_MAX_ANSWER_BYTES; requests paced to the upstream's rate;
 *   retries (rate limits, timeouts) within TIMBREL_SYNC_RETRY_SECONDS of the vendor's last good answer;
 * - paging stops on a page that repeats what the walk has seen, past TIMBREL_SYNC_MAX_ROWS rows, or past
 *   TIMBREL_SYNC_MAX_SECONDS; the report says why, and a sync that stopped retires nothing;
 * - sources that cannot collide (store/upstreams.ts syncSource): a sync changes only rows of its sources.
 *
 * Idempotent (a digest per row: a second sync writes nothing) and resumable (whole batches; the next run
 * writes what is missing). A row the vendor no longer lists is retired only after a sync that completed.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { TimbrelClientError } from '@timbrel/client';
import { fetch as undiciFetch } from 'undici';
import { TimbrelError } from '../../core/errors.js';
import { withEventSource } from '../../core/events.js';
import { normalizeId } from '../../core/ids.js';
import { OPERATOR_UPSTREAM, type App, type SyncReport, type SyncStop, type Upstream, type UpstreamDialect } from '../../core/types.js';
import type { Services } from '../../services.js';
import { syncSource } from '../../store/index.js';
import { garbled } from '../relay.js';
import { SyncStopped, type Page, type SyncContext, type SyncScope, type VendorPull } from './context.js';
import { pullIvh } from './ivh.js';
import { MediaCopier } from './media.js';
import { pullZego } from './zego.js';
import { pullElevenLabs } from './elevenlabs.js';
import { pullOpenAi } from './openai.js';
import { pullHeyGen } from './heygen.js';
import { SyncWriter } from './writer.js';

export type { SyncScope } from './context.js';

/** Each vendor's mapping: one line a vendor. */
const PULLS: Record<UpstreamDialect, VendorPull> = { zego: pullZego, ivh: pullIvh, elevenlabs: pullElevenLabs, openai: pullOpenAi, heygen: pullHeyGen };

/**
 * Who syncs the operator's upstreams: no app. Everything they list is written public (the runner sees to
 * it), so its id only names the lease and the upstream's row.
 */
const OPERATOR = Object.freeze({ id: OPERATOR_UPSTREAM, name: 'operator' }) as App;

export interface SyncOptions {
  scope?: SyncScope;
  /** Called after every batch with the report so far (CLI progress). */
  onProgress?: (r: SyncReport) => void;
  /** Stops the sync (the CLI's Ctrl-C); the report says `cancelled`. */
  signal?: AbortSignal;
}

/** How long a lease lasts without renewal, and how often its holder renews it (and looks for a cancel). */
export const LEASE_TTL_MS = 30_000;
const LEASE_RENEW_MS = 2_000;

/** The syncs this process runs, by upstream: their controllers, for a cancel that arrives here. */
const running = new Map<string, AbortController>();
const keyOf = (appId: string, dialect: UpstreamDialect) => `${appId}\u0000${dialect}`;
const HOLDER_PREFIX = `${hostname()}:${process.pid}:`;
/** The lease holders of this process's syncs, from before they ask for the lease until they release it. */
const holders = new Set<string>();

export const emptyReport = (dialect: UpstreamDialect, now: number): SyncReport => ({
  dialect,
  startedAt: now,
  finishedAt: null,
  outcome: 'running',
  pages: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  retired: 0,
  restored: 0,
  conflicts: 0,
  files: 0,
  fileErrors: 0,
  rowErrors: [],
});

/**
 * Runs one sync of an app's upstream. A second one of the same upstream while one runs (in any process
 * sharing the database) is a conflict; one whose process died is not (its lease expires).
 */
export async function syncUpstream(services: Services, appName: string | undefined, dialect: UpstreamDialect, opts: SyncOptions = {}): Promise<SyncReport> {
  const app = appName === undefined ? OPERATOR : await services.apps.named(appName);
  appName ??= 'the operator';
  const upstream = await services.repo.upstreams.of(app.id, dialect);
  if (!upstream) throw new TimbrelError('not_found', `${appName} has no ${dialect} upstream`);
  const holder = `${HOLDER_PREFIX}${randomBytes(6).toString('hex')}`;
  const leases = services.repo.upstreams;
  holders.add(holder);
  let held: string | undefined;
  try {
    held = await leases.takeLease(app.id, dialect, holder, services.now(), LEASE_TTL_MS);
    // A holder on this machine whose process is gone (a CLI killed, a server restarted) is not waited for.
    if (held !== holder && held !== undefined && deadHere(held)) held = await leases.takeLease(app.id, dialect, holder, services.now(), LEASE_TTL_MS, held);
  } finally {
    if (held !== holder) holders.delete(holder);
  }
  if (held !== holder) throw new TimbrelError('conflict', `a sync of ${appName}'s ${dialect} upstream is running`);
  const controller = new AbortController();
  const key = keyOf(app.id, dialect);
  running.set(key, controller);
  const outside = () => controller.abort();
  opts.signal?.addEventListener('abort', outside, { once: true });
  if (opts.signal?.aborted) controller.abort();
  try {
    // Every change the sync writes says where it came from (docs/events.md).
    return await withEventSource(`sync:${dialect}`, () => new Sync(services, app, upstream, holder, opts, controller).run());
  } finally {
    opts.signal?.removeEventListener('abort', outside);
    running.delete(key);
    await services.repo.upstreams.releaseLease(app.id, dialect, holder).catch(() => undefined);
    holders.delete(holder);
  }
}

/** Whether a lease holder (`host:pid:random`) is a process of this machine that no longer runs. */
function deadHere(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== hostname() || !/^\d+$/.test(pid ?? '')) return false;
  if (Number(pid) === process.pid) return !holders.has(holder);
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'ESRCH';
  }
}

/** Asks the running sync of an upstream to stop, wherever it runs; false when none is running. */
export async function cancelSync(services: Services, app: App, dialect: UpstreamDialect): Promise<boolean> {
  const here = running.get(keyOf(app.id, dialect));
  here?.abort();
  const elsewhere = await services.repo.upstreams.cancelLease(app.id, dialect, services.now());
  return Boolean(here) || elsewhere;
}

/** A call the sync made that must not be retried: the SDK passes it through as is. */
const stopCall = (dialect: UpstreamDialect, s: SyncStopped) => new TimbrelClientError(dialect as 'zego' | 'ivh', 'sync_stopped', s.message, 0);

/** Vendor text in a report: printable, one line, bounded (it reaches terminals and logs). */
const plain = (s: string, max = 300) => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').slice(0, max);

class Sync {
  private readonly report: SyncReport;
  private stopped?: SyncStopped;
  private rows = 0;
  private readonly deadline: number;
  private lastGoodAnswer = performance.now();
  private readonly writer: SyncWriter;
  private readonly media: MediaCopier;

  constructor(
    private readonly services: Services,
    private readonly app: App,
    private readonly upstream: Upstream,
    private readonly holder: string,
    private readonly opts: SyncOptions,
    private readonly controller: AbortController,
  ) {
    this.report = emptyReport(upstream.dialect, services.now());
    this.deadline = performance.now() + services.config.syncMaxSeconds * 1000;
    this.media = new MediaCopier(services, upstream.url, controller.signal);
    const sources = {
      public: syncSource(upstream.dialect, upstream.url, upstream.account),
      own: syncSource(upstream.dialect, upstream.url, upstream.account, app.id),
    };
    this.writer = new SyncWriter(services, upstream.dialect, app, sources, this.media, this.report);
  }

  private get scope(): SyncScope {
    return this.opts.scope ?? 'all';
  }

  /** Stops the sync with a reason (the first one stands) and aborts what is in flight. */
  private stop(stop: SyncStop, message: string): SyncStopped {
    this.stopped ??= new SyncStopped(stop, message);
    this.controller.abort();
    return this.stopped;
  }

  /** Throws when the sync must not go on: cancelled, out of time, lease lost. */
  private check(): void {
    if (this.stopped) throw this.stopped;
    if (this.controller.signal.aborted) throw this.stop('cancelled', 'the sync was cancelled');
    if (performance.now() > this.deadline) throw this.stop('time_cap', `the sync ran past TIMBREL_SYNC_MAX_SECONDS (${this.services.config.syncMaxSeconds} s)`);
  }

  async run(): Promise<SyncReport> {
    const { services, upstream } = this;
    await services.repo.upstreams.recordSync(this.app.id, upstream.dialect, this.report);
    const renew = setInterval(() => void this.renewLease(), LEASE_RENEW_MS);
    renew.unref();
    try {
      await PULLS[upstream.dialect](this.context());
      this.check();
      const scopes = this.scope === 'all' ? (['public', 'own'] as const) : this.scope === 'public' ? (['public'] as const) : (['own'] as const);
      await this.writer.retireUnseen([...scopes]);
      this.report.outcome = 'completed';
    } catch (err) {
      const stopped = this.stopped ?? (err instanceof SyncStopped ? err : undefined);
      this.report.outcome = stopped?.stop === 'cancelled' ? 'cancelled' : 'failed';
      if (stopped) this.report.stopped = stopped.stop;
      this.report.error = plain(stopped ? stopped.message : this.describe(err));
    } finally {
      clearInterval(renew);
    }
    this.report.files = this.media.files;
    this.report.finishedAt = services.now();
    services.metrics.syncs.inc({ dialect: upstream.dialect, outcome: this.report.outcome });
    await services.repo.upstreams.recordSync(this.app.id, upstream.dialect, this.report).catch(() => undefined);
    this.opts.onProgress?.(this.report);
    return this.report;
  }

  /** A failure in timbrel's words: the vendor's code and message, or what went wrong, never a stack or a JS message. */
  private describe(err: unknown): string {
    if (err instanceof TimbrelClientError) {
      if (err.code === 'network') return 'the upstream could not be reached';
      if (err.code === 'timeout') return 'the upstream did not answer in time';
      return `the upstream answered ${err.code}: ${err.detail}`;
    }
    if (err instanceof TimbrelError) return err.message;
    return "the upstream's answer could not be read as its API documents it";
  }

  private async renewLease(): Promise<void> {
    try {
      const state = await this.services.repo.upstreams.renewLease(this.app.id, this.upstream.dialect, this.holder, this.services.now(), LEASE_TTL_MS);
      if (state.cancel) this.stop('cancelled', 'the sync was cancelled');
      else if (!state.held) this.stop('lease_lost', "another process took over this upstream's sync (this one could not renew its lease in time)");
    } catch {
      // The database is away: the next renewal tries again; past the TTL the lease is lost and said so.
    }
  }

  private context(): SyncContext {
    // The operator's upstream writes every asset public: what the vendor calls the account's own is everyone's.
    const operator = this.app.id === OPERATOR_UPSTREAM;
    return {
      app: this.app,
      upstream: this.upstream,
      transport: this.transport(),
      wanted: (own) => this.scope === 'all' || (this.scope === 'private') === (own && !operator),
      walk: (list, at, idOf, each) => this.walk(list, at, idOf, each),
      write: async (batch) => {
        this.check();
        await this.writer.write(operator ? batch.map((p) => ({ ...p, own: false })) : batch);
        this.check();
        this.opts.onProgress?.(this.report);
      },
      ownBefore: async (kind, ids) => new Set((await this.services.repo.upstreams.syncedOf(this.services.repo.db, this.writer.sources.own, kind, ids)).keys()),
      bind: async (dh, scope, ids, firstIsDefault) => {
        this.check();
        await this.writer.bind(dh, operator ? 'public' : scope, ids, firstIsDefault);
      },
      canonicalId: (raw) => {
        const s = String(raw ?? '');
        return normalizeId(s) ?? s;
      },
    };
  }

  private async walk<T>(
    list: string,
    at: (index: number, offset: number) => Promise<Page<T>>,
    idOf: (item: T) => string,
    each: (item: T, index: number) => void | Promise<void>,
  ): Promise<void> {
    const seen = new Set<string>();
    let offset = 0;
    for (let index = 0; ; index++) {
      this.check();
      const page = await at(index, offset);
      if (!page.items.length) return;
      const ids = page.items.map(idOf);
      if (ids.every((id) => seen.has(id))) {
        throw this.stop(
          'repeated_page',
          `the vendor's ${plain(list, 80)} answered page ${index + 1} with rows it had already listed (it claims ${Number.isFinite(page.total) ? page.total : 'no'} in all): paging stopped`,
        );
      }
      this.rows += page.items.length;
      if (this.rows > this.services.config.syncMaxRows) {
        throw this.stop('row_cap', `the vendor listed more than TIMBREL_SYNC_MAX_ROWS (${this.services.config.syncMaxRows}) rows`);
      }
      for (const id of ids) seen.add(id);
      for (const [i, item] of page.items.entries()) await each(item, offset + i);
      offset += page.items.length;
      if (!(offset < page.total)) return;
    }
  }

  /** The SDK's options: the upstream's base URL and a fetch that paces, caps, budgets and can be stopped. */
  private transport() {
    const { config, relay } = this.services;
    const dialect = this.upstream.dialect;
    const pacer = new Pacer(this.upstream.rateLimit);
    const budgetMs = config.syncRetrySeconds * 1000;
    // Whatever stops the sync reaches the SDK as an error it does not retry.
    const checked = () => {
      try {
        this.check();
      } catch (err) {
        throw err instanceof SyncStopped ? stopCall(dialect, err) : err;
      }
    };
    const paced = async (input: string, init: RequestInit) => {
      checked();
      if (performance.now() - this.lastGoodAnswer > budgetMs) {
        throw stopCall(dialect, this.stop('retry_budget', `the upstream gave no usable answer for TIMBREL_SYNC_RETRY_SECONDS (${config.syncRetrySeconds} s)`));
      }
      await pacer.wait(this.controller.signal);
      checked();
      this.report.pages++;
      const signal = AbortSignal.any([this.controller.signal, ...(init.signal ? [init.signal] : [])]);
      let res: Awaited<ReturnType<typeof undiciFetch>>;
      try {
        res = await undiciFetch(input, { ...(init as object), signal, dispatcher: relay.dispatcher } as never);
      } catch (err) {
        checked();
        if (garbled(err)) throw stopCall(dialect, this.stop('vendor_error', 'the upstream answered something that is not HTTP'));
        throw err;
      }
      if (res.status < 200 || res.status > 599) {
        await res.body?.cancel().catch(() => undefined);
        throw stopCall(dialect, this.stop('vendor_error', `the upstream answered HTTP status ${res.status}, which its API never does`));
      }
      const body = await this.readCapped(res.body as ReadableStream<Uint8Array> | null, config.syncMaxAnswerBytes, dialect);
      const answer = new Response(body.toString('utf8'), {
        status: res.status,
        headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' },
      });
      if (res.status < 500 && res.status !== 429) this.lastGoodAnswer = performance.now();
      return answer;
    };
    return {
      baseUrl: this.upstream.url,
      fetch: paced as unknown as typeof fetch,
      timeoutMs: Math.min(config.upstreamTimeoutMs, budgetMs),
      retries: 1000,
      maxDelayMs: 5000,
    };
  }

  /** The answer's bytes, at most `max`: one more stops the sync (a vendor's list answers are small). */
  private async readCapped(body: ReadableStream<Uint8Array> | null, max: number, dialect: UpstreamDialect): Promise<Buffer> {
    if (!body) return Buffer.alloc(0);
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size > max) {
          await body.cancel().catch(() => undefined);
          throw stopCall(dialect, this.stop('answer_too_large', `an answer of the upstream was larger than TIMBREL_SYNC_MAX_ANSWER_BYTES (${max} bytes)`));
        }
        chunks.push(chunk);
      }
    } catch (err) {
      if (err instanceof TimbrelClientError) throw err;
      if (this.stopped) throw stopCall(dialect, this.stopped);
      if (garbled(err)) throw stopCall(dialect, this.stop('vendor_error', 'the upstream answered something that is not HTTP'));
      throw err;
    }
    return Buffer.concat(chunks);
  }
}

/**
 * Paces requests to at most `perSecond` in any window of a second, by the times they were actually sent
 * (a window of 1.02 s: jitter on the way never puts one more into the vendor's second).
 */
class Pacer {
  private readonly sent: number[] = [];
  constructor(private readonly perSecond: number) {}
  async wait(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (signal.aborted) return;
      const now = performance.now();
      while (this.sent.length && now - this.sent[0] >= 1020) this.sent.shift();
      if (this.sent.length < this.perSecond) {
        this.sent.push(now);
        return;
      }
      await new Promise((r) => setTimeout(r, 1020 - (now - this.sent[0]) + 1));
    }
  }
}
