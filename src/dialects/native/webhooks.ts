/**
 * /v1/webhooks (docs/events.md, "Webhooks"): endpoints that receive the event log as signed POSTs. An app
 * key manages its own app's endpoints (they get what the app may see); the operator manages any app's and
 * its own (which get every event). The signing secret is shown on creation and on rotation only.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { TimbrelError } from '../../core/errors.js';
import { OPERATOR_UPSTREAM } from '../../core/types.js';
import { OutboundRefused } from '../../outbound/index.js';
import type { Delivery, Webhook } from '../../store/index.js';
import type { Services } from '../../services.js';
import { addWebhook, pingWebhook, redeliver, rotateWebhookSecret } from '../../webhooks/index.js';
import { iso } from './common.js';
import { typesOf } from './events.js';
import { problems } from './schemas.js';

const tags = ['webhooks'];

const WebhookOut = Type.Object({
  id: Type.String(),
  app: Type.Union([Type.String(), Type.Null()], { description: 'the app whose endpoint it is; null for the operator’s (every event)' }),
  url: Type.String(),
  description: Type.String(),
  types: Type.Array(Type.String(), { description: 'the event types it gets (`timbre.*`); empty: every type' }),
  status: Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]),
  disabledReason: Type.Union([Type.String(), Type.Null()]),
  failingSince: Type.Union([Type.String(), Type.Null()], { description: 'when its deliveries started failing with no success since' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const DeliveryOut = Type.Object({
  id: Type.String(),
  eventId: Type.String({ description: 'the webhook-id every attempt of it sends' }),
  eventSeq: Type.Integer(),
  eventType: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
  lastStatus: Type.Union([Type.Integer(), Type.Null()], { description: 'the HTTP status of the last attempt' }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastDurationMs: Type.Union([Type.Integer(), Type.Null()]),
  lastResponse: Type.Union([Type.String(), Type.Null()], { description: 'the first 1 KB of the last answer' }),
  redeliveryOf: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
const DeliveryParams = Type.Object({ id: Type.String({ maxLength: 64 }), deliveryId: Type.String({ maxLength: 64 }) });
const Types = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32 });

const deliveryView = (d: Delivery) => ({
  id: d.id,
  eventId: d.eventId,
  eventSeq: d.eventSeq,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  nextAttemptAt: iso(d.nextAt),
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  lastDurationMs: d.lastDurationMs,
  lastResponse: d.lastResponse,
  redeliveryOf: d.redeliveryOf && d.redeliveryOf !== d.id ? d.redeliveryOf : null,
  createdAt: iso(d.createdAt)!,
  updatedAt: iso(d.updatedAt)!,
});

export const webhookRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  const appName = async (appId: string) => (appId === OPERATOR_UPSTREAM ? null : ((await services.repo.apps.byId(appId))?.name ?? null));
  const view = async (w: Webhook) => ({
    id: w.id,
    app: await appName(w.appId),
    url: w.url,
    description: w.description,
    types: w.types,
    status: w.status,
    disabledReason: w.disabledReason,
    failingSince: iso(w.failingSince),
    createdAt: iso(w.createdAt)!,
    updatedAt: iso(w.updatedAt)!,
  });
  /** The endpoint the caller may manage, or 404 (another app's looks like a missing one). */
  const mine = async (req: FastifyRequest): Promise<Webhook> => {
    const w = await services.repo.webhooks.byId((req.params as { id: string }).id);
    const p = req.principal!;
    if (!w || (p.kind === 'app' && w.appId !== p.app.id)) throw new TimbrelError('not_found', 'no such webhook endpoint');
    return w;
  };
  const guarded = async <T>(fn: () => T | Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof OutboundRefused) throw new TimbrelError('invalid_parameter_value', `url: ${err.message}`, 'url');
      throw err;
    }
  };
  const checkedUrl = (url: string) => guarded(() => services.outbound.checkUrl(url).href);
  const checkedTypes = (types: string[] | undefined) => (types?.length ? (typesOf(types.join(',')) ?? []) : []);

  scope.post(
    '/v1/webhooks',
    {
      schema: {
        tags,
        summary:
          'Add a webhook endpoint: the events from now on are POSTed to it, signed (Standard Webhooks). The secret is in this answer only. An app key adds its own app’s; the operator names an app, or none for an endpoint of every event',
        body: Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: 2048, description: 'https (http only for hosts in TIMBREL_OUTBOUND_ALLOW_HTTP)' }),
            description: Type.Optional(Type.String({ maxLength: 256 })),
            types: Type.Optional(Types),
            app: Type.Optional(Type.String({ maxLength: 64, description: 'operator only: the app whose endpoint it is' })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Intersect([WebhookOut, Type.Object({ secret: Type.String({ description: '`whsec_…`: shown once' }) })]),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { url: string; description?: string; types?: string[]; app?: string };
      const p = req.principal!;
      if (p.kind === 'app' && body.app !== undefined && body.app !== p.app.name) throw new TimbrelError('forbidden', 'an app adds endpoints for itself only');
      const appId = p.kind === 'app' ? p.app.id : body.app === undefined ? OPERATOR_UPSTREAM : (await services.apps.named(body.app)).id;
      const w = await guarded(() => addWebhook(services, appId, { url: body.url, description: body.description, types: checkedTypes(body.types) }));
      reply.code(201);
      return { ...(await view(w)), secret: w.secret };
    },
  );

  scope.get(
    '/v1/webhooks',
    {
      schema: {
        tags,
        summary: 'Webhook endpoints: an app’s own, or (the operator) every one',
        response: { 200: Type.Object({ items: Type.Array(WebhookOut) }), ...problems(401) },
      },
    },
    async (req) => {
      const p = req.principal!;
      const list = await services.repo.webhooks.list(p.kind === 'app' ? p.app.id : undefined);
      return { items: await Promise.all(list.map(view)) };
    },
  );

  scope.get(
    '/v1/webhooks/:id',
    { schema: { tags, summary: 'A webhook endpoint (never its secret)', params: Id, response: { 200: WebhookOut, ...problems(401, 404) } } },
    async (req) => view(await mine(req)),
  );

  scope.patch(
    '/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Change an endpoint’s URL, description or types, or enable it again (clearing its failing streak) or disable it',
        params: Id,
        body: Type.Object(
          {
            url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
            description: Type.Optional(Type.String({ maxLength: 256 })),
            types: Type.Optional(Types),
            status: Type.Optional(Type.Union([Type.Literal('enabled'), Type.Literal('disabled')])),
          },
          { additionalProperties: false },
        ),
        response: { 200: WebhookOut, ...problems(400, 401, 404) },
      },
    },
    async (req) => {
      const w = await mine(req);
      const body = req.body as { url?: string; description?: string; types?: string[]; status?: 'enabled' | 'disabled' };
      const url = body.url === undefined ? undefined : await checkedUrl(body.url);
      const types = body.types === undefined ? undefined : checkedTypes(body.types);
      const now = services.now();
      const next = await services.repo.webhooks.change(w.id, (cur) => ({
        ...cur,
        url: url ?? cur.url,
        description: body.description ?? cur.description,
        types: types ?? cur.types,
        status: body.status ?? cur.status,
        ...(body.status === 'enabled' && cur.status === 'disabled' ? { failingSince: null, disabledReason: null } : {}),
        ...(body.status === 'disabled' && cur.status === 'enabled' ? { disabledReason: 'disabled by request' } : {}),
        updatedAt: now,
      }));
      if (!next) throw new TimbrelError('not_found', 'no such webhook endpoint');
      return view(next);
    },
  );

  scope.delete(
    '/v1/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Remove an endpoint and its deliveries',
        params: Id,
        response: { 204: { type: 'null', description: 'removed' }, ...problems(401, 404) },
      },
    },
    async (req, reply) => {
      await services.repo.webhooks.remove((await mine(req)).id);
      reply.code(204);
      return null;
    },
  );

  scope.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      schema: {
        tags,
        summary: 'A new signing secret (shown once); the old one still signs deliveries for 24 hours, beside the new',
        params: Id,
        response: { 200: Type.Object({ secret: Type.String(), previousSecretValidUntil: Type.String() }), ...problems(401, 404) },
      },
    },
    async (req) => {
      const done = await rotateWebhookSecret(services, (await mine(req)).id);
      if (!done) throw new TimbrelError('not_found', 'no such webhook endpoint');
      return { secret: done.secret, previousSecretValidUntil: iso(done.previousUntil)! };
    },
  );

  scope.get(
    '/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'An endpoint’s deliveries, newest first (kept 7 days): each attempt’s status, duration and the answer’s first 1 KB',
        params: Id,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
          cursor: Type.Optional(Type.String({ maxLength: 128, description: 'the `next` of the previous page' })),
        }),
        response: { 200: Type.Object({ items: Type.Array(DeliveryOut), next: Type.Union([Type.String(), Type.Null()]) }), ...problems(400, 401, 404) },
      },
    },
    async (req) => {
      const w = await mine(req);
      const q = req.query as { limit?: number; cursor?: string };
      const limit = q.limit ?? 20;
      let before: { createdAt: number; id: string } | undefined;
      if (q.cursor) {
        const m = /^(\d{1,15})\.(dlv_[0-9a-f]{32})$/.exec(q.cursor);
        if (!m) throw new TimbrelError('cursor_invalid', 'cursor is not one timbrel made', 'cursor');
        before = { createdAt: Number(m[1]), id: m[2] };
      }
      const items = await services.repo.webhooks.deliveries(w.id, limit, before);
      const last = items.at(-1);
      return { items: items.map(deliveryView), next: items.length === limit && last ? `${last.createdAt}.${last.id}` : null };
    },
  );

  scope.post(
    '/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      schema: {
        tags,
        summary: 'Send a delivery again (a new delivery of the same event, with the same webhook-id), now',
        params: DeliveryParams,
        response: { 202: DeliveryOut, ...problems(401, 404) },
      },
    },
    async (req, reply) => {
      const w = await mine(req);
      const d = await services.repo.webhooks.delivery(w.id, (req.params as { deliveryId: string }).deliveryId);
      if (!d) throw new TimbrelError('not_found', 'no such delivery');
      const id = await redeliver(services, d);
      reply.code(202);
      return deliveryView((await services.repo.webhooks.delivery(w.id, id))!);
    },
  );

  scope.post(
    '/v1/webhooks/:id/test',
    {
      schema: {
        tags,
        summary: 'Send a `ping` event to the endpoint (not in the log: seq 0), signed like every delivery',
        params: Id,
        response: { 202: DeliveryOut, ...problems(401, 404) },
      },
    },
    async (req, reply) => {
      const w = await mine(req);
      const id = await pingWebhook(services, w, (await appName(w.appId)) ?? 'public');
      reply.code(202);
      return deliveryView((await services.repo.webhooks.delivery(w.id, id))!);
    },
  );
};
