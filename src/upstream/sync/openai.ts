/**
 * What an OpenAI-compatible server lists, as timbrel records: `GET /v1/audio/voices` in any of the shapes
 * the self-hosted servers answer (`{"voices": ["af_bella", …]}`, `{"voices": [{id, name}, …]}`,
 * `{"data": [{id, name}, …]}`, a bare list). OpenAI itself lists no voices (404): its documented built-in
 * voices become the upstream's voices instead. All are public: a speech server's voices are everyone's.
 */
import { TimbrelError } from '../../core/errors.js';
import { stableId } from '../../core/ids.js';
import type { Pulled, SyncContext } from './context.js';
import { getJson } from './vendor-json.js';

/** OpenAI's built-in voices (its speech API reference), for an upstream that lists none. */
export const OPENAI_BUILT_IN_VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];

type Listed = { id: string; name: string };

/** The voices of any shape §2 of the OpenAI-compatible contract lists. */
export function voicesOf(body: unknown): Listed[] {
  const b = body as { voices?: unknown; data?: unknown; items?: unknown } | unknown[];
  const list = Array.isArray(b) ? b : Array.isArray(b?.voices) ? b.voices : Array.isArray(b?.data) ? b.data : Array.isArray(b?.items) ? b.items : [];
  const out: Listed[] = [];
  for (const v of list as unknown[]) {
    const o = v as { id?: unknown; voice_id?: unknown; name?: unknown };
    const id = typeof v === 'string' ? v : typeof o?.id === 'string' ? o.id : typeof o?.voice_id === 'string' ? o.voice_id : undefined;
    if (id === undefined || !/^[\x21-\x7e]{1,128}$/.test(id)) continue;
    out.push({ id, name: typeof o?.name === 'string' && o.name ? o.name.slice(0, 256) : id });
  }
  return out;
}

export async function pullOpenAi(ctx: SyncContext): Promise<void> {
  let listed: Listed[];
  try {
    listed = voicesOf(await getJson(ctx, '/v1/audio/voices', { authorization: `Bearer ${ctx.upstream.secret}` }));
  } catch (err) {
    if (!(err instanceof TimbrelError && /HTTP 404/.test(err.message))) throw err;
    listed = OPENAI_BUILT_IN_VOICES.map((id) => ({ id, name: id[0].toUpperCase() + id.slice(1) }));
  }
  const batch: Pulled[] = [];
  await ctx.walk(
    'GET /v1/audio/voices',
    async (index) => ({ items: index === 0 ? listed : [], total: listed.length }),
    (v) => v.id,
    (v, i) => {
      if (ctx.wanted(false))
        batch.push({
          kind: 'timbre',
          own: false,
          rec: { id: stableId('synced-voice', 'openai', ctx.upstream.url, v.id), key: v.id, name: v.name, sortOrder: i },
        });
    },
  );
  await ctx.write(batch);
}
