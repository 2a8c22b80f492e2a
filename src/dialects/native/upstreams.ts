/**
 * /v1/apps/{name}/upstreams (operator only): an app's vendor accounts, their syncs (start, follow, cancel).
 * docs/gateway.md.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { TimbrelError } from '../../core/errors.js';
import type { Services } from '../../services.js';
import { problems } from './schemas.js';
import { dialectOf, setUpstream, UPSTREAM_DIALECTS, upstreamView } from '../../upstream/settings.js';
import { OPERATOR_UPSTREAM, type UpstreamDialect } from '../../core/types.js';
import { cancelSync, emptyReport, syncUpstream } from '../../upstream/sync/index.js';

const tags = ['apps'];
const Dialect = Type.Union(UPSTREAM_DIALECTS.map((d) => Type.Literal(d)));
const Name = Type.Object({ name: Type.String({ maxLength: 64 }) });

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
    dialect: Dialect,
    url: Type.String(),
    appId: Type.Optional(Type.Integer({ description: "ZEGO: the app's AppId at ZEGO" })),
    serverSecret: Type.Optional(Type.String({ description: 'masked: its last four characters' })),
    appkey: Type.Optional(Type.String({ description: "IVH: the app's appkey at Tencent" })),
    accesstoken: Type.Optional(Type.String({ description: 'masked: its last four characters' })),
    apiKey: Type.Optional(Type.String({ description: 'ElevenLabs, OpenAI-compatible, HeyGen: masked, its last four characters' })),
    rateLimit: Type.Integer({ description: 'requests a second a sync makes to the vendor' }),
    open: Type.Optional(Type.Boolean({ description: 'key dialects: calls naming voices or avatars the catalog holds nowhere are relayed too' })),
    lastSync: Type.Union([SyncOut, Type.Null()]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'Upstream' },
);

const UpstreamParams = Type.Object({ name: Type.String({ maxLength: 64 }), dialect: Dialect });
const OperatorParams = Type.Object({ dialect: Dialect });

const UpstreamIn = Type.Object(
  {
    url: Type.Optional(Type.String({ maxLength: 2048 })),
    appId: Type.Optional(Type.Integer({ minimum: 1, maximum: 4294967295 })),
    serverSecret: Type.Optional(Type.String({ minLength: 32, maxLength: 32 })),
    appkey: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    accesstoken: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    apiKey: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    rateLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    open: Type.Optional(Type.Boolean({ description: 'elevenlabs, openai, heygen: relay ids the catalog holds nowhere (default false)' })),
  },
  { additionalProperties: false },
);
const SET_SUMMARY =
  "zego takes appId and serverSecret, ivh appkey and accesstoken, elevenlabs, openai and heygen apiKey; url defaults to the vendor's own host and must be https unless its host:port is in TIMBREL_UPSTREAM_ALLOW_HTTP";

export const upstreamRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  scope.addHook('preHandler', async (req: FastifyRequest) => {
    if (req.principal?.kind !== 'operator') throw new TimbrelError('forbidden', 'apps are managed by the operator');
  });
  const named = (req: FastifyRequest) => services.apps.named((req.params as { name: string }).name);

  /** Starts a sync of an app's upstream (or the operator's, `name` undefined): 202 at once, or 200 with the report. */
  const startSync = async (req: FastifyRequest, reply: FastifyReply, name: string | undefined, owner: string, d: UpstreamDialect) => {
    const q = req.query as { wait?: boolean; scope?: 'all' | 'public' | 'private' };
    if (!(await services.repo.upstreams.of(owner, d)))
      throw new TimbrelError('not_found', `${name === undefined ? 'the operator' : 'this app'} has no upstream for that dialect`);
    let progress: ReturnType<typeof upstreamView>['lastSync'] = null;
    const run = syncUpstream(services, name, d, { scope: q.scope, onProgress: (r) => (progress = r) });
    // One line a sync, as the schedule writes (never a secret: the report holds counts and the vendor's words).
    run.then(
      (r) => req.log[r.outcome === 'completed' ? 'info' : 'warn']({ app: name ?? 'operator', ...r }, 'sync'),
      () => undefined,
    );
    if (q.wait) return run;
    // Started: the first answer says so; the rest is in lastSync. A failure to start (a sync running) is this answer's.
    const first = await Promise.race([run, new Promise<undefined>((r) => setTimeout(r, 50))]);
    run.catch((err) => req.log.warn({ err: { message: (err as Error).message } }, 'sync failed'));
    reply.code(first ? 200 : 202);
    return first ?? progress ?? emptyReport(d, services.now());
  };
  const SyncQuery = Type.Object({
    wait: Type.Optional(Type.Boolean({ default: false })),
    scope: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('public'), Type.Literal('private')], { default: 'all' })),
  });

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
        summary: `Set an app's upstream for a dialect: ${SET_SUMMARY}`,
        params: UpstreamParams,
        body: UpstreamIn,
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
        querystring: SyncQuery,
        body: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null()])),
        response: { 200: SyncOut, 202: SyncOut, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { name, dialect } = req.params as { name: string; dialect: string };
      return startSync(req, reply, name, (await named(req)).id, dialectOf(dialect));
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
    '/v1/upstreams',
    {
      schema: {
        tags,
        summary: "The operator's upstream vendor accounts (secrets masked): an app without its own upstream for a dialect relays through these",
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('Upstream')) }), ...problems(401, 403) },
      },
    },
    async () => ({ items: (await services.repo.upstreams.list(OPERATOR_UPSTREAM)).map(upstreamView) }),
  );

  scope.get(
    '/v1/upstreams/:dialect',
    {
      schema: {
        tags,
        summary: "The operator's upstream for a dialect (secret masked)",
        params: OperatorParams,
        response: { 200: Type.Ref('Upstream'), ...problems(401, 403, 404) },
      },
    },
    async (req) => {
      const u = await services.repo.upstreams.of(OPERATOR_UPSTREAM, dialectOf((req.params as { dialect: string }).dialect));
      if (!u) throw new TimbrelError('not_found', 'the operator has no upstream for that dialect');
      return upstreamView(u);
    },
  );

  scope.put(
    '/v1/upstreams/:dialect',
    {
      schema: {
        tags,
        summary: `Set the operator's upstream for a dialect, used by every app without its own: ${SET_SUMMARY}`,
        params: OperatorParams,
        body: UpstreamIn,
        response: { 200: Type.Ref('Upstream'), ...problems(400, 401, 403) },
      },
    },
    async (req) => upstreamView(await setUpstream(services, undefined, dialectOf((req.params as { dialect: string }).dialect), req.body as object)),
  );

  scope.delete(
    '/v1/upstreams/:dialect',
    {
      schema: {
        tags,
        summary: "Remove the operator's upstream for a dialect",
        params: OperatorParams,
        response: { 204: Type.Null(), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      if (!(await services.repo.upstreams.remove(OPERATOR_UPSTREAM, dialectOf((req.params as { dialect: string }).dialect)))) {
        throw new TimbrelError('not_found', 'the operator has no upstream for that dialect');
      }
      return reply.code(204).send();
    },
  );

  scope.post(
    '/v1/upstreams/:dialect/sync',
    {
      schema: {
        tags,
        summary:
          "Sync the public catalog from the operator's upstream (everything it lists is written public): 202 at once (follow it in the upstream's lastSync), or with wait=true 200 with the finished report",
        params: OperatorParams,
        querystring: SyncQuery,
        body: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null()])),
        response: { 200: SyncOut, 202: SyncOut, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => startSync(req, reply, undefined, OPERATOR_UPSTREAM, dialectOf((req.params as { dialect: string }).dialect)),
  );
};
