/**
 * Whole answers of the key-authenticated dialects (ElevenLabs, HeyGen, OpenAI), kept as rendered text until
 * the catalog changes (the store's change token moves) or the signed file URLs in them do (a new URL
 * bucket). A repeated page then costs its authentication and a map lookup, as a cached ZEGO page does.
 * Bounded: at most ENTRIES answers of at most MAX_CHARS each (a larger one is rendered every time).
 */
import type { Services } from '../services.js';
import { TokenCache } from '../store/token-cache.js';

const ENTRIES = 512;
const MAX_CHARS = 128 * 1024;
const answers = new WeakMap<Services, TokenCache>();

/** The answer of `key` (which names the dialect, operation, app and normalized query), rendered at most once per catalog version. */
export async function cachedAnswer(services: Services, key: string, render: () => Promise<string>): Promise<string> {
  let cache = answers.get(services);
  if (!cache) answers.set(services, (cache = new TokenCache(ENTRIES)));
  const token = `${services.repo.engine.changeToken()}|${services.urls.epoch()}`;
  const hit = cache.get(key, token);
  if (hit) return hit.value as string;
  const body = await render();
  if (body.length <= MAX_CHARS) cache.set(key, token, body);
  return body;
}
