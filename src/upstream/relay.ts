/**
 * Pass-through (docs/gateway.md, "Pass-through"): a vendor call timbrel authenticates and admits but does not
 * serve goes to the app's own account at the vendor, re-signed with the app's upstream credentials, and the
 * vendor's answer streams back byte for byte. Timbrel's own credentials never leave timbrel.
 *
 * undici holds one keep-alive pool per upstream origin; connect, header and whole-answer timeouts bound
 * every call, so a vendor that hangs costs a socket for at most the timeout, never the server.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { parse as parseQuery } from 'fast-querystring';
import { Agent, request } from 'undici';
import type { Config } from '../config.js';
import { TimbrelError } from '../core/errors.js';
import type { KeyDialect, Upstream, UpstreamDialect } from '../core/types.js';
import type { Metrics } from '../metrics.js';
import { ivhSignature } from '../dialects/tencent-ivh/signature.js';
import { zegoSignature } from '../dialects/zego/signature.js';

/** The vendors' own hosts (docs/gateway.md): the default of `--url`. */
export const DEFAULT_UPSTREAM_URL: Record<UpstreamDialect, string> = {
  zego: 'https://aigc-digitalhuman-api.zegotech.cn',
  ivh: 'https://gw.tvs.qq.com',
  elevenlabs: 'https://api.elevenlabs.io',
  openai: 'https://api.openai.com',
  heygen: 'https://api.heygen.com',
};

/**
 * An upstream base URL as stored: `https://host[:port][/path]`, or `http://` for a `host:port` the
 * operator allowed (TIMBREL_UPSTREAM_ALLOW_HTTP). No credentials, query or fragment; no trailing slash.
 */
export function upstreamUrl(input: string, allowHttp: readonly string[]): string {
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    throw new TimbrelError('invalid_parameter_value', 'url must be an absolute https:// URL', 'url');
  }
  if (u.username || u.password || u.search || u.hash)
    throw new TimbrelError('invalid_parameter_value', 'url must not carry credentials, a query or a fragment', 'url');
  if (u.protocol === 'http:') {
    const hostPort = `${u.hostname}:${u.port || '80'}`.toLowerCase();
    if (!allowHttp.includes(hostPort)) {
      throw new TimbrelError(
        'invalid_parameter_value',
        `url must be https:// (plain http only for hosts listed in TIMBREL_UPSTREAM_ALLOW_HTTP; ${hostPort} is not)`,
        'url',
      );
    }
  } else if (u.protocol !== 'https:') {
    throw new TimbrelError('invalid_parameter_value', 'url must be an absolute https:// URL', 'url');
  }
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

const nameOf = (pair: string): string => {
  const eq = pair.indexOf('=');
  const k = eq < 0 ? pair : pair.slice(0, eq);
  if (!k.includes('%') && !k.includes('+')) return k;
  try {
    return decodeURIComponent(k.replace(/\+/g, ' '));
  } catch {
    return k;
  }
};

/** Replaces (in place, else appends) the named parameters; every other pair stays as sent, in order. */
function withParams(raw: string, set: Record<string, string>): string {
  const left = new Map(Object.entries(set));
  const out: string[] = [];
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const name = nameOf(pair);
    if (!Object.hasOwn(set, name)) {
      out.push(pair);
      continue;
    }
    // A parameter given twice keeps only its first place.
    if (!left.has(name)) continue;
    out.push(`${encodeURIComponent(name)}=${encodeURIComponent(left.get(name)!)}`);
    left.delete(name);
  }
  for (const [name, value] of left) out.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  return out.join('&');
}

/**
 * Nonces: a random prefix per process and a counter, 16 hex digits (ZEGO's clients send 16); unique
 * without asking the system for random bytes on every call (that was 3% of a relayed call's CPU).
 */
const NONCE_PREFIX = randomBytes(4).toString('hex');
let nonceCounter = 0;
const nextNonce = () => `${NONCE_PREFIX}${(nonceCounter = (nonceCounter + 1) >>> 0).toString(16).padStart(8, '0')}`;

/** ZEGO: new AppId, SignatureNonce, Timestamp and Signature under the upstream's ServerSecret. */
export function resignZego(rawQuery: string, u: Pick<Upstream, 'account' | 'secret'>, nowMs: number): string {
  const nonce = nextNonce();
  const ts = String(Math.floor(nowMs / 1000));
  return withParams(rawQuery, { AppId: u.account, SignatureNonce: nonce, Timestamp: ts, Signature: zegoSignature(u.account, nonce, u.secret, ts) });
}

/**
 * IVH: new appkey, timestamp and signature under the upstream's accesstoken; `requestid` and any other
 * parameter are kept and signed as IVH signs them (every decoded parameter but the signature, sorted).
 */
export function resignIvh(rawQuery: string, u: Pick<Upstream, 'account' | 'secret'>, nowMs: number): string {
  const unsigned = withParams(rawQuery, { appkey: u.account, timestamp: String(Math.floor(nowMs / 1000)), signature: '' });
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(parseQuery(unsigned) as Record<string, string | string[]>)) params[k] = Array.isArray(v) ? v[0] : v;
  return withParams(unsigned, { signature: ivhSignature(params, u.secret) });
}

/** Request headers passed on (docs/gateway.md); everything else (hop-by-hop, host, auth, cookies) stays here. */
const FORWARDED = ['content-type', 'accept', 'accept-encoding', 'user-agent'] as const;
/**
 * Answer headers passed back. `content-encoding` beyond the spec's list: `accept-encoding` is forwarded,
 * so a compressed answer's bytes mean nothing without it. The key dialects' vendors add what their
 * clients read: ElevenLabs' character cost and ids, OpenAI's request id and processing time.
 */
const RETURNED = ['content-type', 'content-length', 'content-encoding'] as const;
const RETURNED_BY_KEY_VENDORS = [...RETURNED, 'content-disposition', 'character-cost', 'request-id', 'history-item-id', 'x-request-id', 'openai-processing-ms'];

/** Where each key dialect's vendor takes its API key. */
const KEY_HEADER: Record<KeyDialect, (key: string) => [string, string]> = {
  elevenlabs: (key) => ['xi-api-key', key],
  openai: (key) => ['authorization', `Bearer ${key}`],
  heygen: (key) => ['x-api-key', key],
};

/** Query parameters that can carry a client's key (ElevenLabs' WebSocket URLs): never forwarded. */
const KEY_PARAMS = new Set(['xi_api_key']);

/** The query with the named parameters left out; every other pair as sent, in order. */
export function withoutParams(raw: string, names: ReadonlySet<string>): string {
  if (!raw) return raw;
  return raw
    .split('&')
    .filter((pair) => pair && !names.has(nameOf(pair)))
    .join('&');
}

/** The query and headers that carry the upstream's credentials, in the vendor's place. */
function credentials(dialect: UpstreamDialect, rawQuery: string, u: Upstream, nowMs: number): { query: string; header?: [string, string] } {
  switch (dialect) {
    case 'zego':
      return { query: resignZego(rawQuery, u, nowMs) };
    case 'ivh':
      return { query: resignIvh(rawQuery, u, nowMs) };
    default:
      return { query: withoutParams(rawQuery, KEY_PARAMS), header: KEY_HEADER[dialect](u.secret) };
  }
}

export interface RelayCall {
  upstream: Upstream;
  method: string;
  /** The path as received (ZEGO: `/`; IVH: `/v2/ivh/…`). */
  path: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body as received, or still streaming in (an upload relayed as it arrives). */
  body: Buffer | Readable;
  /** The client's address chain for x-forwarded-for, when TIMBREL_TRUST_PROXY is set. */
  forwardedFor?: string;
}

/** The vendor's answer, its body still streaming. `done` records the outcome once the body is through. */
export interface RelayedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Readable;
  done(ok: boolean): void;
}

type Outcome = 'ok' | 'unreachable' | 'timeout' | 'invalid' | 'aborted';

/**
 * undici's words for an answer that is not HTTP as the vendor's API speaks it: a parser error, headers past
 * the limit, a 101 to a request that asked for no upgrade, two Content-Lengths that disagree.
 */
export function garbled(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; cause?: unknown; name?: string; message?: string } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (
      code.startsWith('HPE_') ||
      e.name === 'HTTPParserError' ||
      code === 'UND_ERR_HEADERS_OVERFLOW' ||
      code === 'UND_ERR_INFO' ||
      code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'
    )
      return true;
    if (code === 'UND_ERR_SOCKET' && e.message === 'bad upgrade') return true;
  }
  return false;
}

function failureOf(err: unknown): { outcome: Outcome; error: TimbrelError } {
  const e = err as { code?: unknown; name?: string };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (garbled(err)) {
    return { outcome: 'invalid', error: new TimbrelError('upstream_invalid', 'system error: the upstream vendor answered something that is not HTTP') };
  }
  if (
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    e?.name === 'TimeoutError' ||
    e?.name === 'AbortError' ||
    code === 'UND_ERR_ABORTED'
  ) {
    return {
      outcome: 'timeout',
      error: Object.assign(new TimbrelError('upstream_unavailable', 'system busy: the upstream vendor did not answer in time'), { timedOut: true }),
    };
  }
  return { outcome: 'unreachable', error: new TimbrelError('upstream_unavailable', 'system busy: the upstream vendor could not be reached') };
}

/** Whether a relay failure was the vendor's silence (504 in the dialects that answer HTTP statuses) rather than no connection (502). */
export const timedOut = (err: unknown): boolean => (err as { timedOut?: boolean })?.timedOut === true;

/** What each upstream dialect relays lives under this path; a call's path never leaves it. */
const RELAYED_ROOT: Record<UpstreamDialect, string> = { zego: '/', ivh: '/v2/ivh/', elevenlabs: '/', openai: '/', heygen: '/' };

/**
 * A relayed call's path in one spelling, or undefined when it would leave the dialect's relayed root:
 * backslashes and encoded dots and slashes read as what URL parsers (ours, the vendor's, a proxy's) make
 * of them, duplicate slashes collapsed, dot segments resolved. The result is what is sent, appended to the
 * upstream URL's own path, which it therefore never escapes.
 */
export function relayPath(path: string, dialect: UpstreamDialect): string | undefined {
  const root = RELAYED_ROOT[dialect];
  // The common case, nothing to normalize: no escape, no backslash, no empty or dot segment.
  if (path.startsWith(root) && !/[%\\]|\/\/|\/\.|^\.|\.$/.test(path)) return path;
  const unified = path
    .replace(/%5c|\\/gi, '/')
    .replace(/%2f/gi, '/')
    .replace(/%2e/gi, '.')
    .replace(/\/{2,}/g, '/');
  let normal: string;
  try {
    normal = new URL(unified, 'http://relay.invalid').pathname;
  } catch {
    return undefined;
  }
  return normal === root.slice(0, -1) || normal.startsWith(root) ? normal : undefined;
}

export class Relay {
  private readonly agent: Agent;

  constructor(
    private readonly config: Pick<Config, 'upstreamConnectTimeoutMs' | 'upstreamTimeoutMs'>,
    private readonly metrics: Metrics,
    private readonly now: () => number,
  ) {
    this.agent = new Agent({
      connect: { timeout: config.upstreamConnectTimeoutMs },
      headersTimeout: config.upstreamTimeoutMs,
      bodyTimeout: config.upstreamTimeoutMs,
      keepAliveTimeout: 10_000,
      // Per origin: past this, calls queue for a socket instead of opening more.
      connections: 128,
    });
  }

  /** The dispatcher the sync's clients share (same pools, same timeouts). */
  get dispatcher(): Agent {
    return this.agent;
  }

  /**
   * Sends the call and resolves once the vendor's status and headers are in; throws a TimbrelError
   * (upstream_unavailable, upstream_invalid) when there is no answer to pass on.
   */
  async send(c: RelayCall): Promise<RelayedAnswer> {
    const dialect = c.upstream.dialect;
    const path = relayPath(c.path, dialect);
    if (path === undefined) throw new TimbrelError('action_unsupported', `${c.path.slice(0, 200)} is not served`);
    const started = performance.now();
    const { query, header } = credentials(dialect, c.rawQuery, c.upstream, this.now());
    const headers: Record<string, string> = {};
    for (const h of FORWARDED) {
      const v = c.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    // A streamed upload keeps the length its client announced (undici frames it chunked otherwise).
    const length = c.headers['content-length'];
    if (!Buffer.isBuffer(c.body) && typeof length === 'string') headers['content-length'] = length;
    if (header) headers[header[0]] = header[1];
    if (c.forwardedFor) headers['x-forwarded-for'] = c.forwardedFor;
    const finish = (outcome: Outcome) => {
      this.metrics.upstreamRequests.inc({ dialect, outcome });
      this.metrics.upstreamLatency.observe({ dialect }, (performance.now() - started) / 1000);
    };
    // The whole answer, body included, within the timeout: the headers by undici's headersTimeout, the
    // body by a timer for what is left of it (an AbortSignal per call cost a tenth of a relayed call's CPU).
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(query ? `${c.upstream.url}${path}?${query}` : `${c.upstream.url}${path}`, {
        dispatcher: this.agent,
        method: c.method as 'POST',
        headers,
        body: c.method === 'GET' || c.method === 'HEAD' ? undefined : c.body,
      });
    } catch (err) {
      const { outcome, error } = failureOf(err);
      finish(outcome);
      throw error;
    }
    // A status HTTP does not define (a vendor's 999) is no answer to pass on: the dialect's garbled-answer error.
    if (res.statusCode < 200 || res.statusCode > 599) {
      await res.body.dump().catch(() => undefined);
      finish('invalid');
      throw new TimbrelError('upstream_invalid', `system error: the upstream vendor answered HTTP status ${res.statusCode}`);
    }
    const left = this.config.upstreamTimeoutMs - (performance.now() - started);
    const body = res.body;
    const cut = setTimeout(
      () => body.destroy(Object.assign(new Error('the upstream answer passed the timeout'), { code: 'UND_ERR_BODY_TIMEOUT' })),
      Math.max(0, left),
    );
    cut.unref();
    body.once('close', () => clearTimeout(cut));
    const out: Record<string, string> = {};
    for (const h of header ? RETURNED_BY_KEY_VENDORS : RETURNED) {
      const v = res.headers[h];
      if (typeof v === 'string') out[h] = v;
    }
    let recorded = false;
    return {
      status: res.statusCode,
      headers: out,
      body: res.body,
      done: (ok) => {
        clearTimeout(cut);
        if (recorded) return;
        recorded = true;
        finish(ok ? 'ok' : 'aborted');
      },
    };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
