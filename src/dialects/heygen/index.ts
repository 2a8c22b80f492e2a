/**
 * HeyGen's v2 catalog reads under `/heygen` (docs/dialects/heygen.md): avatars and talking photos, voices,
 * avatar groups (timbrel's anchors) and their looks, one avatar's details; each avatar with its
 * `default_voice_id`, timbrel's default binding. Unpaged lists in HeyGen's `{"error":null,"data":…}`
 * envelope, served by the vendor edge (../vendor.ts). Everything else under the prefix answers 404.
 */
import { ownersFor } from '../../core/catalog.js';
import { PUBLIC_OWNER, type Anchor, type App, type DigitalHuman, type Timbre } from '../../core/types.js';
import type { RequestTag } from '../../request-log.js';
import type { Services } from '../../services.js';
import { admit } from '../admit.js';
import { appOfKey, decodedSegment, KeyRefused } from '../app-key.js';
import { clientError, type VendorAnswer, type VendorDialect, type VendorRequest } from '../vendor.js';
import { characters, jsonBody, NotInCatalog, relayUnserved, type Named } from '../key-relay.js';
import { timedOut } from '../../upstream/relay.js';
import { cachedAnswer, isEmpty } from '../answers.js';
import type { JsonBody } from '../render-cache.js';
import { languageName } from './names.js';
import { presentedIds } from './ids.js';
import { V3Error, v3Answer, v3OperationOf, type V3Op } from './v3.js';

export { languageName } from './names.js';

export const HEYGEN_ROOT = '/heygen';

type Op = 'avatars' | 'voices' | 'avatar_group.list' | 'avatar_group/avatars' | 'avatar/details';

const PHOTO_TYPE = 'small_sample_photo_2d';

function operationOf(rest: string): { op: Op; id?: string } | undefined {
  switch (rest) {
    case '/v2/avatars':
      return { op: 'avatars' };
    case '/v2/voices':
      return { op: 'voices' };
    case '/v2/avatar_group.list':
      return { op: 'avatar_group.list' };
  }
  let m = /^\/v2\/avatar_group\/([^/]+)\/avatars$/.exec(rest);
  if (m) return { op: 'avatar_group/avatars', id: decodedSegment(m[1]) };
  m = /^\/v2\/avatar\/([^/]+)\/details$/.exec(rest);
  if (m) return { op: 'avatar/details', id: decodedSegment(m[1]) };
  return undefined;
}

/** A failure of HeyGen's shape: `data` first, as in the observed bodies. */
const failure = (code: string, message: string) => JSON.stringify({ data: null, error: { code, message } });
const success = (data: unknown) => `{"error":null,"data":${JSON.stringify(data)}}`;

/** A list past TIMBREL_UNPAGED_MAX: refused, never cut. */
class TooMany extends Error {}

const BOOL: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };
const seconds = (ms: number) => Math.floor(ms / 1000);
interface Looked {
  id(d: DigitalHuman): string;
  url(ref: string | null): string;
  gender(d: DigitalHuman): string;
  voice(d: DigitalHuman): string | null;
}

/** What an avatar's rendering needs beside itself: its anchor (gender) and default voice, for many at once. */
async function lookup(services: Services, app: App, looks: DigitalHuman[]): Promise<Looked> {
  const [anchors, voices, id] = await Promise.all([
    services.repo.anchors.ofLooks(looks),
    services.repo.bindings.defaultKeys(
      looks.map((d) => d.id),
      app.id,
    ),
    presentedIds(services, looks),
  ]);
  const anchorOf = new Map(looks.map((d, i) => [d.id, anchors[i]]));
  return {
    id,
    url: (ref) => services.urls.resolve(ref),
    gender: (d) => {
      const g = anchorOf.get(d.id)?.gender;
      return g === 'male' || g === 'female' ? g : 'unknown';
    },
    voice: (d) => voices.get(d.id) ?? null,
  };
}

const previewVideo = (d: DigitalHuman) => d.actions.find((a) => a.previewVideo)?.previewVideo ?? null;

async function avatars(services: Services, app: App, owners: string[]): Promise<string> {
  const { total } = await services.repo.digitalHumans.list(owners, {}, 0, 0);
  if (total > services.config.unpagedMax) throw new TooMany();
  const { items } = await services.repo.digitalHumans.list(owners, {}, 0, total);
  const l = await lookup(services, app, items);
  const avatarList = [];
  const photos = [];
  for (const d of items) {
    if (d.avatarType === PHOTO_TYPE) {
      photos.push({ talking_photo_id: l.id(d), talking_photo_name: d.name, preview_image_url: l.url(d.headerImage) });
      continue;
    }
    avatarList.push({
      avatar_id: l.id(d),
      avatar_name: d.name,
      gender: l.gender(d),
      preview_image_url: l.url(d.headerImage),
      preview_video_url: l.url(previewVideo(d)),
      premium: false,
      type: null,
      tags: null,
      default_voice_id: l.voice(d),
    });
  }
  return success({ avatars: avatarList, talking_photos: photos });
}

async function voices(services: Services, owners: string[]): Promise<string> {
  const { total } = await services.repo.timbres.list(owners, {}, 0, 0);
  if (total > services.config.unpagedMax) throw new TooMany();
  const { items } = await services.repo.timbres.list(owners, {}, 0, total);
  const voice = (t: Timbre) => ({
    voice_id: t.key,
    language: languageName(t.languages),
    gender: t.gender,
    name: t.name,
    preview_audio: services.urls.resolve(t.sample),
    support_pause: false,
    emotion_support: t.emotions.length > 0,
    support_interactive_avatar: false,
    support_locale: false,
  });
  return success({ voices: items.map(voice) });
}

async function groups(services: Services, app: App, includePublic: boolean): Promise<string> {
  const owners = ownersFor(app, includePublic ? 'visible' : 'mine');
  const { total } = await services.repo.anchors.list(owners, {}, 0, 0);
  if (total > services.config.unpagedMax) throw new TooMany();
  const { items } = await services.repo.anchors.list(owners, {}, 0, total);
  const looks = await services.repo.anchors.looksOfMany(items, ownersFor(app, 'visible'));
  const firsts = items.map((a) => looks.get(a.id)?.[0]).filter((d): d is DigitalHuman => d !== undefined);
  const defaults = await services.repo.bindings.defaultKeys(
    firsts.map((d) => d.id),
    app.id,
  );
  const group = (a: Anchor) => {
    const mine = looks.get(a.id) ?? [];
    return {
      id: a.code,
      name: a.name,
      created_at: seconds(a.createdAt),
      num_looks: mine.length,
      preview_image: services.urls.resolve(a.headerImage),
      group_type: a.owner === PUBLIC_OWNER ? 'PUBLIC' : 'PRIVATE',
      train_status: 'ready',
      default_voice_id: mine.length ? (defaults.get(mine[0].id) ?? null) : null,
    };
  };
  return success({ total_count: items.length, avatar_group_list: items.map(group) });
}

async function groupLooks(services: Services, app: App, code: string): Promise<string | undefined> {
  const anchor = await services.repo.anchors.byCode(code, ownersFor(app, 'visible'));
  if (!anchor) return undefined;
  const looks = await services.repo.anchors.looks(anchor, ownersFor(app, 'visible'));
  if (looks.length > services.config.unpagedMax) throw new TooMany();
  const l = await lookup(services, app, looks);
  return success({
    avatar_list: looks.map((d) => ({
      id: l.id(d),
      name: d.name,
      image_url: l.url(d.headerImage),
      created_at: seconds(d.createdAt),
      group_id: anchor.code,
      is_motion: false,
      motion_preview_url: null,
      default_voice_id: l.voice(d),
    })),
  });
}

async function details(services: Services, app: App, rawId: string): Promise<string | undefined> {
  const d = await services.catalog.findDigitalHumanOf(app, rawId, 'heygen');
  if (!d || d.status !== 'active') return undefined;
  const l = await lookup(services, app, [d]);
  return success({
    type: d.avatarType === PHOTO_TYPE ? 'talking_photo' : 'avatar',
    id: l.id(d),
    name: d.name,
    gender: l.gender(d),
    preview_image_url: l.url(d.headerImage),
    preview_video_url: l.url(previewVideo(d)),
    premium: false,
    is_public: d.owner === PUBLIC_OWNER,
    default_voice_id: l.voice(d),
    tags: [],
  });
}

export const heygenDialect: VendorDialect = async (services, req) => {
  const tag: RequestTag = { dialect: 'heygen', op: 'unsupported' };
  const done = (status: number, body: JsonBody, extra: Partial<VendorAnswer> = {}): VendorAnswer => ({ status, body, tag, ...extra });
  const rest = req.path.slice(HEYGEN_ROOT.length);
  const v3 = v3OperationOf(rest);
  if (v3 && (req.method === 'GET' || req.method === 'HEAD')) return v3Served(services, req, v3, tag);
  const found = operationOf(rest);
  const unserved = () =>
    found
      ? done(405, failure('method_not_allowed', 'Method not allowed.'), { allow: 'GET' })
      : done(404, failure('not_found', `${req.method} ${req.receivedPath ?? req.path}`.slice(0, 200) + ' is not served.'));
  const served = found !== undefined && (req.method === 'GET' || req.method === 'HEAD');
  // A call without a key to a route not served here is answered as unserved (no upstream is looked for).
  if (!served && req.headers['x-api-key'] === undefined) return unserved();
  try {
    const header = req.headers['x-api-key'];
    const app = await appOfKey(services, typeof header === 'string' && header !== '' ? header : undefined, req.clientAddress);
    tag.app = app.name;
    tag.appId = app.id;
    await admit(services, app);
    if (!served) return (await relayUnserved(services, req, app, 'heygen', rest, namedIn(jsonBody(req)), tag)) ?? unserved();
    tag.op = found.op;
    const owners = ownersFor(app, 'visible');
    let include = false;
    if (found.op === 'avatar_group.list') {
      const raw = req.query.include_public;
      const given = Array.isArray(raw) ? raw[raw.length - 1] : raw;
      const parsed = given === undefined || given === '' ? false : BOOL[given.toLowerCase()];
      if (parsed === undefined) return done(400, failure('invalid_parameter', 'include_public must be a boolean.'));
      include = parsed;
    }
    // A successful answer depends on the operation, the app and its one parameter only; '' = not found.
    const body = await cachedAnswer(services, `heygen|${found.op}|${app.id}|${found.id ?? ''}|${include}`, async () => {
      switch (found.op) {
        case 'avatars':
          return avatars(services, app, owners);
        case 'voices':
          return voices(services, owners);
        case 'avatar_group.list':
          return groups(services, app, include);
        case 'avatar_group/avatars':
          return (await groupLooks(services, app, found.id!)) ?? '';
        case 'avatar/details':
          return (await details(services, app, found.id!)) ?? '';
      }
    });
    if (!isEmpty(body)) return done(200, body);
    return found.op === 'avatar/details'
      ? done(404, failure('avatar_not_found', 'Avatar not found.'))
      : done(404, failure('internal_error', 'Avatar looks not found.'));
  } catch (err) {
    if (err instanceof TooMany) return done(400, failure('too_many_items', `More than ${services.config.unpagedMax} items; this list has no paging.`));
    if (err instanceof NotInCatalog)
      return err.what === 'voice' ? done(404, failure('voice_not_found', 'Voice not found.')) : done(404, failure('avatar_not_found', 'Avatar not found.'));
    const e = err instanceof KeyRefused ? err : clientError(req.log, err);
    switch (e.code) {
      case 'unauthorized':
      case 'app_disabled':
        return done(401, failure('internal_error', 'Unauthorized'));
      case 'rate_limited':
        return done(429, failure('rate_limit_exceeded', 'Rate limit exceeded.'), { retryAfter: 1 });
      case 'upstream_unavailable':
      case 'upstream_invalid':
        return done(timedOut(e) ? 504 : 502, failure(e.code, e.message));
      case 'busy':
      case 'unavailable':
        return done(503, failure('service_unavailable', 'The service is busy; try again shortly.'), { retryAfter: 1 });
      default:
        return done(500, failure('internal_error', 'The server could not answer this request.'));
    }
  }
};

/**
 * The avatars and voices a video generation names (`video_inputs[].character.avatar_id` or
 * `talking_photo_id`, `video_inputs[].voice.voice_id`), for the catalog to allow.
 */
function namedIn(body: unknown): Named & { characters: number } {
  const avatars: string[] = [];
  const voices: string[] = [];
  let spoken = 0;
  const inputs = (body as { video_inputs?: unknown })?.video_inputs;
  if (Array.isArray(inputs))
    for (const i of inputs) {
      for (const id of [i?.character?.avatar_id, i?.character?.talking_photo_id]) if (typeof id === 'string') avatars.push(id);
      if (typeof i?.voice?.voice_id === 'string') voices.push(i.voice.voice_id);
      spoken += characters(i?.voice?.input_text);
    }
  return { avatars, voices, characters: spoken };
}

const V3_NOT_FOUND: Record<V3Op, string> = {
  'v3/avatars/get': 'Avatar group not found.',
  'v3/avatars/looks/get': 'Look not found.',
  'v3/voices/get': 'Voice not found.',
  'v3/avatars': '',
  'v3/avatars/looks': '',
  'v3/voices': '',
};

/** A v3 list or detail, with v3's error shape (`{"error": {"code", "message"}}`). */
async function v3Served(services: Services, req: VendorRequest, v3: { op: V3Op; id?: string }, tag: RequestTag): Promise<VendorAnswer> {
  tag.op = v3.op;
  const fail = (status: number, code: string, message: string, extra: Partial<VendorAnswer> = {}): VendorAnswer => ({
    status,
    body: JSON.stringify({ error: { code, message } }),
    tag,
    ...extra,
  });
  try {
    const header = req.headers['x-api-key'];
    const app = await appOfKey(services, typeof header === 'string' && header !== '' ? header : undefined, req.clientAddress);
    tag.app = app.name;
    tag.appId = app.id;
    await admit(services, app);
    // The answer depends on the operation, the app, the id and the query as sent.
    const body = await cachedAnswer(services, `heygen|${v3.op}|${app.id}|${v3.id ?? ''}|${req.rawQuery}`, () =>
      v3Answer(services, app, v3.op, v3.id, req.query),
    );
    if (isEmpty(body)) return fail(404, 'not_found', V3_NOT_FOUND[v3.op]);
    return { status: 200, body, tag };
  } catch (err) {
    if (err instanceof V3Error) return { status: err.status, body: err.body, tag };
    const e = err instanceof KeyRefused ? err : clientError(req.log, err);
    switch (e.code) {
      case 'unauthorized':
      case 'app_disabled':
        return fail(401, 'unauthorized', 'The API key provided is invalid, expired, or missing.');
      case 'rate_limited':
        return fail(429, 'rate_limit_exceeded', 'Too many requests hit the API too quickly.', { retryAfter: 1 });
      case 'busy':
      case 'unavailable':
        return fail(503, 'service_unavailable', 'The service is busy; try again shortly.', { retryAfter: 1 });
      default:
        return fail(500, 'internal_error', 'The server could not answer this request.');
    }
  }
}
