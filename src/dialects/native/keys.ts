/** /v1/apps/{name}/keys (operator only): an app's API keys — created (shown once), listed, revoked. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { TimbrelError } from '../../core/errors.js';
import type { ApiKey } from '../../store/index.js';
import type { Services } from '../../services.js';
import { iso } from './common.js';
import { problems } from './schemas.js';

const tags = ['apps'];
const Name = Type.Object({ name: Type.String({ maxLength: 64 }) });
const KeyOut = Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.String(), revokedAt: Type.Union([Type.String(), Type.Null()]) });

export const keyRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  scope.addHook('preHandler', async (req: FastifyRequest) => {
    if (req.principal?.kind !== 'operator') throw new TimbrelError('forbidden', 'apps are managed by the operator');
  });
  const named = (req: FastifyRequest) => services.apps.named((req.params as { name: string }).name);
  const keyView = (k: ApiKey) => ({ id: k.id, name: k.name, createdAt: iso(k.createdAt)!, revokedAt: iso(k.revokedAt) });

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
