import cors from '@fastify/cors';
import { createServer, ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import inject, { type InjectOptions, type Response as InjectResponse } from 'light-my-request';
import type { Services } from './services.js';
import { loadDialects } from './dialects/registry.js';
import { closeRelays } from './upstream/ws-relay.js';
import proxyAddr from '@fastify/proxy-addr';
import type { Duplex } from 'node:stream';
import { trustOf, vendorEdge, type Listener } from './dialects/vendor.js';
import { nextRequestId, pathOnly, recordRequest } from './request-log.js';
import { fileRoutes } from './files/routes.js';
import { nativeApi } from './dialects/native/index.js';
import { problem } from './problem.js';
import { consoleRoutes } from './console.js';
import pino from 'pino';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
}

/** Field names that hold credentials in any dialect, wherever they appear in a logged object (two levels). */
const SECRET_FIELDS = [
  'authorization',
  'Authorization',
  'Signature',
  'signature',
  'ServerSecret',
  'serverSecret',
  'accesstoken',
  'AccessToken',
  'zegoServerSecret',
  'ivhAccessToken',
  'password',
  'token',
  'apiKey',
  'secret',
];
export const REDACTED = [...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`), ...SECRET_FIELDS.map((f) => `*.*.${f}`)];

/**
 * JSON lines to standard output through a buffered, asynchronous destination (one write per few KiB, not
 * one per line); `flushLogs` at shutdown writes what is left.
 */
let logDestination: ReturnType<typeof pino.destination> | undefined;
export const flushLogs = () => logDestination?.flushSync();

/**
 * Writes what the log destination holds, asynchronously, within `withinMs`. A shutdown does this before it
 * exits: sonic-boom 4's synchronous flush retries a failed write forever unless the failure is EAGAIN, so
 * with standard output's reader gone (`timbrel serve | head -3`) the exit-time flush spun for minutes. The
 * asynchronous write reports EPIPE instead, pino then stops writing to the broken pipe, and the exit-time
 * flush has nothing left to do.
 */
export function flushLogsSoon(withinMs = 1000): Promise<void> {
  const dest = logDestination;
  if (!dest) return Promise.resolve();
  return new Promise((resolve) => {
    const late = setTimeout(resolve, withinMs);
    late.unref();
    try {
      dest.flush(() => {
        clearTimeout(late);
        resolve();
      });
    } catch {
      clearTimeout(late);
      resolve();
    }
  });
}

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
  // Checked together: a probe waits for the slowest dependency (at most 2 s), not for their sum.
  const { redis } = services;
  const [database, files, redisState] = await Promise.all([
    check(() => services.repo.ping()),
    check(() => services.files.check()),
    redis && check(() => redis.ping()),
  ]);
  return redisState === undefined ? { database, files } : { database, files, redis: redisState };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

declare module 'fastify' {
  interface FastifyInstance {
    /** A request through the server's own listener (the vendor edge, then Fastify), without a socket. */
    dispatch(opts: InjectOptions): Promise<InjectResponse>;
  }
}

/**
 * Builds the HTTP service from its parts: the vendor edge (ZEGO at `/`, IVH under `/v2/ivh/`) in front of
 * Fastify (everything else). Tests drive it with `injectRequest`, which goes through both like a socket does.
 */
export async function buildApp(services: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const hosts = services.config.dialectHosts;
  const dialects = await loadDialects();
  let closing = false;
  let listener!: Listener;
  const app: FastifyInstance = Fastify({
    logger: opts.logger ?? false,
    // timbrel writes its own single line per request (recordRequest), without the query string.
    logController: new LogController({ disableRequestLogging: true }),
    // One logger for all requests instead of a child per request; lines that need it carry reqId.
    childLoggerFactory: (logger) => logger,
    genReqId: nextRequestId,
    bodyLimit: services.config.maxBodyBytes,
    return503OnClosing: true,
    trustProxy: services.config.trustProxy as boolean,
    serverFactory: (fastifyHandler) => {
      listener = vendorEdge({
        services,
        route: (path, host) => {
          // A host routed to a dialect (TIMBREL_DIALECT_HOSTS): every path as if it carried the prefix.
          const prefix = hosts.size && host ? hosts.get(host.replace(/:\d+$/, '').toLowerCase()) : undefined;
          if (prefix !== undefined) path = prefix + path;
          const routed = dialects.route(path);
          return routed ? { ...routed, path } : undefined;
        },
        fallback: fastifyHandler,
        log: () => app.log,
        closing: () => closing,
      });
      const server = createServer(listener);
      // Timbrel's own address is never a destination of an outbound request (a vendor's media URL).
      server.on('listening', () => {
        const a = server.address();
        if (a && typeof a === 'object') services.outbound.listeningOn(a.address, a.port);
      });
      // WebSocket upgrades: relayed by the dialect that relays them (ElevenLabs' realtime speech), else refused.
      const trust = trustOf(services.config.trustProxy);
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        socket.on('error', () => socket.destroy());
        const url = req.url ?? '/';
        const sent = url.split('?')[0];
        const prefix = hosts.size && req.headers.host ? hosts.get(req.headers.host.replace(/:\d+$/, '').toLowerCase()) : undefined;
        const path = prefix !== undefined ? prefix + sent : sent;
        const handler = closing ? undefined : dialects.upgrade(path);
        if (!handler) {
          // Not an upgrade anyone relays: answered as the plain request it also is (IVH's WebSocket channel
          // gets its "not served" answer, anything else what the dialect or Fastify says), never a 101.
          if (head.length) socket.unshift(head);
          const res = new ServerResponse(req);
          res.shouldKeepAlive = false;
          res.assignSocket(socket as Socket);
          res.once('finish', () => socket.end());
          return listener(req, res);
        }
        const clientAddress = trust ? proxyAddr(req, trust) : (req.socket.remoteAddress ?? '');
        handler(services, { req, socket, head, path, clientAddress, log: app.log }).catch((err: unknown) => {
          app.log.error({ err }, 'upgrade failed');
          socket.destroy();
        });
      });
      server.requestTimeout = 30_000;
      // Longer than the 60 s idle timeout of common load balancers, so that they close first.
      server.keepAliveTimeout = 72_000;
      return server;
    },
  });
  app.decorate('dispatch', (opts: InjectOptions) => inject(listener, opts));
  // From here on Fastify answers 503 and closes kept-alive connections: the edge hands it every request.
  app.addHook('preClose', (done) => {
    closing = true;
    closeRelays();
    done();
  });

  const { metrics } = services;
  app.addHook('onResponse', (req, reply, done) => {
    recordRequest(metrics, app.log, {
      reqId: req.id,
      method: req.method,
      url: req.url,
      status: reply.statusCode,
      ms: reply.elapsedTime,
      tag: req.timbrel,
      route: req.routeOptions.url,
    });
    done();
  });

  // Alive: the process answers. Ready: it can serve (database, Redis and file store reachable); a load
  // balancer sends traffic only to ready instances. Both answer 503 once a shutdown has begun.
  app.get('/healthz', async (_req, reply) => reply.type('application/json').send('{"status":"ok"}'));
  app.get('/readyz', async (_req, reply) => {
    const checks = await readiness(services);
    const ok = Object.values(checks).every((c) => c === 'ok');
    return reply
      .code(ok ? 200 : 503)
      .type('application/json')
      .send(JSON.stringify({ status: ok ? 'ready' : 'unavailable', checks }));
  });
  app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  // Browsers on the configured origins may call the native API and read stored files (the SDK in a web
  // page). Tokens travel in Authorization, never in cookies: no credentials mode. The vendor dialects are
  // server-to-server and answered before Fastify, without CORS.
  const origins = services.config.corsOrigins;
  if (origins.length) {
    await app.register(cors, {
      origin: origins.includes('*') ? '*' : origins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'if-match', 'if-none-match'],
      exposedHeaders: ['etag', 'location', 'retry-after', 'ratelimit', 'ratelimit-policy'],
      maxAge: 600,
    });
  }
  await app.register(fileRoutes, { services });
  await app.register(nativeApi, { services });
  await consoleRoutes(app);

  app.setNotFoundHandler((req, reply) => problem(reply, 404, 'route_not_found', `No route ${req.method} ${pathOnly(req.url).slice(0, 200)}`));
  app.setErrorHandler((err, req, reply) => {
    const status = (err as { statusCode?: number }).statusCode;
    // Static files (the console): a path outside their folder is one that does not exist.
    if (status === 403 || status === 404) return problem(reply, 404, 'route_not_found', `No route ${req.method} ${pathOnly(req.url).slice(0, 200)}`);
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return problem(reply, status, 'bad_request', (err as Error).message);
    }
    req.log.error({ err }, 'request failed');
    return problem(reply, 500, 'internal', 'Internal error.');
  });
  return app;
}

/** `app.dispatch` once the app is ready (tests). */
export async function injectRequest(app: FastifyInstance, opts: InjectOptions): Promise<InjectResponse> {
  await app.ready();
  return app.dispatch(opts);
}
