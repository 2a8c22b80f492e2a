import proxyAddr from '@fastify/proxy-addr';
/**
 * The vendor edge: ZEGO's `/` and Tencent IVH's `/v2/ivh/…` answered straight from node:http, in front of
 * Fastify (which serves the native API, files, the console and the operations routes).
 *
 * Why not Fastify routes: these are the hot paths of every vendor client (a catalog page per screen), their
 * wire format is fixed by the vendors (query-string auth, any Content-Type, the dialect's own envelope for
 * every failure, a body limit answered in the envelope), and Fastify's per-request machinery (request and
 * reply objects, content-type parsing, hooks, serialization) was a third of the server's CPU per request.
 * A dialect is a plain function here: a request in (method, path, query, raw body), an answer out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { parse as parseQuery } from 'fast-querystring';
import { TimbrelError } from '../core/errors.js';
import type { Services } from '../services.js';
import { recordRequest, type RequestTag } from '../request-log.js';
import { asTimbrelError } from './body.js';
import type { JsonBody } from './render-cache.js';
import type { RelayedAnswer } from '../upstream/relay.js';

export type Query = Record<string, string | string[] | undefined>;

export interface VendorRequest {
  method: string;
  /** The path as received (not decoded), with the dialect's prefix when its host was routed to it. */
  path: string;
  /** The path as the client sent it, where host routing added a prefix (error messages echo this one). */
  receivedPath?: string;
  query: Query;
  /** The query string as received, still encoded (a relayed call keeps its parameters in order). */
  rawQuery: string;
  /** The body as received; empty when there was none. */
  body: Buffer;
  /** The request headers (the dialects whose auth is a header read it here). */
  headers: Record<string, string | string[] | undefined>;
  /** The peer's address: the socket's (a proxy's, behind one). */
  remoteAddress: string;
  /**
   * The client's address: behind a trusted proxy (TIMBREL_TRUST_PROXY) the one it forwarded, as the native
   * API's `req.ip` reads it. Failed sign-ins are throttled per client address, in every dialect.
   */
  clientAddress: string;
  /** Set when the body could not be taken (over the limit): the dialect answers it in its envelope. */
  bodyError?: TimbrelError;
  /**
   * An upload to a dialect that relays uploads (a body that is not JSON), still unread: `body` is empty and
   * the relay streams this to the vendor. A handler that answers without relaying leaves it unread (the
   * connection then closes after the answer).
   */
  upload?: Readable;
  log: FastifyBaseLogger;
}

export interface VendorAnswer {
  status: number;
  body: JsonBody;
  /** The methods to name in an `Allow` header (405 answers). */
  allow?: string;
  /** Seconds for a `Retry-After` header (429 and 503 answers of dialects that use HTTP statuses). */
  retryAfter?: number;
  tag: RequestTag;
  /** A relayed call: the vendor's answer, streamed to the client instead of `body`. */
  relayed?: RelayedAnswer;
}

export type VendorDialect = (services: Services, req: VendorRequest) => Promise<VendorAnswer>;

/** A WebSocket upgrade a dialect relays (ElevenLabs' realtime speech): it answers the socket itself. */
export interface UpgradeRequest {
  req: IncomingMessage;
  socket: import('node:stream').Duplex;
  head: Buffer;
  /** The path as the dialect sees it (a host routed to it gets its prefix). */
  path: string;
  clientAddress: string;
  log: FastifyBaseLogger;
}

export type UpgradeHandler = (services: Services, u: UpgradeRequest) => Promise<void>;

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Logs unexpected failures with their stack (server side only), the database's weather in one short line,
 * and returns what the client may see.
 */
export function clientError(log: FastifyBaseLogger, err: unknown): TimbrelError {
  const e = asTimbrelError(err);
  if (e.code === 'internal') log.error({ err }, 'request failed');
  else if (e.code === 'busy' || e.code === 'unavailable')
    log.warn({ err: { message: (err as Error)?.message, code: (err as { code?: unknown })?.code } }, `request answered ${e.code}`);
  return e;
}

/** A refused body is read and dropped up to this size (or 4× the limit) and for this long. */
const DRAIN_BYTES = 8 * 1024 * 1024;
const DRAIN_MS = 10_000;

/** A node:http `request` listener. */
export type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export interface EdgeOptions {
  services: Services;
  /**
   * Which dialect owns a request, if any, and the path it sees (a host routed to a dialect gets that
   * dialect's prefix before its path).
   */
  route(path: string, host: string | undefined): { dialect: VendorDialect; path: string; relaysUploads?: boolean } | undefined;
  /** Everything else (and, once closing, everything: it answers 503 and closes kept-alive connections). */
  fallback: Listener;
  log(): FastifyBaseLogger;
  closing(): boolean;
}

/**
 * Answers leave together, at the end of the event loop's turn (setImmediate runs after the poll phase has
 * handled every request that arrived): a burst of writes in a row instead of one write between two
 * requests' work. On loopback and on a VM a write that wakes a sleeping reader is the expensive part of
 * a cached answer, and the first write of a burst wakes the reader for the rest: measured against the bare
 * node:http server of the benchmark with 20-30 µs of work per request, the server's system time per
 * request went from ~15 µs to ~9 µs and its throughput up 13-40%, p99 down (docs/benchmarks.md).
 * uWebSockets.js corks a loop iteration's writes for the same reason.
 */
const outbox: Array<() => void> = [];

function flushOutbox(): void {
  // Each write catches its own failure: one answer's fault never strands the others.
  for (let i = 0; i < outbox.length; i++) outbox[i]();
  outbox.length = 0;
}

function sendSoon(write: () => void): void {
  if (outbox.push(write) === 1) setImmediate(flushOutbox);
}

function writeAnswer(res: ServerResponse, a: VendorAnswer, closeAfter: boolean): void {
  const b = a.body;
  const length = typeof b === 'string' ? Buffer.byteLength(b) : Buffer.byteLength(b.head) + b.page.length + Buffer.byteLength(b.tail);
  const headers: Record<string, string | number> = { 'content-type': JSON_TYPE, 'content-length': length };
  if (a.allow) headers.allow = a.allow;
  if (a.retryAfter !== undefined) headers['retry-after'] = a.retryAfter;
  // A body announced past what the edge drains is left unread: the connection closes after the answer.
  if (closeAfter) headers.connection = 'close';
  res.writeHead(a.status, headers);
  if (typeof b === 'string') return void res.end(b);
  // Corked, the three parts leave in one writev with the headers (end() uncorks fully).
  res.cork();
  res.write(b.head);
  res.write(b.page);
  res.end(b.tail);
}

/**
 * A relayed answer: the vendor's status and headers, then its body as it arrives (never buffered whole).
 * A body cut short (the vendor dropped, or the whole-answer timeout passed) cuts the client's connection:
 * with a length or chunked framing the client sees a broken answer, never a short one taken as whole.
 */
function relay(res: ServerResponse, a: VendorAnswer, closeAfter: boolean, recorded: () => void): void {
  const r = a.relayed!;
  // pipe, not stream.pipeline: pipeline's AbortController (and the DOMException it makes when it finishes)
  // was a tenth of a relayed call's CPU.
  let ended = false;
  let bytes = 0;
  const declared = Number(r.headers['content-length']);
  const end = (ok: boolean) => {
    if (ended) return;
    ended = true;
    a.tag.bytes = ok && Number.isSafeInteger(declared) ? declared : bytes;
    r.done(ok);
    if (!ok) {
      r.body.destroy();
      res.destroy();
    }
    recorded();
  };
  // Before anything can destroy the body (destroying it emits an error).
  r.body.on('error', () => end(false));
  // A client gone while the vendor was answering: nobody to pass the answer to.
  if (res.destroyed) return end(false);
  const headers: Record<string, string> = { ...r.headers };
  if (closeAfter) headers.connection = 'close';
  res.writeHead(r.status, headers);
  res.once('finish', () => end(true));
  res.once('close', () => end(res.writableFinished));
  // The app's usage: an answer of a declared length counts it once whole; another is counted as it passes
  // (a listener attached with the pipe, so no chunk goes by uncounted; on the hot relay path only when needed).
  if (!Number.isSafeInteger(declared)) r.body.on('data', (chunk: Buffer) => (bytes += chunk.length));
  r.body.pipe(res);
}

/** A request whose body is an upload (not JSON, not empty): what the key dialects relay as it arrives. */
function isUpload(req: IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  const type = req.headers['content-type'] ?? '';
  const length = req.headers['content-length'];
  if (length === '0' || (length === undefined && req.headers['transfer-encoding'] === undefined)) return false;
  return !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type) && !/^text\/plain\b/i.test(type);
}

/** TIMBREL_TRUST_PROXY as Fastify reads it for `req.ip`: one rule for the native API and the vendor edge. */
export function trustOf(tp: boolean | number | string): ((addr: string, i: number) => boolean) | undefined {
  if (tp === false) return undefined;
  if (tp === true) return () => true;
  if (typeof tp === 'number') return (_, i) => i < tp;
  return proxyAddr.compile(tp.split(',').map((v) => v.trim()));
}

/** The `request` listener of the HTTP server. */
export function vendorEdge(o: EdgeOptions): Listener {
  const limit = o.services.config.maxBodyBytes;
  /** How much of a refused body the edge reads and drops before it cuts the connection. */
  const drainable = Math.max(DRAIN_BYTES, 4 * limit);
  const tooLarge = () => new TimbrelError('body_too_large', 'body is larger than the limit');
  const trust = trustOf(o.services.config.trustProxy);

  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const sent = q < 0 ? url : url.slice(0, q);
    const routed = o.route(sent, req.headers.host);
    if (!routed || o.closing()) return o.fallback(req, res);
    const { dialect, path, relaysUploads } = routed;
    const receivedPath = path === sent ? undefined : sent;

    const started = performance.now();
    const log = o.log();
    const answer = async (body: Buffer, bodyError?: TimbrelError, close = false, upload?: IncomingMessage) => {
      try {
        const rawQuery = q < 0 ? '' : url.slice(q + 1);
        const remoteAddress = req.socket.remoteAddress ?? '';
        const clientAddress = trust ? proxyAddr(req, trust) : remoteAddress;
        const request: VendorRequest = {
          method: req.method ?? 'GET',
          path,
          receivedPath,
          query: q < 0 ? {} : parseQuery(rawQuery),
          rawQuery,
          body,
          bodyError,
          upload,
          headers: req.headers,
          remoteAddress,
          clientAddress,
          log,
        };
        const a = await dialect(o.services, request);
        // An upload the handler did not relay is unread: the connection closes after the answer.
        if (upload && !upload.readableEnded && !upload.readableFlowing) close = true;
        if (a.relayed)
          return relay(res, a, close, () =>
            recordRequest(o.services.metrics, log, { method: request.method, url, status: a.status, ms: performance.now() - started, tag: a.tag }),
          );
        sendSoon(() => {
          try {
            writeAnswer(res, a, close);
            recordRequest(o.services.metrics, log, { method: request.method, url, status: a.status, ms: performance.now() - started, tag: a.tag });
          } catch (err) {
            log.error({ err }, 'request failed');
            res.destroy();
          }
        });
      } catch (err) {
        // The dialects answer every failure themselves; this is a bug, not a client's doing.
        log.error({ err }, 'request failed');
        res.destroy();
      }
    };

    if (relaysUploads && isUpload(req)) return void answer(Buffer.alloc(0), undefined, false, req);
    const declared = Number(req.headers['content-length'] ?? 0);
    // A body announced past what the edge would read and drop: answered at once, and the connection closes.
    if (declared > drainable) return void answer(Buffer.alloc(0), tooLarge(), true);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    // Over the limit: answered at once, and the rest of the body is read and dropped (within DRAIN_MS and
    // `drainable` bytes), so that a client still sending reads the answer instead of a reset; the
    // connection then stays usable.
    const refuse = () => {
      refused = true;
      chunks.length = 0;
      const timer = setTimeout(() => req.socket.destroy(), DRAIN_MS);
      timer.unref();
      req.once('end', () => clearTimeout(timer)).once('close', () => clearTimeout(timer));
      void answer(Buffer.alloc(0), tooLarge());
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (refused) {
        if (size > drainable) req.socket.destroy();
        return;
      }
      if (size <= limit) return void chunks.push(chunk);
      refuse();
    };
    const onEnd = () => {
      if (!refused) void answer(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    };
    req.on('data', onData).on('end', onEnd);
    if (declared > limit) refuse();
    // A client gone mid-body has nobody to answer.
    req.on('error', () => res.destroy());
  };
}
