/**
 * timbrel's own REST API at /v1 (docs/api.md): Bearer auth (the operator token or an app's API key), the
 * visibility rule of docs/domain.md, RFC 9457 problem+json errors with a stable `code`, and an
 * OpenAPI 3.1 document generated from the route schemas.
 */
import { dialectsView } from '../registry.js';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { TimbrelError, type ErrorCode } from '../../core/errors.js';
import type { Principal } from '../../core/access.js';
import type { Services } from '../../services.js';
import { problem } from '../../problem.js';
import { storeError } from '../../store/index.js';
import { admit } from '../admit.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../body.js';
import { tag } from '../context.js';
import { Anchor, DigitalHuman, Problem, Timbre, problems } from './schemas.js';
import { Type } from 'typebox';
import { transformDocument, transformRoute } from './openapi.js';
import { timbreRoutes } from './timbres.js';
import { digitalHumanRoutes } from './digital-humans.js';
import { anchorRoutes } from './anchors.js';
import { uploadRoutes } from './uploads.js';
import { importRoutes } from './import.js';
import { AppOut, appRoutes } from './apps.js';
import { UpstreamOut, upstreamRoutes } from './upstreams.js';
import { keyRoutes } from './keys.js';
import { withEventSource } from '../../core/events.js';
import { eventRoutes, EventOut } from './events.js';
import { webhookRoutes } from './webhooks.js';
import { Readable } from 'node:stream';
import { exportCatalog } from '../../catalog-io/export.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  unauthorized: 401,
  forbidden: 403,
  app_disabled: 403,
  not_found: 404,
  timbre_not_found: 404,
  digital_human_not_found: 404,
  anchor_not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  events_expired: 410,
  body_too_large: 413,
  unsupported_file_type: 415,
  rate_limited: 429,
  busy: 503,
  unavailable: 503,
  upstream_unavailable: 502,
  upstream_invalid: 502,
  internal: 500,
};

export function renderProblem(reply: FastifyReply, err: TimbrelError) {
  const status = STATUS[err.code] ?? 400;
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="timbrel"');
  // Contention and an unreachable database pass, a per-second limit turns over: a client may try again
  // after a moment (or, for failed sign-ins, after the rest of the minute).
  if (status === 503 || status === 429) reply.header('retry-after', String((err as { retryAfter?: number }).retryAfter ?? 1));
  // An app's per-second limit, as the IETF RateLimit header fields say it (draft-ietf-httpapi-ratelimit-
  // headers-07): the policy (N requests in windows of 1 s) and where this window stands (none left; it
  // turns over within the second).
  const perSecond = (err as { perSecond?: number }).perSecond;
  if (status === 429 && perSecond !== undefined) {
    reply.header('ratelimit-policy', `${perSecond};w=1`);
    reply.header('ratelimit', `limit=${perSecond}, remaining=0, reset=1`);
  }
  return problem(reply, status, err.code, err.message, err.param ? { param: err.param } : {});
}

/**
 * Query strings and path parameters are text, so they are coerced to their schema types; JSON bodies are
 * not: a number sent as a string is an error, not a guess.
 */
function validators(app: FastifyInstance) {
  const options = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false } as const;
  const coercing = addFormats.default(new Ajv({ ...options, coerceTypes: 'array' }));
  const exact = addFormats.default(new Ajv({ ...options, coerceTypes: false }));
  for (const s of [Problem, Timbre, DigitalHuman, Anchor, AppOut, UpstreamOut, EventOut]) {
    coercing.addSchema(s);
    exact.addSchema(s);
  }
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? exact : coercing).compile(schema));
}

export const nativeApi: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  // Fastify's own JSON parser (prototype-poisoning checks included), refusing nesting past MAX_JSON_DEPTH
  // before any validator or handler recurses into it.
  const parseJson = scope.getDefaultJsonParser('error', 'error');
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (typeof body === 'string' && nestsDeeperThan(body))
      return done(new TimbrelError('body_unreadable', `the body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    parseJson(req, body as string, done);
  });
  // The events of a change the console asks for say `console` (its requests carry x-timbrel-client).
  scope.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function (this: FastifyInstance, req, reply) {
      return req.headers['x-timbrel-client'] === 'console' ? withEventSource('console', () => handler.call(this, req, reply)) : handler.call(this, req, reply);
    };
  });
  scope.addSchema(Problem);
  scope.addSchema(Timbre);
  scope.addSchema(DigitalHuman);
  scope.addSchema(Anchor);
  // Every shared schema is added here, before the routes' plugins: a plugin that adds a schema of its own
  // gets a fresh schema controller with Fastify's default validator (which drops unknown fields silently).
  scope.addSchema(AppOut);
  scope.addSchema(UpstreamOut);
  scope.addSchema(EventOut);
  validators(scope);

  await scope.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'timbrel',
        version: '1',
        description: "timbrel's own API: the digital-human asset catalog.",
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: '/', description: 'the timbrel server that serves this document' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: transformRoute as never,
    transformObject: transformDocument as never,
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await scope.register(swaggerUi, { routePrefix: '/v1/docs', uiConfig: { url: '/v1/openapi.json' } as never });
  scope.get('/v1/openapi.json', { schema: { hide: true } }, async (_req, reply) => reply.type('application/json').send(scope.swagger()));

  scope.setErrorHandler((err, req, reply) => {
    if (err instanceof TimbrelError) return renderProblem(reply, err);
    const e = err as { statusCode?: number; validation?: unknown; validationContext?: string; code?: string; message: string };
    if (e.validation) return problem(reply, 400, 'invalid_parameter', `${e.validationContext ?? 'request'} ${e.message}`.replace(/^(\w+) \1/, '$1'));
    if (e.statusCode === 413)
      return problem(reply, 413, 'body_too_large', `the body is over the limit of ${req.routeOptions.bodyLimit ?? services.config.maxBodyBytes} bytes`);
    // The documentation's static files: a path outside their folder (`%2e%2e/…`) is one that does not exist.
    if (e.statusCode === 403 || e.statusCode === 404)
      return problem(reply, 404, 'route_not_found', `No route ${req.method} ${req.url.split('?')[0].slice(0, 200)}`);
    if (e.statusCode === 415) return problem(reply, 415, 'unsupported_media_type', e.message);
    if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || e.statusCode === 400) {
      return problem(reply, 400, 'body_unreadable', 'the body is not valid JSON');
    }
    const stored = storeError(err);
    if (stored) {
      // The database's weather (out of reach, contention past the retries): logged once, answered 503/409.
      if (stored.code !== 'conflict')
        req.log.warn({ err: { message: (err as Error).message, code: (err as { code?: unknown }).code } }, `request answered ${stored.code}`);
      return renderProblem(reply, stored);
    }
    req.log.error({ err }, 'request failed');
    return problem(reply, 500, 'internal', 'Internal error.');
  });

  // Every /v1 route but the documentation needs a caller; an app's calls count against its rate limit.
  scope.addHook('onRequest', async (req: FastifyRequest) => {
    const path = req.url.split('?')[0];
    if (path === '/v1/openapi.json' || path.startsWith('/v1/docs')) return;
    const ctx = tag(req, 'native');
    const principal = await services.access.authenticate(req.headers.authorization, req.ip);
    req.principal = principal;
    if (principal.kind === 'app') {
      ctx.app = principal.app.name;
      ctx.appId = principal.app.id;
      await admit(services, principal.app);
    } else ctx.app = '(operator)';
    // No stored name, key or text holds a NUL (src/catalog-io/records.ts), and PostgreSQL cannot compare
    // text with one: a path or query parameter carrying one is refused alike on both engines.
    if (/%00/i.test(req.url)) throw new TimbrelError('invalid_parameter', 'path and query parameters must not contain NUL characters');
  });

  await scope.register(timbreRoutes, { services });
  await scope.register(digitalHumanRoutes, { services });
  await scope.register(anchorRoutes, { services });
  await scope.register(importRoutes, { services });
  await scope.register(uploadRoutes, { services });
  await scope.register(appRoutes, { services });
  await scope.register(upstreamRoutes, { services });
  await scope.register(keyRoutes, { services });
  await scope.register(eventRoutes, { services });
  await scope.register(webhookRoutes, { services });

  scope.get(
    '/v1/dialects',
    {
      schema: {
        tags: ['service'],
        summary: 'The wire dialects this server speaks: name, label, how a client authenticates, its base URL and one request that answers',
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ name: Type.String(), label: Type.String(), auth: Type.String(), baseUrl: Type.String(), example: Type.String() })),
          }),
          ...problems(401),
        },
      },
    },
    async () => ({ items: dialectsView(services.config.publicUrl) }),
  );

  scope.get(
    '/v1/export',
    {
      schema: {
        tags: ['catalog'],
        summary:
          "The catalog in the import format (NDJSON, docs/catalog-format.md): the operator's is every record, an app's its own private ones. Stored files stay stored:<sha256> references; for apps, keys and files too, use `timbrel backup`",
        response: { 200: { description: 'one record per line', content: { 'application/x-ndjson': { schema: { type: 'string' } } } } },
      },
    },
    async (req, reply) => {
      const principal = req.principal!;
      const records = exportCatalog(services, principal.kind === 'app' ? principal.app.id : undefined);
      const lines = Readable.from(
        (async function* () {
          for await (const r of records) yield `${JSON.stringify(r)}\n`;
        })(),
      );
      const stamp = new Date(services.now()).toISOString().slice(0, 19).replace(/[-:]/g, '');
      const who = principal.kind === 'app' ? principal.app.name : 'catalog';
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="timbrel-${who}-${stamp}.ndjson"`)
        .send(lines);
    },
  );
};
