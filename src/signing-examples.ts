import { randomBytes } from 'node:crypto';
import type { App } from './core/types.js';
import { zegoSignature } from './dialects/zego/signature.js';
import { ivhSignature } from './dialects/tencent-ivh/signature.js';
import { IVH_BASE } from './dialects/tencent-ivh/index.js';

/** Ready-to-paste signed requests for an app, as a vendor client would send them. */
export function zegoCurl(baseUrl: string, app: App, action: string, body: unknown, nowMs = Date.now()): string {
  const nonce = randomBytes(8).toString('hex');
  const ts = Math.floor(nowMs / 1000);
  const sig = zegoSignature(app.zegoAppId, nonce, app.zegoServerSecret, ts);
  const url = `${baseUrl}/?Action=${action}&AppId=${app.zegoAppId}&SignatureNonce=${nonce}&Timestamp=${ts}&Signature=${sig}&SignatureVersion=2.0`;
  return `curl -s -X POST '${url}' -H 'Content-Type: application/json' -d '${JSON.stringify(body)}'`;
}

export function ivhCurl(baseUrl: string, app: App, path: string, payload: unknown, nowMs = Date.now()): string {
  const params = { appkey: app.ivhAppKey, timestamp: String(Math.floor(nowMs / 1000)) };
  const sig = encodeURIComponent(ivhSignature(params, app.ivhAccessToken));
  const url = `${baseUrl}${IVH_BASE}${path}?appkey=${params.appkey}&timestamp=${params.timestamp}&signature=${sig}`;
  return `curl -s -X POST '${url}' -H 'Content-Type: application/json;charset=utf-8' -d '${JSON.stringify({ Header: {}, Payload: payload })}'`;
}
