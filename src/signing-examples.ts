/** Ready-to-paste signed requests (the CLI's banner and `timbrel curl`), signed by the SDK's one implementation. */
import { ivhQuery, zegoQuery } from '@timbrel/client';
import type { App } from './core/types.js';
import { IVH_BASE } from './dialects/tencent-ivh/index.js';

/** A signed vendor request, as a vendor client sends it. */
export interface SignedRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function zegoRequest(baseUrl: string, app: App, action: string, body: unknown, nowMs = Date.now()): SignedRequest {
  const url = `${baseUrl}/?${zegoQuery(action, app.zegoAppId, app.zegoServerSecret, nowMs)}`;
  return { method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

export function ivhRequest(baseUrl: string, app: App, path: string, payload: unknown, nowMs = Date.now()): SignedRequest {
  const url = `${baseUrl}${IVH_BASE}${encodeURIComponent(path)}?${ivhQuery(app.ivhAppKey, app.ivhAccessToken, nowMs)}`;
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
