/**
 * The console's session and its calls to the native /v1 API: typed from the OpenAPI document through the
 * SDK's client (packages/client: openapi-fetch over the generated `paths`), with the SDK's retries — signed
 * in with an app's key, the console's calls count against the app's per-second limit, so a 429 (nothing was
 * done) is retried after a growing, jittered pause. Uploads use XMLHttpRequest for their progress.
 */
import { TimbrelClient, TimbrelClientError, withRetries, type components, type paths } from '@timbrel/client/native';

export { TimbrelClientError };
export type Schemas = components['schemas'];
export type Timbre = Schemas['Timbre'];
export type DigitalHuman = Schemas['DigitalHuman'];
export type Anchor = Schemas['Anchor'];
export type Upstream = Schemas['Upstream'];
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
/** The JSON answer of a route's 200 (or 201). */
export type Answer<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch' | 'delete'> = paths[P] extends {
  [K in M]: { responses: infer R };
}
  ? R extends { 200: infer A }
    ? JsonOf<A>
    : R extends { 201: infer A }
      ? JsonOf<A>
      : never
  : never;
export type App = Answer<'/v1/apps', 'get'>['items'][number];
export type ApiKey = Answer<'/v1/apps/{name}/keys', 'get'>['items'][number];
export type Webhook = Answer<'/v1/webhooks', 'get'>['items'][number];
export type Delivery = Answer<'/v1/webhooks/{id}/deliveries', 'get'>['items'][number];
export type Binding = Answer<'/v1/digital-humans/{id}/timbres', 'get'>['items'][number];
export type UsageHours = Answer<'/v1/apps/{name}/usage/hours', 'get'>;
export type Credentials = Answer<'/v1/apps', 'post'>['credentials'];
export type DialectView = Answer<'/v1/dialects', 'get'>['items'][number];

const KEY = 'timbrel.token';
const OPERATOR = 'timbrel.operator';
export const session = {
  get token() {
    return sessionStorage.getItem(KEY) ?? '';
  },
  get operator() {
    return sessionStorage.getItem(OPERATOR) === '1';
  },
  set(token: string, operator: boolean) {
    sessionStorage.setItem(KEY, token);
    sessionStorage.setItem(OPERATOR, operator ? '1' : '0');
    clients.clear();
  },
  clear() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(OPERATOR);
    clients.clear();
  },
};

const clients = new Map<string, TimbrelClient>();
/**
 * The typed client for `token` (the session's by default). `timeoutMs`: per attempt, for calls that take
 * long (a sync waited for).
 */
export function v1(token = session.token, timeoutMs = 10_000): TimbrelClient['api'] {
  const key = `${timeoutMs} ${token}`;
  let c = clients.get(key);
  if (!c) {
    c = new TimbrelClient({
      baseUrl: location.origin,
      token,
      timeoutMs,
      // x-timbrel-client: the events of what the console changes say `console`.
      fetch: (input: RequestInfo | URL, init?: RequestInit) => {
        const req = new Request(input, init);
        req.headers.set('x-timbrel-client', 'console');
        return fetch(req);
      },
    });
    clients.set(key, c);
  }
  return c.api;
}

/** The answer of an openapi-fetch call (the SDK throws on every error status, so there is one). */
export async function data<T>(call: Promise<{ data?: T; error?: unknown }>): Promise<T> {
  const r = await call;
  return r.data as T;
}

/** A failure as a sentence for the page. */
export function explain(err: unknown): string {
  if (err instanceof TimbrelClientError) return err.status === 401 ? 'That token is not valid.' : err.detail;
  return err instanceof Error ? err.message : String(err);
}

let dialectList: Promise<DialectView[]> | undefined;
/** The dialects the server speaks (labels, base URLs), asked once a session. */
export function dialects(): Promise<DialectView[]> {
  return (dialectList ??= data(v1().GET('/v1/dialects')).then(
    (r) => r.items,
    (err: unknown) => {
      dialectList = undefined;
      throw err;
    },
  ));
}

/** Uploads a file with its progress (0..1) reported; a 429 is retried. No timeout: a large file takes long. */
export function upload(path: string, file: File, progress: (done: number) => void): Promise<unknown> {
  return withRetries('native', { timeoutMs: 2 ** 31 - 1 }, false, () => uploadOnce(path, file, progress));
}

function uploadOnce(path: string, file: File, progress: (done: number) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', path);
    xhr.setRequestHeader('authorization', `Bearer ${session.token}`);
    xhr.setRequestHeader('x-timbrel-client', 'console');
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) progress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let json: { code?: string; detail?: string } = {};
      try {
        json = xhr.responseText ? JSON.parse(xhr.responseText) : {};
      } catch {
        // not JSON: the status says enough
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(json);
      else reject(new TimbrelClientError('native', json.code ?? xhr.status, json.detail ?? 'upload failed', xhr.status));
    };
    xhr.onerror = () => reject(new TimbrelClientError('native', 'network', 'the upload did not reach the server', 0));
    xhr.send(file);
  });
}

/** A raw call the typed client does not carry (NDJSON export and import). */
export async function raw(method: string, path: string, body?: BodyInit, type?: string): Promise<Response> {
  return withRetries('native', { timeoutMs: 2 ** 31 - 1 }, method === 'GET', async (signal) => {
    const res = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${session.token}`, 'x-timbrel-client': 'console', ...(type ? { 'content-type': type } : {}) },
      body,
      signal,
    });
    if (!res.ok) {
      const json = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
      throw new TimbrelClientError('native', json.code ?? res.status, json.detail ?? res.statusText, res.status);
    }
    return res;
  });
}
