/**
 * Tencent IVH asset queries under `/v2/ivh/crmserver/customerassetservice/` (docs/dialects/tencent-ivh.md),
 * served by the vendor edge (../vendor.ts). Every other `/v2/ivh/` path answers UnsupportedOperation:
 * never a fake success.
 */
import { TimbrelError } from '../../core/errors.js';
import type { RequestTag } from '../../request-log.js';
import { admit } from '../admit.js';
import { parseJsonBody } from '../body.js';
import { clientError, type VendorDialect } from '../vendor.js';
import { authenticate, ivhFailure, ivhSuccess, payloadOf, requestIdOf } from './envelope.js';
import { IVH_ASSET_OPERATIONS, IVH_GETTIMBRE, type IvhOperation } from './operations.js';
import { IVH_ANCHOR_OPERATIONS, IVH_BROADCAST_OPERATIONS } from './anchors.js';
import { passThrough, upstreamOf } from '../../upstream/pass-through.js';

export const IVH_ROOT = '/v2/ivh/';
/** IVH's WebSocket command channel (`wss://…/v2/ws/ivh/…`): neither served nor relayed (docs/gateway.md decision). */
export const IVH_WS_ROOT = '/v2/ws/ivh/';
export const IVH_BASE = '/v2/ivh/crmserver/customerassetservice/';
/** Tencent's deprecated asset paths (docs/dialects/tencent-ivh.md), still called by older clients. */
export const IVH_BROADCAST_BASE = '/v2/ivh/videomaker/broadcastservice/';

/** Every served path, by its full path; the value names the operation in logs and metrics. */
const OPERATIONS = new Map<string, { op: string; run: IvhOperation }>([
  ...Object.entries({ ...IVH_ASSET_OPERATIONS, ...IVH_ANCHOR_OPERATIONS }).map(([name, run]) => [`${IVH_BASE}${name}`, { op: name, run }] as const),
  ...Object.entries({ ...IVH_BROADCAST_OPERATIONS, gettimbre: IVH_GETTIMBRE }).map(
    ([name, run]) => [`${IVH_BROADCAST_BASE}${name}`, { op: `broadcastservice/${name}`, run }] as const,
  ),
]);

export const ivhDialect: VendorDialect = async (services, req) => {
  const tag: RequestTag = { dialect: 'ivh' };
  let requestId = requestIdOf(undefined);
  try {
    if (req.bodyError) throw req.bodyError;
    // A relayed call's body is the vendor's to read; a served one must be JSON.
    let body: unknown;
    let unreadable: unknown;
    try {
      body = parseJsonBody(req.body);
    } catch (err) {
      unreadable = err;
    }
    requestId = requestIdOf(body);
    const { path } = req;
    const served = OPERATIONS.get(path);
    const run = served?.run;
    tag.op = served ? served.op : 'unsupported';
    if (!run && path.startsWith(IVH_WS_ROOT)) throw new TimbrelError('action_unsupported', 'WebSocket channels (/v2/ws/ivh/…) are not served or relayed');
    if (!run) {
      // An app with an upstream account has the call relayed there (any method); without one it stays unsupported.
      const named = typeof req.query.appkey === 'string' ? await services.repo.apps.byIvhKey(req.query.appkey) : undefined;
      const upstream = await upstreamOf(services, named, 'ivh');
      if (!upstream) throw new TimbrelError('action_unsupported', `${path.slice(0, 200)} is not served`);
      const app = await authenticate(services, req.query);
      await admit(services, app);
      return await passThrough(services, req, app, upstream, tag);
    }
    if (req.method !== 'POST') throw new TimbrelError('method_not_allowed', `method ${req.method} is not supported: use POST`);
    if (unreadable) throw unreadable;
    const app = await authenticate(services, req.query);
    tag.app = app.name;
    tag.appId = app.id;
    await admit(services, app);
    const payload = payloadOf(body);
    const result = await run(services, app, payload);
    tag.code = 0;
    return { status: 200, body: ivhSuccess(requestId, result), tag };
  } catch (err) {
    const { status, code, body } = ivhFailure(requestId, clientError(req.log, err));
    tag.code = code;
    return { status, body, tag, allow: status === 405 ? 'POST' : undefined };
  }
};
