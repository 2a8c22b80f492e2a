/**
 * /v1/apps (operator only): create, list, get, enable/disable, rate limit, usage, secret rotation with a
 * grace period, and a signed request to try. Credentials are shown when created or rotated, never listed.
 * An app's upstreams are in upstreams.ts, its API keys in keys.ts.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { TimbrelError } from '../../core/errors.js';
import type { App } from '../../core/types.js';
import type { Services } from '../../services.js';
import { USAGE_RETENTION_DAYS } from '../../usage.js';
import { iso } from './common.js';
import { problems } from './schemas.js';
import { ivhCurl, ivhRequest, zegoCurl, zegoRequest } from '../../signing-examples.js';
import { DIALECTS } from '../registry.js';

const tags = ['apps'];
const Name = Type.Object({ name: Type.String({ maxLength: 64 }) });

export const AppOut = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
    rateLimit: Type.Integer(),
    zego: Type.Object({ AppId: Type.Integer(), previousSecretValidUntil: Type.Union([Type.String(), Type.Null()]) }),
    ivh: Type.Object({ appkey: Type.String(), previousTokenValidUntil: Type.Union([Type.String(), Type.Null()]) }),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'App' },
);

const Credentials = Type.Object({
  name: Type.String(),
  zego: Type.Object({ AppId: Type.Integer(), ServerSecret: Type.String() }),
  ivh: Type.Object({ appkey: Type.String(), accesstoken: Type.String() }),
  /** Signed requests to paste (valid for the vendor's timestamp window: 10 min ZEGO, 5 min IVH). */
  curl: Type.Object({ zego: Type.String(), ivh: Type.String() }),
});

const Wire = Type.Object({ method: Type.String(), url: Type.String(), headers: Type.Record(Type.String(), Type.String()), body: Type.String() });
const WireAnswer = Type.Object({ status: Type.Integer(), headers: Type.Record(Type.String(), Type.String()), body: Type.String() });

export const appRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  const operatorOnly = async (req: FastifyRequest) => {
    if (req.principal?.kind !== 'operator') throw new TimbrelError('forbidden', 'apps are managed by the operator');
  };
  scope.addHook('preHandler', operatorOnly);

  const view = (a: App) => ({
    id: a.id,
    name: a.name,
    status: a.status,
    rateLimit: a.rateLimit,
    zego: { AppId: a.zegoAppId, previousSecretValidUntil: a.zegoPreviousUntil && a.zegoPreviousUntil > services.now() ? iso(a.zegoPreviousUntil) : null },
    ivh: { appkey: a.ivhAppKey, previousTokenValidUntil: a.ivhPreviousUntil && a.ivhPreviousUntil > services.now() ? iso(a.ivhPreviousUntil) : null },
    createdAt: iso(a.createdAt)!,
    updatedAt: iso(a.updatedAt)!,
  });
  const credentials = (a: App) => ({
    name: a.name,
    zego: { AppId: a.zegoAppId, ServerSecret: a.zegoServerSecret },
    ivh: { appkey: a.ivhAppKey, accesstoken: a.ivhAccessToken },
    curl: {
      zego: zegoCurl(services.config.publicUrl, a, 'GetTimbreList', { Offset: 0, Limit: 20 }, services.now()),
      ivh: ivhCurl(services.config.publicUrl, a, 'describetimbre', { PageIndex: 1, PageSize: 10 }, services.now()),
    },
  });
  const named = (req: FastifyRequest) => services.apps.named((req.params as { name: string }).name);

  scope.get(
    '/v1/apps',
    { schema: { tags, summary: 'List apps (no secrets)', response: { 200: Type.Object({ items: Type.Array(Type.Ref('App')) }), ...problems(401, 403) } } },
    async () => ({
      items: (await services.apps.list()).map(view),
    }),
  );

  scope.post(
    '/v1/apps',
    {
      schema: {
        tags,
        summary: 'Create an app; its credentials are in this answer only',
        body: Type.Object(
          {
            name: Type.String({ maxLength: 64 }),
            rateLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
            zegoAppId: Type.Optional(Type.Integer({ minimum: 1, maximum: 4294967295 })),
            zegoServerSecret: Type.Optional(Type.String({ minLength: 32, maxLength: 32 })),
            ivhAppKey: Type.Optional(Type.String({ maxLength: 64 })),
            ivhAccessToken: Type.Optional(Type.String({ maxLength: 128 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ app: Type.Ref('App'), credentials: Credentials }), ...problems(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const app = await services.apps.create(req.body as Parameters<typeof services.apps.create>[0]);
      reply.code(201).header('location', `/v1/apps/${app.name}`);
      return { app: view(app), credentials: credentials(app) };
    },
  );

  scope.get(
    '/v1/apps/:name',
    { schema: { tags, summary: 'Get an app (no secrets)', params: Name, response: { 200: Type.Ref('App'), ...problems(401, 403, 404) } } },
    async (req) => view(await named(req)),
  );

  scope.patch(
    '/v1/apps/:name',
    {
      schema: {
        tags,
        summary: 'Enable or disable an app, or set its requests per second',
        params: Name,
        body: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
            rateLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Ref('App'), ...problems(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { name } = req.params as { name: string };
      const body = req.body as { status?: App['status']; rateLimit?: number };
      if (body.rateLimit !== undefined) await services.apps.setRateLimit(name, body.rateLimit);
      if (body.status !== undefined) await services.apps.setStatus(name, body.status);
      return view(await services.apps.named(name));
    },
  );

  const Usage = Type.Object({
    app: Type.String(),
    since: Type.String({ description: 'when this instance started counting' }),
    requests: Type.Record(Type.String(), Type.Object({ ok: Type.Integer(), failed: Type.Integer() }), {
      description: `by dialect: ${DIALECTS.map((d) => d.name).join(', ')}`,
    }),
    rateLimited: Type.Integer({ description: 'requests refused over the per-second limit' }),
  });
  scope.get(
    '/v1/apps/:name/usage',
    {
      schema: {
        tags,
        summary:
          "An app's requests on this instance since it started, by dialect and outcome (the same counts as /metrics; with several instances, sum them in Prometheus)",
        params: Name,
        response: { 200: Usage, ...problems(401, 403, 404) },
      },
    },
    async (req) => {
      const app = await named(req);
      const requests: Record<string, { ok: number; failed: number }> = {};
      for (const { name: dialect } of DIALECTS) requests[dialect] = { ok: 0, failed: 0 };
      for (const v of (await services.metrics.appRequests.get()).values) {
        if (v.labels.app !== app.name) continue;
        const d = (requests[String(v.labels.dialect)] ??= { ok: 0, failed: 0 });
        d[v.labels.outcome === 'ok' ? 'ok' : 'failed'] += v.value;
      }
      const limited = (await services.metrics.rateLimited.get()).values.find((v) => v.labels.app === app.name)?.value ?? 0;
      return { app: app.name, since: new Date(services.metrics.since).toISOString(), requests, rateLimited: limited };
    },
  );

  const UsageHour = Type.Object({
    hour: Type.String({ description: "the hour's start (ISO 8601, UTC)" }),
    dialect: Type.String(),
    via: Type.Union([Type.Literal('served'), Type.Literal('own'), Type.Literal('operator')], {
      description: "served by timbrel, or relayed through the app's own upstream or the operator's",
    }),
    outcome: Type.Union([Type.Literal('ok'), Type.Literal('failed')]),
    requests: Type.Integer(),
    characters: Type.Integer({ description: 'characters of text sent to be spoken' }),
    bytes: Type.Integer({ description: "bytes of vendors' answers passed to the app (relayed calls)" }),
  });
  scope.get(
    '/v1/apps/:name/usage/hours',
    {
      schema: {
        tags,
        summary:
          "An app's use in hourly buckets, stored and summed across instances (kept 90 days): requests by dialect, how they went (served, relayed through its own upstream or the operator's) and outcome, speech characters and relayed bytes. Default: the last 24 hours",
        params: Name,
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time', description: 'inclusive; default 24 hours before `to`' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'exclusive; default now' })),
        }),
        response: {
          200: Type.Object({
            app: Type.String(),
            from: Type.String(),
            to: Type.String(),
            hours: Type.Array(UsageHour),
            totals: Type.Object({ requests: Type.Integer(), failed: Type.Integer(), characters: Type.Integer(), bytes: Type.Integer() }),
          }),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (req) => {
      const app = await named(req);
      const q = req.query as { from?: string; to?: string };
      const to = q.to ? Date.parse(q.to) : services.now();
      const from = q.from ? Date.parse(q.from) : to - 24 * 3_600_000;
      if (!(from < to)) throw new TimbrelError('invalid_parameter_value', 'from must be before to', 'from');
      if (to - from > USAGE_RETENTION_DAYS * 24 * 3_600_000)
        throw new TimbrelError('invalid_parameter_value', `at most ${USAGE_RETENTION_DAYS} days at once`, 'from');
      // This instance's latest counts first, so that what it just served is in the answer.
      await services.usage.flush();
      const rows = await services.repo.usage.hours(app.id, Math.floor(from / 3_600_000) * 3_600_000, to);
      const totals = { requests: 0, failed: 0, characters: 0, bytes: 0 };
      for (const r of rows) {
        totals.requests += r.requests;
        if (r.outcome === 'failed') totals.failed += r.requests;
        totals.characters += r.characters;
        totals.bytes += r.bytes;
      }
      return {
        app: app.name,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        hours: rows.map((r) => ({
          hour: new Date(r.hour).toISOString(),
          dialect: r.dialect,
          via: r.via as 'served',
          outcome: r.outcome as 'ok',
          requests: r.requests,
          characters: r.characters,
          bytes: r.bytes,
        })),
        totals,
      };
    },
  );

  scope.post(
    '/v1/apps/:name/rotate',
    {
      schema: {
        tags,
        summary: "Rotate a dialect's secret; the old one keeps verifying for graceSeconds (default 86400)",
        params: Name,
        body: Type.Object(
          {
            dialect: Type.Union([Type.Literal('zego'), Type.Literal('ivh')]),
            graceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_592_000, default: 86_400 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ app: Type.Ref('App'), credentials: Credentials }), ...problems(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const body = req.body as { dialect: 'zego' | 'ivh'; graceSeconds?: number };
      const app = await services.apps.rotate((req.params as { name: string }).name, body.dialect, body.graceSeconds ?? 86_400);
      return { app: view(app), credentials: credentials(app) };
    },
  );

  // The console's "try it" panel: a vendor request signed with the app's stored secret, sent to this very
  // service, with the exact wire request and answer. The secret stays on the server; only the operator may.
  scope.post(
    '/v1/apps/:name/try',
    {
      schema: {
        tags,
        summary: "Send a signed ZEGO or IVH request as the app (the app's secret never leaves the server); returns the wire request and answer",
        params: Name,
        body: Type.Object(
          {
            dialect: Type.Union([Type.Literal('zego'), Type.Literal('ivh')]),
            operation: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z]+$' }),
            body: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ request: Wire, response: WireAnswer }), ...problems(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const app = await named(req);
      const b = req.body as { dialect: 'zego' | 'ivh'; operation: string; body?: Record<string, unknown> };
      const base = services.config.publicUrl;
      const wire =
        b.dialect === 'zego'
          ? zegoRequest(base, app, b.operation, b.body ?? {}, services.now())
          : ivhRequest(base, app, b.operation, b.body ?? {}, services.now());
      const answer = await scope.dispatch({ method: 'POST', url: wire.url.slice(base.length), headers: wire.headers, payload: wire.body });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(answer.headers)) if (typeof v === 'string' && ['content-type', 'content-length'].includes(k)) headers[k] = v;
      return { request: wire, response: { status: answer.statusCode, headers, body: answer.body } };
    },
  );
};
