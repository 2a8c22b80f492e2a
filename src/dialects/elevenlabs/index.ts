/**
 * ElevenLabs' voice-catalog reads under `/elevenlabs` (docs/dialects/elevenlabs.md in docs/dialects): `GET /v2/voices`
 * (search, filters, `next_page_token`), the legacy unpaged `GET /v1/voices`, one voice by id, and the
 * voice library `GET /v1/shared-voices` (the public catalog, page numbers). Served by the vendor edge
 * (../vendor.ts) like ZEGO and IVH. Errors are FastAPI's: `{"detail":…}`, 422 validation lists that run
 * before authentication, as the vendor was observed to. Everything else under the prefix answers 404.
 */
import { ownersFor } from '../../core/catalog.js';
import { randomBytes } from 'node:crypto';
import { PUBLIC_OWNER, type App, type Timbre, type TimbreType } from '../../core/types.js';
import type { RequestTag } from '../../request-log.js';
import type { Services } from '../../services.js';
import { SORTS, sortKeyOf, type ListSort } from '../../store/index.js';
import type { TimbreSearch } from '../../store/index.js';
import { admit } from '../admit.js';
import { appOfKey, bearerOf, decodedSegment, KeyRefused } from '../app-key.js';
import { decodeCursor, digest, encodeCursor } from '../cursor.js';
import { clientError, type Query, type VendorDialect, type VendorAnswer, type VendorRequest } from '../vendor.js';
import { characters, jsonBody, NotInCatalog, relayUnserved } from '../key-relay.js';
import { timedOut } from '../../upstream/relay.js';
import { Validation, type Param } from './validate.js';
import { cachedAnswer, isEmpty } from '../answers.js';
import type { JsonBody } from '../render-cache.js';

export const ELEVENLABS_ROOT = '/elevenlabs';

type Op = 'v2/voices' | 'v1/voices' | 'v1/voices/get' | 'v1/shared-voices';

const VOICE_TYPES = ['personal', 'community', 'default', 'workspace', 'non-default', 'non-community', 'saved'];
const FINE_TUNING_STATES = ['draft', 'not_verified', 'not_started', 'queued', 'fine_tuning', 'fine_tuned', 'failed', 'delayed'];

/** Each operation's query parameters, in the order their errors are listed (docs/dialects/elevenlabs.md-§7). */
const PARAMS: Record<Op, Param[]> = {
  'v2/voices': [
    { name: 'next_page_token', kind: 'str' },
    { name: 'page_size', kind: 'int', min: 1, max: 100 },
    { name: 'search', kind: 'str' },
    { name: 'sort', kind: 'enum', values: ['created_at_unix', 'name'] },
    { name: 'sort_direction', kind: 'enum', values: ['asc', 'desc'] },
    { name: 'voice_type', kind: 'enum', values: VOICE_TYPES },
    { name: 'category', kind: 'enum', values: ['premade', 'cloned', 'generated', 'professional'] },
    { name: 'fine_tuning_state', kind: 'enum', values: FINE_TUNING_STATES },
    { name: 'collection_id', kind: 'str' },
    { name: 'include_total_count', kind: 'bool' },
    { name: 'voice_ids', kind: 'list', maxItems: 100 },
    { name: 'gender', kind: 'str' },
    { name: 'age', kind: 'str' },
    { name: 'accent', kind: 'str' },
    { name: 'language', kind: 'list' },
    { name: 'use_cases', kind: 'list' },
    { name: 'high_quality', kind: 'bool' },
    { name: 'min_notice_period_days', kind: 'int' },
    { name: 'include_custom_rates', kind: 'bool' },
    { name: 'include_live_moderated', kind: 'bool' },
  ],
  'v1/voices': [{ name: 'show_legacy', kind: 'bool' }],
  'v1/voices/get': [{ name: 'with_settings', kind: 'bool' }],
  'v1/shared-voices': [
    { name: 'page_size', kind: 'int', min: 1, max: 100 },
    { name: 'page', kind: 'int', min: 0 },
    { name: 'category', kind: 'enum', values: ['professional', 'famous', 'high_quality'] },
    { name: 'gender', kind: 'str' },
    { name: 'age', kind: 'str' },
    { name: 'accent', kind: 'str' },
    { name: 'language', kind: 'str' },
    { name: 'locale', kind: 'str' },
    { name: 'search', kind: 'str' },
    { name: 'use_cases', kind: 'list' },
    { name: 'descriptives', kind: 'list' },
    { name: 'featured', kind: 'bool' },
    { name: 'reader_app_enabled', kind: 'bool' },
    { name: 'owner_id', kind: 'str' },
    { name: 'min_notice_period_days', kind: 'int' },
    { name: 'include_custom_rates', kind: 'bool' },
    { name: 'include_live_moderated', kind: 'bool' },
    { name: 'sort', kind: 'enum', values: ['created_date', 'usage_character_count_1y', 'trending', 'cloned_by_count'] },
  ],
};

/** How deep the library pages (page × page_size), as deep as ZEGO's Offset goes. */
const LIBRARY_DEPTH = 1_000_000;

/** The served path of a request, and the voice id segment of `/v1/voices/{voice_id}`. */
function operationOf(rest: string): { op: Op; voiceId?: string } | undefined {
  switch (rest) {
    case '/v2/voices':
      return { op: 'v2/voices' };
    case '/v1/voices':
      return { op: 'v1/voices' };
    case '/v1/shared-voices':
      return { op: 'v1/shared-voices' };
  }
  // One raw segment: `/v1/voices/{id}/settings` and `/v1/voices/settings/default` stay unserved.
  const m = /^\/v1\/voices\/([^/]+)$/.exec(rest);
  if (m) return { op: 'v1/voices/get', voiceId: decodedSegment(m[1]) };
  return undefined;
}

const requestId = () => randomBytes(16).toString('hex');

/** An error object of ElevenLabs' current shape (keys in its order), in FastAPI's `detail`. */
export function detail(type: string, code: string, message: string, status = code, param?: string): string {
  return JSON.stringify({ detail: { type, code, message, status, request_id: requestId(), ...(param ? { param } : {}) } });
}

const primary = (tag: string) => tag.split('-')[0];
/** Whether a language tag names a region (`en-US`, `es-419`, `zh-Hant-TW`), not only a language or script. */
export const hasRegion = (tag: string) => /^[A-Za-z]{2,3}(-[A-Za-z]{4})?-([A-Za-z]{2}|[0-9]{3})(-|$)/.test(tag);
const seconds = (ms: number) => Math.floor(ms / 1000);

/** A timbre as ElevenLabs' `Voice` (docs/dialects/elevenlabs.md); keys in the SDK schema's order. */
function voiceOf(services: Services, app: App, t: Timbre) {
  const preview = t.sample ? services.urls.resolve(t.sample) : null;
  const labels: Record<string, string> = {};
  const label = (k: string, v: string | undefined) => {
    if (v) labels[k] = v;
  };
  label('accent', t.accent);
  label('descriptive', t.tags[0]);
  label('age', t.age);
  label('gender', t.gender);
  label('language', t.languages.length ? primary(t.languages[0]) : undefined);
  label('use_case', t.useCases[0]);
  return {
    voice_id: t.key,
    name: t.name,
    samples: null,
    category: t.owner === PUBLIC_OWNER ? 'premade' : t.timbreType === 'Boutique' ? 'professional' : 'cloned',
    fine_tuning: null,
    labels,
    description: t.description === '' ? null : t.description,
    preview_url: preview,
    available_for_tiers: [],
    settings: null,
    sharing: null,
    high_quality_base_model_ids: [],
    verified_languages: verifiedLanguages(services, t, preview),
    collection_ids: [],
    safety_control: null,
    voice_verification: null,
    permission_on_resource: null,
    is_owner: t.owner === app.id,
    is_legacy: t.status === 'retired',
    is_mixed: false,
    favorited_at_unix: null,
    created_at_unix: seconds(t.createdAt),
    is_bookmarked: false,
    recording_quality: null,
    labelling_status: null,
    recording_quality_reason: null,
  };
}

function verifiedLanguages(services: Services, t: Timbre, preview: string | null) {
  return t.languages.map((tag) => ({
    language: primary(tag),
    model_id: services.config.elevenlabsModelId,
    accent: t.accent || null,
    locale: hasRegion(tag) ? tag : null,
    // The language's own sample where the timbre has one, else the voice's.
    preview_url: t.languageSamples[tag] ? services.urls.resolve(t.languageSamples[tag]) : preview,
  }));
}

/** A public timbre as a voice-library entry (docs/dialects/elevenlabs.md). */
function libraryVoiceOf(services: Services, t: Timbre) {
  const preview = t.sample ? services.urls.resolve(t.sample) : null;
  const first = t.languages[0];
  return {
    public_owner_id: services.config.elevenlabsOwnerId,
    voice_id: t.key,
    date_unix: seconds(t.createdAt),
    name: t.name,
    accent: t.accent,
    gender: t.gender,
    age: t.age,
    descriptive: t.tags[0] ?? '',
    use_case: t.useCases[0] ?? '',
    category: t.timbreType === 'Boutique' ? 'professional' : 'high_quality',
    language: first ? primary(first) : null,
    locale: first && hasRegion(first) ? first : null,
    description: t.description === '' ? null : t.description,
    preview_url: preview,
    usage_character_count_1y: 0,
    usage_character_count_7d: 0,
    play_api_usage_character_count_1y: 0,
    cloned_by_count: 0,
    rate: null,
    fiat_rate: null,
    free_users_allowed: true,
    live_moderation_enabled: false,
    featured: false,
    verified_languages: verifiedLanguages(services, t, preview),
    notice_period: null,
    instagram_username: null,
    twitter_username: null,
    youtube_username: null,
    tiktok_username: null,
    image_url: t.image ? services.urls.resolve(t.image) : null,
    is_added_by_user: false,
    is_bookmarked: false,
  };
}

/** The token is bound to what it was made for: another query, sort or app cannot take it. */
class BadPageToken extends Error {}
/** An unpaged list past TIMBREL_UNPAGED_MAX: refused, never cut. */
class TooMany extends Error {}

const intersect = (a: string[], b: string[]) => a.filter((x) => b.includes(x));
const OTHER_TYPES: TimbreType[] = ['SampleBasic', 'SampleFast'];

/** `GET /v2/voices` (docs/dialects/elevenlabs.md). */
async function searchVoices(services: Services, app: App, v: Validation): Promise<string> {
  let owners = ownersFor(app, 'visible');
  let timbreType: string[] | undefined;
  let nothing = false;
  const voiceType = v.str('voice_type');
  if (voiceType === 'default') owners = ownersFor(app, 'public');
  else if (voiceType === 'community') nothing = true;
  else if (voiceType !== undefined) owners = ownersFor(app, 'mine');
  const category = v.str('category');
  if (category === 'premade') owners = intersect(owners, ownersFor(app, 'public'));
  else if (category === 'professional') {
    owners = intersect(owners, ownersFor(app, 'mine'));
    timbreType = ['Boutique'];
  } else if (category === 'cloned') {
    owners = intersect(owners, ownersFor(app, 'mine'));
    timbreType = OTHER_TYPES;
  } else if (category === 'generated') nothing = true;
  if (v.str('fine_tuning_state') !== undefined || v.str('collection_id') !== undefined || v.bool('high_quality') === true) nothing = true;

  const sortBy = v.str('sort');
  const desc = v.str('sort_direction') === 'desc';
  const sort: ListSort =
    sortBy === 'name'
      ? desc
        ? '-name,catalog'
        : 'name,catalog'
      : sortBy === 'created_at_unix'
        ? desc
          ? '-createdAt,catalog'
          : 'createdAt,catalog'
        : 'catalog';
  const gender = v.str('gender');
  const filters: Omit<TimbreSearch, 'limit' | 'sort' | 'status'> = {
    owners,
    q: v.str('search')?.trim() || undefined,
    gender: gender !== undefined ? [gender.toLowerCase()] : undefined,
    age: v.str('age'),
    accent: v.str('accent'),
    languageOrSubtag: v.list('language'),
    useCase: v.list('use_cases'),
    keys: v.list('voice_ids'),
    timbreType,
  };
  const bound = digest({ app: app.id, sort, nothing, ...filters });
  const token = v.str('next_page_token');
  let after: (string | number)[] | undefined;
  if (token !== undefined) {
    try {
      after = decodeCursor(token, bound);
    } catch {
      throw new BadPageToken();
    }
    const types = SORTS[sort].map((c) => (c === 'sort_order' || c === 'created_at' ? 'number' : 'string'));
    if (after.length !== types.length || after.some((x, i) => typeof x !== types[i])) throw new BadPageToken();
  }
  const wantTotal = v.bool('include_total_count') ?? true;
  if (nothing || !owners.length) return JSON.stringify({ voices: [], has_more: false, total_count: 0, next_page_token: null });

  const pageSize = v.int('page_size') ?? 10;
  const narrowed = Object.entries(filters).some(([k, x]) => k !== 'owners' && x !== undefined);
  const { rows } = await services.repo.timbres.search({ ...filters, status: ['active'], sort, after, limit: pageSize });
  const items = rows.slice(0, pageSize);
  const hasMore = rows.length > pageSize;
  // Without filters the count is the lists' own (kept by the deep-offset index); with filters it is counted
  // once per catalog version and query, not once per page (an SDK paging through asks it on every page).
  const count = !wantTotal
    ? 0
    : narrowed
      ? await services.repo.cached(
          `elevenlabs-count|${digest(filters)}`,
          async () => (await services.repo.timbres.search({ ...filters, status: ['active'], sort: 'catalog', limit: 0, total: true })).total!,
        )
      : (await services.repo.timbres.list(owners, {}, 0, 0)).total;
  const last = items[items.length - 1];
  return JSON.stringify({
    voices: items.map((t) => voiceOf(services, app, t)),
    has_more: hasMore,
    total_count: count,
    next_page_token: hasMore && last ? encodeCursor(bound, sortKeyOf(sort, last)) : null,
  });
}

/** `GET /v1/voices` (docs/dialects/elevenlabs.md): unpaged, up to TIMBREL_UNPAGED_MAX. */
async function allVoices(services: Services, app: App, v: Validation): Promise<string> {
  const owners = ownersFor(app, 'visible');
  const max = services.config.unpagedMax;
  let items: Timbre[];
  if (v.bool('show_legacy')) {
    const { rows } = await services.repo.timbres.search({ owners, status: ['active', 'retired'], sort: 'catalog', limit: max });
    if (rows.length > max) throw new TooMany();
    items = rows;
  } else {
    const { total } = await services.repo.timbres.list(owners, {}, 0, 0);
    if (total > max) throw new TooMany();
    items = (await services.repo.timbres.list(owners, {}, 0, total)).items;
  }
  return JSON.stringify({ voices: items.map((t) => voiceOf(services, app, t)) });
}

/** `GET /v1/shared-voices` (docs/dialects/elevenlabs.md): the public catalog, by page number. */
async function libraryVoices(services: Services, v: Validation): Promise<string> {
  const pageSize = v.int('page_size') ?? 30;
  const page = v.int('page') ?? 0;
  const category = v.str('category');
  const ownerId = v.str('owner_id');
  const nothing =
    category === 'famous' ||
    v.bool('featured') === true ||
    v.bool('reader_app_enabled') === true ||
    (ownerId !== undefined && ownerId !== services.config.elevenlabsOwnerId);
  if (nothing) return JSON.stringify({ voices: [], has_more: false, total_count: 0, last_sort_id: null });
  const gender = v.str('gender');
  const language = v.str('language');
  const locale = v.str('locale');
  const filters: Omit<TimbreSearch, 'limit' | 'sort' | 'status'> = {
    timbreType: category === 'professional' ? ['Boutique'] : category === 'high_quality' ? OTHER_TYPES : undefined,
    gender: gender !== undefined ? [gender.toLowerCase()] : undefined,
    age: v.str('age'),
    accent: v.str('accent'),
    languageOrSubtag: language !== undefined ? [language] : undefined,
    locale: locale !== undefined ? [locale].filter(hasRegion) : undefined,
    q: v.str('search')?.trim() || undefined,
    useCase: v.list('use_cases'),
    tagCi: v.list('descriptives'),
  };
  const sort: ListSort = v.str('sort') === 'created_date' ? '-createdAt,catalog' : 'catalog';
  const offset = page * pageSize;
  const narrowed = sort !== 'catalog' || Object.values(filters).some((x) => x !== undefined);
  // Unfiltered, the catalog order pages through the deep-offset index; otherwise a counted offset query.
  const { total, items } = narrowed
    ? await services.repo.timbres.offsetPage({ ...filters, owners: [PUBLIC_OWNER], status: ['active'], sort }, offset, pageSize)
    : await services.repo.timbres.list([PUBLIC_OWNER], {}, offset, pageSize);
  return JSON.stringify({
    voices: items.map((t) => libraryVoiceOf(services, t)),
    has_more: offset + items.length < total,
    total_count: total,
    last_sort_id: null,
  });
}

export function authenticate(services: Services, headers: Record<string, string | string[] | undefined>, from: string): Promise<App> {
  const xi = headers['xi-api-key'];
  const key = typeof xi === 'string' && xi !== '' ? xi : headers.authorization !== undefined ? (bearerOf(headers.authorization) ?? '') : undefined;
  return appOfKey(services, key, from);
}

export const elevenlabsDialect: VendorDialect = async (services, req) => {
  const tag: RequestTag = { dialect: 'elevenlabs', op: 'unsupported' };
  const rest = req.path.slice(ELEVENLABS_ROOT.length);
  const found = operationOf(rest);
  const done = (status: number, body: JsonBody, extra: Partial<VendorAnswer> = {}): VendorAnswer => ({ status, body, tag, ...extra });
  const unserved = () => (found ? done(405, '{"detail":"Method Not Allowed"}', { allow: 'GET' }) : done(404, '{"detail":"Not Found"}'));
  if (!found || (req.method !== 'GET' && req.method !== 'HEAD')) {
    // Not served here: relayed to the app's upstream (or the operator's), when there is one.
    if (!hasKey(req.headers)) return unserved();
    return relayed(services, req, rest, tag, unserved);
  }
  tag.op = found.op;
  const v = new Validation(PARAMS[found.op], req.query as Query);
  if (found.op === 'v1/shared-voices' && !v.failed('page') && !v.failed('page_size')) {
    const pageSize = v.int('page_size') ?? 30;
    v.atMost('page', Math.floor(LIBRARY_DEPTH / pageSize));
  }
  if (v.errors.length) return done(422, JSON.stringify({ detail: v.errors }));
  try {
    const app = await authenticate(services, req.headers, req.clientAddress);
    tag.app = app.name;
    tag.appId = app.id;
    await admit(services, app);
    // A successful answer depends on the operation, the app and the accepted parameters only.
    const body = await cachedAnswer(services, `elevenlabs|${found.op}|${app.id}|${found.voiceId ?? ''}|${v.key()}`, async () => {
      switch (found.op) {
        case 'v2/voices':
          return searchVoices(services, app, v);
        case 'v1/voices':
          return allVoices(services, app, v);
        case 'v1/voices/get': {
          const t = await services.repo.timbres.byKey(found.voiceId!, ownersFor(app, 'visible'));
          return t ? JSON.stringify(voiceOf(services, app, t)) : '';
        }
        case 'v1/shared-voices':
          return libraryVoices(services, v);
      }
    });
    if (isEmpty(body)) return done(404, detail('not_found', 'voice_not_found', `A voice with voice_id '${found.voiceId!.slice(0, 200)}' was not found.`));
    return done(200, body);
  } catch (err) {
    return failed(services, req, err, tag);
  }
};

/** Every failure of the dialect in ElevenLabs' shapes. */
function failed(services: Services, req: VendorRequest, err: unknown, tag: RequestTag): VendorAnswer {
  const done = (status: number, body: JsonBody, extra: Partial<VendorAnswer> = {}): VendorAnswer => ({ status, body, tag, ...extra });
  if (err instanceof NotInCatalog) return done(404, detail('not_found', 'voice_not_found', `A voice with voice_id '${err.id.slice(0, 200)}' was not found.`));
  if (err instanceof TooMany)
    return done(400, detail('invalid_request', 'too_many_voices', `More than ${services.config.unpagedMax} voices; page through them with GET /v2/voices.`));
  if (err instanceof BadPageToken)
    return done(400, detail('invalid_request', 'invalid_parameters', 'next_page_token is not valid for this query.', 'invalid_parameters', 'next_page_token'));
  const e = err instanceof KeyRefused ? err : clientError(req.log, err);
  switch (e.code) {
    case 'unauthorized':
    case 'app_disabled':
      return done(
        401,
        e instanceof KeyRefused && e.missing
          ? detail('authentication_error', 'unauthorized', 'Neither authorization header nor xi-api-key received, please provide one.', 'needs_authorization')
          : detail('authentication_error', 'unauthorized', 'Invalid API key', 'invalid_api_key'),
      );
    case 'rate_limited':
      return done(429, detail('rate_limit_error', 'rate_limit_exceeded', 'Too many requests. Please slow down.'), { retryAfter: 1 });
    case 'upstream_unavailable':
    case 'upstream_invalid':
      return done(timedOut(e) ? 504 : 502, detail('upstream_error', e.code, e.message, e.code));
    case 'busy':
    case 'unavailable':
      return done(503, detail('service_unavailable', 'service_unavailable', 'The service is busy; try again shortly.'), { retryAfter: 1 });
    default:
      return done(500, detail('internal_error', 'internal_error', 'The server could not answer this request.'));
  }
}

/** The voice ids a relayed call names in its path (`/v1/text-to-speech/{voice_id}…`) or JSON body. */
function voicesNamed(rest: string, body: unknown): string[] {
  const ids: string[] = [];
  const m = /^\/v1\/(?:text-to-speech|speech-to-speech|voices)\/([^/]+)/.exec(rest);
  if (m && !(rest.startsWith('/v1/voices/') && ['add', 'settings', 'add-voice', 'pvc', 'ivc'].includes(m[1]))) ids.push(decodedSegment(m[1]));
  const inputs = (body as { inputs?: unknown })?.inputs;
  if (Array.isArray(inputs)) for (const i of inputs) if (typeof i?.voice_id === 'string') ids.push(i.voice_id);
  const voiceId = (body as { voice_id?: unknown })?.voice_id;
  if (typeof voiceId === 'string') ids.push(voiceId);
  return ids;
}

/** Whether the call carries a key at all (one without is answered as an unserved route, as before). */
const hasKey = (headers: Record<string, string | string[] | undefined>) => headers['xi-api-key'] !== undefined || headers.authorization !== undefined;

/** A call timbrel does not serve: relayed to the app's upstream, or answered as unserved when there is none. */
async function relayed(services: Services, req: VendorRequest, rest: string, tag: RequestTag, unserved: () => VendorAnswer): Promise<VendorAnswer> {
  try {
    const app = await authenticate(services, req.headers, req.clientAddress);
    tag.app = app.name;
    tag.appId = app.id;
    await admit(services, app);
    const body = jsonBody(req) as { text?: unknown; inputs?: { text?: unknown }[] } | undefined;
    const spoken = /^\/v1\/text-to-(?:speech|dialogue)\//.test(`${rest}/`)
      ? characters(body?.text, ...(Array.isArray(body?.inputs) ? body.inputs.map((i) => i?.text) : []))
      : 0;
    return (await relayUnserved(services, req, app, 'elevenlabs', rest, { voices: voicesNamed(rest, body), characters: spoken }, tag)) ?? unserved();
  } catch (err) {
    return failed(services, req, err, tag);
  }
}
