/** Which wire a call went over. */
export type Dialect = 'native' | 'zego' | 'ivh';

/**
 * Every failure a client surfaces: the vendor's own code (ZEGO `Code`, IVH `Header.Code`, or the native
 * API's problem `code`), the HTTP status, and the request id when the server sent one. A network failure or a
 * timeout has `code` "network" or "timeout" and status 0.
 */
export class TimbrelClientError extends Error {
  constructor(
    readonly dialect: Dialect,
    readonly code: number | string,
    /** The server's own words (the message, without dialect and code). */
    readonly detail: string,
    readonly status: number,
    readonly requestId?: string,
  ) {
    super(`${dialect} ${code}: ${detail}`);
    this.name = 'TimbrelClientError';
  }

  /** The server refused because the app is over its per-second limit (safe to retry later). */
  get rateLimited(): boolean {
    return this.code === 400010009 || this.code === 100012 || this.code === 'rate_limited';
  }
}
