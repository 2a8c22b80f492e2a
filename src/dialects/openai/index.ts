/**
 * The OpenAI-compatible voice list under `/openai` (the de-facto `GET /v1/audio/voices` of self-hosted
 * OpenAI-compatible speech servers, read by Open WebUI, Home Assistant integrations and others), served by
 * the vendor edge (../vendor.ts). Errors in OpenAI's envelope, which the OpenAI SDKs parse. Speech and every
 * other OpenAI route answer 404: never a fake success. docs/dialects/openai.md.
 */
import { ownersFor } from '../../core/catalog.js';
import { TimbrelError } from '../../core/errors.js';
import { type App, type Timbre } from '../../core/types.js';
import { maskKeys, type RequestTag } from '../../request-log.js';
import type { Services } from '../../services.js';
import { admit } from '../admit.js';
import { clientError, type VendorAnswer, type VendorDialect } from '../vendor.js';
import { characters, jsonBody, NotInCatalog, relayUnserved } from '../key-relay.js';
import { speakByCatalog } from './speech.js';
import { timedOut } from '../../upstream/relay.js';
import { cachedAnswer, isEmpty } from '../answers.js';
import { appOfKey, bearerOf, decodedSegment, KeyRefused } from '../app-key.js';

export const OPENAI_ROOT = '/openai';
/** The key-in-path form for clients that send no Authorization header (Open WebUI's voice list). */
const PATH_KEY = /^\/openai\/key\/([^/]+)(\/.*)$/;

/** Served paths after the prefix (and the optional key segment), with their operation names. */
const OPERATIONS: Record<string, string> = { '/v1/audio/voices': 'audio/voices', '/v1/models': 'models' };

/** OpenAI's error body: keys in this order, compact. */
const error = (status: number, message: string, type: string, param: string | null, code: string | null) => ({
  status,
  body: JSON.stringify({ error: { message, type, param, code } }),
});

const BOOL: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, on: true, off: false };

function legacyOf(raw: string | string[] | undefined): boolean {
  if (raw === undefined) return false;
  const v = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  const b = BOOL[v.toLowerCase()];
  if (b === undefined) throw Object.assign(new TimbrelError('invalid_parameter', 'legacy must be a boolean.', 'legacy'), { openai: true });
  return b;
}

/** One voice as the clients read it (docs/dialects/openai.md). */
function voice(services: Services, t: Timbre) {
  return {
    id: t.key,
    object: 'audio.voice',
    name: t.name,
    created_at: Math.floor(t.createdAt / 1000),
    description: t.description === '' ? null : t.description,
    gender: t.gender,
    languages: t.languages,
    preview_url: t.sample ? services.urls.resolve(t.sample) : null,
  };
}

async function authenticate(
  services: Services,
  headers: Record<string, string | string[] | undefined>,
  pathKey: string | undefined,
  from: string,
): Promise<App> {
  const bearer = bearerOf(headers.authorization);
  // A key in the path and another in the header: neither is taken.
  if (bearer !== undefined && pathKey !== undefined && bearer !== decodedSegment(pathKey)) throw new KeyRefused(false);
  return appOfKey(services, pathKey !== undefined ? decodedSegment(pathKey) : bearer, from);
}

export const openaiDialect: VendorDialect = async (services, req) => {
  const tag: RequestTag = { dialect: 'openai', op: 'unsupported' };
  const m = PATH_KEY.exec(req.path);
  const rest = m ? m[2] : req.path.slice(OPENAI_ROOT.length);
  const op = Object.hasOwn(OPERATIONS, rest) ? OPERATIONS[rest] : undefined;
  const unserved = (): VendorAnswer =>
    op
      ? { ...error(405, 'Method not allowed.', 'invalid_request_error', null, null), allow: 'GET', tag }
      : { ...error(404, `Invalid URL (${req.method} ${maskKeys(req.receivedPath ?? req.path).slice(0, 200)})`, 'invalid_request_error', null, null), tag };
  const served = op !== undefined && (req.method === 'GET' || req.method === 'HEAD');
  try {
    // A call without a key to a route not served here is answered as unserved (no upstream is looked for).
    if (!served && m === null && req.headers.authorization === undefined) return unserved();
    const app = await authenticate(services, req.headers, m?.[1], req.clientAddress);
    tag.app = app.name;
    tag.appId = app.id;
    await admit(services, app);
    // Not served here, or the vendor's models once an upstream exists: relayed, when there is an upstream.
    if (!served || op === 'models') {
      // Speech naming a catalog voice: routed by where the voice comes from (speech.ts).
      const body = rest === '/v1/audio/speech' && req.method === 'POST' ? jsonBody(req) : undefined;
      const [voice] = voiceNamed(body);
      if (voice !== undefined) return await speakByCatalog(services, req, app, body as Record<string, unknown>, voice, tag);
      const named = rest === '/v1/audio/speech' ? { voices: voiceNamed(body), characters: characters((body as { input?: unknown })?.input) } : {};
      const relayed = await relayUnserved(services, req, app, 'openai', rest, named, tag);
      if (relayed) return relayed;
      if (!served) return unserved();
    }
    tag.op = op!;
    if (op === 'models') {
      return { status: 200, body: '{"object":"list","data":[]}', tag };
    }
    const legacy = legacyOf(req.query.legacy);
    const owners = ownersFor(app, 'visible');
    const max = services.config.unpagedMax;
    // '' = more voices than an unpaged list answers.
    const body = await cachedAnswer(services, `openai|voices|${app.id}|${legacy}`, async () => {
      const { total } = await services.repo.timbres.list(owners, {}, 0, 0);
      if (total > max) return '';
      const { items } = await services.repo.timbres.list(owners, {}, 0, total);
      if (legacy) return JSON.stringify({ voices: items.map((t) => t.key) });
      const voices = items.map((t) => voice(services, t));
      return JSON.stringify({ object: 'list', data: voices, voices });
    });
    if (isEmpty(body)) {
      return { ...error(400, `More than ${max} voices; this list has no paging.`, 'invalid_request_error', null, 'too_many_voices'), tag };
    }
    return { status: 200, body, tag };
  } catch (err) {
    if (err instanceof NotInCatalog)
      return {
        ...error(
          404,
          `The voice '${err.id.slice(0, 200)}' does not exist or you do not have access to it.`,
          'invalid_request_error',
          'voice',
          'voice_not_found',
        ),
        tag,
      };
    const e = clientError(req.log, err);
    const answer = (() => {
      switch (e.code) {
        case 'upstream_unavailable':
        case 'upstream_invalid':
          return error(timedOut(e) ? 504 : 502, e.message, 'api_error', null, e.code);
        case 'unauthorized':
        case 'app_disabled':
          return e instanceof KeyRefused && e.missing
            ? error(401, 'No API key provided.', 'invalid_request_error', null, null)
            : error(401, 'Invalid API key.', 'invalid_request_error', null, 'invalid_api_key');
        case 'rate_limited':
          return error(429, 'Rate limit reached for requests.', 'requests', null, 'rate_limit_exceeded');
        case 'invalid_parameter':
          return error(400, e.message, 'invalid_request_error', e.param ?? null, null);
        case 'busy':
        case 'unavailable':
          return error(503, 'The server is busy; try again shortly.', 'server_error', null, null);
        default:
          return error(500, 'The server had an error while processing your request.', 'server_error', null, null);
      }
    })();
    return { ...answer, tag, retryAfter: answer.status === 429 || answer.status === 503 ? 1 : undefined };
  }
};

/** The voice an OpenAI speech call names: a string, or `{"id": …}` (a custom voice). */
function voiceNamed(body: unknown): string[] {
  const v = (body as { voice?: unknown })?.voice;
  if (typeof v === 'string') return [v];
  const id = (v as { id?: unknown })?.id;
  return typeof id === 'string' ? [id] : [];
}
