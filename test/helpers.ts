import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, injectRequest, loggerOptions } from '../src/app.js';
import { Writable } from 'node:stream';
import type { InjectOptions, Response as InjectResponse } from 'light-my-request';
import { loadConfig, type Config } from '../src/config.js';
import { openServices, type Services } from '../src/services.js';
import { CatalogImporter, recordSource, type ImportResult } from '../src/catalog-io/import.js';
import type { App } from '../src/core/types.js';
import { freshPostgres, type EngineName } from './engines.js';
import { zegoSignature } from '../src/dialects/zego/signature.js';
import { ivhSignature } from '../src/dialects/tencent-ivh/signature.js';

export const PUBLIC_URL = 'https://timbrel.test';

export interface Harness {
  services: Services;
  app: FastifyInstance;
  /** A request through the server's own listener (the vendor edge, then Fastify), as a socket would send it. */
  inject(opts: InjectOptions): Promise<InjectResponse>;
  dir: string;
  clock: { ms: number };
  close(): Promise<void>;
}

/**
 * A real service on a real store, with a settable clock: a SQLite file in a fresh temp dir, or (engine
 * 'postgres') a fresh PostgreSQL database dropped again on close.
 */
export async function harness(env: Record<string, string> = {}, clockMs = Date.now(), engine: EngineName = 'sqlite'): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'timbrel-test-'));
  const database = engine === 'postgres' ? await freshPostgres() : undefined;
  const config: Config = loadConfig({
    TIMBREL_DATA_DIR: dir,
    TIMBREL_PUBLIC_URL: PUBLIC_URL,
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  const clock = { ms: clockMs };
  const services = await openServices(config, { now: () => clock.ms });
  const app = await buildApp(services);
  return {
    services,
    app,
    inject: (opts) => injectRequest(app, opts),
    dir,
    clock,
    async close() {
      await app.close();
      await services.close();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Apps alpha and beta (a generous limit) with an API key each, and the operator token: the key dialects' fixture. */
export async function keyedApps(h: Harness): Promise<{ key: string; betaKey: string; admin: string }> {
  const alpha = await h.services.apps.create({ name: 'alpha', rateLimit: 100_000 });
  const beta = await h.services.apps.create({ name: 'beta', rateLimit: 100_000 });
  return {
    key: (await h.services.access.createKey(alpha)).text,
    betaKey: (await h.services.access.createKey(beta)).text,
    admin: await h.services.access.rotateAdminToken(),
  };
}

/** The first of up to `tries` answers that is a 429 (an app at 1 request a second meets its limit within a few). */
export async function firstRefusal<T extends unknown[]>(call: () => Promise<T>, tries = 4): Promise<T | undefined> {
  for (let i = 0; i < tries; i++) {
    const r = await call();
    if (r[0] === 429) return r;
  }
  return undefined;
}

export async function importRecords(services: Services, records: Record<string, unknown>[], baseDir = process.cwd()): Promise<ImportResult> {
  return new CatalogImporter(services).run(
    recordSource(
      records.map((record, i) => ({ where: `record ${i + 1}`, record })),
      baseDir,
    ),
  );
}

// ---- native /v1 ----

/** A /v1 request as a client makes it (Bearer token, JSON body; a string body is sent as is), answer parsed. */
export async function v1(h: Harness, method: string, url: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}) {
  const res = await h.inject({
    method: method as 'GET',
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    payload: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, headers: res.headers, body: res.body ? JSON.parse(res.body) : undefined, raw: res.body };
}

// ---- ZEGO ---------------------------------------------------------------------------------------------

export interface ZegoAuth {
  AppId?: string;
  SignatureNonce?: string;
  Timestamp?: string;
  Signature?: string;
  SignatureVersion?: string;
}

export function zegoQuery(app: App, nowMs: number, override: ZegoAuth & Record<string, string | undefined> = {}): string {
  const ts = String(Math.floor(nowMs / 1000));
  const nonce = 'a1b2c3d4e5f60718';
  const base: Record<string, string | undefined> = {
    AppId: String(app.zegoAppId),
    SignatureNonce: nonce,
    Timestamp: ts,
    Signature: zegoSignature(app.zegoAppId, nonce, app.zegoServerSecret, ts),
    SignatureVersion: '2.0',
    ...override,
  };
  return Object.entries(base)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&');
}

export async function zego(h: Harness, app: App, action: string, body: unknown, override: ZegoAuth & Record<string, string | undefined> = {}) {
  const res = await h.inject({
    method: 'POST',
    url: `/?Action=${encodeURIComponent(action)}&${zegoQuery(app, h.clock.ms, override)}`,
    headers: { 'content-type': 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, json: res.json() as any, raw: res.body, headers: res.headers };
}

// ---- IVH ----------------------------------------------------------------------------------------------

export const IVH_PATH = '/v2/ivh/crmserver/customerassetservice/';

export function ivhQuery(app: App, nowMs: number, extra: Record<string, string> = {}, override: Record<string, string | undefined> = {}): string {
  const params: Record<string, string> = { appkey: app.ivhAppKey, timestamp: String(Math.floor(nowMs / 1000)), ...extra };
  const signed: Record<string, string | undefined> = { ...params, signature: ivhSignature(params, app.ivhAccessToken), ...override };
  return Object.entries(signed)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&');
}

export async function ivh(h: Harness, app: App, op: string, payload: unknown, opts: { header?: unknown; body?: string; query?: string } = {}) {
  const res = await h.inject({
    method: 'POST',
    url: `${IVH_PATH}${op}?${opts.query ?? ivhQuery(app, h.clock.ms)}`,
    headers: { 'content-type': 'application/json;charset=utf-8' },
    payload: opts.body ?? JSON.stringify({ Header: opts.header ?? {}, Payload: payload }),
  });
  return { status: res.statusCode, json: res.json() as any, raw: res.body };
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const HEX32_RE = /^[0-9a-f]{32}$/;

/** A small catalog used by the contract tests: public and private assets for two apps. */
/**
 * Where every native /v1 suite starts: a harness on `engine` with the two seeded apps (seedTwoApps), the
 * operator token and an API key for each app.
 */
export async function nativeFixture(engine: EngineName, env: Record<string, string> = {}) {
  const h = await harness(env, Date.now(), engine);
  const { alpha, beta } = await seedTwoApps(h);
  return {
    h,
    alpha,
    beta,
    admin: await h.services.access.rotateAdminToken(),
    alphaKey: (await h.services.access.createKey(alpha)).text,
    betaKey: (await h.services.access.createKey(beta)).text,
  };
}

export async function seedTwoApps(h: Harness) {
  const alpha = await h.services.apps.create({ name: 'alpha', rateLimit: 1000 });
  const beta = await h.services.apps.create({ name: 'beta', rateLimit: 1000 });
  await importRecords(h.services, [
    {
      kind: 'digitalHuman',
      id: '11111111-1111-4111-8111-111111111111',
      name: 'Public DH',
      anchorCode: 'pub',
      headerImage: 'https://img.example/pub.png',
      actions: [{ code: 'wave', previewVideo: 'https://v.example/wave.mp4' }],
      originZoom: 0.497,
      effectiveAt: '2026-01-01T00:00:00Z',
      sortOrder: 1,
    },
    { kind: 'digitalHuman', id: '22222222-2222-4222-8222-222222222222', owner: 'alpha', name: 'Alpha DH', anchorCode: 'alpha_anchor', sortOrder: 1 },
    { kind: 'digitalHuman', id: '33333333-3333-4333-8333-333333333333', owner: 'beta', name: 'Beta DH', anchorCode: 'beta_anchor', sortOrder: 1 },
    ...Array.from({ length: 25 }, (_, i) => ({
      kind: 'timbre',
      key: `pub_${String(i).padStart(2, '0')}`,
      name: `Public ${i}`,
      image: i === 0 ? null : `https://img.example/t${i}.png`,
      sortOrder: i,
    })),
    { kind: 'timbre', key: 'pub_retired', name: 'Retired', status: 'retired', sortOrder: 100 },
    {
      kind: 'timbre',
      id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      owner: 'alpha',
      key: 'alpha_voice',
      name: 'Alpha voice',
      sample: 'https://a.example/s.wav',
      gender: 'female',
      description: 'alpha own',
    },
    { kind: 'timbre', id: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', owner: 'beta', key: 'beta_voice', name: 'Beta voice' },
    { kind: 'binding', owner: 'alpha', digitalHuman: '11111111-1111-4111-8111-111111111111', timbre: 'alpha_voice' },
    { kind: 'binding', owner: 'beta', digitalHuman: '11111111-1111-4111-8111-111111111111', timbre: 'beta_voice' },
    { kind: 'binding', owner: 'alpha', digitalHuman: '22222222-2222-4222-8222-222222222222', timbre: 'alpha_voice' },
    { kind: 'binding', digitalHuman: '11111111-1111-4111-8111-111111111111', timbre: 'pub_03', sortOrder: 5 },
  ]);
  return { alpha, beta };
}

/**
 * A second HTTP service on `h`'s services that logs everything (debug) into `lines`: what a log reader
 * would see of the requests sent through it.
 */
export async function loggedApp(h: Harness): Promise<{ app: Awaited<ReturnType<typeof buildApp>>; lines: string[] }> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { app: await buildApp(h.services, { logger: loggerOptions('debug', sink) }), lines };
}
