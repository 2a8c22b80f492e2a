/** /v1/timbres: list with filters, text search and cursors; get; create; patch; retire. */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { newId, normalizeId } from '../../core/ids.js';
import type { Principal } from '../../core/access.js';
import { TimbrelError } from '../../core/errors.js';
import { GENDERS, TIMBRE_TYPES, AVATAR_TYPES, type Timbre } from '../../core/types.js';
import { parseOne, patched } from '../../catalog-io/parse.js';
import type { Services } from '../../services.js';
import {
  assertWritable,
  cachedList,
  checkAssets,
  checkIfMatch,
  creationOwner,
  entityTag,
  etags,
  ownerIdOf,
  listPage,
  multi,
  oneOf,
  ownerNames,
  readableOwners,
  replacement,
  visibleTimbre,
} from './common.js';
import { IdParams, problems, RetireBody, TimbreCreate, TimbreList, TimbrePatch, TimbreQuery, type TimbreQueryT } from './schemas.js';
import { presentTimbre } from './present.js';

const tags = ['timbres'];

/** The samples per language as file fields to check (`languageSamples.en-US`). */
const languageSampleFields = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([tag, ref]) => [`languageSamples.${tag}`, ref])) : {};

export const timbreRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  const { repo } = services;
  etags(scope);

  const present = (t: Timbre, names: Map<string, string | null>) => presentTimbre(services, t, names);
  const presentOne = async (t: Timbre) => present(t, await ownerNames(services, [t.owner]));

  const writable = (principal: Principal, ifMatch: string | string[] | undefined) => (current: Timbre) => {
    assertWritable(principal, current.owner, 'timbre');
    checkIfMatch(services, ifMatch, current);
  };
  const answer = async (reply: FastifyReply, t: Timbre | undefined) => {
    if (!t) throw new TimbrelError('timbre_not_found', 'no such timbre');
    reply.header('etag', entityTag(services, t));
    return presentOne(t);
  };

  scope.get(
    '/v1/timbres',
    {
      schema: { tags, summary: 'List and search timbres', querystring: TimbreQuery, response: { 200: TimbreList, ...problems(400, 401, 429) } },
    },
    async (req, reply) =>
      cachedList(services, req, reply, async () => {
        const query = req.query as TimbreQueryT;
        const own = {
          gender: oneOf('gender', multi(query.gender), GENDERS),
          language: multi(query.language),
          tag: multi(query.tag),
          emotion: multi(query.emotion),
          timbreType: oneOf('timbreType', multi(query.timbreType), TIMBRE_TYPES),
          avatarType: oneOf('avatarType', multi(query.avatarType), AVATAR_TYPES),
        };
        return listPage(services, req.principal!, query, own, (s) => repo.timbres.search(s), present);
      }),
  );

  scope.get(
    '/v1/timbres/:id',
    {
      schema: {
        tags,
        summary: 'Get a timbre (retired ones too); its ETag is what If-Match takes',
        params: IdParams,
        response: { 200: { $ref: 'Timbre' }, ...problems(401, 404) },
      },
    },
    async (req, reply) => answer(reply, await visibleTimbre(services, req.principal!, (req.params as { id: string }).id)),
  );

  scope.post(
    '/v1/timbres',
    {
      schema: { tags, summary: 'Create a timbre', body: TimbreCreate, response: { 201: { $ref: 'Timbre' }, ...problems(400, 401, 409) } },
    },
    async (req, reply) => {
      const body = req.body as Record<string, unknown>;
      const principal = req.principal!;
      const ownerName = creationOwner(principal, body.owner, 'timbres');
      // Ids are the server's (random): an app cannot probe, guess or take another app's ids. The operator
      // may give one, as the import does.
      if (principal.kind === 'app' && body.id !== undefined)
        throw new TimbrelError('invalid_parameter', 'id is chosen by the server; only the operator gives ids', 'id');
      await checkAssets(services, req.principal!, { image: body.image, sample: body.sample, ...languageSampleFields(body.languageSamples) });
      const { t } = parseOne('timbre', { ...body, id: body.id ?? newId(), owner: ownerName, status: 'active', createdAt: undefined }, services.now());
      t.owner = await ownerIdOf(services, ownerName);
      await repo.timbres.create(t);
      reply.code(201).header('location', `/v1/timbres/${t.id}`);
      return answer(reply, t);
    },
  );

  scope.patch(
    '/v1/timbres/:id',
    {
      schema: {
        tags,
        summary: 'Change the given fields of a timbre (If-Match: only if it is still the version read)',
        params: IdParams,
        body: TimbrePatch,
        response: { 200: { $ref: 'Timbre' }, ...problems(400, 401, 403, 404, 409, 412) },
      },
    },
    async (req, reply) => {
      const body = req.body as Record<string, unknown>;
      await checkAssets(services, req.principal!, { image: body.image, sample: body.sample, ...languageSampleFields(body.languageSamples) });
      const check = writable(req.principal!, req.headers['if-match']);
      const changed = await changeVisible(services, req.principal!, (req.params as { id: string }).id, (current) => {
        check(current);
        return patched('timbre', current, body, services.now());
      });
      return answer(reply, changed);
    },
  );

  scope.delete(
    '/v1/timbres/:id',
    {
      schema: {
        tags,
        summary: 'Retire a timbre: hidden from lists and from the vendor dialects, still found by id',
        params: IdParams,
        body: RetireBody,
        response: { 200: { $ref: 'Timbre' }, ...problems(400, 401, 403, 404, 412) },
      },
    },
    async (req, reply) => {
      const principal = req.principal!;
      const check = writable(principal, req.headers['if-match']);
      const id = (req.params as { id: string }).id;
      const replacedBy = await replacement(
        req.body,
        { id: (await visibleTimbre(services, principal, id)).id },
        (rid) => visibleTimbre(services, principal, rid),
        'timbre',
      );
      const retired = await changeVisible(services, principal, id, (current) => {
        check(current);
        return { ...current, status: 'retired', replacedBy, updatedAt: services.now() };
      });
      return answer(reply, retired);
    },
  );

  scope.post(
    '/v1/timbres/:id/restore',
    {
      schema: {
        tags,
        summary: 'Bring a retired timbre back into the lists and the vendor dialects (If-Match: only onto the version read)',
        params: IdParams,
        response: { 200: { $ref: 'Timbre' }, ...problems(401, 403, 404, 412) },
      },
    },
    async (req, reply) => {
      const check = writable(req.principal!, req.headers['if-match']);
      const restored = await changeVisible(services, req.principal!, (req.params as { id: string }).id, (current) => {
        check(current);
        return { ...current, status: 'active', replacedBy: null, updatedAt: services.now() };
      });
      return answer(reply, restored);
    },
  );
};

/** Changes a timbre the principal can see, under its row lock (TimbreStore.change); undefined: not found. */
export function changeVisible(
  services: Services,
  p: Principal,
  rawId: string,
  change: (current: Timbre) => Timbre | Promise<Timbre>,
): Promise<Timbre | undefined> {
  const id = normalizeId(rawId);
  return id ? services.repo.timbres.change(id, readableOwners(p), change) : Promise.resolve(undefined);
}
