/**
 * The IVH envelope (docs/dialects/tencent-ivh.md-2): auth in the query string (appkey, timestamp, signature),
 * ±300 s window; body {Header, Payload}; answers {Header:{Code, Message, RequestID, SessionID, DialogID}, Payload}.
 */
import { randomUUID } from 'node:crypto';
import { TimbrelError } from '../../core/errors.js';
import type { App } from '../../core/types.js';
import type { Services } from '../../services.js';
import { isPlainObject } from '../body.js';
import { ivhCodeOf } from './codes.js';
import { wrapJson, type JsonBody } from '../render-cache.js';
import { ivhSignature, ivhSignatureMatches } from './signature.js';

export const IVH_WINDOW_SECONDS = 300;

type Query = Record<string, string | string[] | undefined>;

const unauthorized = (code: TimbrelError['code'], message: string, param?: string) => new TimbrelError(code, message, param);

export async function authenticate(services: Services, q: Query): Promise<App> {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) {
    if (Array.isArray(v)) throw unauthorized('auth_param_malformed', `query parameter ${k} is given more than once`, k);
    params[k] = v ?? '';
  }
  const { appkey, timestamp, signature } = params;
  if (!appkey) throw unauthorized('auth_param_missing', 'appkey is missing', 'appkey');
  if (!timestamp) throw unauthorized('auth_param_missing', 'timestamp is missing', 'timestamp');
  if (!/^\d{1,15}$/.test(timestamp)) throw unauthorized('auth_param_malformed', 'timestamp must be integer seconds', 'timestamp');
  if (!signature) throw unauthorized('signature_missing', 'signature is missing', 'signature');

  const app = await services.repo.apps.byIvhKey(appkey);
  if (!app) throw unauthorized('app_unknown', 'appkey not found', 'appkey');
  if (!services.config.verifySignatures) return app;

  const skew = Math.abs(Math.floor(services.now() / 1000) - Number(timestamp));
  if (skew > IVH_WINDOW_SECONDS) {
    throw unauthorized('signature_expired', `timestamp is more than ${IVH_WINDOW_SECONDS} s from server time`, 'timestamp');
  }
  const matches = (token: string) => ivhSignatureMatches(ivhSignature(params, token), signature);
  // After a rotation the previous accesstoken verifies until its grace period ends.
  const previousValid = app.ivhPreviousToken !== null && app.ivhPreviousUntil !== null && services.now() < app.ivhPreviousUntil;
  if (!matches(app.ivhAccessToken) && !(previousValid && matches(app.ivhPreviousToken!))) {
    throw unauthorized('signature_invalid', 'signature verification failed', 'signature');
  }
  return app;
}

/** The request's RequestID to echo, else a fresh 32-hex id. */
export function requestIdOf(body: unknown): string {
  if (isPlainObject(body) && isPlainObject(body.Header)) {
    const id = body.Header.RequestID;
    if (typeof id === 'string' && id !== '' && id.length <= 128) return id;
    if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  }
  return randomUUID().replace(/-/g, '');
}

/** Payload with its keys folded to lower case (docs/dialects/tencent-ivh.md decision: keys are case-insensitive). */
export function payloadOf(body: unknown): Map<string, unknown> {
  if (body === undefined) throw new TimbrelError('invalid_parameter', 'Header and Payload are required');
  if (!isPlainObject(body)) throw new TimbrelError('invalid_parameter', 'body must be a JSON object');
  if (!('Header' in body)) throw new TimbrelError('invalid_parameter', 'Header is required', 'Header');
  if (!isPlainObject(body.Header)) throw new TimbrelError('invalid_parameter', 'Header must be an object', 'Header');
  if (!('Payload' in body)) throw new TimbrelError('invalid_parameter', 'Payload is required', 'Payload');
  if (!isPlainObject(body.Payload)) throw new TimbrelError('invalid_parameter', 'Payload must be an object', 'Payload');
  const folded = new Map<string, unknown>();
  for (const [k, v] of Object.entries(body.Payload)) {
    const key = k.toLowerCase();
    if (folded.has(key)) throw new TimbrelError('invalid_parameter', `Payload key ${k} is given more than once`, k);
    folded.set(key, v);
  }
  return folded;
}

const header = (code: number, message: string, requestId: string) => ({
  Code: code,
  Message: message,
  RequestID: requestId,
  SessionID: '',
  DialogID: '',
});

export function ivhSuccess(requestId: string, payload: unknown): JsonBody {
  return wrapJson(`{"Header":${JSON.stringify(header(0, 'ok', requestId))},"Payload":`, payload, '}');
}

/** Failures carry no Payload (docs/dialects/tencent-ivh.md decision). */
export function ivhFailure(requestId: string, err: TimbrelError): { status: number; code: number; body: string } {
  const { code, name, status } = ivhCodeOf(err);
  return { status, code, body: JSON.stringify({ Header: header(code, `${name}: ${err.message}`, requestId) }) };
}
