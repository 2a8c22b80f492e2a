import { createHash, randomUUID } from 'node:crypto';

const UUID_DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_HEX = /^[0-9a-f]{32}$/i;

export const newId = (): string => randomUUID();

/**
 * One identity, two renderings (docs/domain.md): ZEGO uses the dashed UUID, IVH the same UUID as 32 hex.
 * Either dialect accepts either form; anything else cannot name a row and is treated as "not found".
 */
export function normalizeId(input: string): string | undefined {
  if (UUID_DASHED.test(input)) return input.toLowerCase();
  if (UUID_HEX.test(input)) {
    const h = input.toLowerCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return undefined;
}

export const toHexKey = (uuid: string): string => uuid.replace(/-/g, '');

export function isUuid(s: string): boolean {
  return UUID_DASHED.test(s);
}

const NAMESPACE = Buffer.from('6f1d3c2e8a4b4f0e9c7d5b3a1e2f4d6c', 'hex');

/**
 * RFC 9562 UUIDv5 under timbrel's namespace: a stable id for an imported row that names no id, so that
 * importing the same file twice updates rows instead of duplicating them.
 */
export function stableId(...parts: string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(parts.join('\u0000')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
