import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Services } from './services.js';
import { zegoDialect } from './dialects/zego/index.js';
import { ivhDialect } from './dialects/tencent-ivh/index.js';
import { fileRoutes } from './files/routes.js';
import { nativeApi } from './dialects/native/index.js';
import { problem } from './problem.js';
import pino from 'pino';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
}

/** Drops the query string from anything logged: it carries signatures. */
const pathOnly = (url: string | undefined) => (url ?? '').split('?')[0];

/**
 * JSON lines to standard output through a buffered, asynchronous destination (one write per few KiB, not
 * one per line); `flushLogs` at shutdown writes what is left.
 */
let logDestination: ReturnType<typeof pino.destination> | undefined;
export const flushLogs = () => logDestination?.flushSync();

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  logDestination ??= pino.destination({ dest: 1, sync: false, minLength: 4096 });
  return {
    level,
    stream: logDestination,
    // Secrets stay out by construction: the request line carries no query string (signatures), headers
    // or bodies, and errors are logged as Error objects. A redaction pass would cost more than the line.
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, url: pathOnly(req.url) }),
    },
  };
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
  app.addHook('onResponse', (req, reply, done) => {
    const t = req.timbrel;
    const failed = reply.statusCode >= 400 || (t?.code !== undefined && t.code !== 0);
    const level = failed ? 'info' : 'debug';
    // With logging off, Fastify's stand-in logger has no isLevelEnabled: nothing to build a line for.
    if ((app.log as Partial<pino.Logger>).isLevelEnabled?.(level)) {
      app.log[level]({ reqId: req.id, method: req.method, path: pathOnly(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ...t }, 'request');
    }
    done();
  });

  app.get('/healthz', async (_req, reply) => reply.type('application/json').send('{"status":"ok"}'));
  await app.register(fileRoutes, { services });
  await app.register(ivhDialect, { services });
  await app.register(zegoDialect, { services });
  await app.register(nativeApi, { services });

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
