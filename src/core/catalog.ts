import type { Anchor, App, DigitalHuman, Page, Timbre, TimbreSummary, UpstreamDialect } from './types.js';
import { PUBLIC_OWNER } from './types.js';
import { normalizeId } from './ids.js';
import type { AnchorFilter, DigitalHumanFilter, Repository, TimbreFilter } from '../store/index.js';

/**
 * Which owners' assets a request may list:
 * - `public`: the public catalog;
 * - `mine`: the calling app's private assets;
 * - `visible`: both — everything docs/domain.md's visibility rule lets the app see.
 */
export type Scope = 'public' | 'mine' | 'visible';

export function ownersFor(viewer: App, scope: Scope): string[] {
  switch (scope) {
    case 'public':
      return [PUBLIC_OWNER];
    case 'mine':
      return [viewer.id];
    case 'visible':
      return [PUBLIC_OWNER, viewer.id];
  }
}

export interface PageRequest {
  offset: number;
  limit: number;
}

/**
 * The catalog as the dialects see it. Every read goes through here so that the visibility rule is applied
 * once: an app sees public active assets and its own; another app's asset is indistinguishable from a
 * missing one (same answer, same query path).
 */
export class Catalog {
  constructor(readonly repo: Repository) {}

  listTimbres(viewer: App, scope: Scope, filter: TimbreFilter, page: PageRequest): Promise<Page<Timbre>> {
    return this.repo.timbres.list(ownersFor(viewer, scope), filter, page.offset, page.limit);
  }

  /** A page of the list as listTimbres gives it unfiltered, each timbre summarized (id, owner, name, picture). */
  listTimbreSummaries(viewer: App, scope: Scope, page: PageRequest): Promise<Page<TimbreSummary>> {
    return this.repo.timbres.listSummaries(ownersFor(viewer, scope), page.offset, page.limit);
  }

  listDigitalHumans(viewer: App, scope: Scope, filter: DigitalHumanFilter, page: PageRequest): Promise<Page<DigitalHuman>> {
    const ids = filter.ids?.map((id) => normalizeId(id) ?? '');
    return this.repo.digitalHumans.list(ownersFor(viewer, scope), { ...filter, ids }, page.offset, page.limit);
  }

  /** Active anchors the viewer can see, in domain order. */
  listAnchors(viewer: App, scope: Scope, filter: AnchorFilter, page: PageRequest): Promise<Page<Anchor>> {
    return this.repo.anchors.list(ownersFor(viewer, scope), filter, page.offset, page.limit);
  }

  /** An anchor the viewer can see, by id in any of its renderings (retired ones too); undefined when it cannot. */
  async findAnchor(viewer: App, id: string): Promise<Anchor | undefined> {
    const uuid = normalizeId(id);
    if (!uuid) return undefined;
    return this.repo.anchors.byId(uuid, ownersFor(viewer, 'visible'));
  }

  /** The visible, active looks of an anchor the viewer can see, in domain order. */
  anchorLooks(viewer: App, anchor: Anchor): Promise<DigitalHuman[]> {
    return this.repo.anchors.looks(anchor, ownersFor(viewer, 'visible'));
  }

  /** The anchor each look belongs to (by its anchorCode; undefined for a look without one). */
  anchorsOf(looks: DigitalHuman[]): Promise<(Anchor | undefined)[]> {
    return this.repo.anchors.ofLooks(looks);
  }

  /**
   * A timbre the viewer can see (retired ones too), by its id in any rendering or by its key; undefined
   * when it cannot see one: another app's is indistinguishable from a missing one.
   */
  async findTimbre(viewer: App, idOrKey: string): Promise<Timbre | undefined> {
    const owners = ownersFor(viewer, 'visible');
    const uuid = normalizeId(idOrKey);
    const t = uuid ? await this.repo.timbres.byId(uuid, owners) : undefined;
    return t ?? this.repo.timbres.byKey(idOrKey, owners);
  }

  /** A digital human the viewer can see, by id in any of its renderings; undefined when it cannot. */
  async findDigitalHuman(viewer: App, id: string): Promise<DigitalHuman | undefined> {
    const uuid = normalizeId(id);
    if (!uuid) return undefined;
    return this.repo.digitalHumans.byId(uuid, ownersFor(viewer, 'visible'));
  }

  /**
   * A digital human the viewer can see by its timbrel id or by the vendor id a `dialect` sync kept for it
   * (HeyGen's avatar ids are not UUIDs): an active one first, of the viewer's own before the public.
   */
  async findDigitalHumanOf(viewer: App, id: string, dialect: UpstreamDialect): Promise<DigitalHuman | undefined> {
    const byId = await this.findDigitalHuman(viewer, id);
    if (byId) return byId;
    const visible = ownersFor(viewer, 'visible');
    const found = (
      await Promise.all((await this.repo.upstreams.idsOfVendorId('digitalHuman', id, dialect)).map((x) => this.repo.digitalHumans.byId(x, visible)))
    ).filter((d): d is DigitalHuman => d !== undefined);
    const rank = (d: DigitalHuman) => (d.status === 'active' ? 0 : 2) + (d.owner === viewer.id ? 0 : 1);
    return found.sort((a, b) => rank(a) - rank(b))[0];
  }

  /**
   * Whether the catalog holds a voice (a timbre by id or key) or an avatar (a digital human by id or by a
   * `dialect` sync's vendor id) at all: any owner, any status. An open upstream relays only what it does not.
   */
  async holds(what: 'voice' | 'avatar', id: string, dialect: UpstreamDialect): Promise<boolean> {
    const uuid = normalizeId(id);
    if (what === 'voice') return (uuid !== undefined && (await this.repo.timbres.byId(uuid)) !== undefined) || this.repo.timbres.keyHeld(id);
    if (uuid !== undefined && (await this.repo.digitalHumans.byId(uuid)) !== undefined) return true;
    return (await this.repo.upstreams.idsOfVendorId('digitalHuman', id, dialect)).length > 0;
  }

  /**
   * The timbres bound to a digital human the viewer can see, or undefined when it cannot see it.
   * `bindings` says whose bindings count, `timbres` which timbres may appear.
   */
  async boundTimbres(viewer: App, digitalHumanId: string, bindings: Scope, timbres: Scope, page?: PageRequest): Promise<Page<Timbre> | undefined> {
    const dh = await this.findDigitalHuman(viewer, digitalHumanId);
    if (!dh) return undefined;
    const all = await this.repo.bindings.boundTimbres(dh.id, ownersFor(viewer, bindings), ownersFor(viewer, timbres));
    const items = page ? all.slice(page.offset, page.offset + page.limit) : all;
    return { total: all.length, items };
  }
}
