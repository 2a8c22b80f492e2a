/**
 * Tencent IVH aPaaS signature (docs/dialects/tencent-ivh.md): every query parameter but `signature`, sorted
 * by key, joined as k=v with &, HMAC-SHA256 under the accesstoken, base64; the body is not signed.
 * Computed by the SDK's one implementation (packages/client/src/sign.ts); verified here.
 */
import { timingSafeEqual } from 'node:crypto';

export { ivhSignature, ivhSigningString } from '@timbrel/client';

/**
 * Constant-time comparison of the decoded signature. A form decoder turns a raw `+` into a space, so
 * spaces are mapped back to `+` first (docs/dialects/tencent-ivh.md decision).
 */
export function ivhSignatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(given.replace(/ /g, '+'), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
