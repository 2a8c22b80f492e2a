import { OPERATOR_UPSTREAM } from './core/types.js';
import { TimbrelError } from './core/errors.js';
import { syncUpstream } from './upstream/sync/index.js';
import { setFlagsFromString } from 'node:v8';
import type { FastifyInstance } from 'fastify';
import { buildApp, flushLogs, flushLogsSoon, loggerOptions } from './app.js';
import type { Config } from './config.js';
import { openServices, type Services } from './services.js';
import { FILE_GC_SETTLE_MS, scheduleFileGc } from './files/gc.js';
import { setProcessSource } from './core/events.js';
import { WebhookDispatcher } from './webhooks/index.js';

/** How often a server prunes the event log. */
const EVENTS_PRUNE_MS = 10 * 60_000;
/** How long finished webhook deliveries are kept. */
const DELIVERIES_KEPT_MS = 7 * 86_400_000;

export interface Running {
  app: FastifyInstance;
  services: Services;
  url: string;
  stop(): Promise<void>;
}

/**
 * A serving process's old generation grows to 1.5× what survived the last full collection, instead of V8's
 * default of up to 4× when collections are quick. A server's garbage is short-lived pages and rows, some of
 * it promoted; with the default, a walk over every page of a million-row catalog took the heap from 31 MB
 * live to 125 MB between collections (peak RSS 250-306 MB); with 1.5× the peak stays near 170 MB
 * (docs/benchmarks.md). A bulk import is the same kind of process: a million rows peaked at 277-299 MB
 * RSS with the default and 235-247 MB with 1.5×, at the same speed. An operator's own
 * `node --heap-growing-percent=N bin/timbrel.js …` wins.
 */
export function boundHeapGrowth(): void {
  if (!process.execArgv.some((a) => a.includes('heap-growing-percent'))) setFlagsFromString('--heap-growing-percent=50');
}

/**
 * V8 moves a place in the code that allocates to the old generation once most of what it made survived a
 * young collection ("pretenuring"). A server's start (index walks, first renders) could teach it that about
 * the request path's own objects, which then filled the old generation and ran a full collection every
 * ~200 ms: in 1 start of 5 on SQLite and 4 of 6 on PostgreSQL the cached GetTimbreList cost ~65 µs of CPU a
 * request instead of ~32. Without pretenuring: 0 of 7 and 0 of 6 (docs/benchmarks.md). A serving process's
 * objects live for one request, or for as long as a cache keeps them.
 */
export function noPretenuring(): void {
  if (!process.execArgv.some((a) => a.includes('allocation-site-pretenuring'))) setFlagsFromString('--no-allocation-site-pretenuring');
}

/** Starts the HTTP service; SIGTERM/SIGINT stop accepting, finish in-flight requests, close the store, exit. */
export async function startServer(config: Config, onServices?: (s: Services) => Promise<void>): Promise<Running> {
  // What a server's requests change says `api` (the console's requests say `console`), even under the CLI.
  setProcessSource('api');
  boundHeapGrowth();
  noPretenuring();
  const services = await openServices(config);
  // The public lists' deep-offset indexes are taken while the server gets ready (StoreBase.warmLists).
  let warmFailure: unknown;
  const warming = services.repo.warmLists().catch((err: unknown) => {
    warmFailure = err;
  });
  services.metrics.withProcessMetrics();
  if (onServices) await onServices(services);
  const app = await buildApp(services, { logger: loggerOptions(config.logLevel) });
  if (!config.verifySignatures) {
    app.log.warn('TIMBREL_VERIFY_SIGNATURES=false: vendor signatures and timestamps are NOT checked; never run this way in production');
  }
  await app.listen({ port: config.port, host: config.host });
  // A store that could not be read yet only means the first deep page takes the index itself.
  void warming.then(() => {
    if (warmFailure)
      app.log.warn({ err: { message: (warmFailure as Error)?.message } }, 'the public lists were not indexed ahead; the first deep page will be');
  });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  if (!config.publicUrlConfigured && port !== config.port) {
    config.publicUrl = config.publicUrl.replace(/:\d+$/, `:${port}`);
    services.signer.rebase(config.publicUrl);
  }
  const stopGc =
    config.fileGcIntervalSeconds > 0
      ? scheduleFileGc(services, {
          intervalMs: config.fileGcIntervalSeconds * 1000,
          graceMs: config.fileGraceSeconds * 1000,
          settleMs: FILE_GC_SETTLE_MS,
          onDone: (r) => {
            if (r.removed || r.spooled) app.log.info(r, 'stored files collected');
          },
          onError: (err) => app.log.warn({ err: { message: (err as Error)?.message } }, 'stored-file collection failed; it runs again later'),
        })
      : () => {};
  // TIMBREL_SYNC_INTERVAL: every upstream of every app, one after the other, then wait the interval again.
  let syncTimer: NodeJS.Timeout | undefined;
  // With several instances, one syncs an upstream (the lease) and the others skip it: it is running, or
  // its last sync started less than an interval ago.
  const syncAll = async () => {
    for (const u of await services.repo.upstreams.list()) {
      // The operator's upstreams (no app) are synced too: into the public catalog.
      const owner = u.appId === OPERATOR_UPSTREAM ? { name: undefined } : await services.repo.apps.byId(u.appId);
      if (!owner) continue;
      if (u.lastSync && services.now() - u.lastSync.startedAt < config.syncIntervalSeconds * 1000 * 0.9) continue;
      const r = await syncUpstream(services, owner.name, u.dialect).catch((err: Error) => ({
        outcome: err instanceof TimbrelError && err.code === 'conflict' ? 'skipped' : 'failed',
        error: err.message,
      }));
      if (r.outcome === 'skipped') continue;
      app.log[r.outcome === 'completed' ? 'info' : 'warn']({ app: owner.name ?? 'operator', dialect: u.dialect, ...r }, 'scheduled sync');
    }
  };
  const scheduleSync = () => {
    if (config.syncIntervalSeconds > 0)
      syncTimer = setTimeout(
        () =>
          void syncAll()
            .catch(() => undefined)
            .finally(scheduleSync),
        config.syncIntervalSeconds * 1000,
      ).unref();
  };
  scheduleSync();
  // The event log keeps TIMBREL_EVENTS_RETENTION: pruned every ten minutes, in short batches (never
  // holding writers up). Several instances pruning at once delete the same batches: harmless.
  const pruneEvents = () =>
    void (async () => {
      // Never what an enabled endpoint has not been offered yet; finished deliveries are kept 7 days.
      await services.repo.webhooks.pruneDeliveries(services.now() - DELIVERIES_KEPT_MS);
      return services.repo.events.prune(services.now() - config.eventsRetentionSeconds * 1000, 1000, await services.repo.webhooks.lowestCursor());
    })()
      .then((n) => n && app.log.info({ events: n }, 'events past their retention pruned'))
      .catch((err: Error) => app.log.warn({ err: { message: err.message } }, 'pruning the event log failed; it runs again later'));
  const eventsTimer = setInterval(pruneEvents, EVENTS_PRUNE_MS).unref();
  // Webhook deliveries: every instance fans out and delivers (leases keep them from doing one twice).
  const webhooks = new WebhookDispatcher(services, app.log);
  webhooks.start();
  pruneEvents();
  let stopping: Promise<void> | undefined;
  // app.close() stops accepting, answers 503 to requests arriving on kept-alive connections, closes idle
  // ones and waits for in-flight requests; past the grace period the rest are cut.
  const stop = () =>
    (stopping ??= (async () => {
      const cut = setTimeout(() => {
        app.log.warn({ graceMs: config.shutdownGraceMs }, 'shutdown grace period over: closing remaining connections');
        app.server.closeAllConnections();
      }, config.shutdownGraceMs);
      cut.unref();
      stopGc();
      clearTimeout(syncTimer);
      clearInterval(eventsTimer);
      await webhooks.stop();
      try {
        await app.close();
      } finally {
        clearTimeout(cut);
        await services.close();
      }
    })());
  // The buffered log destination writes what is left as the process exits, however it exits.
  process.once('exit', flushLogs);
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      app.log.info({ signal: sig }, 'shutting down');
      stop().then(
        () => flushLogsSoon().then(() => process.exit(0)),
        () => flushLogsSoon().then(() => process.exit(1)),
      );
    });
  }
  return { app, services, url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`, stop };
}
