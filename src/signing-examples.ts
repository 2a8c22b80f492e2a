import { randomBytes } from 'node:crypto';
import type { App } from './core/types.js';
import { zegoSignature } from './dialects/zego/signature.js';
import { ivhSignature } from './dialects/tencent-ivh/signature.js';
import { IVH_BASE } from './dialects/tencent-ivh/index.js';

/** A signed vendor request, as a vendor client sends it. */
export interface SignedRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function zegoRequest(baseUrl: string, app: App, action: string, body: unknown, nowMs = Date.now()): SignedRequest {
  const nonce = randomBytes(8).toString('hex');
  const ts = Math.floor(nowMs / 1000);
  const sig = zegoSignature(app.zegoAppId, nonce, app.zegoServerSecret, ts);
  const url = `${baseUrl}/?Action=${encodeURIComponent(action)}&AppId=${app.zegoAppId}&SignatureNonce=${nonce}&Timestamp=${ts}&Signature=${sig}&SignatureVersion=2.0`;
  return { method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export function ivhRequest(baseUrl: string, app: App, path: string, payload: unknown, nowMs = Date.now()): SignedRequest {
  const params = { appkey: app.ivhAppKey, timestamp: String(Math.floor(nowMs / 1000)) };
  const sig = encodeURIComponent(ivhSignature(params, app.ivhAccessToken));
  const url = `${baseUrl}${IVH_BASE}${encodeURIComponent(path)}?appkey=${encodeURIComponent(params.appkey)}&timestamp=${params.timestamp}&signature=${sig}`;
  return { method: 'POST', url, headers: { 'Content-Type': 'application/json;charset=utf-8' }, body: JSON.stringify({ Header: {}, Payload: payload }) };
}

const curl = (r: SignedRequest) =>
  `curl -s -X ${r.method} '${r.url}' ${Object.entries(r.headers)
    .map(([k, v]) => `-H '${k}: ${v}'`)
    .join(' ')} -d '${r.body}'`;

/** Ready-to-paste signed requests for an app, as a vendor client would send them. */
export function zegoCurl(baseUrl: string, app: App, action: string, body: unknown, nowMs = Date.now()): string {
  return curl(zegoRequest(baseUrl, app, action, body, nowMs));
}

export function ivhCurl(baseUrl: string, app: App, path: string, payload: unknown, nowMs = Date.now()): string {
  return curl(ivhRequest(baseUrl, app, path, payload, nowMs));
}
