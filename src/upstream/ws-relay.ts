/**
 * WebSocket pass-through (docs/gateway.md, "WebSockets"): the client's upgrade is answered only once the
 * vendor's WebSocket is open, then frames go both ways as they come (text and binary as sent), close
 * codes pass, and the connection ends when either side leaves, when it idles past
 * TIMBREL_UPSTREAM_WS_IDLE_SECONDS or when it lasts past TIMBREL_UPSTREAM_WS_MAX_SECONDS. A vendor that
 * refuses the upgrade or cannot be reached gets the client an HTTP answer instead of an upgrade.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import type { Metrics } from '../metrics.js';

/** The largest frame either side may send (ElevenLabs' realtime frames are text chunks and audio chunks). */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

const server = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });

/** The relays open in this process, for a server that closes (closeRelays). */
const open = new Set<WebSocket>();

/** Ends every relayed WebSocket of this process (the server is closing): 1001, going away. */
export function closeRelays(): void {
  for (const ws of open) ws.close(1001, 'the server is going away');
}

/** An HTTP answer on a socket whose upgrade is refused. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string, body: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const head = [
    `HTTP/1.1 ${status} ${reason}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

/** A close code either side may send on: the reserved ones (1005, 1006, 1015) stand for an abnormal end. */
const sendable = (code: number) => (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);

export interface WsRelayCall {
  /** The vendor's WebSocket URL (ws: or wss:) with its query, the credentials in place. */
  url: string;
  headers: Record<string, string>;
  /** The client's upgrade request, socket and head, unanswered. */
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  dialect: string;
  idleMs: number;
  maxMs: number;
  connectTimeoutMs: number;
  metrics: Metrics;
  /** Answers the client when the vendor refuses or cannot be reached (the dialect's HTTP error). */
  failed(status: number, why: 'unreachable' | 'refused' | 'timeout'): void;
  /** Sees each frame the client sends, before it is relayed (usage: the text it asks to be spoken). */
  sent?(data: WebSocket.RawData, isBinary: boolean): void;
  /** Called once when the relay ends, with how it ended: frames each way, and the bytes the vendor sent. */
  ended?(outcome: 'ok' | 'aborted', frames: { up: number; down: number; bytesDown: number }): void;
}

export function relayWebSocket(c: WsRelayCall): void {
  const started = performance.now();
  const vendor = new WebSocket(c.url, { headers: c.headers, handshakeTimeout: c.connectTimeoutMs, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  let settled = false;
  const finish = (outcome: 'ok' | 'unreachable' | 'timeout' | 'invalid' | 'aborted') => {
    c.metrics.upstreamRequests.inc({ dialect: c.dialect, outcome });
    c.metrics.upstreamLatency.observe({ dialect: c.dialect }, (performance.now() - started) / 1000);
  };
  // The client went away before the vendor answered: nobody to relay for.
  c.socket.once('close', () => {
    if (!settled) vendor.terminate();
  });
  vendor.once('unexpected-response', (_req, res) => {
    settled = true;
    res.resume();
    vendor.terminate();
    finish('invalid');
    c.failed(res.statusCode === 401 || res.statusCode === 403 ? 502 : res.statusCode && res.statusCode >= 400 ? res.statusCode : 502, 'refused');
  });
  vendor.once('error', (err: Error & { code?: string }) => {
    if (settled) return;
    settled = true;
    const timeout = /timed out|timeout/i.test(err.message);
    finish(timeout ? 'timeout' : 'unreachable');
    c.failed(timeout ? 504 : 502, timeout ? 'timeout' : 'unreachable');
  });
  vendor.once('open', () => {
    if (settled || c.socket.destroyed) {
      vendor.terminate();
      return;
    }
    settled = true;
    server.handleUpgrade(c.req, c.socket, c.head, (client) => pipeFrames(c, client, vendor, finish));
  });
}

const frameBytes = (data: WebSocket.RawData): number =>
  Buffer.isBuffer(data) ? data.length : Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;

function pipeFrames(c: WsRelayCall, client: WebSocket, vendor: WebSocket, finish: (outcome: 'ok' | 'aborted') => void): void {
  const frames = { up: 0, down: 0, bytesDown: 0 };
  let done = false;
  open.add(client).add(vendor);
  let idle: NodeJS.Timeout;
  const end = (ok: boolean) => {
    if (done) return;
    done = true;
    open.delete(client);
    open.delete(vendor);
    clearTimeout(idle);
    clearTimeout(total);
    finish(ok ? 'ok' : 'aborted');
    c.ended?.(ok ? 'ok' : 'aborted', frames);
  };
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => closeBoth(1000, 'idle'), c.idleMs);
    idle.unref();
  };
  const total = setTimeout(() => closeBoth(1000, 'the connection reached its time limit'), c.maxMs);
  total.unref();
  const closeBoth = (code: number, reason: string) => {
    for (const ws of [client, vendor]) if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
  };
  touch();
  client.on('message', (data, isBinary) => {
    touch();
    frames.up++;
    c.sent?.(data, isBinary);
    if (vendor.readyState === WebSocket.OPEN) vendor.send(data, { binary: isBinary });
  });
  vendor.on('message', (data, isBinary) => {
    touch();
    frames.down++;
    frames.bytesDown += frameBytes(data);
    if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
  });
  // A close passes its code and reason on; an abnormal end (no close frame) closes the other side with 1011.
  client.on('close', (code, reason) => {
    if (vendor.readyState === WebSocket.OPEN || vendor.readyState === WebSocket.CONNECTING) {
      if (sendable(code)) vendor.close(code, reason);
      else vendor.terminate();
    }
    end(code === 1000 || code === 1005);
  });
  vendor.on('close', (code, reason) => {
    if (client.readyState === WebSocket.OPEN)
      client.close(sendable(code) ? code : 1011, sendable(code) ? reason : Buffer.from('the vendor ended the connection'));
    end(code === 1000 || code === 1005);
  });
  client.on('error', () => vendor.terminate());
  vendor.on('error', () => {
    if (client.readyState === WebSocket.OPEN) client.close(1011, 'the vendor connection failed');
  });
}
