/**
 * Mistral's voice list under `/mistral` (Voxtral TTS: `GET /v1/audio/voices` and a voice, its sample),
 * served by the vendor edge (../vendor.ts) in the shape the official SDK (`@mistralai/mistralai`,
 * `audio.voices.list()`) parses strictly. Errors in Mistral's FastAPI-style bodies. Speech, voice creation
 * and every other Mistral route answer 404: never a fake success. docs/dialects/mistral.md.
 */
import { Readable } from 'node:stream';
import type { App, Timbre } from '../../core/types.js';
import { PUBLIC_OWNER } from '../../core/types.js';
import type { Scope } from '../../core/catalog.js';
import { STORED_PREFIX } from '../../files/urls.js';
import type { RequestTag } from '../../request-log.js';
import type { Services } from '../../services.js';
import { admit } from '../admit.js';
import { cachedAnswer, isEmpty } from '../answers.js';
import { appOfKey, bearerOf, decodedSegment, KeyRefused } from '../app-key.js';
import { clientError, type VendorAnswer, type VendorDialect } from '../vendor.js';

export const MISTRAL_ROOT = '/mistral';
/** The largest page (**decision**: the API reference names no maximum; 100 keeps an answer small). */
export const MAX_LIMIT = 100;
const TYPES: Record<string, Scope> = { all: 'visible', custom: 'mine', preset: 'public' };

type Detail = { type: string; loc: (string | number)[]; msg: string; input: unknown; ctx?: Record<string, unknown> };

const json = (status: number, body: unknown, tag: RequestTag, retryAfter?: number): VendorAnswer => ({ status, body: JSON.stringify(body), tag, retryAfter });

/** One voice as the SDK's VoiceResponse reads it (docs/dialects/mistral.md has each field's source). */
function voice(app: App, t: Timbre) {
  const labels = [...new Set([...t.tags, ...t.useCases, ...(t.accent ? [t.accent] : []), ...(t.age ? [t.age] : [])])];
  return {
    id: t.id,
    name: t.name,
    slug: t.key,
    languages: t.languages,
    gender: t.gender,
    age: null,
    tags: labels,
    color: null,
    description: t.description === '' ? null : t.description,
    retention_notice: 30,
    created_at: new Date(t.createdAt).toISOString().replace('Z', '+00:00'),
    user_id: t.owner === PUBLIC_OWNER ? null : app.id,
    trimmed_seconds: null,
  };
}

/** A query integer as FastAPI reads one: the last value given; a problem as pydantic words it. */
function intParam(raw: string | string[] | undefined, name: string, dflt: number, min: number, max: number | undefined, errors: Detail[]): number {
  if (raw === undefined) return dflt;
  const v = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  const loc = ['query', name];
  if (!/^\s*[+-]?\d+\s*$/.test(v)) {
    errors.push({ type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input: v });
    return dflt;
  }
  const n = Number(v);
  if (n < min) errors.push({ type: 'greater_than_equal', loc, msg: `Input should be greater than or equal to ${min}`, input: v, ctx: { ge: min } });
  else if (max !== undefined && n > max)
    errors.push({ type: 'less_than_equal', loc, msg: `Input should be less than or equal to ${max}`, input: v, ctx: { le: max } });
  return n;
}

async function list(services: Services, app: App, q: Record<string, string | string[] | undefined>, tag: RequestTag): Promise<VendorAnswer> {
  const errors: Detail[] = [];
  const limit = intParam(q.limit, 'limit', 10, 1, MAX_LIMIT, errors);
  const offset = intParam(q.offset, 'offset', 0, 0, undefined, errors);
  const rawType = q.type === undefined ? 'all' : Array.isArray(q.type) ? q.type[q.type.length - 1] : q.type;
  if (!Object.hasOwn(TYPES, rawType)) {
    errors.push({
      type: 'enum',
      loc: ['query', 'type'],
      msg: "Input should be 'all', 'custom' or 'preset'",
      input: rawType,
      ctx: { expected: "'all', 'custom' or 'preset'" },
    });
  }
  if (errors.length) return json(422, { detail: errors }, tag);
  const body = await cachedAnswer(services, `mistral|voices|${app.id}|${rawType}|${offset}|${limit}`, async () => {
    const page = await services.catalog.listTimbres(app, TYPES[rawType], {}, { offset, limit });
    return JSON.stringify({
      items: page.items.map((t) => voice(app, t)),
      total: page.total,
      // **decision**: 0-based, as offset is: the page `offset` falls in.
      page: Math.floor(offset / limit),
      page_size: limit,
      total_pages: Math.ceil(page.total / limit),
    });
  });
  return { status: 200, body, tag };
}

/** A voice's sample: a stored file streamed with its type, an external one by redirect. */
async function sample(services: Services, t: Timbre, tag: RequestTag): Promise<VendorAnswer | undefined> {
  const ref = t.sample;
  if (!ref) return undefined;
  if (!ref.startsWith(STORED_PREFIX)) {
    return {
      status: 302,
      body: '',
      tag,
      relayed: { status: 302, headers: { location: ref, 'content-length': '0' }, body: Readable.from([]), done: () => undefined },
    };
  }
  const id = ref.slice(STORED_PREFIX.length);
  const [file, bytes] = await Promise.all([services.repo.files.byId(id), services.files.read(id)]);
  if (!file || !bytes) return undefined;
  return {
    status: 200,
    body: '',
    tag,
    relayed: { status: 200, headers: { 'content-type': file.contentType, 'content-length': String(file.size) }, body: bytes, done: () => undefined },
  };
}

const ROUTE = /^\/v1\/audio\/voices(?:\/([^/]+)(\/sample)?)?$/;

export const mistralDialect: VendorDialect = async (services, req) => {
  const tag: RequestTag = { dialect: 'mistral', op: 'unsupported' };
  const m = ROUTE.exec(req.path.slice(MISTRAL_ROOT.length));
  const op = !m ? undefined : m[2] ? 'audio/voices/sample' : m[1] ? 'audio/voices/get' : 'audio/voices';
  try {
    if (!op) return json(404, { detail: 'Not Found' }, tag);
    tag.op = op;
    if (req.method !== 'GET' && req.method !== 'HEAD') return { ...json(405, { detail: 'Method Not Allowed' }, tag), allow: 'GET' };
    const app = await appOfKey(services, bearerOf(req.headers.authorization), req.clientAddress);
    tag.app = app.name;
    tag.appId = app.id;
    await admit(services, app);
    if (op === 'audio/voices') return await list(services, app, req.query, tag);
    const notFound = json(404, { detail: 'Voice not found' }, tag);
    const found = await services.catalog.findTimbre(app, decodedSegment(m![1]));
    if (!found) return notFound;
    if (op === 'audio/voices/sample') return (await sample(services, found, tag)) ?? notFound;
    const body = await cachedAnswer(services, `mistral|voice|${app.id}|${found.id}`, async () => JSON.stringify(voice(app, found)));
    return isEmpty(body) ? notFound : { status: 200, body, tag };
  } catch (err) {
    const e = err instanceof KeyRefused ? err : clientError(req.log, err);
    switch (e.code) {
      case 'unauthorized':
      case 'app_disabled':
        return json(401, { detail: 'Unauthorized' }, tag);
      case 'rate_limited':
        return json(429, { detail: 'Requests rate limit exceeded' }, tag, 1);
      case 'busy':
      case 'unavailable':
        return json(503, { detail: 'Service unavailable, try again shortly' }, tag, 1);
      default:
        return json(500, { detail: 'Internal server error' }, tag);
    }
  }
};
