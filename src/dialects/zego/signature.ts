/**
 * ZEGO's server API signature (docs/dialects/zego.md): Signature = hex(md5(AppId + SignatureNonce +
 * ServerSecret + Timestamp)); the Action, other query parameters and the body are not signed. Computed by
 * the SDK's one implementation (packages/client/src/sign.ts); verified here.
 */
import { timingSafeEqual } from 'node:crypto';

export { zegoSignature } from '@timbrel/client';

/** Constant-time comparison; upper-case hex is accepted (docs/dialects/zego.md decision). */
export function zegoSignatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(given.toLowerCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
