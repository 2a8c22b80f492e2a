/**
 * What a HeyGen account lists, as timbrel records (docs/gateway.md, "Sync from the key vendors"):
 * - `GET /v2/avatar_group.list?include_public=true`: avatar groups → anchors (the group's id is the code),
 *   and each group's looks (`GET /v2/avatar_group/{id}/avatars`) → its digital humans;
 * - `GET /v2/avatars`: avatars and talking photos → digital humans (looks no group listed have no anchor),
 *   each avatar's `default_voice_id` → the digital human's default binding;
 * - `GET /v2/voices` → timbres (the vendor's `voice_id` is the key).
 *
 * Whose: a group HeyGen marks PUBLIC, and its looks, are public; everything else an account lists (its own
 * groups, its talking photos, and the avatars and voices v2 marks with no owner) is the app's own, so that no
 * other app sees what one tenant's account holds. The operator's upstream writes everything public.
 * HeyGen's avatar ids are not UUIDs: each digital human keeps the vendor's id per source (synced_rows), which
 * the dialect presents and its relay gate matches, so every id a client gets from timbrel is valid at HeyGen.
 */
import { stableId } from '../../core/ids.js';
import { languageCode } from '../../dialects/heygen/names.js';
import type { Pulled, SyncContext } from './context.js';
import { getJson } from './vendor-json.js';

interface Envelope<T> {
  data?: T | null;
}
interface Group {
  id?: unknown;
  name?: unknown;
  preview_image?: unknown;
  group_type?: unknown;
}
interface GroupLook {
  id?: unknown;
  name?: unknown;
  image_url?: unknown;
  motion_preview_url?: unknown;
  default_voice_id?: unknown;
}
interface Avatar {
  avatar_id?: unknown;
  avatar_name?: unknown;
  gender?: unknown;
  preview_image_url?: unknown;
  preview_video_url?: unknown;
  default_voice_id?: unknown;
}
interface TalkingPhoto {
  talking_photo_id?: unknown;
  talking_photo_name?: unknown;
  preview_image_url?: unknown;
}
interface Voice {
  voice_id?: unknown;
  name?: unknown;
  language?: unknown;
  gender?: unknown;
  preview_audio?: unknown;
  emotion_support?: unknown;
}

const text = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : '');
const url = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
/** A vendor id timbrel keeps: printable ASCII, no spaces, at most 128 characters. */
const vendorId = (v: unknown): string | undefined => (typeof v === 'string' && /^[\x21-\x7e]{1,128}$/.test(v) ? v : undefined);
const genderOf = (v: unknown) => (v === 'male' || v === 'female' ? v : 'neutral');
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** The avatar type of a studio avatar and of a talking photo (the dialect's `avatar`/`talking_photo`). */
const AVATAR_TYPE = 'real_man_2d';
const PHOTO_TYPE = 'small_sample_photo_2d';

interface Look {
  vendorId: string;
  own: boolean;
  group: string;
  name: string;
  image: string | null;
  video: string | null;
  photo: boolean;
  voice?: string;
}

export async function pullHeyGen(ctx: SyncContext): Promise<void> {
  const headers = { 'x-api-key': ctx.upstream.secret };
  // Ids are derived from the vendor's and, for an app's own rows, the app: two apps on one account never share a row.
  const scopeOf = (own: boolean) => (own ? ctx.app.id : '');
  const voiceId = (own: boolean, id: string) => stableId('synced-voice', 'heygen', scopeOf(own), id);

  const listed = (await getJson<Envelope<{ avatars?: unknown; talking_photos?: unknown }>>(ctx, '/v2/avatars', headers))?.data;
  // A group's gender is its looks' (v2 lists none for a group).
  const genders = new Map(list<Avatar>(listed?.avatars).map((a) => [a.avatar_id, genderOf(a.gender)]));

  // Avatar groups → anchors; their looks remembered with the group's ownership.
  const groups = list<Group>(
    (await getJson<Envelope<{ avatar_group_list?: unknown }>>(ctx, '/v2/avatar_group.list?include_public=true', headers))?.data?.avatar_group_list,
  );
  const looks = new Map<string, Look>();
  const anchors: Pulled[] = [];
  await ctx.walk(
    'GET /v2/avatar_group.list',
    async (index) => ({ items: index === 0 ? groups.filter((g) => vendorId(g.id)) : [], total: groups.length }),
    (g) => String(g.id),
    async (g, i) => {
      const code = String(g.id);
      const own = g.group_type !== 'PUBLIC';
      const page = await getJson<Envelope<{ avatar_list?: unknown }>>(ctx, `/v2/avatar_group/${encodeURIComponent(code)}/avatars`, headers);
      const groupLooks = list<GroupLook>(page?.data?.avatar_list);
      if (ctx.wanted(own))
        anchors.push({
          kind: 'anchor',
          own,
          rec: {
            id: stableId('synced-group', 'heygen', scopeOf(own), code),
            code,
            name: text(g.name, 256) || code,
            gender: groupLooks.map((l) => genders.get(l.id)).find((x) => x !== undefined) ?? 'neutral',
            headerImage: url(g.preview_image),
            avatarType: AVATAR_TYPE,
            sortOrder: i,
          },
        });
      for (const l of groupLooks) {
        const id = vendorId(l.id);
        if (id === undefined || looks.has(id)) continue;
        looks.set(id, {
          vendorId: id,
          own,
          group: code,
          name: text(l.name, 256) || id,
          image: url(l.image_url),
          video: url(l.motion_preview_url),
          photo: false,
          voice: vendorId(l.default_voice_id),
        });
      }
    },
  );
  await ctx.write(anchors);

  // Avatars and talking photos: what /v2/avatars says of a look wins over its group's listing.
  for (const a of list<Avatar>(listed?.avatars)) {
    const id = vendorId(a.avatar_id);
    if (id === undefined) continue;
    const known = looks.get(id);
    looks.set(id, {
      vendorId: id,
      own: known?.own ?? true,
      group: known?.group ?? '',
      name: text(a.avatar_name, 256) || known?.name || id,
      image: url(a.preview_image_url) ?? known?.image ?? null,
      video: url(a.preview_video_url) ?? known?.video ?? null,
      photo: false,
      voice: vendorId(a.default_voice_id) ?? known?.voice,
    });
  }
  for (const p of list<TalkingPhoto>(listed?.talking_photos)) {
    const id = vendorId(p.talking_photo_id);
    if (id === undefined || looks.has(id)) continue;
    looks.set(id, {
      vendorId: id,
      own: true,
      group: '',
      name: text(p.talking_photo_name, 256) || id,
      image: url(p.preview_image_url),
      video: null,
      photo: true,
    });
  }

  // Voices → timbres.
  const voices = list<Voice>((await getJson<Envelope<{ voices?: unknown }>>(ctx, '/v2/voices', headers))?.data?.voices).filter((v) => vendorId(v.voice_id));
  let batch: Pulled[] = [];
  await ctx.walk(
    'GET /v2/voices',
    async (index) => ({ items: index === 0 ? voices : [], total: voices.length }),
    (v) => String(v.voice_id),
    async (v, i) => {
      const id = String(v.voice_id);
      if (!ctx.wanted(true)) return;
      const language = typeof v.language === 'string' ? languageCode(v.language) : undefined;
      batch.push({
        kind: 'timbre',
        own: true,
        rec: {
          id: voiceId(true, id),
          key: id,
          name: text(v.name, 256) || id,
          gender: genderOf(v.gender),
          languages: language ? [language] : [],
          emotions: v.emotion_support === true ? ['neutral'] : [],
          sample: url(v.preview_audio),
          sortOrder: i,
        },
      });
      if (batch.length >= 500) {
        await ctx.write(batch);
        batch = [];
      }
    },
  );
  await ctx.write(batch);

  // Looks → digital humans, then each one's default voice.
  const all = [...looks.values()];
  const dhId = (l: Look) => stableId('synced-avatar', 'heygen', scopeOf(l.own), l.vendorId);
  let dhs: Pulled[] = [];
  await ctx.walk(
    'GET /v2/avatars',
    async (index) => ({ items: index === 0 ? all : [], total: all.length }),
    (l) => l.vendorId,
    async (l, sortOrder) => {
      if (!ctx.wanted(l.own)) return;
      dhs.push({
        kind: 'digitalHuman',
        own: l.own,
        vendorId: l.vendorId,
        rec: {
          id: dhId(l),
          name: l.name,
          anchorCode: l.group,
          avatarType: l.photo ? PHOTO_TYPE : AVATAR_TYPE,
          headerImage: l.image,
          actions: l.video ? [{ code: 'preview', name: '', previewVideo: l.video }] : [],
          sortOrder,
        },
      });
      if (dhs.length >= 200) {
        await ctx.write(dhs);
        dhs = [];
      }
    },
  );
  await ctx.write(dhs);
  // The voices are the app's own, so the default binding is the app's (the operator's: public).
  if (ctx.wanted(true)) for (const l of all) if (l.voice !== undefined) await ctx.bind(dhId(l), 'app', [voiceId(true, l.voice)], true);
}
