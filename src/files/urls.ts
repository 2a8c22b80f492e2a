import type { AssetRef } from '../core/types.js';
import type { FileUrls } from './signing.js';

export const STORED_PREFIX = 'stored:';

/** A file field's value that is an external URL, passed through as is (no stored file behind it). */
export const isExternalUrl = (value: string): boolean => /^https?:\/\//i.test(value);

/** Turns an asset reference into what a client fetches: external URLs pass through, stored files get a signed URL. */
export class AssetUrls {
  constructor(
    private readonly signer: FileUrls,
    private readonly now: () => number,
  ) {}

  /** Changes exactly when the URLs `resolve` hands out for stored files change. */
  epoch(): number {
    return this.signer.expiresAt(this.now());
  }

  resolve(ref: AssetRef | null | undefined): string {
    if (!ref) return '';
    if (ref.startsWith(STORED_PREFIX)) return this.signer.url(ref.slice(STORED_PREFIX.length), this.now());
    return ref;
  }
}
