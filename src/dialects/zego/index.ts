/**
 * ZEGO digital-human server API at `POST /?Action=<Name>&<common parameters>` (shared/spec/zego.md).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { TimbrelError } from '../../core/errors.js';
import type { Services } from '../../services.js';
import { admit, quote } from '../admit.js';
import { isPlainObject, parseJsonBody } from '../body.js';
import { clientError, rawBodies, sendJson, tag } from '../context.js';
import { ZEGO_ACTIONS } from './actions.js';
import { actionOf, authenticate, newRequestId, zegoFailure, zegoSuccess } from './envelope.js';

type Query = Record<string, string | string[] | undefined>;

export const zegoDialect: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  rawBodies(scope, services.config.maxBodyBytes);

  const fail = (req: FastifyRequest, reply: FastifyReply, requestId: string, err: unknown) => {
    const { status, code, body } = zegoFailure(requestId, clientError(req, err));
    if (req.timbrel) req.timbrel.code = code;
    if (status === 405) reply.header('allow', 'POST');
    return sendJson(reply, status, body);
  };

  // Failures before the handler runs (a body over the limit, an unreadable stream) still get ZEGO's envelope.
  scope.setErrorHandler((err, req, reply) => {
    tag(req, 'zego');
    return fail(req, reply, newRequestId(), err);
  });

  scope.post('/', async (req, reply) => {
    const requestId = newRequestId();
    const ctx = tag(req, 'zego');
    try {
      const body = parseJsonBody(req.body);
      const q = req.query as Query;
      const action = actionOf(q);
      const run = Object.hasOwn(ZEGO_ACTIONS, action) ? ZEGO_ACTIONS[action] : undefined;
      // Only served actions name an operation (logs and metrics labels stay a fixed set).
      ctx.op = run ? action : 'unsupported';
      if (!run) throw new TimbrelError('action_unsupported', `unsupported Action: ${quote(action)}`, 'Action');
      const app = await authenticate(services, q);
      ctx.app = app.name;
      await admit(services, app);
      if (body !== undefined && !isPlainObject(body)) {
        throw new TimbrelError('invalid_parameter', 'invalid parameter: body must be a JSON object');
      }
      const data = await run(services, app, body ?? {});
      ctx.code = 0;
      return sendJson(reply, 200, zegoSuccess(requestId, data));
    } catch (err) {
      return fail(req, reply, requestId, err);
    }
  });

  // ZEGO's actions are POST + JSON (zego.md decision); another method with an Action is refused.
  scope.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: '/',
    handler: async (req, reply) => {
      const q = req.query as Query;
      if (req.method === 'GET' && Object.keys(q).length === 0) {
        return sendJson(reply, 200, JSON.stringify({ service: 'timbrel', dialects: ['zego', 'tencent-ivh'], zego: 'POST /?Action=GetTimbreList', ivh: 'POST /v2/ivh/crmserver/customerassetservice/describetimbre' }));
      }
      tag(req, 'zego');
      return fail(req, reply, newRequestId(), new TimbrelError('method_not_allowed', `method ${req.method} is not supported: use POST`));
    },
  });
};
