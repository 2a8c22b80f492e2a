/**
 * /v1/digital-humans (list, get, create, patch, retire) and their bindings at
 * /v1/digital-humans/{id}/timbres (list, bind, unbind, reorder, default).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { TimbrelError } from '../../core/errors.js';
import { newId, normalizeId } from '../../core/ids.js';
import type { Principal } from '../../core/access.js';
import { AVATAR_TYPES, PUBLIC_OWNER, type Anchor, type Binding, type DigitalHuman, type Timbre } from '../../core/types.js';
import { parseOne, patched } from '../../catalog-io/parse.js';
import type { Services } from '../../services.js';
import {
  assertWritable,
  bindingsTag,
  bindingsVersion,
  cachedList,
  checkAssets,
  checkIfMatch,
  checkIfMatchVersion,
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
  visibleDigitalHuman,
  visibleTimbre,
} from './common.js';
import {
  BindBody,
  BindingList,
  BindParams,
  DigitalHumanCreate,
  DigitalHumanList,
  DigitalHumanPatch,
  DigitalHumanQuery,
  IdParams,
  problems,
  ReorderBody,
  RetireBody,
  SORT_ORDER_MAX,
  type DigitalHumanQueryT,
} from './schemas.js';
import { presentDigitalHuman, presentTimbre } from './present.js';

const tags = ['digital humans'];
const bindingTags = ['bindings'];

export const digitalHumanRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  const { repo } = services;
  etags(scope);
  const presentOne = async (d: DigitalHuman) => presentDigitalHuman(services, d, await ownerNames(services, [d.owner]), (await repo.anchors.ofLooks([d]))[0]);

  const visible = (principal: Principal, rawId: string) => visibleDigitalHuman(services, principal, rawId);

  const assetsOf = (body: Record<string, unknown>) => ({
    headerImage: body.headerImage,
    poseImage: body.poseImage,
    clothesImage: body.clothesImage,
    coverImage: body.coverImage,
    renderPackage: body.renderPackage,
    frameFillPackage: body.frameFillPackage,
    ...Object.fromEntries(((body.actions as { previewVideo?: unknown }[] | undefined) ?? []).map((a, i) => [`actions[${i}].previewVideo`, a.previewVideo])),
  });

  const answer = async (reply: FastifyReply, d: DigitalHuman | undefined) => {
    if (!d) throw new TimbrelError('digital_human_not_found', 'no such digital human');
    reply.header('etag', entityTag(services, d));
    return presentOne(d);
  };

  /** Changes a digital human the principal may write, under its row lock; If-Match is checked there. */
  const change = (req: FastifyRequest, fn: (current: DigitalHuman) => DigitalHuman) => {
    const principal = req.principal!;
    const id = normalizeId((req.params as { id: string }).id);
    if (!id) return Promise.resolve(undefined);
    return repo.digitalHumans.change(id, readableOwners(principal), (current) => {
      assertWritable(principal, current.owner, 'digital human');
      checkIfMatch(services, req.headers['if-match'], current);
      return fn(current);
    });
  };

  scope.get(
    '/v1/digital-humans',
    {
      schema: {
        tags,
        summary: 'List and search digital humans',
        querystring: DigitalHumanQuery,
        response: { 200: DigitalHumanList, ...problems(400, 401, 429) },
      },
    },
    async (req, reply) =>
      cachedList(services, req, reply, async () => {
        const query = req.query as DigitalHumanQueryT;
        const own = { avatarType: oneOf('avatarType', multi(query.avatarType), AVATAR_TYPES), anchorCode: multi(query.anchorCode) };
        // Each look names its anchor: the page's anchors are read in one query, beside the page.
        const anchors = new Map<string, Anchor | undefined>();
        const search = async (s: Parameters<typeof repo.digitalHumans.search>[0]) => {
          const found = await repo.digitalHumans.search(s);
          const of = await repo.anchors.ofLooks(found.rows);
          found.rows.forEach((d, i) => anchors.set(d.id, of[i]));
          return found;
        };
        return listPage(services, req.principal!, query, own, search, (d, names) => presentDigitalHuman(services, d, names, anchors.get(d.id)));
      }),
  );

  scope.get(
    '/v1/digital-humans/:id',
    {
      schema: {
        tags,
        summary: 'Get a digital human with its actions (retired ones too); its ETag is what If-Match takes',
        params: IdParams,
        response: { 200: { $ref: 'DigitalHuman' }, ...problems(401, 404) },
      },
    },
    async (req, reply) => answer(reply, await visible(req.principal!, (req.params as { id: string }).id)),
  );

  scope.post(
    '/v1/digital-humans',
    {
      schema: { tags, summary: 'Create a digital human', body: DigitalHumanCreate, response: { 201: { $ref: 'DigitalHuman' }, ...problems(400, 401, 409) } },
    },
    async (req, reply) => {
      const body = req.body as Record<string, unknown>;
      const principal = req.principal!;
      const ownerName = creationOwner(principal, body.owner, 'digital humans');
      if (principal.kind === 'app' && body.id !== undefined)
        throw new TimbrelError('invalid_parameter', 'id is chosen by the server; only the operator gives ids', 'id');
      await checkAssets(services, req.principal!, assetsOf(body));
      const { d } = parseOne('digitalHuman', { ...body, id: body.id ?? newId(), owner: ownerName, status: 'active', createdAt: undefined }, services.now());
      d.owner = await ownerIdOf(services, ownerName);
      await repo.digitalHumans.create(d);
      reply.code(201).header('location', `/v1/digital-humans/${d.id}`);
      return answer(reply, d);
    },
  );

  scope.patch(
    '/v1/digital-humans/:id',
    {
      schema: {
        tags,
        summary: 'Change the given fields of a digital human (If-Match: only if it is still the version read)',
        params: IdParams,
        body: DigitalHumanPatch,
        response: { 200: { $ref: 'DigitalHuman' }, ...problems(400, 401, 403, 404, 412) },
      },
    },
    async (req, reply) => {
      const body = req.body as Record<string, unknown>;
      await checkAssets(services, req.principal!, assetsOf(body));
      const changed = await change(req, (current) => {
        return patched('digitalHuman', current, body, services.now());
      });
      return answer(reply, changed);
    },
  );

  scope.delete(
    '/v1/digital-humans/:id',
    {
      schema: {
        tags,
        summary: 'Retire a digital human: hidden from lists and the vendor dialects, still found by id',
        params: IdParams,
        body: RetireBody,
        response: { 200: { $ref: 'DigitalHuman' }, ...problems(400, 401, 403, 404, 412) },
      },
    },
    async (req, reply) => answer(reply, await retire(services, req, visible, (fn) => change(req, fn), 'digital human')),
  );

  scope.post(
    '/v1/digital-humans/:id/restore',
    {
      schema: {
        tags,
        summary: 'Bring a retired digital human back into the lists and the vendor dialects (If-Match: only onto the version read)',
        params: IdParams,
        response: { 200: { $ref: 'DigitalHuman' }, ...problems(401, 403, 404, 412) },
      },
    },
    async (req, reply) => answer(reply, await change(req, (current) => ({ ...current, status: 'active', replacedBy: null, updatedAt: services.now() }))),
  );

  // ---- bindings ---------------------------------------------------------------------------------------

  /** Whose bindings the caller manages: an app its own, the operator the public ones. */
  const bindingOwner = (p: Principal) => (p.kind === 'app' ? p.app.id : PUBLIC_OWNER);

  /** The binding list the caller sees, with its tag (bindingsTag: If-Match on the caller's binding writes). */
  const listBindings = async (principal: Principal, d: DigitalHuman, reply: FastifyReply) => {
    const bindings = await repo.bindings.of(d.id, readableOwners(principal));
    const found: { b: Binding; t: Timbre }[] = [];
    for (const b of bindings) {
      const t = await repo.timbres.byId(b.timbreId, readableOwners(principal));
      if (t && t.status === 'active') found.push({ b, t });
    }
    const names = await ownerNames(
      services,
      found.flatMap(({ b, t }) => [b.owner, t.owner]),
    );
    const answer = {
      items: found.map(({ b, t }) => ({
        owner: names.get(b.owner) ?? null,
        sortOrder: b.sortOrder,
        isDefault: b.isDefault,
        timbre: presentTimbre(services, t, names),
      })),
    };
    const owner = bindingOwner(principal);
    reply.header(
      'etag',
      bindingsTag(
        bindings.filter((b) => b.owner === owner),
        answer,
      ),
    );
    return answer;
  };

  /** The digital human the caller may bind to: one it can see; the operator binds public ones only. */
  const bindable = async (principal: Principal, rawId: string) => {
    const d = await visible(principal, rawId);
    if (principal.kind === 'operator' && d.owner !== PUBLIC_OWNER) {
      throw new TimbrelError('invalid_parameter', "the operator's bindings are public: bind to a public digital human", 'id');
    }
    return d;
  };

  const withDefault = (bindings: Binding[], defaultId: string | null | undefined) =>
    defaultId === undefined ? bindings : bindings.map((b) => ({ ...b, isDefault: b.timbreId === defaultId }));

  scope.get(
    '/v1/digital-humans/:id/timbres',
    {
      schema: {
        tags: bindingTags,
        summary: "The timbres bound to a digital human (public bindings and the caller's own)",
        params: IdParams,
        response: { 200: BindingList, ...problems(401, 404) },
      },
    },
    async (req, reply) => listBindings(req.principal!, await visible(req.principal!, (req.params as { id: string }).id), reply),
  );

  scope.put(
    '/v1/digital-humans/:id/timbres/:timbreId',
    {
      schema: {
        tags: bindingTags,
        summary: 'Bind a timbre (or change its place or default); If-Match: only onto the bindings read',
        params: BindParams,
        body: BindBody,
        response: { 200: BindingList, ...problems(400, 401, 404, 412) },
      },
    },
    async (req, reply) => {
      const principal = req.principal!;
      const params = req.params as { id: string; timbreId: string };
      const d = await bindable(principal, params.id);
      const t = await visibleTimbre(services, principal, params.timbreId);
      if (t.status !== 'active') throw new TimbrelError('timbre_not_found', 'no such timbre');
      if (principal.kind === 'operator' && t.owner !== PUBLIC_OWNER) {
        throw new TimbrelError('invalid_parameter', "the operator's bindings are public: bind a public timbre", 'timbreId');
      }
      const owner = bindingOwner(principal);
      const body = (req.body ?? {}) as { sortOrder?: number; isDefault?: boolean };
      await repo.bindings.change(d.id, owner, (mine) => {
        checkIfMatchVersion(req.headers['if-match'], bindingsVersion(mine));
        const existing = mine.find((b) => b.timbreId === t.id);
        const sortOrder = body.sortOrder ?? existing?.sortOrder ?? (mine.length ? Math.min(Math.max(...mine.map((b) => b.sortOrder)) + 1, SORT_ORDER_MAX) : 0);
        const next: Binding = {
          owner,
          digitalHumanId: d.id,
          timbreId: t.id,
          sortOrder,
          isDefault: body.isDefault ?? existing?.isDefault ?? false,
          createdAt: existing?.createdAt ?? services.now(),
        };
        const list = [...mine.filter((b) => b.timbreId !== t.id), next];
        return body.isDefault ? withDefault(list, t.id) : list;
      });
      return listBindings(principal, d, reply);
    },
  );

  scope.delete(
    '/v1/digital-humans/:id/timbres/:timbreId',
    {
      schema: {
        tags: bindingTags,
        summary: 'Unbind a timbre; If-Match: only from the bindings read',
        params: BindParams,
        response: { 200: BindingList, ...problems(401, 404, 412) },
      },
    },
    async (req, reply) => {
      const principal = req.principal!;
      const params = req.params as { id: string; timbreId: string };
      const d = await visible(principal, params.id);
      const owner = bindingOwner(principal);
      const timbreId = normalizeId(params.timbreId);
      await repo.bindings.change(d.id, owner, (mine) => {
        checkIfMatchVersion(req.headers['if-match'], bindingsVersion(mine));
        if (!mine.some((b) => b.timbreId === timbreId)) throw new TimbrelError('not_found', 'that timbre is not bound to this digital human');
        return mine.filter((b) => b.timbreId !== timbreId);
      });
      return listBindings(principal, d, reply);
    },
  );

  scope.put(
    '/v1/digital-humans/:id/timbres',
    {
      schema: {
        tags: bindingTags,
        summary: "Reorder the caller's bindings and set the default; If-Match: only the bindings read",
        params: IdParams,
        body: ReorderBody,
        response: { 200: BindingList, ...problems(400, 401, 404, 412) },
      },
    },
    async (req, reply) => {
      const principal = req.principal!;
      const d = await visible(principal, (req.params as { id: string }).id);
      const owner = bindingOwner(principal);
      const body = req.body as { order: string[]; default?: string | null };
      const order = body.order.map((id) => normalizeId(id) ?? id);
      const defaultId = body.default === undefined || body.default === null ? body.default : normalizeId(body.default);
      await repo.bindings.change(d.id, owner, (mine) => {
        checkIfMatchVersion(req.headers['if-match'], bindingsVersion(mine));
        const bound = new Set(mine.map((b) => b.timbreId));
        if (order.length !== bound.size || new Set(order).size !== order.length || !order.every((id) => bound.has(id))) {
          throw new TimbrelError('invalid_parameter', 'order must list each of your bound timbres exactly once', 'order');
        }
        if (defaultId && !bound.has(defaultId)) throw new TimbrelError('invalid_parameter', 'default must be one of your bound timbres', 'default');
        const byId = new Map(mine.map((b) => [b.timbreId, b]));
        return withDefault(
          order.map((id, i) => ({ ...byId.get(id)!, sortOrder: i })),
          defaultId === null ? '' : defaultId,
        );
      });
      return listBindings(principal, d, reply);
    },
  );
};
