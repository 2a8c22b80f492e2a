/**
 * The app API keys of the dialects whose vendors authenticate by a key in a header (OpenAI, ElevenLabs,
 * HeyGen): the key names an app; the operator token, a revoked key and a disabled app's key are all
 * answered as an invalid key (docs/domain.md).
 */
import { TimbrelError } from '../core/errors.js';
import type { App } from '../core/types.js';
import type { Services } from '../services.js';

/** A refused key: `missing` when none was sent. The dialect answers it in its own envelope. */
export class KeyRefused extends TimbrelError {
  constructor(readonly missing: boolean) {
    super('unauthorized', missing ? 'no API key' : 'invalid API key');
  }
}

/** The value of a `Bearer` Authorization header, if that is what was sent. */
export function bearerOf(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

/** The app a key belongs to (`from`: the client's address, for the failed-sign-in throttle). */
export async function appOfKey(services: Services, key: string | undefined, from: string): Promise<App> {
  if (key === undefined) throw new KeyRefused(true);
  let principal;
  try {
    principal = await services.access.authenticate(`Bearer ${key}`, from);
  } catch (err) {
    if (err instanceof TimbrelError && (err.code === 'unauthorized' || err.code === 'app_disabled')) throw new KeyRefused(false);
    throw err;
  }
  // The vendor dialects serve apps: the operator token is no app's key.
  if (principal.kind !== 'app') throw new KeyRefused(false);
  return principal.app;
}

/** A path segment percent-decoded once; one that does not decode is taken as it is. */
export function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
