/**
 * The vendors' request signatures (specs: zego.md §1, tencent-ivh.md §1), reproduced in the tests from the
 * published vectors. Node's crypto: these clients hold an app's secret, which belongs on a server.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

/** ZEGO: lowercase hex md5 of AppId + SignatureNonce + ServerSecret + Timestamp. */
export function zegoSignature(appId: number | string, nonce: string, serverSecret: string, timestamp: number | string): string {
  return createHash('md5').update(`${appId}${nonce}${serverSecret}${timestamp}`, 'utf8').digest('hex');
}

/** The common query parameters of a signed ZEGO call, `Action` first. */
export function zegoQuery(action: string, appId: number, serverSecret: string, nowMs = Date.now()): string {
  const ts = Math.floor(nowMs / 1000);
  const nonce = randomBytes(8).toString('hex');
  const q = new URLSearchParams({
    Action: action,
    AppId: String(appId),
    SignatureNonce: nonce,
    Timestamp: String(ts),
    Signature: zegoSignature(appId, nonce, serverSecret, ts),
    SignatureVersion: '2.0',
  });
  return q.toString();
}

/** IVH: base64 HMAC-SHA256 under the accesstoken of every query parameter but `signature`, sorted, k=v&…. */
export function ivhSignature(params: Record<string, string>, accessToken: string): string {
  const text = Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createHmac('sha256', accessToken).update(text, 'utf8').digest('base64');
}

/** The signed query string of an IVH call (the signature URL-encoded). */
export function ivhQuery(appkey: string, accessToken: string, nowMs = Date.now(), extra: Record<string, string> = {}): string {
  const params = { appkey, timestamp: String(Math.floor(nowMs / 1000)), ...extra };
  return new URLSearchParams({ ...params, signature: ivhSignature(params, accessToken) }).toString();
}
