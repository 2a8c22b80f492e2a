/**
 * What an ElevenLabs account lists, as timbrel records: every voice of `GET /v2/voices` (paged by
 * `next_page_token`, every category). Premade voices are the vendor's own, for everyone: public; the
 * account's cloned, generated and professional voices are the app's own (an operator's upstream writes
 * them all public). The vendor's `voice_id` is the timbre's key, so the id a client gets from timbrel is
 * the one ElevenLabs knows when its call is relayed.
 */
import { stableId } from '../../core/ids.js';
import { OPERATOR_UPSTREAM } from '../../core/types.js';
import type { Pulled, SyncContext } from './context.js';
import { getJson } from './vendor-json.js';

interface ElevenVoice {
  voice_id?: unknown;
  name?: unknown;
  category?: unknown;
  description?: unknown;
  labels?: Record<string, unknown> | null;
  preview_url?: unknown;
  verified_languages?: { language?: unknown; locale?: unknown }[] | null;
}

interface ElevenPage {
  voices?: unknown;
  has_more?: unknown;
  next_page_token?: unknown;
}

/** Categories of the vendor's own voices, listed to every account. */
const PUBLIC_CATEGORIES = new Set(['premade']);

/** category → timbreType (docs/gateway.md): the dialect maps them back (`Boutique` ↔ professional). */
const TIMBRE_TYPE: Record<string, string> = { professional: 'Boutique', premade: 'Boutique', cloned: 'SampleFast', generated: 'SampleBasic' };

const text = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : '');
const label = (v: ElevenVoice, name: string, max = 64): string => text(v.labels?.[name], max);

/**
 * The timbre record of a voice, its id stable across syncs and instances: derived from the vendor's id, and
 * for an app's own voice from the app too (`app`: its id), so that two apps syncing the same account each
 * get their own row instead of the second one's conflicting with the first's.
 */
export function elevenLabsVoice(v: ElevenVoice & { voice_id: string }, own: boolean, sortOrder: number, app?: string): Pulled {
  const gender = label(v, 'gender');
  const languages = [
    ...new Set(
      (Array.isArray(v.verified_languages) ? v.verified_languages : [])
        .map((l) => text(l?.locale, 35) || text(l?.language, 35))
        .filter((l) => /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(l)),
    ),
  ].slice(0, 32);
  const useCase = label(v, 'use_case', 256);
  const descriptive = label(v, 'descriptive', 256);
  return {
    kind: 'timbre',
    own,
    rec: {
      id: app === undefined ? legacyVoiceId(v.voice_id) : stableId('synced-voice', 'elevenlabs', app, v.voice_id),
      key: v.voice_id,
      name: text(v.name, 256) || v.voice_id,
      description: text(v.description, 2048),
      gender: gender === 'male' || gender === 'female' ? gender : 'neutral',
      age: label(v, 'age'),
      accent: label(v, 'accent'),
      useCases: useCase ? [useCase] : [],
      tags: descriptive ? [descriptive] : [],
      languages,
      timbreType: TIMBRE_TYPE[text(v.category, 32)] ?? 'Boutique',
      sample: typeof v.preview_url === 'string' && v.preview_url ? v.preview_url : null,
      sortOrder,
    },
  };
}

/** A public voice's id; an app's own voice synced before ids named the app keeps it (its row, bindings and events stay). */
const legacyVoiceId = (voiceId: string) => stableId('synced-voice', 'elevenlabs', voiceId);

export async function pullElevenLabs(ctx: SyncContext): Promise<void> {
  const headers = { 'xi-api-key': ctx.upstream.secret };
  let token: string | undefined;
  let more = true;
  let batch: { v: ElevenVoice & { voice_id: string }; own: boolean; i: number }[] = [];
  // The operator's upstream writes every voice public: its ids name no app.
  const scoped = ctx.app.id !== OPERATOR_UPSTREAM;
  const flush = async () => {
    const legacy = scoped
      ? await ctx.ownBefore(
          'timbre',
          batch.filter((b) => b.own).map((b) => legacyVoiceId(b.v.voice_id)),
        )
      : new Set<string>();
    await ctx.write(batch.map(({ v, own, i }) => elevenLabsVoice(v, own, i, own && scoped && !legacy.has(legacyVoiceId(v.voice_id)) ? ctx.app.id : undefined)));
    batch = [];
  };
  await ctx.walk(
    'GET /v2/voices',
    async (_, offset) => {
      if (!more) return { items: [], total: offset };
      const query = new URLSearchParams({ page_size: '100' });
      if (token) query.set('next_page_token', token);
      const page = await getJson<ElevenPage>(ctx, `/v2/voices?${query}`, headers);
      const items = (Array.isArray(page?.voices) ? (page.voices as ElevenVoice[]) : []).filter(
        (v): v is ElevenVoice & { voice_id: string } => typeof v?.voice_id === 'string' && /^[\x21-\x7e]{1,128}$/.test(v.voice_id),
      );
      more = page?.has_more === true && typeof page.next_page_token === 'string' && page.next_page_token !== '';
      token = more ? (page.next_page_token as string) : undefined;
      return { items, total: more ? Infinity : offset + items.length };
    },
    (v) => v.voice_id,
    async (v, i) => {
      const own = !PUBLIC_CATEGORIES.has(text(v.category, 32));
      if (ctx.wanted(own)) batch.push({ v, own, i });
      if (batch.length >= 200) await flush();
    },
  );
  await flush();
}
