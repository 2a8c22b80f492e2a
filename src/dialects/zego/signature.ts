/**
 * ZEGO's server API signature (docs/dialects/zego.md, from ZEGO's "API calling methods" page and its own clients):
 * Signature = hex(md5(AppId + SignatureNonce + ServerSecret + Timestamp)). The Action, other query
 * parameters and the body are not signed.
 */
import { hash, timingSafeEqual } from 'node:crypto';

// One-shot hash (Node ≥ 20.12): no Hash object per request. Under load a createHash object (native,
// finalized by the GC) measured ~8 µs of server CPU per request against ~1 µs for this.
export function zegoSignature(appId: number | string, nonce: string, serverSecret: string, timestamp: number | string): string {
  return hash('md5', `${appId}${nonce}${serverSecret}${timestamp}`, 'hex');
}

/** Constant-time comparison; upper-case hex is accepted (docs/dialects/zego.md decision). */
export function zegoSignatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(given.toLowerCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
