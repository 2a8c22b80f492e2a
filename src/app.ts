import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Services } from './services.js';
import { zegoDialect } from './dialects/zego/index.js';
import { ivhDialect } from './dialects/tencent-ivh/index.js';
import { fileRoutes } from './files/routes.js';
import { problem } from './problem.js';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
}

/** Drops the query string from anything logged: it carries signatures. */
const pathOnly = (url: string | undefined) => (url ?? '').split('?')[0];

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.ServerSecret', '*.accesstoken', '*.signature', '*.Signature'], censor: '[redacted]' },
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
    bodyLimit: services.config.maxBodyBytes,
    return503OnClosing: true,
    requestTimeout: 30_000,
    keepAliveTimeout: 72_000,
  });

  // One line per request: dialect, operation, app name, vendor code, status, time. Never the query.
  app.addHook('onResponse', async (req, reply) => {
    const t = req.timbrel;
    req.log.info(
      { method: req.method, path: pathOnly(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ...(t ?? {}) },
      'request',
    );
  });

  app.get('/healthz', async (_req, reply) => reply.type('application/json').send('{"status":"ok"}'));
  await app.register(fileRoutes, { services });
  await app.register(ivhDialect, { services });
  await app.register(zegoDialect, { services });

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
