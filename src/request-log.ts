import type { FastifyBaseLogger } from 'fastify';
import type { Metrics } from './metrics.js';

/** What a request log line says about a dialect request (never a secret or a signature). */
export interface RequestTag {
  dialect: string;
  op?: string;
  app?: string;
  /** The app's id, where `app` is set: its use is counted by id. */
  appId?: string;
  /** How a relayed call went: through the app's `own` upstream or the `operator`'s (unset: served here). */
  via?: 'own' | 'operator';
  /** Characters of text the call asked to be spoken, and the vendor that speaks them. */
  characters?: number;
  speechVendor?: string;
  /** Bytes of the vendor's answer passed to the client (relayed calls). */
  bytes?: number;
  /**
   * The vendor's own code inside a 200 (ZEGO, IVH: 0 = success). Unset in the dialects that answer with
   * HTTP statuses (OpenAI, ElevenLabs, HeyGen, native): the status is their code.
   */
  code?: number | string;
}

/**
 * A path with every API key in it masked, whatever its spelling: by the key's shape (`tbk_…`, after
 * percent-decoding), and any segment after a `key` segment (the OpenAI dialect's key-in-path form, with
 * doubled slashes, another case or dot segments around it).
 */
export function maskKeys(path: string): string {
  let p = path;
  if (p.includes('%')) {
    try {
      p = decodeURIComponent(p);
    } catch {
      // Not percent-encoding: masked as sent.
    }
  }
  return p.replace(/tbk_[^/?#\s]*/gi, 'tbk_***').replace(/(^|[/\\])(key)[/\\]+[^/\\?#]+/gi, '$1$2/***');
}

/** Drops the query string from anything logged (it carries signatures) and masks API keys in the path. */
export const pathOnly = (url: string | undefined) => maskKeys((url ?? '').split('?')[0]);

let lastRequestId = 0;
/** Request ids for log lines, one sequence for the vendor edge and the Fastify routes of a process. */
export const nextRequestId = (): string => `req-${(lastRequestId = (lastRequestId + 1) % Number.MAX_SAFE_INTEGER).toString(36)}`;

export interface Answered {
  /** Fastify's id for the request; the edge's requests get one only when a line is written. */
  reqId?: string;
  method: string;
  url: string;
  status: number;
  ms: number;
  /** Set by the routes that know more (the dialects); else the operation is "METHOD route". */
  tag?: RequestTag;
  route?: string;
}

/**
 * Counts and logs one answered request: the metrics, and one log line with dialect, operation, app, vendor
 * code, status and time, never the query. Failures (HTTP ≥ 400 or a vendor code ≠ 0) at info, so refused
 * signatures and unknown apps show in the default log; successes at debug (a read API at thousands of
 * requests a second would drown the log, and the metrics carry the counts).
 */
export function recordRequest(metrics: Metrics, log: FastifyBaseLogger, a: Answered): void {
  const t = a.tag;
  const dialect = t?.dialect ?? 'http';
  const operation = t?.op ?? `${a.method} ${a.route ?? '(no route)'}`;
  metrics.count(dialect, operation, String(t?.code ?? a.status), a.ms / 1000);
  const failed = a.status >= 400 || (t?.code !== undefined && t.code !== 0);
  if (t?.app && t.app !== '(operator)') metrics.appRequests.inc({ app: t.app, dialect, outcome: failed ? 'failed' : 'ok' });
  if (t?.appId) metrics.usage?.count({ appId: t.appId, dialect, via: t.via ?? 'served', failed, characters: t.characters, bytes: t.bytes });
  if (t?.characters) metrics.speechCharacters.inc({ dialect, vendor: t.speechVendor ?? dialect }, t.characters);
  const level = failed ? 'info' : 'debug';
  // With logging off, Fastify's stand-in logger has no isLevelEnabled: nothing to build a line for.
  if ((log as Partial<{ isLevelEnabled(l: string): boolean }>).isLevelEnabled?.(level)) {
    log[level](
      { reqId: a.reqId ?? nextRequestId(), method: a.method, path: pathOnly(a.url), status: a.status, ms: Math.round(a.ms * 10) / 10, ...t },
      'request',
    );
  }
}
