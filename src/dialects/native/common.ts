/** Pieces every native resource shares: callers' owner scopes, cursors, ETags, owner names. */
import { decodeCursor, digest, encodeCursor } from '../cursor.js';
export { decodeCursor, digest, encodeCursor };
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokenCache } from '../../store/index.js';
import { TimbrelError } from '../../core/errors.js';
import type { Principal } from '../../core/access.js';
import { normalizeId } from '../../core/ids.js';
import { PUBLIC_OWNER, type Anchor, type App, type Binding, type DigitalHuman, type Timbre } from '../../core/types.js';
import { SORTS, sortKeyOf, type ListSort } from '../../store/index.js';
import type { Services } from '../../services.js';
import { STORED_PREFIX } from '../../files/urls.js';

/** `a,b` and repeated parameters alike, trimmed, without empties. */
export function multi(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const out = (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  return out.length ? [...new Set(out)] : undefined;
}

export function oneOf(name: string, values: string[] | undefined, allowed: readonly string[]): string[] | undefined {
  for (const v of values ?? []) {
    if (!allowed.includes(v)) throw new TimbrelError('invalid_parameter', `${name} may only hold ${allowed.join(', ')}`, name);
  }
  return values;
}

/** The principal's app; the operator gets `forbidden` where only an app may act. */
export function callerApp(p: Principal | undefined): App | undefined {
  return p?.kind === 'app' ? p.app : undefined;
}

/**
 * Owners a list may show, from the `owner` filter. An app: public, private/mine (its own); default both.
 * The operator: public, private (every app's), or app names; default everything.
 */
export async function ownerScope(services: Services, p: Principal, values: string[] | undefined): Promise<{ owners?: string[]; privateOnly?: boolean }> {
  if (p.kind === 'app') {
    if (!values) return { owners: [PUBLIC_OWNER, p.app.id] };
    const owners = new Set<string>();
    for (const v of values) {
      if (v === 'public') owners.add(PUBLIC_OWNER);
      else if (v === 'private' || v === 'mine' || v === p.app.name) owners.add(p.app.id);
      else throw new TimbrelError('invalid_parameter', 'owner may only hold public, private, mine', 'owner');
    }
    return { owners: [...owners] };
  }
  if (!values) return {};
  let allPrivate = false;
  const owners = new Set<string>();
  for (const v of values) {
    if (v === 'public') owners.add(PUBLIC_OWNER);
    else if (v === 'private') allPrivate = true;
    else {
      const app = await services.repo.apps.byName(v);
      if (!app) throw new TimbrelError('invalid_parameter', `owner: no app named ${JSON.stringify(v.slice(0, 64))}`, 'owner');
      owners.add(app.id);
    }
  }
  if (allPrivate) return owners.has(PUBLIC_OWNER) ? {} : { privateOnly: true };
  return { owners: [...owners] };
}

/** Owners whose assets the principal may read by id (undefined = all). */
export const readableOwners = (p: Principal): string[] | undefined => (p.kind === 'app' ? [PUBLIC_OWNER, p.app.id] : undefined);

/**
 * May the principal change an asset of `owner`? An app changes only its own: a public asset it can see
 * answers 403, another app's answers 404 exactly like a missing one.
 */
export function assertWritable(p: Principal, owner: string, what: string): void {
  if (p.kind === 'operator' || owner === p.app.id) return;
  if (owner === PUBLIC_OWNER) throw new TimbrelError('forbidden', `this ${what} is in the public catalog; only the operator changes it`);
  throw new TimbrelError('not_found', `no such ${what}`);
}

export async function ownerNames(services: Services, owners: Iterable<string>): Promise<Map<string, string | null>> {
  const names = new Map<string, string | null>([[PUBLIC_OWNER, null]]);
  for (const o of owners) {
    if (!names.has(o)) names.set(o, (await services.repo.apps.byId(o))?.name ?? null);
  }
  return names;
}

/**
 * A time as ISO 8601. A list page formats two or three times a row, and rows imported or created together
 * share them: the last ISO_KEPT renderings are kept (`toISOString` was 4.5% of the server's CPU under
 * `/v1/timbres` load).
 */
export const iso = (ms: number | null): string | null => {
  if (ms === null) return null;
  let s = isoKept.get(ms);
  if (s === undefined) {
    s = new Date(ms).toISOString();
    if (isoKept.size >= ISO_KEPT) isoKept.clear();
    isoKept.set(ms, s);
  }
  return s;
};
const ISO_KEPT = 4096;
const isoKept = new Map<number, string>();

/**
 * ETags on successful reads: a single asset's own entity tag (set by its route, see entityTag), else a weak
 * tag of the body; a matching If-None-Match answers 304 without a body.
 */
export function etags(scope: FastifyInstance): void {
  scope.addHook('onSend', async (req, reply, payload) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    let tag = reply.getHeader('etag') as string | undefined;
    if (!tag) reply.header('etag', (tag = weakTag(payload)));
    const inm = req.headers['if-none-match'];
    const weak = (t: string) => t.replace(/^W\//, '');
    if (inm && inm.split(',').some((t) => weak(t.trim()) === weak(tag!) || t.trim() === '*')) {
      reply.code(304);
      return '';
    }
    return payload;
  });
}

const LIST_ENTRIES = 256;
const LIST_MAX_CHARS = 64 * 1024;
const listAnswers = new WeakMap<Services, TokenCache>();

/**
 * A list page kept rendered (its JSON text, serialized by the route's own schema, and its ETag) per caller
 * and URL until the catalog changes (the store's change token moves, here or on any instance) or the signed
 * file URLs in it do (a new URL bucket), as the vendor dialects keep theirs: a repeated page (every client's
 * first page, a common filter, a cursor another client walked) then costs its authentication, its rate
 * limit and a map lookup instead of two queries, their rows and a serialization. At most LIST_ENTRIES pages
 * of at most LIST_MAX_CHARS each (a larger one is rendered every time): a few MB.
 */
export async function cachedList(services: Services, req: FastifyRequest, reply: FastifyReply, render: () => Promise<object>): Promise<string> {
  let cache = listAnswers.get(services);
  if (!cache) listAnswers.set(services, (cache = new TokenCache(LIST_ENTRIES)));
  const principal = req.principal!;
  const key = `${principal.kind === 'app' ? principal.app.id : '(operator)'}|${req.url}`;
  // Taken before the read: a write landing during it files the page under the old token, never the new.
  const token = `${services.repo.engine.changeToken()}|${services.urls.epoch()}`;
  const hit = cache.get(key, token)?.value as { body: string; etag: string } | undefined;
  reply.type('application/json; charset=utf-8');
  if (hit) {
    reply.header('etag', hit.etag);
    return hit.body;
  }
  const body = reply.serialize(await render()) as string;
  const etag = weakTag(body);
  reply.header('etag', etag);
  if (body.length <= LIST_MAX_CHARS) cache.set(key, token, { body, etag });
  return body;
}

const weakTag = (payload: string) => `W/"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;

/** The parameters every native list takes, besides its own filters. */
export interface ListQuery {
  owner?: string | string[];
  status?: string | string[];
  q?: string;
  sort?: ListSort;
  limit?: number;
  cursor?: string;
  total?: boolean;
}

interface Listed {
  id: string;
  owner: string;
  name: string;
  sortOrder: number;
  createdAt: number;
}

/**
 * One page of a native list: the caller's owner scope, status, q and sort beside the list's own
 * `filters`; the cursor decoded against a digest of all of them; limit + 1 rows fetched, so the next
 * cursor is the last row's sort key; rows presented with their owners' names.
 */
export async function listPage<T extends Listed, F extends object, D>(
  services: Services,
  principal: Principal,
  query: ListQuery,
  own: F,
  search: (s: F & ListFilters & { after?: (string | number)[]; limit: number; total?: boolean }) => Promise<{ rows: T[]; total?: number }>,
  present: (row: T, names: Map<string, string | null>) => D,
): Promise<{ items: D[]; hasMore: boolean; nextCursor: string | null; total?: number }> {
  const sort = query.sort ?? 'catalog';
  const filters = {
    ...(await ownerScope(services, principal, multi(query.owner))),
    status: oneOf('status', multi(query.status), ['active', 'retired']) ?? ['active'],
    q: query.q?.trim() || undefined,
    sort,
    ...own,
  };
  const bound = digest(filters);
  const after = query.cursor ? decodeCursor(query.cursor, bound) : undefined;
  if (after && after.length !== SORTS[sort].length) throw new TimbrelError('cursor_invalid', 'cursor is not one timbrel made', 'cursor');
  const limit = query.limit ?? 20;
  const { rows, total } = await search({ ...filters, after, limit, total: query.total });
  const items = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const last = items[items.length - 1];
  const names = await ownerNames(
    services,
    items.map((r) => r.owner),
  );
  return {
    items: items.map((r) => present(r, names)),
    hasMore,
    nextCursor: hasMore && last ? encodeCursor(bound, sortKeyOf(sort, last)) : null,
    ...(total !== undefined ? { total } : {}),
  };
}

interface ListFilters {
  owners?: string[];
  privateOnly?: boolean;
  status: string[];
  q?: string;
  sort: ListSort;
}

/** The sort key of a row in each sort order (SORTS in the repository). */

/** A timbre the caller can see, by id in either rendering; a missing one and another app's answer alike. */
export async function visibleTimbre(services: Services, p: Principal, rawId: string): Promise<Timbre> {
  const id = normalizeId(rawId);
  const t = id && (await services.repo.timbres.byId(id, readableOwners(p)));
  if (!t) throw new TimbrelError('timbre_not_found', 'no such timbre');
  return t;
}

/** A digital human the caller can see, like visibleTimbre. */
export async function visibleDigitalHuman(services: Services, p: Principal, rawId: string): Promise<DigitalHuman> {
  const id = normalizeId(rawId);
  const d = id && (await services.repo.digitalHumans.byId(id, readableOwners(p)));
  if (!d) throw new TimbrelError('digital_human_not_found', 'no such digital human');
  return d;
}

/**
 * The owner's name of an asset being created: an app creates its own (and may not name an owner); the
 * operator names an app, or none (null) for the public catalog.
 */
export function creationOwner(p: Principal, owner: unknown, what: string): string | null {
  if (p.kind === 'operator') return (owner as string | null | undefined) ?? null;
  if (owner !== undefined) throw new TimbrelError('invalid_parameter', `owner is for the operator; an app creates its own private ${what}`, 'owner');
  return p.app.name;
}

/** The owner id of an owner's name (null: the public catalog). */
export async function ownerIdOf(services: Services, name: string | null): Promise<string> {
  if (name === null) return PUBLIC_OWNER;
  const app = await services.repo.apps.byName(name);
  if (!app) throw new TimbrelError('invalid_parameter', `owner: no app named ${JSON.stringify(name)}`, 'owner');
  return app.id;
}

/**
 * Retires an asset the caller can see: `replacedBy` (from the body) must be another one it can see; the
 * write goes through `change` (under the row lock, with If-Match).
 */
export async function retire<T extends { id: string; status: string; replacedBy: string | null; updatedAt: number }>(
  services: Services,
  req: { principal?: Principal; params: unknown; body: unknown },
  visible: (p: Principal, rawId: string) => Promise<T>,
  change: (fn: (current: T) => T) => Promise<T | undefined>,
  what: string,
): Promise<T | undefined> {
  const principal = req.principal!;
  const seen = await visible(principal, (req.params as { id: string }).id);
  const replacedBy = await replacement(req.body, seen, (id) => visible(principal, id), what);
  return change((current) => ({ ...current, status: 'retired', replacedBy, updatedAt: services.now() }));
}

/** The `replacedBy` of a retirement: null, or another asset the caller can see (`find` answers 404 else). */
export async function replacement(
  body: unknown,
  current: { id: string },
  find: (rawId: string) => Promise<{ id: string }>,
  what: string,
): Promise<string | null> {
  const raw = (body as { replacedBy?: string | null } | null)?.replacedBy ?? null;
  if (raw === null) return null;
  const replacedBy = (await find(raw).catch(() => undefined))?.id;
  if (!replacedBy || replacedBy === current.id) throw new TimbrelError('invalid_parameter', `replacedBy must be another ${what} you can see`, 'replacedBy');
  return replacedBy;
}

/**
 * File fields over the API: an http(s) URL, or a file timbrel stores, by its stored: reference. An app
 * names only files it uploaded or that a row it can see references; any other is answered as missing.
 */
export async function checkAssets(services: Services, principal: Principal, fields: Record<string, unknown>): Promise<void> {
  for (const [field, v] of Object.entries(fields)) {
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'string' && /^https?:\/\/\S+$/i.test(v)) continue;
    if (typeof v === 'string' && v.startsWith(STORED_PREFIX)) {
      const id = v.slice(STORED_PREFIX.length);
      const usable = principal.kind === 'app' ? await services.repo.files.mayUse(principal.app.id, id) : true;
      if (usable && (await services.repo.files.byId(id))) continue;
    }
    throw new TimbrelError('invalid_parameter', `${field} must be an http(s) URL or stored:<sha256> of an uploaded file`, field);
  }
}

/** A digest that names one version of something (27 base64url characters of a sha256). */
const digestOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 27);

/**
 * The strong entity tag of a stored asset: a digest of the asset as stored, so it changes with every
 * write (updatedAt moves too). An asset with stored files also names the signed-URL period its answer was
 * rendered in, after a dot: If-None-Match then fetches fresh URLs once they change, while If-Match compares
 * the version only (the part before the dot), so a write is never refused because an hour passed.
 */
export function entityTag(services: Services, asset: Timbre | DigitalHuman | Anchor): string {
  const version = digestOf(asset);
  return JSON.stringify(asset).includes(`"${STORED_PREFIX}`) ? `"${version}.${services.urls.epoch()}"` : `"${version}"`;
}

/**
 * The tag of a digital human's binding list as the caller sees it: the version of the caller's own
 * bindings (what its writes change, and what If-Match on them compares), then a digest of the whole
 * answer (public bindings and the timbres' details too), after a dot, for If-None-Match.
 */
export const bindingsTag = (mine: Binding[], answer: unknown): string => `"${bindingsVersion(mine)}.${digestOf(answer)}"`;

export const bindingsVersion = (mine: Binding[]): string => digestOf(mine.map((b) => [b.timbreId, b.sortOrder, b.isDefault]));

/**
 * Optimistic concurrency (RFC 9110 §13.1.1): a write with If-Match goes ahead only when one of its tags
 * names the current version (strong comparison: a weak tag never matches; `*` matches any); else 412
 * precondition_failed, and nothing is written. Tags are compared up to their dot (entityTag, bindingsTag).
 */
export function checkIfMatchVersion(ifMatch: string | string[] | undefined, current: string): void {
  if (ifMatch === undefined) return;
  const tags = (Array.isArray(ifMatch) ? ifMatch.join(',') : ifMatch).split(',').map((t) => t.trim());
  if (tags.includes('*')) return;
  if (!tags.some((t) => !t.startsWith('W/') && t.replace(/^"/, '').replace(/(\.[^."]*)?"$/, '') === current)) {
    throw new TimbrelError('precondition_failed', 'If-Match names another version of this resource: read it again, then retry the change');
  }
}

/** checkIfMatchVersion against a stored asset's version (entityTag). */
export function checkIfMatch(_services: Services, ifMatch: string | string[] | undefined, current: Timbre | DigitalHuman | Anchor): void {
  checkIfMatchVersion(ifMatch, digestOf(current));
}
