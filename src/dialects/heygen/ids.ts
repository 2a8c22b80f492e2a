/**
 * The ids HeyGen's dialect presents for digital humans: the vendor's own for a look a HeyGen sync wrote (its
 * avatar ids are not UUIDs; the relay gate matches them, core/catalog.ts findDigitalHumanOf), else timbrel's
 * id as 32 hex digits.
 */
import { toHexKey } from '../../core/ids.js';
import type { DigitalHuman } from '../../core/types.js';
import type { Services } from '../../services.js';

/** How each of `looks` is presented (one query for all). */
export async function presentedIds(services: Services, looks: DigitalHuman[]): Promise<(d: DigitalHuman) => string> {
  const vendor = looks.length
    ? await services.repo.upstreams.vendorIds(
        'digitalHuman',
        looks.map((d) => d.id),
        'heygen',
      )
    : new Map<string, string>();
  return (d) => vendor.get(d.id) ?? toHexKey(d.id);
}
