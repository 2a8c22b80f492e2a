/**
 * ZEGO digital-human server API at `POST /?Action=<Name>&<common parameters>` (docs/dialects/zego.md),
 * served by the vendor edge (../vendor.ts).
 */
import { serviceDescription } from '../registry.js';
import { TimbrelError } from '../../core/errors.js';
import type { RequestTag } from '../../request-log.js';
import { admit, quote } from '../admit.js';
import { isPlainObject, parseJsonBody } from '../body.js';
import { clientError, type VendorAnswer, type VendorDialect } from '../vendor.js';
import { ZEGO_ACTIONS } from './actions.js';
import { LEGACY_ACTIONS } from './legacy.js';
import { actionOf, appNamed, authenticate, newRequestId, zegoFailure, zegoSuccess } from './envelope.js';
import { passThrough, upstreamOf } from '../../upstream/pass-through.js';

export const zegoDialect: VendorDialect = async (services, req) => {
  const requestId = newRequestId();
  const tag: RequestTag = { dialect: 'zego' };
  const fail = (err: unknown): VendorAnswer => {
    const { status, code, body } = zegoFailure(requestId, clientError(req.log, err));
    tag.code = code;
    return { status, body, tag, allow: status === 405 ? 'POST' : undefined };
  };
  if (req.method !== 'POST') {
    // `GET /` with nothing else says what this service is; any other call is a ZEGO call with the wrong method.
    if ((req.method === 'GET' || req.method === 'HEAD') && Object.keys(req.query).length === 0) {
      return { status: 200, body: serviceDescription(), tag: { dialect: 'http', op: 'GET /' } };
    }
    // ZEGO's actions are POST + JSON (docs/dialects/zego.md decision).
    tag.op = 'unsupported';
    return fail(new TimbrelError('method_not_allowed', `method ${req.method} is not supported: use POST`));
  }
  try {
    if (req.bodyError) throw req.bodyError;
    const q = req.query;
    const action = actionOf(q);
    const run = Object.hasOwn(ZEGO_ACTIONS, action) ? ZEGO_ACTIONS[action] : undefined;
    // Only served actions name an operation (logs and metrics labels stay a fixed set).
    tag.op = run ? action : 'unsupported';
    if (!run) {
      // An app with an upstream account has the call relayed there; without one it stays unsupported.
      const upstream = await upstreamOf(services, await appNamed(services, q), 'zego');
      if (!upstream) throw new TimbrelError('action_unsupported', `unsupported Action: ${quote(action)}`, 'Action');
      const app = await authenticate(services, q);
      await admit(services, app);
      return await passThrough(services, req, app, upstream, tag);
    }
    const app = await authenticate(services, q);
    tag.app = app.name;
    tag.appId = app.id;
    await admit(services, app);
    // A relayed call's body is the vendor's to read; a served one must be JSON.
    const body = parseJsonBody(req.body);
    if (body !== undefined && !isPlainObject(body)) {
      throw new TimbrelError('invalid_parameter', 'invalid parameter: body must be a JSON object');
    }
    const data = await run(services, app, body ?? {});
    // A look without a render package here: the vendor may hold one (docs/gateway.md).
    if (action === 'GetDigitalHumanRenderInfo' && (data as { ClientInferencePackageUrl?: string }).ClientInferencePackageUrl === '') {
      const upstream = await upstreamOf(services, app, 'zego');
      if (upstream) return await passThrough(services, req, app, upstream, tag);
    }
    tag.code = 0;
    return { status: 200, body: zegoSuccess(requestId, data, LEGACY_ACTIONS.has(action) ? 'succeed' : 'success'), tag };
  } catch (err) {
    return fail(err);
  }
};
