/**
 * A ZEGO vendor that plays the attacks a sync must survive: its catalog, its paging and its media are
 * whatever a test sets (a persona per attack), served on loopback. It does not check signatures (the
 * stub vendor and the second timbrel server do that); it answers the list actions a sync calls and serves
 * media under /media/ on its own origin.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { once } from 'node:events';

export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

export interface ZegoDh {
  DigitalHumanId: string;
  Name: string;
  AvatarUrl?: string;
  IsPublic: boolean;
  Actions?: { Action: string; PreviewUrl?: string }[];
}

export interface ZegoVoice {
  TimbreId: string;
  Name: string;
  AvatarUrl?: string;
}

/** What the vendor does; each test sets the persona it plays. */
export interface Persona {
  digitalHumans: ZegoDh[];
  timbres: ZegoVoice[];
  /** GetTimbreList with DigitalHumanId: the digital human's bound (private) timbres. */
  bound: Record<string, ZegoVoice[]>;
  /** Claimed totals instead of the real ones. */
  total?: number;
  /** Every page of GetTimbreList is its first page. */
  repeatPages?: boolean;
  /** GetTimbreList never ends: each page has new ids. */
  endless?: boolean;
  /** Each list answer waits this long. */
  delayMs?: number;
  /** GetDigitalHumanList answers a valid JSON document this many bytes long, streamed. */
  hugeAnswerBytes?: number;
  /** Every list call is answered with this ZEGO code and message. */
  fail?: { code: number; message: string };
}

export interface MediaFile {
  /** The body: a buffer, or `size` bytes of a PNG padded with `fill`. */
  bytes?: Buffer;
  size?: number;
  /** A redirect instead of a body. */
  redirect?: string;
  hits: number;
}

export interface HostileVendor {
  url: string;
  hostPort: string;
  persona: Persona;
  media: Map<string, MediaFile>;
  /** List calls answered, by action. */
  calls: Record<string, number>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ok = (res: ServerResponse, data: unknown) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ Code: 0, Message: 'success', RequestId: 'r-1', Data: data }));
};

/** Streams a `size`-byte PNG (its header, then filler), with backpressure: the stub holds no copy of it. */
async function streamPadded(res: ServerResponse, size: number, seed: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(size) });
  res.write(PNG);
  const chunk = Buffer.alloc(64 * 1024, seed & 0xff);
  for (let left = size - PNG.length; left > 0; left -= chunk.length) {
    if (res.destroyed) return;
    if (!res.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  res.end();
}

async function streamHugeList(res: ServerResponse, bytes: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json' });
  const head = '{"Code":0,"Message":"success","RequestId":"r","Data":{"Total":1,"DigitalHumans":[{"DigitalHumanId":"d","IsPublic":true,"Name":"';
  res.write(head);
  const chunk = Buffer.alloc(256 * 1024, 'a');
  for (let left = bytes - head.length - 6; left > 0; left -= chunk.length) {
    if (res.destroyed) return;
    if (!res.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  res.end('"}]}}');
}

export async function hostileVendor(): Promise<HostileVendor> {
  const persona: Persona = { digitalHumans: [], timbres: [], bound: {} };
  const media = new Map<string, MediaFile>();
  const calls: Record<string, number> = {};
  let seed = 0;
  const page = <T>(items: T[], offset: number, limit: number) => items.slice(offset, offset + limit);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://vendor');
    if (url.pathname.startsWith('/media/')) {
      const m = media.get(url.pathname.slice('/media/'.length));
      if (!m) return void res.writeHead(404).end();
      m.hits++;
      if (m.redirect) return void res.writeHead(302, { location: m.redirect }).end();
      if (m.bytes) return void res.writeHead(200, { 'content-type': 'image/png' }).end(m.bytes);
      return void streamPadded(res, m.size ?? PNG.length, seed++);
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const action = url.searchParams.get('Action') ?? '';
      calls[action] = (calls[action] ?? 0) + 1;
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { Offset?: number; Limit?: number; DigitalHumanId?: string };
      if (persona.delayMs) await sleep(persona.delayMs);
      if (persona.fail) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ Code: persona.fail.code, Message: persona.fail.message, RequestId: 'r-1' }));
      }
      const offset = body.Offset ?? 0;
      const limit = body.Limit ?? 20;
      switch (action) {
        case 'DescribeMetaHumanModel':
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({ Code: 100000007, Message: 'unsupported', RequestId: 'r-1' }));
        case 'GetDigitalHumanList':
          if (persona.hugeAnswerBytes) return void streamHugeList(res, persona.hugeAnswerBytes);
          return ok(res, { Total: persona.total ?? persona.digitalHumans.length, DigitalHumans: page(persona.digitalHumans, offset, limit) });
        case 'GetTimbreList': {
          if (body.DigitalHumanId) {
            const bound = persona.bound[body.DigitalHumanId] ?? [];
            return ok(res, { Total: bound.length, Timbres: page(bound, offset, limit) });
          }
          if (persona.endless) {
            const items = Array.from({ length: limit }, (_, i) => ({ TimbreId: `endless-${offset + i}`, Name: `Endless ${offset + i}` }));
            return ok(res, { Total: 1e9, Timbres: items });
          }
          const items = persona.repeatPages ? page(persona.timbres, 0, limit) : page(persona.timbres, offset, limit);
          return ok(res, { Total: persona.total ?? persona.timbres.length, Timbres: items });
        }
        default:
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({ Code: 400010001, Message: 'unsupported action', RequestId: 'r-1' }));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    persona,
    media,
    calls,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** An internal service a vendor would like timbrel to fetch: it counts every request that reaches it. */
export async function internalService(): Promise<{ port: number; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const server = createServer((_, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    hits: () => hits,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** A server that answers every connection with the same raw bytes (garbled HTTP), or never answers. */
export async function rawVendor(answer: string | null): Promise<{ url: string; hostPort: string; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (answer !== null) socket.once('data', () => socket.end(answer));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
