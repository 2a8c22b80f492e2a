/**
 * Tencent IVH aPaaS signature (docs/dialects/tencent-ivh.md; Tencent docs 1240/107197 and its Python/Java demos):
 * every query parameter but `signature`, sorted by key, joined as k=v with &, HMAC-SHA256 under the
 * accesstoken, base64. The body is not signed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function ivhSigningString(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function ivhSignature(params: Record<string, string>, accessToken: string): string {
  return createHmac('sha256', accessToken).update(ivhSigningString(params), 'utf8').digest('base64');
}

/**
 * Constant-time comparison of the decoded signature. A form decoder turns a raw `+` into a space, so
 * spaces are mapped back to `+` first (docs/dialects/tencent-ivh.md decision).
 */
export function ivhSignatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(given.replace(/ /g, '+'), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
