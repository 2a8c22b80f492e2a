/**
 * /v1/anchors: presenters (list, search, get, create, patch, retire, delete) and their looks at
 * /v1/anchors/{id}/digital-humans. A digital human is a look of the anchor whose code equals its
 * anchorCode (docs/domain.md "Anchors"); an anchor with looks cannot be deleted (409): retire it.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { TimbrelError } from '../../core/errors.js';
import { newId, normalizeId } from '../../core/ids.js';
import type { Principal } from '../../core/access.js';
import { ANCHOR_TAGS, AVATAR_TYPES, GENDERS, type Anchor } from '../../core/types.js';
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
  listPage,
  multi,
  oneOf,
  ownerIdOf,
  ownerNames,
  readableOwners,
  retire,
} from './common.js';
import { AnchorCreate, AnchorList, AnchorPatch, AnchorQuery, DigitalHumanList, IdParams, problems, RetireBody, type AnchorQueryT } from './schemas.js';
import { presentAnchor, presentDigitalHuman } from './present.js';

const tags = ['anchors'];

/** An anchor the caller can see, by id in either rendering; a missing one and another app's answer alike. */
export async function visibleAnchor(services: Services, p: Principal, rawId: string): Promise<Anchor> {
  const id = normalizeId(rawId);
  const a = id && (await services.repo.anchors.byId(id, readableOwners(p)));
  if (!a) throw new TimbrelError('anchor_not_found', 'no such anchor');
  return a;
}

export const anchorRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  const { repo } = services;
  etags(scope);
  const present = (a: Anchor, names: Map<string, string | null>) => presentAnchor(services, a, names);
  const visible = (p: Principal, rawId: string) => visibleAnchor(services, p, rawId);

  const answer = async (reply: FastifyReply, a: Anchor | undefined) => {
    if (!a) throw new TimbrelError('anchor_not_found', 'no such anchor');
    reply.header('etag', entityTag(services, a));
    return present(a, await ownerNames(services, [a.owner]));
  };

  const change = (req: FastifyRequest, fn: (current: Anchor) => Anchor) => {
    const principal = req.principal!;
    const id = normalizeId((req.params as { id: string }).id);
    if (!id) return Promise.resolve(undefined);
    return repo.anchors.change(id, readableOwners(principal), (current) => {
      assertWritable(principal, current.owner, 'anchor');
      checkIfMatch(services, req.headers['if-match'], current);
      return fn(current);
    });
  };

  scope.get(
    '/v1/anchors',
    {
      schema: { tags, summary: 'List and search anchors (presenters)', querystring: AnchorQuery, response: { 200: AnchorList, ...problems(400, 401, 429) } },
    },
    async (req, reply) =>
      cachedList(services, req, reply, async () => {
        const query = req.query as AnchorQueryT;
        const own = {
          avatarType: oneOf('avatarType', multi(query.avatarType), AVATAR_TYPES),
          gender: oneOf('gender', multi(query.gender), GENDERS),
          tag: oneOf('tag', multi(query.tag), ANCHOR_TAGS),
        };
        return listPage(services, req.principal!, query, own, (s) => repo.anchors.search(s), present);
      }),
  );

  scope.get(
    '/v1/anchors/:id',
    {
      schema: {
        tags,
        summary: 'Get an anchor (retired ones too); its ETag is what If-Match takes',
        params: IdParams,
        response: { 200: { $ref: 'Anchor' }, ...problems(401, 404) },
      },
    },
    async (req, reply) => answer(reply, await visible(req.principal!, (req.params as { id: string }).id)),
  );

  scope.get(
    '/v1/anchors/:id/digital-humans',
    {
      schema: {
        tags,
        summary: "An anchor's looks: the active digital humans whose anchorCode names it, that the caller can see, in catalog order (at most 1,000)",
        params: IdParams,
        response: { 200: DigitalHumanList, ...problems(401, 404) },
      },
    },
    async (req) => {
      const principal = req.principal!;
      const a = await visible(principal, (req.params as { id: string }).id);
      const looks = (await repo.anchors.looks(a, readableOwners(principal))).slice(0, 1000);
      const names = await ownerNames(
        services,
        looks.map((d) => d.owner),
      );
      return { items: looks.map((d) => presentDigitalHuman(services, d, names, a)), hasMore: false, nextCursor: null, total: looks.length };
    },
  );

  scope.post(
    '/v1/anchors',
    {
      schema: { tags, summary: 'Create an anchor', body: AnchorCreate, response: { 201: { $ref: 'Anchor' }, ...problems(400, 401, 409) } },
    },
    async (req, reply) => {
      const body = req.body as Record<string, unknown>;
      const principal = req.principal!;
      const ownerName = creationOwner(principal, body.owner, 'anchors');
      if (principal.kind === 'app' && body.id !== undefined)
        throw new TimbrelError('invalid_parameter', 'id is chosen by the server; only the operator gives ids', 'id');
      await checkAssets(services, req.principal!, { headerImage: body.headerImage });
      const { a } = parseOne('anchor', { ...body, id: body.id ?? newId(), owner: ownerName, status: 'active', createdAt: undefined }, services.now());
      a.owner = await ownerIdOf(services, ownerName);
      await repo.anchors.create(a);
      reply.code(201).header('location', `/v1/anchors/${a.id}`);
      return answer(reply, a);
    },
  );

  scope.patch(
    '/v1/anchors/:id',
    {
      schema: {
        tags,
        summary: 'Change the given fields of an anchor (its code stays: looks name it; If-Match: only if it is still the version read)',
        params: IdParams,
        body: AnchorPatch,
        response: { 200: { $ref: 'Anchor' }, ...problems(400, 401, 403, 404, 412) },
      },
    },
    async (req, reply) => {
      const body = req.body as Record<string, unknown>;
      await checkAssets(services, req.principal!, { headerImage: body.headerImage });
      const changed = await change(req, (current) => {
        return patched('anchor', current, body, services.now());
      });
      return answer(reply, changed);
    },
  );

  scope.post(
    '/v1/anchors/:id/retire',
    {
      schema: {
        tags,
        summary: 'Retire an anchor: it leaves the anchor lists; its looks stay listed and keep its code and name',
        params: IdParams,
        body: RetireBody,
        response: { 200: { $ref: 'Anchor' }, ...problems(400, 401, 403, 404, 412) },
      },
    },
    async (req, reply) => answer(reply, await retire(services, req, visible, (fn) => change(req, fn), 'anchor')),
  );

  scope.post(
    '/v1/anchors/:id/restore',
    {
      schema: {
        tags,
        summary: 'Bring a retired anchor back into the lists',
        params: IdParams,
        response: { 200: { $ref: 'Anchor' }, ...problems(401, 403, 404, 412) },
      },
    },
    async (req, reply) => answer(reply, await change(req, (current) => ({ ...current, status: 'active', replacedBy: null, updatedAt: services.now() }))),
  );

  scope.delete(
    '/v1/anchors/:id',
    {
      schema: {
        tags,
        summary: 'Delete an anchor that has no looks (409 while any digital human names its code: retire it instead)',
        params: IdParams,
        response: { 204: { type: 'null', description: 'deleted' }, ...problems(401, 403, 404, 409, 412) },
      },
    },
    async (req, reply) => {
      const principal = req.principal!;
      const id = normalizeId((req.params as { id: string }).id);
      const removed =
        id &&
        (await repo.anchors.remove(id, readableOwners(principal), (current) => {
          assertWritable(principal, current.owner, 'anchor');
          checkIfMatch(services, req.headers['if-match'], current);
        }));
      if (!removed) throw new TimbrelError('anchor_not_found', 'no such anchor');
      reply.code(204);
    },
  );
};
