/**
 * Whole answers of the key-authenticated dialects (ElevenLabs, HeyGen, OpenAI), kept as rendered text until
 * the catalog changes (the store's change token moves) or the signed file URLs in them do (a new URL
 * bucket). A repeated page then costs its authentication and a map lookup, as a cached ZEGO page does.
 * Bounded: at most ENTRIES answers of at most MAX_CHARS each (a larger one is rendered every time).
 */
import type { Services } from '../services.js';
import { TokenCache } from '../store/index.js';
import type { JsonBody } from './render-cache.js';

/** Whether an answer is empty (a dialect's "not found" or "too many" sentinel). */
export const isEmpty = (b: JsonBody) => (typeof b === 'string' ? b === '' : b.page.length === 0);

const ENTRIES = 512;
const MAX_CHARS = 128 * 1024;
const answers = new WeakMap<Services, TokenCache>();

/** The answer of `key` (which names the dialect, operation, app and normalized query), rendered at most once per catalog version. */
export async function cachedAnswer(services: Services, key: string, render: () => Promise<string>): Promise<JsonBody> {
  let cache = answers.get(services);
  if (!cache) answers.set(services, (cache = new TokenCache(ENTRIES)));
  const token = `${services.repo.engine.changeToken()}|${services.urls.epoch()}`;
  const hit = cache.get(key, token);
  if (hit) return hit.value as JsonBody;
  const text = await render();
  if (text.length > MAX_CHARS) return text;
  // Kept as UTF-8 bytes: each answer writes them as they are (no encoding per answer).
  const body: JsonBody = { head: '', page: Buffer.from(text), tail: '' };
  cache.set(key, token, body);
  return body;
}
