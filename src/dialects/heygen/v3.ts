/**
 * HeyGen's current lists (v3, docs/dialects/heygen.md): avatar groups (`GET /v3/avatars`), their looks
 * (`GET /v3/avatars/looks`) and voices (`GET /v3/voices`), paged by `limit` and an opaque `token` as
 * HeyGen's n8n node pages them, and one of each by id. Anchors are the groups, digital humans the looks,
 * timbres the voices. Success is `{"data": …, "has_more", "next_token"}` (lists) or `{"data": …}`; errors
 * `{"error": {"code", "message"[, "param"]}}`.
 */
import { ownersFor } from '../../core/catalog.js';
import { PUBLIC_OWNER, type Anchor, type App, type DigitalHuman, type Timbre } from '../../core/types.js';
import type { Services } from '../../services.js';
import { sortKeyOf } from '../../store/index.js';
import { decodeCursor, digest, encodeCursor } from '../cursor.js';
import type { Query } from '../vendor.js';
import { decodedSegment } from '../app-key.js';
import { languageCode, languageName } from './names.js';
import { presentedIds } from './ids.js';

export type V3Op = 'v3/avatars' | 'v3/avatars/get' | 'v3/avatars/looks' | 'v3/avatars/looks/get' | 'v3/voices' | 'v3/voices/get';

/** The v3 list or detail a path names. */
export function v3OperationOf(rest: string): { op: V3Op; id?: string } | undefined {
  switch (rest) {
    case '/v3/avatars':
      return { op: 'v3/avatars' };
    case '/v3/avatars/looks':
      return { op: 'v3/avatars/looks' };
    case '/v3/voices':
      return { op: 'v3/voices' };
  }
  let m = /^\/v3\/avatars\/looks\/([^/]+)$/.exec(rest);
  if (m) return { op: 'v3/avatars/looks/get', id: decodedSegment(m[1]) };
  m = /^\/v3\/avatars\/([^/]+)$/.exec(rest);
  if (m) return { op: 'v3/avatars/get', id: decodedSegment(m[1]) };
  m = /^\/v3\/voices\/([^/]+)$/.exec(rest);
  if (m) return { op: 'v3/voices/get', id: decodedSegment(m[1]) };
  return undefined;
}

/** A refusal in v3's shape, with its HTTP status. */
export class V3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
  get body(): string {
    return JSON.stringify({ error: { code: this.code, message: this.message, ...(this.param ? { param: this.param } : {}) } });
  }
}

const invalid = (param: string, message: string) => new V3Error(400, 'invalid_parameter', message, param);

/** HeyGen's three kinds of look, and timbrel's avatar types under each (decision). */
const LOOK_TYPES: Record<string, string[]> = {
  photo_avatar: ['small_sample_photo_2d'],
  video_avatar: ['small_sample_2d', 'small_sample_general_2d', 'small_sample_4k_2d'],
  studio_avatar: ['real_man_2d', 'real_man_3d', 'half_realistic_3d', 'cartoon_3d'],
};
const lookType = (d: DigitalHuman) => Object.keys(LOOK_TYPES).find((k) => LOOK_TYPES[k].includes(d.avatarType)) ?? 'studio_avatar';

const one = (q: Query, name: string): string | undefined => {
  const v = q[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
};

function limitOf(q: Query, max: number): number {
  const raw = one(q, 'limit');
  if (raw === undefined || raw === '') return 20;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) throw invalid('limit', `limit must be an integer from 1 to ${max}.`);
  return n;
}

function enumOf(q: Query, name: string, values: readonly string[]): string | undefined {
  const v = one(q, name);
  if (v === undefined || v === '') return undefined;
  if (!values.includes(v)) throw invalid(name, `${name} must be one of ${values.join(', ')}.`);
  return v;
}

/** The owners a list covers: HeyGen's presets (public), the caller's own (private), or both. */
function ownersOf(app: App, ownership: string | undefined): string[] {
  return ownership === 'public' ? [PUBLIC_OWNER] : ownership === 'private' ? [app.id] : ownersFor(app, 'visible');
}

/** The page after `token` of a keyset search, and the token of the next one. */
async function paged<T extends { id: string; name: string; sortOrder: number; createdAt: number }>(
  bound: string,
  q: Query,
  limit: number,
  search: (after: (string | number)[] | undefined, limit: number) => Promise<{ rows: T[] }>,
): Promise<{ items: T[]; hasMore: boolean; next: string | null }> {
  const token = one(q, 'token');
  let after: (string | number)[] | undefined;
  if (token !== undefined && token !== '') {
    try {
      after = decodeCursor(token, bound);
    } catch {
      throw invalid('token', 'token is not valid for this query.');
    }
    if (after.length !== 3 || typeof after[0] !== 'number' || typeof after[1] !== 'number' || typeof after[2] !== 'string')
      throw invalid('token', 'token is not valid for this query.');
  }
  const { rows } = await search(after, limit);
  const items = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const last = items[items.length - 1];
  return { items, hasMore, next: hasMore && last ? encodeCursor(bound, sortKeyOf('catalog', last)) : null };
}

/** A file's URL, or null where there is none (v3 says `string or null`). */
const urlOf = (services: Services, ref: string | null | undefined): string | null => (ref ? services.urls.resolve(ref) : null);

const list = (data: unknown[], hasMore: boolean, next: string | null) => JSON.stringify({ data, has_more: hasMore, next_token: next });
const seconds = (ms: number) => Math.floor(ms / 1000);

function voiceOf(services: Services, t: Timbre) {
  return {
    voice_id: t.key,
    name: t.name,
    language: languageName(t.languages),
    gender: t.gender,
    type: t.owner === PUBLIC_OWNER ? 'public' : 'private',
    preview_audio_url: urlOf(services, t.sample),
    support_pause: false,
    support_locale: false,
  };
}

/** Looks with what their rendering needs: their group, its gender, their default voice. */
async function looksOf(services: Services, app: App, looks: DigitalHuman[]) {
  const [anchors, voices, idOf] = await Promise.all([
    services.repo.anchors.ofLooks(looks),
    services.repo.bindings.defaultKeys(
      looks.map((d) => d.id),
      app.id,
    ),
    presentedIds(services, looks),
  ]);
  return looks.map((d, i) => {
    const a = anchors[i];
    return {
      id: idOf(d),
      name: d.name,
      avatar_type: lookType(d),
      group_id: a?.code ?? null,
      gender: a?.gender === 'male' || a?.gender === 'female' ? a.gender : null,
      preview_image_url: urlOf(services, d.headerImage),
      preview_video_url: urlOf(services, d.actions.find((x) => x.previewVideo)?.previewVideo),
      default_voice_id: voices.get(d.id) ?? null,
      tags: [] as string[],
      supported_api_engines: [] as string[],
      ...(d.owner === PUBLIC_OWNER ? {} : { status: 'completed' }),
    };
  });
}

/** Groups with their looks' count, first preview video and default voice. */
async function groupsOf(services: Services, app: App, anchors: Anchor[]) {
  const looks = await services.repo.anchors.looksOfMany(anchors, ownersFor(app, 'visible'));
  const firsts = anchors.map((a) => looks.get(a.id)?.[0]).filter((d): d is DigitalHuman => d !== undefined);
  const defaults = await services.repo.bindings.defaultKeys(
    firsts.map((d) => d.id),
    app.id,
  );
  return anchors.map((a) => {
    const mine = looks.get(a.id) ?? [];
    const video = mine.flatMap((d) => d.actions.map((x) => x.previewVideo)).find((v) => v);
    return {
      id: a.code,
      name: a.name,
      gender: a.gender === 'male' || a.gender === 'female' ? a.gender : null,
      preview_image_url: urlOf(services, a.headerImage),
      preview_video_url: urlOf(services, video),
      looks_count: mine.length,
      default_voice_id: mine.length ? (defaults.get(mine[0].id) ?? null) : null,
      created_at: seconds(a.createdAt),
      ...(a.owner === PUBLIC_OWNER ? {} : { status: 'completed' }),
    };
  });
}

/** The answer of a v3 list or detail for `app`; '' when the id names nothing the app may see. */
export async function v3Answer(services: Services, app: App, op: V3Op, id: string | undefined, q: Query): Promise<string> {
  const visible = ownersFor(app, 'visible');
  switch (op) {
    case 'v3/voices': {
      const type = enumOf(q, 'type', ['public', 'private']) ?? 'public';
      const gender = enumOf(q, 'gender', ['male', 'female']);
      const language = one(q, 'language');
      const limit = limitOf(q, 100);
      const code = language ? languageCode(language) : undefined;
      if (language && !code) return list([], false, null);
      const filters = {
        owners: type === 'public' ? [PUBLIC_OWNER] : [app.id],
        gender: gender ? [gender] : undefined,
        languageOrSubtag: code ? [code] : undefined,
      };
      const page = await paged(digest({ op, app: app.id, ...filters }), q, limit, (after, n) =>
        services.repo.timbres.search({ ...filters, status: ['active'], sort: 'catalog', after, limit: n }),
      );
      return list(
        page.items.map((t) => voiceOf(services, t)),
        page.hasMore,
        page.next,
      );
    }
    case 'v3/avatars': {
      const owners = ownersOf(app, enumOf(q, 'ownership', ['public', 'private']));
      const limit = limitOf(q, 50);
      const page = await paged(digest({ op, app: app.id, owners }), q, limit, (after, n) =>
        services.repo.anchors.search({ owners, status: ['active'], sort: 'catalog', after, limit: n }),
      );
      return list(await groupsOf(services, app, page.items), page.hasMore, page.next);
    }
    case 'v3/avatars/looks': {
      const owners = ownersOf(app, enumOf(q, 'ownership', ['public', 'private']));
      const type = enumOf(q, 'avatar_type', Object.keys(LOOK_TYPES));
      const group = one(q, 'group_id') || undefined;
      const limit = limitOf(q, 50);
      const filters = { owners, avatarType: type ? LOOK_TYPES[type] : undefined, anchorCode: group ? [group] : undefined };
      const page = await paged(digest({ op, app: app.id, ...filters }), q, limit, (after, n) =>
        services.repo.digitalHumans.search({ ...filters, status: ['active'], sort: 'catalog', after, limit: n }),
      );
      return list(await looksOf(services, app, page.items), page.hasMore, page.next);
    }
    case 'v3/avatars/get': {
      const a = await services.repo.anchors.byCode(id!, visible);
      if (!a || a.status !== 'active') return '';
      return JSON.stringify({ data: (await groupsOf(services, app, [a]))[0] });
    }
    case 'v3/avatars/looks/get': {
      const d = await services.catalog.findDigitalHumanOf(app, id!, 'heygen');
      if (!d || d.status !== 'active') return '';
      return JSON.stringify({ data: (await looksOf(services, app, [d]))[0] });
    }
    case 'v3/voices/get': {
      const t = await services.repo.timbres.byKey(id!, visible);
      if (!t || t.status !== 'active') return '';
      return JSON.stringify({ data: voiceOf(services, t) });
    }
  }
}
