/**
 * The ZEGO request envelope (docs/dialects/zego.md-3): common parameters in the query string, md5 signature,
 * ±600 s window, checks in the documented order, answers as {Code, Message, RequestId, Data}.
 */
import { randomUUID } from 'node:crypto';
import { TimbrelError } from '../../core/errors.js';
import type { App } from '../../core/types.js';
import type { Services } from '../../services.js';
import { quote } from '../admit.js';
import { zegoSignature, zegoSignatureMatches } from './signature.js';
import { zegoCodeOf } from './codes.js';
import { wrapJson, type JsonBody } from '../render-cache.js';

export const ZEGO_WINDOW_SECONDS = 600;

type Query = Record<string, string | string[] | undefined>;

function param(q: Query, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) throw new TimbrelError('auth_param_malformed', `${name} is given more than once`, name);
  return v === undefined || v === '' ? undefined : v;
}

export function actionOf(q: Query): string {
  const v = q.Action;
  if (Array.isArray(v)) throw new TimbrelError('action_unsupported', 'Action is given more than once', 'Action');
  if (!v) throw new TimbrelError('action_missing', 'Action is empty', 'Action');
  return v;
}

/** The app a well-formed AppId names, without checking the signature (the relay asks first whether it has an upstream). */
export async function appNamed(services: Services, q: Query): Promise<App | undefined> {
  const v = q.AppId;
  if (typeof v !== 'string' || !/^\d{1,10}$/.test(v) || Number(v) > 0xffffffff) return undefined;
  return services.repo.apps.byZegoId(Number(v));
}

/** Common parameters → the authenticated app. Order: well-formed → AppId known → window → signature. */
export async function authenticate(services: Services, q: Query): Promise<App> {
  const appIdRaw = param(q, 'AppId');
  if (appIdRaw === undefined) throw new TimbrelError('auth_param_missing', 'AppId is empty', 'AppId');
  if (!/^\d{1,10}$/.test(appIdRaw) || Number(appIdRaw) > 0xffffffff) {
    throw new TimbrelError('auth_param_malformed', 'AppId is malformed: must be a decimal uint32', 'AppId');
  }
  const nonce = param(q, 'SignatureNonce');
  if (nonce === undefined) throw new TimbrelError('auth_param_missing', 'SignatureNonce is empty', 'SignatureNonce');
  if (nonce.length > 64) {
    throw new TimbrelError('auth_param_malformed', 'invalid parameter: SignatureNonce must be at most 64 characters', 'SignatureNonce');
  }
  const ts = param(q, 'Timestamp');
  if (ts === undefined) throw new TimbrelError('auth_param_missing', 'Timestamp is empty', 'Timestamp');
  if (!/^-?\d{1,15}$/.test(ts)) {
    throw new TimbrelError('auth_param_malformed', 'Timestamp is malformed: must be integer seconds', 'Timestamp');
  }
  const signature = param(q, 'Signature');
  if (signature === undefined) throw new TimbrelError('signature_missing', 'Signature is empty', 'Signature');
  const version = param(q, 'SignatureVersion');
  if (version === undefined) throw new TimbrelError('signature_version_missing', 'SignatureVersion is empty', 'SignatureVersion');
  if (version !== '2.0') {
    throw new TimbrelError('signature_version_unsupported', `SignatureVersion ${quote(version, 16)} is not supported: must be 2.0`, 'SignatureVersion');
  }

  const app = await services.repo.apps.byZegoId(Number(appIdRaw));
  if (!app) throw new TimbrelError('app_unknown', 'AppId not found', 'AppId');
  if (!services.config.verifySignatures) return app;

  const skew = Math.abs(Math.floor(services.now() / 1000) - Number(ts));
  if (skew > ZEGO_WINDOW_SECONDS) {
    throw new TimbrelError('signature_expired', `signature expired: Timestamp is more than ${ZEGO_WINDOW_SECONDS} s from server time`, 'Timestamp');
  }
  // Sign with the digits as received (a client that sends "0123" signed "0123").
  const matches = (secret: string) => zegoSignatureMatches(zegoSignature(appIdRaw, nonce, secret, ts), signature);
  // After a rotation the previous secret verifies until its grace period ends.
  const previousValid = app.zegoPreviousSecret !== null && app.zegoPreviousUntil !== null && services.now() < app.zegoPreviousUntil;
  if (!matches(app.zegoServerSecret) && !(previousValid && matches(app.zegoPreviousSecret!))) {
    throw new TimbrelError('signature_invalid', 'signature error', 'Signature');
  }
  return app;
}

export const newRequestId = (): string => randomUUID();

/** `message`: "success"; the legacy PaaS actions answer "succeed" (docs/dialects/zego.md). */
export function zegoSuccess(requestId: string, data: unknown, message = 'success'): JsonBody {
  return wrapJson(`{"Code":0,"Message":${JSON.stringify(message)},"RequestId":${JSON.stringify(requestId)},"Data":`, data, '}');
}

/** Failures omit Data (docs/dialects/zego.md decision). */
export function zegoFailure(requestId: string, err: TimbrelError): { status: number; code: number; body: string } {
  const { code, status } = zegoCodeOf(err);
  return { status, code, body: JSON.stringify({ Code: code, Message: err.message, RequestId: requestId }) };
}
