import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Services } from './services.js';
import { zegoDialect } from './dialects/zego/index.js';
import { ivhDialect } from './dialects/tencent-ivh/index.js';
import { fileRoutes } from './files/routes.js';
import { nativeApi } from './dialects/native/index.js';
import { problem } from './problem.js';
import { consoleRoutes } from './console.js';
import pino from 'pino';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
}

/** Field names that hold credentials in any dialect, wherever they appear in a logged object (two levels). */
const SECRET_FIELDS = ['authorization', 'Authorization', 'Signature', 'signature', 'ServerSecret', 'serverSecret', 'accesstoken', 'AccessToken', 'zegoServerSecret', 'ivhAccessToken', 'password', 'token', 'apiKey', 'secret'];
export const REDACTED = [...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`), ...SECRET_FIELDS.map((f) => `*.*.${f}`)];

/** Drops the query string from anything logged: it carries signatures. */
const pathOnly = (url: string | undefined) => (url ?? '').split('?')[0];

/**
 * JSON lines to standard output through a buffered, asynchronous destination (one write per few KiB, not
 * one per line); `flushLogs` at shutdown writes what is left.
 */
let logDestination: ReturnType<typeof pino.destination> | undefined;
export const flushLogs = () => logDestination?.flushSync();

/** Logger options; `stream` (tests) replaces standard output. */
export function loggerOptions(level: string, stream?: pino.DestinationStream): FastifyServerOptions['logger'] {
  if (!stream) logDestination ??= pino.destination({ dest: 1, sync: false, minLength: 4096 });
  return {
    level,
    stream: stream ?? logDestination,
    // Secrets stay out by construction: the request line carries no query string (signatures), headers
    // or bodies. Redaction is the second fence, for anything that would carry one into a line anyway
    // (an error object holding a request, a field logged by mistake); it runs only on lines written.
    redact: { paths: REDACTED, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, url: pathOnly(req.url) }),
    },
  };
}

/** Each dependency's state: "ok" or why not (the message, never a credential: URLs are not echoed). */
async function readiness(services: Services): Promise<Record<string, string>> {
  const check = async (fn: () => Promise<unknown>) => {
    try {
      await withTimeout(fn(), 2000);
      return 'ok';
    } catch (err) {
      return `unavailable: ${String((err as Error).message ?? err).replace(/\/\/[^@\s]*@/g, '//')}`.slice(0, 200);
    }
  };
  const checks: Record<string, string> = {
    database: await check(() => services.repo.ping()),
    files: await check(() => services.files.check()),
  };
  if (services.redis) checks.redis = await check(() => services.redis!.ping());
  return checks;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** Builds the HTTP service from its parts; tests drive it with app.inject(). */
export async function buildApp(services: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    // timbrel writes its own single line per request (onResponse below), without the query string.
    logController: new LogController({ disableRequestLogging: true }),
    // One logger for all requests instead of a child per request; lines that need it carry reqId.
    childLoggerFactory: (logger) => logger,
    bodyLimit: services.config.maxBodyBytes,
    return503OnClosing: true,
    requestTimeout: 30_000,
    keepAliveTimeout: 72_000,
  });

  // One line per request: dialect, operation, app name, vendor code, status, time. Never the query.
  // Failures (HTTP ≥ 400 or a vendor code ≠ 0) at info, so refused signatures and unknown apps show in
  // the default log; successful requests at debug (a read API at thousands of requests a second would
  // drown the log, and Prometheus metrics carry the counts).
  const { metrics } = services;
  app.addHook('onResponse', (req, reply, done) => {
    const t = req.timbrel;
    const dialect = t?.dialect ?? 'http';
    const operation = t?.op ?? `${req.method} ${req.routeOptions.url ?? '(no route)'}`;
    metrics.requests.inc({ dialect, operation, code: String(t?.code ?? reply.statusCode) });
    metrics.latency.observe({ dialect, operation }, reply.elapsedTime / 1000);
    const failed = reply.statusCode >= 400 || (t?.code !== undefined && t.code !== 0);
    const level = failed ? 'info' : 'debug';
    // With logging off, Fastify's stand-in logger has no isLevelEnabled: nothing to build a line for.
    if ((app.log as Partial<pino.Logger>).isLevelEnabled?.(level)) {
      app.log[level]({ reqId: req.id, method: req.method, path: pathOnly(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ...t }, 'request');
    }
    done();
  });

  // Alive: the process answers. Ready: it can serve (database, Redis and file store reachable); a load
  // balancer sends traffic only to ready instances. Both answer 503 once a shutdown has begun.
  app.get('/healthz', async (_req, reply) => reply.type('application/json').send('{"status":"ok"}'));
  app.get('/readyz', async (_req, reply) => {
    const checks = await readiness(services);
    const ok = Object.values(checks).every((c) => c === 'ok');
    return reply.code(ok ? 200 : 503).type('application/json').send(JSON.stringify({ status: ok ? 'ready' : 'unavailable', checks }));
  });
  app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  await app.register(fileRoutes, { services });
  await app.register(ivhDialect, { services });
  await app.register(zegoDialect, { services });
  await app.register(nativeApi, { services });
  await consoleRoutes(app);

  app.setNotFoundHandler((req, reply) => problem(reply, 404, 'route_not_found', `No route ${req.method} ${pathOnly(req.url).slice(0, 200)}`));
  app.setErrorHandler((err, req, reply) => {
    const status = (err as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return problem(reply, status, 'bad_request', (err as Error).message);
    }
    req.log.error({ err }, 'request failed');
    return problem(reply, 500, 'internal', 'Internal error.');
  });
  return app;
}
