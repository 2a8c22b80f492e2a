/**
 * ZEGO's server API signature (zego.md §1, from ZEGO's "API calling methods" page and its own clients):
 * Signature = hex(md5(AppId + SignatureNonce + ServerSecret + Timestamp)). The Action, other query
 * parameters and the body are not signed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function zegoSignature(appId: number | string, nonce: string, serverSecret: string, timestamp: number | string): string {
  return createHash('md5').update(`${appId}${nonce}${serverSecret}${timestamp}`, 'utf8').digest('hex');
}

/** Constant-time comparison; upper-case hex is accepted (zego.md decision). */
export function zegoSignatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(given.toLowerCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
