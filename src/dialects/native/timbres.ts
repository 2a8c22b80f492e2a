/** /v1/timbres: list with filters, text search and cursors; get; create; patch; retire. */
import type { FastifyPluginAsync } from 'fastify';
import { TimbrelError } from '../../core/errors.js';
import { GENDERS, TIMBRE_TYPES, AVATAR_TYPES, type Timbre } from '../../core/types.js';
import { parseOne } from '../../catalog-io/parse.js';
import type { Services } from '../../services.js';
import { assertWritable, checkAssets, creationOwner, etags, ownerIdOf, listPage, multi, oneOf, ownerNames, replacement, visibleTimbre } from './common.js';
import { IdParams, problems, RetireBody, TimbreCreate, TimbreList, TimbrePatch, TimbreQuery, type TimbreQueryT } from './schemas.js';
import { presentTimbre } from './present.js';

const tags = ['timbres'];

export const timbreRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  const { repo } = services;
  etags(scope);

  const present = (t: Timbre, names: Map<string, string | null>) => presentTimbre(services, t, names);
  const presentOne = async (t: Timbre) => present(t, await ownerNames(services, [t.owner]));

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
    const query = req.query as TimbreQueryT;
    const own = {
      gender: oneOf('gender', multi(query.gender), GENDERS),
      language: multi(query.language),
      tag: multi(query.tag),
      emotion: multi(query.emotion),
      timbreType: oneOf('timbreType', multi(query.timbreType), TIMBRE_TYPES),
      avatarType: oneOf('avatarType', multi(query.avatarType), AVATAR_TYPES),
    };
    return listPage(services, req.principal!, query, own, (s) => repo.searchTimbres(s), present);
  });

  scope.get('/v1/timbres/:id', {
    schema: { tags, summary: 'Get a timbre (retired ones too)', params: IdParams, response: { 200: { $ref: 'Timbre' }, ...problems(401, 404) } },
  }, async (req) => presentOne(await visibleTimbre(services, req.principal!, (req.params as { id: string }).id)));

  scope.post('/v1/timbres', {
    schema: { tags, summary: 'Create a timbre', body: TimbreCreate, response: { 201: { $ref: 'Timbre' }, ...problems(400, 401, 409) } },
  }, async (req, reply) => {
    const body = req.body as Record<string, unknown>;
    const ownerName = creationOwner(req.principal!, body.owner, 'timbres');
    await checkAssets(services, { image: body.image, sample: body.sample });
    const { t } = parseOne('timbre', { ...body, owner: ownerName, status: 'active', createdAt: undefined }, services.now());
    t.owner = await ownerIdOf(services, ownerName);
    if (await repo.timbreById(t.id)) throw new TimbrelError('conflict', `a timbre with id ${t.id} exists (key ${JSON.stringify(t.key)} is taken)`, 'id');
    await write(t);
    reply.code(201).header('location', `/v1/timbres/${t.id}`);
    return presentOne(t);
  });

  scope.patch('/v1/timbres/:id', {
    schema: { tags, summary: 'Change a timbre', params: IdParams, body: TimbrePatch, response: { 200: { $ref: 'Timbre' }, ...problems(400, 401, 403, 404, 409) } },
  }, async (req) => {
    const principal = req.principal!;
    const current = await visibleTimbre(services, principal, (req.params as { id: string }).id);
    assertWritable(principal, current.owner, 'timbre');
    const body = req.body as Record<string, unknown>;
    await checkAssets(services, { image: body.image, sample: body.sample });
    const { t } = parseOne('timbre', { ...current, owner: null, ...body, id: current.id }, services.now());
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
    const current = await visibleTimbre(services, principal, (req.params as { id: string }).id);
    assertWritable(principal, current.owner, 'timbre');
    const replacedBy = await replacement(req.body, current, (id) => visibleTimbre(services, principal, id), 'timbre');
    const t: Timbre = { ...current, status: 'retired', replacedBy, updatedAt: services.now() };
    await write(t);
    return presentOne(t);
  });
};
