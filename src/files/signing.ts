import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where a client fetches a stored file: an expiring URL, the same one for a while (so it can be cached). */
export interface FileUrls {
  url(id: string, nowMs: number): string;
  /** The expiry (unix seconds) of every URL made at `nowMs`; it changes once per bucket. */
  expiresAt(nowMs: number): number;
}

/**
 * Expiring signed URLs for files timbrel stores: `<public>/files/<id>?expires=<unix s>&signature=<mac>`,
 * mac = base64url(HMAC-SHA256(key, "<id>.<expires>")). The expiry is rounded up to the next bucket (an
 * hour for the default 24 h), so a URL stays valid at least `ttl` and the same URL is handed out for a
 * bucket's length: clients and proxies can cache it.
 */
export class UrlSigner implements FileUrls {
  private base: string;

  constructor(
    publicUrl: string,
    private readonly key: string,
    private readonly ttlSeconds: number,
  ) {
    this.base = publicUrl.replace(/\/+$/, '');
  }

  /** Where URLs point: set once the server knows its own address (when no public URL was configured). */
  rebase(publicUrl: string): void {
    this.base = publicUrl.replace(/\/+$/, '');
  }

  private mac(id: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${id}.${expires}`).digest('base64url');
  }

  /** The expiry every URL signed at `nowMs` carries; it changes once per bucket. */
  expiresAt(nowMs: number): number {
    const bucket = this.ttlSeconds >= 7200 ? 3600 : 1;
    return Math.ceil((Math.floor(nowMs / 1000) + this.ttlSeconds) / bucket) * bucket;
  }

  url(id: string, nowMs: number): string {
    const expires = this.expiresAt(nowMs);
    return `${this.base}/files/${id}?expires=${expires}&signature=${this.mac(id, expires)}`;
  }

  /** 'ok', or why the URL is refused. */
  verify(id: string, expires: unknown, signature: unknown, nowMs: number): 'ok' | 'invalid' | 'expired' {
    if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires) || typeof signature !== 'string') return 'invalid';
    const want = Buffer.from(this.mac(id, Number(expires)));
    const got = Buffer.from(signature);
    if (got.length !== want.length || !timingSafeEqual(got, want)) return 'invalid';
    if (Number(expires) * 1000 <= nowMs) return 'expired';
    return 'ok';
  }
}
