/** /v1/timbres: list with filters, text search and cursors; get; create; patch; retire. */
import type { FastifyPluginAsync } from 'fastify';
import { TimbrelError } from '../../core/errors.js';
import { normalizeId } from '../../core/ids.js';
import { GENDERS, PUBLIC_OWNER, TIMBRE_TYPES, AVATAR_TYPES, type Timbre } from '../../core/types.js';
import { parseRecord } from '../../catalog-io/parse.js';
import type { Services } from '../../services.js';
import { SORTS, type TimbreSort } from '../../store/repository.js';
import { assertWritable, checkAssets, etags, listPage, multi, oneOf, ownerNames, ownerScope, readableOwners, sortKey } from './common.js';
import { IdParams, problems, RetireBody, TimbreCreate, TimbreList, TimbrePatch, TimbreQuery, type TimbreQueryT } from './schemas.js';
import { presentTimbre } from './present.js';

const tags = ['timbres'];

export const timbreRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  const { repo } = services;
  etags(scope);

  const present = (t: Timbre, names: Map<string, string | null>) => presentTimbre(services, t, names);
  const presentOne = async (t: Timbre) => present(t, await ownerNames(services, [t.owner]));

  /** A timbre the caller can see, by id in either rendering; 404 for missing and for another app's alike. */
  const visible = async (principal: Parameters<typeof readableOwners>[0], rawId: string) => {
    const id = normalizeId(rawId);
    const t = id && (await repo.timbreById(id, readableOwners(principal)));
    if (!t) throw new TimbrelError('timbre_not_found', 'no such timbre');
    return t;
  };

  const validate = (record: Record<string, unknown>): { t: Timbre; idGiven: boolean } => {
    const p = parseRecord('body', { ...record, kind: 'timbre' }, services.now());
    if (p.kind === 'error') throw new TimbrelError('invalid_parameter', p.message);
    if (p.kind !== 'timbre') throw new TimbrelError('internal', 'unexpected record');
    return { t: p.t, idGiven: p.idGiven };
  };

  const write = async (t: Timbre) => {
    await repo.transaction(async (trx) => {
      const byKey = (await repo.timbreOwnersByKey(trx, t.owner, [t.key])).get(t.key);
      if (byKey && byKey !== t.id) throw new TimbrelError('conflict', `key ${JSON.stringify(t.key)} already belongs to timbre ${byKey}`, 'key');
      await repo.upsertTimbres(trx, [t]);
    });
  };

  scope.get('/v1/timbres', {
    schema: { tags, summary: 'List and search timbres', querystring: TimbreQuery, response: { 200: TimbreList, ...problems(400, 401, 429) } },
  }, async (req) => {
    const principal = req.principal!;
    const query = req.query as TimbreQueryT;
    const scopeOf = await ownerScope(services, principal, multi(query.owner));
    const sort: TimbreSort = query.sort ?? 'catalog';
    const filters = {
      ...scopeOf,
      status: oneOf('status', multi(query.status), ['active', 'retired']) ?? ['active'],
      gender: oneOf('gender', multi(query.gender), GENDERS),
      language: multi(query.language),
      tag: multi(query.tag),
      emotion: multi(query.emotion),
      timbreType: oneOf('timbreType', multi(query.timbreType), TIMBRE_TYPES),
      avatarType: oneOf('avatarType', multi(query.avatarType), AVATAR_TYPES),
      q: query.q?.trim() || undefined,
      sort,
    };
    const limit = query.limit ?? 20;
    const page = await listPage({
      filters,
      keyLength: SORTS[sort].length,
      limit,
      cursor: query.cursor,
      keyOf: (t: Timbre) => sortKey(sort, t),
      fetch: (after) => repo.searchTimbres({ ...filters, after, limit, total: query.total }),
    });
    const names = await ownerNames(services, page.items.map((t) => t.owner));
    return { ...page, items: page.items.map((t) => present(t, names)) };
  });

  scope.get('/v1/timbres/:id', {
    schema: { tags, summary: 'Get a timbre (retired ones too)', params: IdParams, response: { 200: { $ref: 'Timbre' }, ...problems(401, 404) } },
  }, async (req) => presentOne(await visible(req.principal!, (req.params as { id: string }).id)));

  scope.post('/v1/timbres', {
    schema: { tags, summary: 'Create a timbre', body: TimbreCreate, response: { 201: { $ref: 'Timbre' }, ...problems(400, 401, 409) } },
  }, async (req, reply) => {
    const principal = req.principal!;
    const body = req.body as Record<string, unknown>;
    if (principal.kind === 'app' && body.owner !== undefined) {
      throw new TimbrelError('invalid_parameter', 'owner is for the operator; an app creates its own private timbres', 'owner');
    }
    await checkAssets(services, { image: body.image, sample: body.sample });
    const ownerName = principal.kind === 'app' ? principal.app.name : ((body.owner as string | null | undefined) ?? null);
    const { t } = validate({ ...body, owner: ownerName, status: 'active', createdAt: undefined });
    t.owner = ownerName === null ? PUBLIC_OWNER : ((await repo.appByName(ownerName))?.id ?? '');
    if (ownerName !== null && !t.owner) throw new TimbrelError('invalid_parameter', `owner: no app named ${JSON.stringify(ownerName)}`, 'owner');
    if (await repo.timbreById(t.id)) throw new TimbrelError('conflict', `a timbre with id ${t.id} exists (key ${JSON.stringify(t.key)} is taken)`, 'id');
    await write(t);
    reply.code(201).header('location', `/v1/timbres/${t.id}`);
    return presentOne(t);
  });

  scope.patch('/v1/timbres/:id', {
    schema: { tags, summary: 'Change a timbre', params: IdParams, body: TimbrePatch, response: { 200: { $ref: 'Timbre' }, ...problems(400, 401, 403, 404, 409) } },
  }, async (req) => {
    const principal = req.principal!;
    const current = await visible(principal, (req.params as { id: string }).id);
    assertWritable(principal, current.owner, 'timbre');
    const body = req.body as Record<string, unknown>;
    await checkAssets(services, { image: body.image, sample: body.sample });
    const { t } = validate({ ...current, owner: null, ...body, id: current.id });
    Object.assign(t, { owner: current.owner, status: current.status, replacedBy: current.replacedBy, createdAt: current.createdAt });
    await write(t);
    return presentOne(t);
  });

  scope.delete('/v1/timbres/:id', {
    schema: {
      tags,
      summary: 'Retire a timbre: hidden from lists and from the vendor dialects, still found by id',
      params: IdParams,
      body: RetireBody,
      response: { 200: { $ref: 'Timbre' }, ...problems(400, 401, 403, 404) },
    },
  }, async (req) => {
    const principal = req.principal!;
    const current = await visible(principal, (req.params as { id: string }).id);
    assertWritable(principal, current.owner, 'timbre');
    const replacedByRaw = (req.body as { replacedBy?: string | null } | null)?.replacedBy ?? null;
    let replacedBy: string | null = null;
    if (replacedByRaw !== null) {
      replacedBy = (await visible(principal, replacedByRaw).catch(() => undefined))?.id ?? null;
      if (!replacedBy || replacedBy === current.id) throw new TimbrelError('invalid_parameter', 'replacedBy must be another timbre you can see', 'replacedBy');
    }
    const t: Timbre = { ...current, status: 'retired', replacedBy, updatedAt: services.now() };
    await write(t);
    return presentOne(t);
  });
};
