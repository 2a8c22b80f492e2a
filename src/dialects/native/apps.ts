/**
 * /v1/apps (operator only): create, list, get, enable/disable, rate limit, secret rotation with a grace
 * period, and the app's API keys. Credentials are shown when created or rotated, never listed.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { TimbrelError } from '../../core/errors.js';
import type { App } from '../../core/types.js';
import type { ApiKey } from '../../store/index.js';
import type { Services } from '../../services.js';
import { iso } from './common.js';
import { problems } from './schemas.js';
import { ivhCurl, ivhRequest, zegoCurl, zegoRequest } from '../../signing-examples.js';
import { dialectOf, setUpstream, upstreamView } from '../../upstream/settings.js';
import { DIALECTS } from '../registry.js';
import { cancelSync, emptyReport, syncUpstream } from '../../upstream/sync/index.js';

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

const SyncOut = Type.Object({
  dialect: Type.String(),
  startedAt: Type.Integer({ description: 'epoch ms' }),
  finishedAt: Type.Union([Type.Integer(), Type.Null()]),
  outcome: Type.Union([Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed'), Type.Literal('cancelled')]),
  error: Type.Optional(Type.String()),
  stopped: Type.Optional(
    Type.Union(
      ['repeated_page', 'row_cap', 'time_cap', 'answer_too_large', 'retry_budget', 'cancelled', 'lease_lost', 'vendor_error'].map((s) => Type.Literal(s)),
      {
        description: "why the sync stopped before the vendor's lists ended (nothing is retired then)",
      },
    ),
  ),
  pages: Type.Integer({ description: 'requests made to the vendor' }),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  retired: Type.Integer(),
  restored: Type.Integer(),
  conflicts: Type.Integer({ description: "rows of the same id (or key) that are not this source's: left alone" }),
  files: Type.Integer({ description: 'media copied into the file store' }),
  fileErrors: Type.Integer(),
  rowErrors: Type.Array(Type.String(), { description: 'the first rows refused or not copied, each with why' }),
});

export const UpstreamOut = Type.Object(
  {
    dialect: Type.Union([Type.Literal('zego'), Type.Literal('ivh')]),
    url: Type.String(),
    appId: Type.Optional(Type.Integer({ description: "ZEGO: the app's AppId at ZEGO" })),
    serverSecret: Type.Optional(Type.String({ description: 'masked: its last four characters' })),
    appkey: Type.Optional(Type.String({ description: "IVH: the app's appkey at Tencent" })),
    accesstoken: Type.Optional(Type.String({ description: 'masked: its last four characters' })),
    rateLimit: Type.Integer({ description: 'requests a second a sync makes to the vendor' }),
    lastSync: Type.Union([SyncOut, Type.Null()]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Upstream' },
);

const UpstreamParams = Type.Object({ name: Type.String({ maxLength: 64 }), dialect: Type.Union([Type.Literal('zego'), Type.Literal('ivh')]) });

const KeyOut = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.String(), revokedAt: Type.Union([Type.String(), Type.Null()]) });

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
  const keyView = (k: ApiKey) => ({ id: k.id, name: k.name, createdAt: iso(k.createdAt)!, revokedAt: iso(k.revokedAt) });
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

  scope.get(
    '/v1/apps/:name/upstreams',
    {
      schema: {
        tags,
        summary: "An app's upstream vendor accounts (secrets masked) and their last syncs",
        params: Name,
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('Upstream')) }), ...problems(401, 403, 404) },
      },
    },
    async (req) => ({ items: (await services.repo.upstreams.list((await named(req)).id)).map(upstreamView) }),
  );

  scope.get(
    '/v1/apps/:name/upstreams/:dialect',
    {
      schema: {
        tags,
        summary: "An app's upstream for a dialect (secret masked)",
        params: UpstreamParams,
        response: { 200: Type.Ref('Upstream'), ...problems(401, 403, 404) },
      },
    },
    async (req) => {
      const u = await services.repo.upstreams.of((await named(req)).id, dialectOf((req.params as { dialect: string }).dialect));
      if (!u) throw new TimbrelError('not_found', 'this app has no upstream for that dialect');
      return upstreamView(u);
    },
  );

  scope.put(
    '/v1/apps/:name/upstreams/:dialect',
    {
      schema: {
        tags,
        summary:
          "Set an app's upstream for a dialect: zego takes appId and serverSecret, ivh appkey and accesstoken; url defaults to the vendor's own host and must be https unless its host:port is in TIMBREL_UPSTREAM_ALLOW_HTTP",
        params: UpstreamParams,
        body: Type.Object(
          {
            url: Type.Optional(Type.String({ maxLength: 2048 })),
            appId: Type.Optional(Type.Integer({ minimum: 1, maximum: 4294967295 })),
            serverSecret: Type.Optional(Type.String({ minLength: 32, maxLength: 32 })),
            appkey: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            accesstoken: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
            rateLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('Upstream'), ...problems(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { name, dialect } = req.params as { name: string; dialect: string };
      return upstreamView(await setUpstream(services, name, dialectOf(dialect), req.body as object));
    },
  );

  scope.delete(
    '/v1/apps/:name/upstreams/:dialect',
    {
      schema: {
        tags,
        summary: "Remove an app's upstream for a dialect (rows its syncs wrote stay)",
        params: UpstreamParams,
        response: { 204: Type.Null(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      if (!(await services.repo.upstreams.remove((await named(req)).id, dialectOf((req.params as { dialect: string }).dialect)))) {
        throw new TimbrelError('not_found', 'this app has no upstream for that dialect');
      }
      return reply.code(204).send();
    },
  );

  scope.post(
    '/v1/apps/:name/upstreams/:dialect/sync',
    {
      schema: {
        tags,
        summary:
          "Sync the app's catalog from this upstream: 202 at once (follow it in the upstream's lastSync), or with wait=true 200 with the finished report",
        params: UpstreamParams,
        querystring: Type.Object({
          wait: Type.Optional(Type.Boolean({ default: false })),
          scope: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('public'), Type.Literal('private')], { default: 'all' })),
        }),
        body: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null()])),
        response: { 200: SyncOut, 202: SyncOut, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { name, dialect } = req.params as { name: string; dialect: string };
      const q = req.query as { wait?: boolean; scope?: 'all' | 'public' | 'private' };
      const d = dialectOf(dialect);
      const app = await named(req);
      if (!(await services.repo.upstreams.of(app.id, d))) throw new TimbrelError('not_found', 'this app has no upstream for that dialect');
      let progress: ReturnType<typeof upstreamView>['lastSync'] = null;
      const run = syncUpstream(services, name, d, { scope: q.scope, onProgress: (r) => (progress = r) });
      // One line a sync, as the schedule writes (never a secret: the report holds counts and the vendor's words).
      run.then(
        (r) => req.log[r.outcome === 'completed' ? 'info' : 'warn']({ app: name, ...r }, 'sync'),
        () => undefined,
      );
      if (q.wait) return run;
      // Started: the first answer says so; the rest is in lastSync. A failure to start (a sync running) is this answer's.
      const first = await Promise.race([run, new Promise<undefined>((r) => setTimeout(r, 50))]);
      run.catch((err) => req.log.warn({ err: { message: (err as Error).message } }, 'sync failed'));
      reply.code(first ? 200 : 202);
      return first ?? progress ?? emptyReport(d, services.now());
    },
  );

  scope.delete(
    '/v1/apps/:name/upstreams/:dialect/sync',
    {
      schema: {
        tags,
        summary:
          "Cancel the upstream's running sync, on whichever instance runs it: 202 (its report then says cancelled; nothing is retired), 404 when none runs",
        params: UpstreamParams,
        response: { 202: Type.Object({ cancelling: Type.Boolean() }), ...problems(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const d = dialectOf((req.params as { dialect: string }).dialect);
      const app = await named(req);
      if (!(await cancelSync(services, app, d))) throw new TimbrelError('not_found', 'no sync of this upstream is running');
      reply.code(202);
      return { cancelling: true };
    },
  );

  scope.get(
    '/v1/apps/:name/keys',
    {
      schema: {
        tags,
        summary: "An app's API keys (never the keys themselves)",
        params: Name,
        response: { 200: Type.Object({ items: Type.Array(KeyOut) }), ...problems(401, 403, 404) },
      },
    },
    async (req) => ({
      items: (await services.repo.apiKeys.list((await named(req)).id)).map(keyView),
    }),
  );

  scope.post(
    '/v1/apps/:name/keys',
    {
      schema: {
        tags,
        summary: 'Create an API key; the key is in this answer only',
        params: Name,
        body: Type.Union([Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }, { additionalProperties: false }), Type.Null()]),
        response: {
          201: Type.Object({ id: Type.String(), name: Type.String(), key: Type.String(), createdAt: Type.String() }),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const { key, text } = await services.access.createKey(await named(req), (req.body as { name?: string } | null)?.name ?? 'default');
      reply.code(201);
      return { id: key.id, name: key.name, key: text, createdAt: iso(key.createdAt)! };
    },
  );

  scope.delete(
    '/v1/apps/:name/keys/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an API key at once',
        params: Type.Object({ name: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 64 }) }),
        response: { 204: Type.Null(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const app = await named(req);
      const { id } = req.params as { id: string };
      const key = (await services.repo.apiKeys.list(app.id)).find((k) => k.id === id && k.revokedAt === null);
      if (!key || !(await services.repo.apiKeys.revoke(key.id, services.now()))) throw new TimbrelError('not_found', 'no such live key for this app');
      return reply.code(204).send();
    },
  );
};
