/**
 * Tencent IVH asset queries under `/v2/ivh/crmserver/customerassetservice/` (shared/spec/tencent-ivh.md).
 * Every other `/v2/ivh/` path answers UnsupportedOperation: never a fake success.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { TimbrelError } from '../../core/errors.js';
import type { Services } from '../../services.js';
import { admit } from '../admit.js';
import { parseJsonBody } from '../body.js';
import { clientError, rawBodies, sendJson, tag } from '../context.js';
import { authenticate, ivhFailure, ivhSuccess, payloadOf, requestIdOf } from './envelope.js';
import { IVH_OPERATIONS } from './operations.js';

export const IVH_BASE = '/v2/ivh/crmserver/customerassetservice/';

type Query = Record<string, string | string[] | undefined>;

export const ivhDialect: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  rawBodies(scope, services.config.maxBodyBytes);

  const fail = (req: FastifyRequest, reply: FastifyReply, requestId: string, err: unknown) => {
    const { status, code, body } = ivhFailure(requestId, clientError(req, err));
    if (req.timbrel) req.timbrel.code = code;
    if (status === 405) reply.header('allow', 'POST');
    return sendJson(reply, status, body);
  };

  scope.setErrorHandler((err, req, reply) => {
    tag(req, 'ivh');
    return fail(req, reply, requestIdOf(undefined), err);
  });

  scope.all('/v2/ivh/*', async (req, reply) => {
    const ctx = tag(req, 'ivh');
    let requestId = requestIdOf(undefined);
    try {
      const body = parseJsonBody(req.body);
      requestId = requestIdOf(body);
      const path = req.url.split('?')[0];
      const name = path.startsWith(IVH_BASE) ? path.slice(IVH_BASE.length) : '';
      const run = Object.hasOwn(IVH_OPERATIONS, name) ? IVH_OPERATIONS[name] : undefined;
      ctx.op = run ? name : 'unsupported';
      if (!run) throw new TimbrelError('action_unsupported', `${path.slice(0, 200)} is not served`);
      if (req.method !== 'POST') throw new TimbrelError('method_not_allowed', `method ${req.method} is not supported: use POST`);
      const app = await authenticate(services, req.query as Query);
      ctx.app = app.name;
      await admit(services, app);
      const payload = payloadOf(body);
      const result = await run(services, app, payload);
      ctx.code = 0;
      return sendJson(reply, 200, ivhSuccess(requestId, result));
    } catch (err) {
      return fail(req, reply, requestId, err);
    }
  });
};
