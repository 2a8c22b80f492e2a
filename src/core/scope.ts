import { PUBLIC_OWNER } from './types.js';

/**
 * Why a row may not hold a key (a timbre's key, an anchor's code) given who holds it (`holders`, any
 * owner), or undefined: the owner holds it under another id, a private key would shadow a public one, or
 * a public key would take one an app holds. Another app's private key is no conflict: apps never see each
 * other's.
 */
export function scopeConflict(
  what: { noun: string; field: string; value: string },
  row: { id: string; owner: string },
  holders: { id: string; owner: string }[],
): string | undefined {
  const { noun, field } = what;
  const value = JSON.stringify(what.value);
  for (const h of holders) {
    if (h.id === row.id) continue;
    if (h.owner === row.owner) return `${field} ${value} already belongs to ${noun} ${h.id}`;
    if (h.owner === PUBLIC_OWNER) return `${field} ${value} is a public ${noun}'s ${field}; a private ${noun} may not shadow it`;
    if (row.owner === PUBLIC_OWNER) return `${field} ${value} is held by an app's private ${noun}; a public ${noun} may not take it`;
  }
  return undefined;
}
