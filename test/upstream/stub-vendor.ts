/**
 * A stub vendor for relayed calls (shared/spec/upstream.md §4): it checks every call's signature with the
 * vendor's own algorithm and the app's credentials at the vendor, records what it received, and answers
 * documented bodies, or slowly, chunked, huge, garbled, or not at all. Calls it does not play (the
 * catalog) go, unchanged, to `catalog` when given: a second timbrel server that holds the vendor's catalog.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { parse as parseQuery } from 'fast-querystring';
import { zegoSignature } from '../../src/dialects/zego/signature.js';
import { ivhSignature } from '../../src/dialects/tencent-ivh/signature.js';

export const VENDOR_ZEGO = { appId: 777001, serverSecret: 'vendorSecretVendorSecret00000001' };
export const VENDOR_IVH = { appkey: 'f00dfeedf00dfeedf00dfeedf00dfeed', accesstoken: 'vendor-token-0123456789abcdef0123' };

export interface Received {
  method: string;
  path: string;
  rawQuery: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: string;
  /** The signature checked out under the vendor credentials. */
  signed: boolean;
}

/** The streaming actions' answers: ZEGO's documented envelope with the Data its clients read. */
export const ZEGO_ANSWERS: Record<string, unknown> = {
  CreateDigitalHumanStreamTask: { TaskId: 'task-0001' },
  DriveByText: { DriveId: 'drive-0001' },
  QueryDigitalHumanStreamTasks: { Tasks: [{ TaskId: 'task-0001', Status: 2 }] },
  StopDigitalHumanStreamTask: {},
  DoAction: { DriveId: 'drive-0002' },
};

export interface StubVendor {
  url: string;
  hostPort: string;
  received: Received[];
  /** When each call arrived (performance.now()). */
  arrivals: number[];
  /** Catalog calls still passed on before the stub answers every one with a system error (Infinity: never). */
  catalogCallsLeft: number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function stubVendor(catalog?: string): Promise<StubVendor> {
  const received: Received[] = [];
  const arrivals: number[] = [];
  const state = { catalogCallsLeft: Infinity };
  const server: Server = createServer((req, res) => {
    arrivals.push(performance.now());
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const rawQuery = q < 0 ? '' : url.slice(q + 1);
      const query = parseQuery(rawQuery) as Record<string, string>;
      const body = Buffer.concat(chunks).toString('utf8');
      const ivh = path.startsWith('/v2/ivh/');
      const signed = ivh
        ? query.appkey === VENDOR_IVH.appkey && ivhSignature(query, VENDOR_IVH.accesstoken) === String(query.signature).replace(/ /g, '+')
        : query.AppId === String(VENDOR_ZEGO.appId) &&
          query.Signature === zegoSignature(query.AppId, query.SignatureNonce, VENDOR_ZEGO.serverSecret, query.Timestamp);
      received.push({ method: req.method ?? '', path, rawQuery, query, headers: req.headers, body, signed });
      const action = ivh ? path.split('/').pop()! : query.Action;
      // The catalog is the second timbrel server's to answer (it holds the same vendor credentials).
      if (catalog && !(action in ZEGO_ANSWERS) && !['createsession', 'Slow', 'Late', 'Gzip', 'Chunked', 'Trickle', 'Huge', 'Drop', 'Fail'].includes(action)) {
        if (state.catalogCallsLeft-- <= 0) {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(
            ivh
              ? JSON.stringify({ Header: { Code: 100000, Message: 'InternalError: vendor failure' } })
              : JSON.stringify({ Code: 400010000, Message: 'system error', RequestId: 'broken' }),
          );
        }
        const r = await fetch(`${catalog}${url}`, {
          method: req.method,
          headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
          body: req.method === 'GET' ? undefined : body,
        });
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
        return res.end(Buffer.from(await r.arrayBuffer()));
      }
      const json = (v: unknown, status = 200) => {
        const text = JSON.stringify(v);
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      if (!signed)
        return json(
          ivh
            ? { Header: { Code: 100005, Message: 'UnauthorizedOperation: signature verification failed' } }
            : { Code: 100000005, Message: 'signature error', RequestId: 'stub' },
        );
      switch (action) {
        case 'createsession':
          return json({
            Header: { Code: 0, Message: 'ok', RequestID: JSON.parse(body || '{}')?.Header?.RequestID ?? 'stub', SessionID: '', DialogID: '' },
            Payload: { SessionId: 'session-0001', SessionStatus: 1, PlayStreamAddr: 'webrtc://stream.example/live/session-0001' },
          });
        case 'Slow':
          await sleep(3000);
          return json({ Code: 0, Message: 'success', RequestId: 'slow', Data: {} });
        case 'Gzip': {
          const zipped = gzipSync(Buffer.from(JSON.stringify({ Code: 0, Message: 'success', RequestId: 'gzip', Data: { Compressed: true } })));
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip', 'content-length': zipped.length });
          return res.end(zipped);
        }
        case 'Late':
          await sleep(300);
          return json({ Code: 0, Message: 'success', RequestId: 'late', Data: {} });
        case 'Chunked': {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          const parts = ['{"Code":0,', '"Message":"success",', '"RequestId":"chunked",', '"Data":{"Parts":5}', '}'];
          for (const p of parts) {
            res.write(p);
            await sleep(30);
          }
          return res.end();
        }
        case 'Trickle': {
          // Headers at once, then a byte every 100 ms for 3 s.
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          for (let i = 0; i < 30 && !res.destroyed; i++) {
            res.write(' ');
            await sleep(100);
          }
          return res.end('{}');
        }
        case 'Huge': {
          const size = Number(query.Size ?? 64 * 1024 * 1024);
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
          const block = Buffer.alloc(64 * 1024, 0x61);
          let sent = 0;
          const more = () => {
            while (sent < size) {
              const n = Math.min(block.length, size - sent);
              sent += n;
              if (!res.write(n === block.length ? block : block.subarray(0, n))) return void res.once('drain', more);
            }
            res.end();
          };
          return more();
        }
        case 'Drop':
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
          res.write('{"Code":0,"Message":"succ');
          return setTimeout(() => res.socket?.destroy(), 20);
        case 'Fail':
          return json({ Code: 400010000, Message: 'system error', RequestId: 'vendor-failed' }, 500);
        default:
          if (action in ZEGO_ANSWERS) return json({ Code: 0, Message: 'success', RequestId: `vendor-${received.length}`, Data: ZEGO_ANSWERS[action] });
          return json({ Code: 100000007, Message: 'unsupported Action', RequestId: 'stub' });
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    received,
    arrivals,
    get catalogCallsLeft() {
      return state.catalogCallsLeft;
    },
    set catalogCallsLeft(n: number) {
      state.catalogCallsLeft = n;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A server that answers every connection with bytes that are not HTTP. */
export async function garbageServer(): Promise<{ url: string; hostPort: string; close(): Promise<void> }> {
  const server: TcpServer = createTcpServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => socket.end('THIS IS NOT HTTP\r\n\r\n\u0000\u0001garbage'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, hostPort: `127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return `127.0.0.1:${port}`;
}
