/**
 * Outbound requests to addresses that came from outside timbrel: a vendor's media URLs during a sync, and
 * (next) webhook endpoints. One guard for all of them (docs/gateway.md, "Security"):
 *
 * - only `https://`, or `http://` for a `host:port` the operator lists (TIMBREL_OUTBOUND_ALLOW_HTTP);
 *   no credentials in the URL;
 * - the address a name resolves to is checked when the connection is made (so a name that resolves to a
 *   public address at one moment and a private one the next gains nothing), and the connection goes to the
 *   address that was checked: only global unicast addresses, never loopback, private, link-local, CGNAT,
 *   multicast, unspecified, reserved or an IPv4 address inside an IPv6 one, unless a CIDR in
 *   TIMBREL_OUTBOUND_ALLOW_PRIVATE lists it;
 * - a request to the origin the operator chose for an upstream is exempt from the address rule (the
 *   operator picked that host), never from the next one: timbrel's own listening address is refused always;
 * - redirects are re-checked like the first URL, and bounded; the answer is capped in bytes and time and
 *   streamed (to the spool, for files), never held whole.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { Transform, pipeline, type Readable } from 'node:stream';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector, request } from 'undici';

/** Why an outbound request was not made or not finished, in words for a report (never a stack). */
export class OutboundRefused extends Error {
  readonly code = 'OUTBOUND_REFUSED';
}

export interface OutboundPolicy {
  /** `host:port` pairs that may be reached over plain http (TIMBREL_OUTBOUND_ALLOW_HTTP). */
  allowHttp: readonly string[];
  /** CIDRs outside global unicast that may be reached all the same (TIMBREL_OUTBOUND_ALLOW_PRIVATE). */
  allowPrivate: readonly string[];
  connectTimeoutMs: number;
}

export interface OutboundRequest {
  /** An origin (`scheme://host:port`) the operator chose: exempt from the address rule, not the rest. */
  trustedOrigin?: string;
  /** The answer's body is cut past this many bytes. */
  maxBytes: number;
  /** The whole exchange, redirects and body included. */
  timeoutMs: number;
  /** Redirects followed, each checked like the first URL (0: a redirect is an answer like any other). */
  maxRedirects?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
}

export interface OutboundAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Ends with an OutboundRefused error past `maxBytes` or the time left. */
  body: Readable;
  /** The URL that answered (after redirects). */
  url: string;
}

/** The origin of a URL as undici and the connector see it: `scheme//host:port`, the port always given. */
export function originOf(url: URL | string): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.protocol}//${u.hostname}:${port}`.toLowerCase();
}

const unbracket = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

export class Outbound {
  private readonly allowed: [ipaddr.IPv4 | ipaddr.IPv6, number][];
  /** Timbrel's own listening sockets: never a destination. */
  private readonly own: { address: string; port: number }[] = [];
  /** One pool per trusted origin ('' for none): the exemption lives in the connector. */
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly policy: OutboundPolicy) {
    this.allowed = policy.allowPrivate.map((c) => ipaddr.parseCIDR(c));
  }

  /** Records an address this process listens on (the server calls it once listening). */
  listeningOn(address: string, port: number): void {
    this.own.push({ address: unbracket(address), port });
  }

  /** Throws OutboundRefused unless `raw` is a URL this guard would request (before any address check). */
  checkUrl(raw: string, trustedOrigin?: string): URL {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new OutboundRefused('not an absolute URL');
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new OutboundRefused(`the scheme ${u.protocol} is not allowed`);
    if (u.username || u.password) throw new OutboundRefused('a URL with credentials is not requested');
    if (!u.hostname) throw new OutboundRefused('the URL names no host');
    if (u.protocol === 'http:') {
      const hostPort = `${u.hostname}:${u.port || '80'}`.toLowerCase();
      if (!this.policy.allowHttp.includes(hostPort) && originOf(u) !== trustedOrigin) {
        throw new OutboundRefused(`plain http is allowed only for hosts listed in TIMBREL_OUTBOUND_ALLOW_HTTP (${hostPort} is not)`);
      }
    }
    return u;
  }

  /** Why `address` (an IP) on `port` may not be connected to, or undefined when it may. */
  refusal(address: string, port: number, trusted: boolean): string | undefined {
    let ip: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      ip = ipaddr.process(unbracket(address));
    } catch {
      return `${address} is not an IP address`;
    }
    if (this.isOwn(ip, port)) return `${address}:${port} is timbrel's own listening address`;
    if (trusted) return undefined;
    const range = ip.range();
    if (range === 'unicast') return undefined;
    if (this.allowed.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return undefined;
    return `${address} is a ${range} address (allow it with TIMBREL_OUTBOUND_ALLOW_PRIVATE)`;
  }

  private isOwn(ip: ipaddr.IPv4 | ipaddr.IPv6, port: number): boolean {
    for (const o of this.own) {
      if (o.port !== port) continue;
      const listen = ipaddr.process(o.address);
      if (listen.toNormalizedString() === ip.toNormalizedString()) return true;
      // Listening on every address: any address of this machine is this server.
      if (listen.range() === 'unspecified' && (ip.range() === 'loopback' || ip.range() === 'unspecified' || localAddresses().has(ip.toNormalizedString())))
        return true;
      if (listen.range() === 'loopback' && ip.range() === 'loopback') return true;
    }
    return false;
  }

  private agent(trustedOrigin: string): Agent {
    let agent = this.agents.get(trustedOrigin);
    if (agent) return agent;
    const base = buildConnector({ timeout: this.policy.connectTimeoutMs });
    const connect: buildConnector.connector = (opts, callback) => {
      const host = unbracket(opts.hostname);
      const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
      const trusted = `${opts.protocol}//${opts.hostname}:${port}`.toLowerCase() === trustedOrigin;
      const resolved = isIP(host) ? Promise.resolve([{ address: host }]) : lookup(host, { all: true, verbatim: true });
      resolved.then(
        (addresses) => {
          let why: string | undefined;
          for (const { address } of addresses) {
            why = this.refusal(address, port, trusted);
            // The connection goes to the address that was checked, not to a second look-up's answer.
            if (why === undefined) return base({ ...opts, hostname: address }, callback);
          }
          callback(new OutboundRefused(why ?? `${host} resolves to no address`), null);
        },
        (err: Error) => callback(new OutboundRefused(`${host} could not be resolved (${(err as { code?: string }).code ?? err.message})`), null),
      );
    };
    agent = new Agent({ connect, headersTimeout: 30_000, bodyTimeout: 30_000, keepAliveTimeout: 5_000, connections: 16 });
    this.agents.set(trustedOrigin, agent);
    return agent;
  }

  /** One request through the guard; the caller reads (or dumps) the body. */
  async request(raw: string, o: OutboundRequest): Promise<OutboundAnswer> {
    const deadline = performance.now() + o.timeoutMs;
    const trusted = o.trustedOrigin?.toLowerCase() ?? '';
    let url = this.checkUrl(raw, trusted);
    for (let hops = 0; ; hops++) {
      const left = Math.ceil(deadline - performance.now());
      if (left <= 0) throw new OutboundRefused('the answer did not come in time');
      const signal = o.signal ? AbortSignal.any([o.signal, AbortSignal.timeout(left)]) : AbortSignal.timeout(left);
      let res: Awaited<ReturnType<typeof request>>;
      try {
        res = await request(url, { dispatcher: this.agent(trusted), method: o.method ?? 'GET', headers: o.headers, body: o.body, signal });
      } catch (err) {
        throw asRefusal(err);
      }
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string' && (o.maxRedirects ?? 0) > 0) {
        await res.body.dump().catch(() => undefined);
        if (hops >= (o.maxRedirects ?? 0)) throw new OutboundRefused(`more than ${o.maxRedirects} redirects`);
        url = this.checkUrl(new URL(location, url).href, trusted);
        continue;
      }
      return { status: res.statusCode, headers: res.headers, body: capped(res.body, o.maxBytes, deadline), url: url.href };
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close()));
    this.agents.clear();
  }
}

/** Past `maxBytes` or the deadline the body ends with an OutboundRefused that says which. */
function capped(body: Readable, maxBytes: number, deadline: number): Readable {
  let size = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new OutboundRefused(`the answer is larger than ${maxBytes} bytes`));
      done(null, chunk);
    },
  });
  const timer = setTimeout(() => out.destroy(new OutboundRefused('the answer did not come in time')), Math.max(0, deadline - performance.now()));
  timer.unref();
  // Either side failing ends both: the vendor's socket is released when the reader stops.
  pipeline(body, out, () => clearTimeout(timer));
  return out;
}

function asRefusal(err: unknown): OutboundRefused {
  if (err instanceof OutboundRefused) return err;
  const e = err as { cause?: unknown; name?: string; code?: string };
  if (e?.cause instanceof OutboundRefused) return e.cause;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.code === 'UND_ERR_CONNECT_TIMEOUT' || e?.code === 'UND_ERR_HEADERS_TIMEOUT')
    return new OutboundRefused('the answer did not come in time');
  if (typeof e?.code === 'string' && (e.code.startsWith('HPE_') || e.code === 'UND_ERR_INFO')) return new OutboundRefused('the answer is not HTTP');
  return new OutboundRefused(`could not be reached (${typeof e?.code === 'string' ? e.code : 'connection failed'})`);
}

let interfaces: { at: number; set: Set<string> } | undefined;
/** This machine's own addresses (read again after a minute: interfaces come and go). */
function localAddresses(): Set<string> {
  const now = Date.now();
  if (interfaces && now - interfaces.at < 60_000) return interfaces.set;
  const set = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) {
      try {
        set.add(ipaddr.process(i.address.split('%')[0]).toNormalizedString());
      } catch {
        // An address ipaddr cannot read is no address a URL can name either.
      }
    }
  }
  interfaces = { at: now, set };
  return set;
}

/** Checks TIMBREL_OUTBOUND_ALLOW_PRIVATE's CIDRs (config time): the bad one, or undefined. */
export function badCidr(cidrs: readonly string[]): string | undefined {
  return cidrs.find((c) => {
    try {
      ipaddr.parseCIDR(c);
      return false;
    } catch {
      return true;
    }
  });
}
