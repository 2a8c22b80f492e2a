/**
 * ElevenLabs' realtime speech over WebSocket (`/v1/text-to-speech/{voice_id}/stream-input` and
 * `/multi-stream-input`), relayed frame by frame to the app's ElevenLabs upstream (or the operator's).
 * The key comes as ElevenLabs takes it on an upgrade: the `xi-api-key` header or the `xi_api_key` query
 * parameter (never forwarded: the vendor gets the upstream's key). The voice must be one the app may use;
 * every refusal is an HTTP answer in ElevenLabs' shape, before any upgrade.
 */
import { TimbrelError } from '../../core/errors.js';
import { recordRequest, type RequestTag } from '../../request-log.js';
import { relayWebSocket, refuseUpgrade } from '../../upstream/ws-relay.js';
import { withoutParams } from '../../upstream/relay.js';
import { admit } from '../admit.js';
import { decodedSegment, KeyRefused } from '../app-key.js';
import { allow, characters, NotInCatalog, upstreamFor } from '../key-relay.js';
import { OPERATOR_UPSTREAM } from '../../core/types.js';
import type { RawData } from 'ws';
import type { UpgradeHandler } from '../vendor.js';
import { authenticate, detail, ELEVENLABS_ROOT } from './index.js';

const REALTIME = /^\/v1\/text-to-speech\/([^/]+)\/(stream-input|multi-stream-input)$/;

/** The characters of a client frame's `text` (whitespace-only texts open and flush a stream: not speech). */
function spokenIn(data: RawData): number {
  try {
    const text = (JSON.parse(data.toString()) as { text?: unknown })?.text;
    return typeof text === 'string' && text.trim() !== '' ? characters(text) : 0;
  } catch {
    return 0;
  }
}

const REASONS: Record<number, string> = {
  401: 'Unauthorized',
  404: 'Not Found',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const elevenlabsUpgrade: UpgradeHandler = async (services, u) => {
  const started = performance.now();
  const url = u.req.url ?? '/';
  const q = url.indexOf('?');
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const tag: RequestTag = { dialect: 'elevenlabs', op: 'unsupported' };
  const record = (status: number) => recordRequest(services.metrics, u.log, { method: 'GET', url: u.path, status, ms: performance.now() - started, tag });
  const refuse = (status: number, body: string) => {
    refuseUpgrade(u.socket, status, REASONS[status] ?? 'Error', body, status === 429 || status === 503 ? { 'retry-after': '1' } : {});
    record(status);
  };
  const m = REALTIME.exec(u.path.slice(ELEVENLABS_ROOT.length));
  if (!m) return refuse(404, '{"detail":"Not Found"}');
  tag.op = m[2];
  const voice = decodedSegment(m[1]);
  try {
    const queryKey = new URLSearchParams(rawQuery).get('xi_api_key');
    const headers = queryKey !== null && u.req.headers['xi-api-key'] === undefined ? { ...u.req.headers, 'xi-api-key': queryKey } : u.req.headers;
    const app = await authenticate(services, headers, u.clientAddress);
    tag.app = app.name;
    tag.appId = app.id;
    await admit(services, app);
    const upstream = await upstreamFor(services, app, 'elevenlabs');
    if (!upstream) return refuse(404, '{"detail":"Not Found"}');
    await allow(services, app, { voices: [voice] }, 'elevenlabs', upstream.open);
    const target = new URL(upstream.url);
    target.protocol = target.protocol === 'https:' ? 'wss:' : 'ws:';
    target.pathname = `${target.pathname.replace(/\/$/, '')}${u.path.slice(ELEVENLABS_ROOT.length)}`;
    target.search = withoutParams(rawQuery, new Set(['xi_api_key']));
    tag.op = 'relayed';
    tag.via = upstream.appId === OPERATOR_UPSTREAM ? 'operator' : 'own';
    tag.speechVendor = 'elevenlabs';
    relayWebSocket({
      url: target.toString(),
      headers: { 'xi-api-key': upstream.secret },
      req: u.req,
      socket: u.socket,
      head: u.head,
      dialect: 'elevenlabs',
      idleMs: services.config.upstreamWsIdleMs,
      maxMs: services.config.upstreamWsMaxMs,
      connectTimeoutMs: services.config.upstreamConnectTimeoutMs,
      metrics: services.metrics,
      failed: (status, why) =>
        refuse(
          status,
          detail(
            'upstream_error',
            'upstream_unavailable',
            why === 'refused'
              ? 'The upstream vendor refused the connection.'
              : why === 'timeout'
                ? 'The upstream vendor did not answer in time.'
                : 'The upstream vendor could not be reached.',
            'upstream_unavailable',
          ),
        ),
      // The text each frame asks to be spoken (`{"text": …}`; the opening " " and the closing "" are not speech).
      sent: (data, isBinary) => {
        if (isBinary) return;
        const n = spokenIn(data);
        if (n) tag.characters = (tag.characters ?? 0) + n;
      },
      ended: (outcome, frames) => {
        tag.bytes = frames.bytesDown;
        record(101);
        u.log.info({ dialect: 'elevenlabs', app: app.name, path: u.path, outcome, frames }, 'relayed websocket');
      },
    });
  } catch (err) {
    if (err instanceof NotInCatalog)
      return refuse(404, detail('not_found', 'voice_not_found', `A voice with voice_id '${voice.slice(0, 200)}' was not found.`));
    const e = err instanceof TimbrelError ? err : new TimbrelError('internal', 'upgrade failed');
    if (!(err instanceof TimbrelError)) u.log.error({ err }, 'upgrade failed');
    switch (e.code) {
      case 'unauthorized':
      case 'app_disabled':
        return refuse(
          401,
          e instanceof KeyRefused && e.missing
            ? detail('authentication_error', 'unauthorized', 'Neither authorization header nor xi-api-key received, please provide one.', 'needs_authorization')
            : detail('authentication_error', 'unauthorized', 'Invalid API key', 'invalid_api_key'),
        );
      case 'rate_limited':
        return refuse(429, detail('rate_limit_error', 'rate_limit_exceeded', 'Too many requests. Please slow down.'));
      case 'busy':
      case 'unavailable':
        return refuse(503, detail('service_unavailable', 'service_unavailable', 'The service is busy; try again shortly.'));
      default:
        return refuse(500, detail('internal_error', 'internal_error', 'The server could not answer this request.'));
    }
  }
};
