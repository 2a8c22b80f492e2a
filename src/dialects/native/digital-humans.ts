/**
 * /v1/digital-humans (list, get, create, patch, retire) and their bindings at
 * /v1/digital-humans/{id}/timbres (list, bind, unbind, reorder, default).
 */
import type { FastifyPluginAsync } from 'fastify';
import { TimbrelError } from '../../core/errors.js';
import { newId, normalizeId } from '../../core/ids.js';
import type { Principal } from '../../core/access.js';
import { AVATAR_TYPES, PUBLIC_OWNER, type Binding, type DigitalHuman, type Timbre } from '../../core/types.js';
import { parseOne } from '../../catalog-io/parse.js';
import type { Services } from '../../services.js';
import {
  assertWritable,
  checkAssets,
  creationOwner,
  etags,
  listPage,
  multi,
  oneOf,
  ownerIdOf,
  ownerNames,
  readableOwners,
  replacement,
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
  type DigitalHumanQueryT,
} from './schemas.js';
import { presentDigitalHuman, presentTimbre } from './present.js';

const tags = ['digital humans'];
const bindingTags = ['bindings'];

export const digitalHumanRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  const { repo } = services;
  etags(scope);
  const present = (dh: DigitalHuman, names: Map<string, string | null>) => presentDigitalHuman(services, dh, names);
  const presentOne = async (d: DigitalHuman) => present(d, await ownerNames(services, [d.owner]));

  const visible = (principal: Principal, rawId: string) => visibleDigitalHuman(services, principal, rawId);

  const assetsOf = (body: Record<string, unknown>) => ({
    headerImage: body.headerImage,
    poseImage: body.poseImage,
    clothesImage: body.clothesImage,
    ...Object.fromEntries(((body.actions as { previewVideo?: unknown }[] | undefined) ?? []).map((a, i) => [`actions[${i}].previewVideo`, a.previewVideo])),
  });

  const write = (d: DigitalHuman) => repo.transaction((trx) => repo.upsertDigitalHumans(trx, [d]));

  scope.get('/v1/digital-humans', {
    schema: { tags, summary: 'List and search digital humans', querystring: DigitalHumanQuery, response: { 200: DigitalHumanList, ...problems(400, 401, 429) } },
  }, async (req) => {
    const query = req.query as DigitalHumanQueryT;
    const own = { avatarType: oneOf('avatarType', multi(query.avatarType), AVATAR_TYPES) };
    return listPage(services, req.principal!, query, own, (s) => repo.searchDigitalHumans(s), present);
  });

  scope.get('/v1/digital-humans/:id', {
    schema: { tags, summary: 'Get a digital human with its actions (retired ones too)', params: IdParams, response: { 200: { $ref: 'DigitalHuman' }, ...problems(401, 404) } },
  }, async (req) => presentOne(await visible(req.principal!, (req.params as { id: string }).id)));

  scope.post('/v1/digital-humans', {
    schema: { tags, summary: 'Create a digital human', body: DigitalHumanCreate, response: { 201: { $ref: 'DigitalHuman' }, ...problems(400, 401, 409) } },
  }, async (req, reply) => {
    const body = req.body as Record<string, unknown>;
    const ownerName = creationOwner(req.principal!, body.owner, 'digital humans');
    await checkAssets(services, assetsOf(body));
    const { d } = parseOne('digitalHuman', { ...body, id: body.id ?? newId(), owner: ownerName, status: 'active', createdAt: undefined }, services.now());
    d.owner = await ownerIdOf(services, ownerName);
    if (await repo.digitalHumanById(d.id)) throw new TimbrelError('conflict', `a digital human with id ${d.id} exists`, 'id');
    await write(d);
    reply.code(201).header('location', `/v1/digital-humans/${d.id}`);
    return presentOne(d);
  });

  scope.patch('/v1/digital-humans/:id', {
    schema: { tags, summary: 'Change a digital human', params: IdParams, body: DigitalHumanPatch, response: { 200: { $ref: 'DigitalHuman' }, ...problems(400, 401, 403, 404) } },
  }, async (req) => {
    const principal = req.principal!;
    const current = await visible(principal, (req.params as { id: string }).id);
    assertWritable(principal, current.owner, 'digital human');
    const body = req.body as Record<string, unknown>;
    await checkAssets(services, assetsOf(body));
    const { d } = parseOne('digitalHuman', { ...current, owner: null, ...body, id: current.id }, services.now());
    Object.assign(d, { owner: current.owner, status: current.status, replacedBy: current.replacedBy, createdAt: current.createdAt });
    await write(d);
    return presentOne(d);
  });

  scope.delete('/v1/digital-humans/:id', {
    schema: {
      tags,
      summary: 'Retire a digital human: hidden from lists and the vendor dialects, still found by id',
      params: IdParams,
      body: RetireBody,
      response: { 200: { $ref: 'DigitalHuman' }, ...problems(400, 401, 403, 404) },
    },
  }, async (req) => {
    const principal = req.principal!;
    const current = await visible(principal, (req.params as { id: string }).id);
    assertWritable(principal, current.owner, 'digital human');
    const replacedBy = await replacement(req.body, current, (id) => visible(principal, id), 'digital human');
    const d: DigitalHuman = { ...current, status: 'retired', replacedBy, updatedAt: services.now() };
    await write(d);
    return presentOne(d);
  });

  // ---- bindings ---------------------------------------------------------------------------------------

  /** Whose bindings the caller manages: an app its own, the operator the public ones. */
  const bindingOwner = (p: Principal) => (p.kind === 'app' ? p.app.id : PUBLIC_OWNER);

  const listBindings = async (principal: Principal, d: DigitalHuman) => {
    const bindings = await repo.bindingsOf(d.id, readableOwners(principal));
    const found: { b: Binding; t: Timbre }[] = [];
    for (const b of bindings) {
      const t = await repo.timbreById(b.timbreId, readableOwners(principal));
      if (t && t.status === 'active') found.push({ b, t });
    }
    const names = await ownerNames(services, found.flatMap(({ b, t }) => [b.owner, t.owner]));
    return {
      items: found.map(({ b, t }) => ({ owner: names.get(b.owner) ?? null, sortOrder: b.sortOrder, isDefault: b.isDefault, timbre: presentTimbre(services, t, names) })),
    };
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

  scope.get('/v1/digital-humans/:id/timbres', {
    schema: { tags: bindingTags, summary: "The timbres bound to a digital human (public bindings and the caller's own)", params: IdParams, response: { 200: BindingList, ...problems(401, 404) } },
  }, async (req) => listBindings(req.principal!, await visible(req.principal!, (req.params as { id: string }).id)));

  scope.put('/v1/digital-humans/:id/timbres/:timbreId', {
    schema: { tags: bindingTags, summary: 'Bind a timbre (or change its place or default)', params: BindParams, body: BindBody, response: { 200: BindingList, ...problems(400, 401, 404) } },
  }, async (req) => {
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
    const mine = await repo.bindingsOf(d.id, [owner]);
    const existing = mine.find((b) => b.timbreId === t.id);
    const sortOrder = body.sortOrder ?? existing?.sortOrder ?? (mine.length ? Math.max(...mine.map((b) => b.sortOrder)) + 1 : 0);
    const next: Binding = { owner, digitalHumanId: d.id, timbreId: t.id, sortOrder, isDefault: body.isDefault ?? existing?.isDefault ?? false, createdAt: existing?.createdAt ?? services.now() };
    let list = [...mine.filter((b) => b.timbreId !== t.id), next];
    if (body.isDefault) list = withDefault(list, t.id);
    await repo.replaceBindings(d.id, owner, list);
    return listBindings(principal, d);
  });

  scope.delete('/v1/digital-humans/:id/timbres/:timbreId', {
    schema: { tags: bindingTags, summary: 'Unbind a timbre', params: BindParams, response: { 200: BindingList, ...problems(401, 404) } },
  }, async (req) => {
    const principal = req.principal!;
    const params = req.params as { id: string; timbreId: string };
    const d = await visible(principal, params.id);
    const owner = bindingOwner(principal);
    const mine = await repo.bindingsOf(d.id, [owner]);
    const timbreId = normalizeId(params.timbreId);
    if (!mine.some((b) => b.timbreId === timbreId)) throw new TimbrelError('not_found', 'that timbre is not bound to this digital human');
    await repo.replaceBindings(d.id, owner, mine.filter((b) => b.timbreId !== timbreId));
    return listBindings(principal, d);
  });

  scope.put('/v1/digital-humans/:id/timbres', {
    schema: { tags: bindingTags, summary: "Reorder the caller's bindings and set the default", params: IdParams, body: ReorderBody, response: { 200: BindingList, ...problems(400, 401, 404) } },
  }, async (req) => {
    const principal = req.principal!;
    const d = await visible(principal, (req.params as { id: string }).id);
    const owner = bindingOwner(principal);
    const body = req.body as { order: string[]; default?: string | null };
    const mine = await repo.bindingsOf(d.id, [owner]);
    const order = body.order.map((id) => normalizeId(id) ?? id);
    const bound = new Set(mine.map((b) => b.timbreId));
    if (order.length !== bound.size || new Set(order).size !== order.length || !order.every((id) => bound.has(id))) {
      throw new TimbrelError('invalid_parameter', 'order must list each of your bound timbres exactly once', 'order');
    }
    const defaultId = body.default === undefined || body.default === null ? body.default : normalizeId(body.default);
    if (defaultId && !bound.has(defaultId)) throw new TimbrelError('invalid_parameter', 'default must be one of your bound timbres', 'default');
    const byId = new Map(mine.map((b) => [b.timbreId, b]));
    const list = withDefault(order.map((id, i) => ({ ...byId.get(id)!, sortOrder: i })), defaultId === null ? '' : defaultId);
    await repo.replaceBindings(d.id, owner, list);
    return listBindings(principal, d);
  });
};
