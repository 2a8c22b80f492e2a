/** The native API's renderings of catalog rows: owner names, ISO instants, resolved file URLs. */
import type { Anchor, DigitalHuman, Timbre } from '../../core/types.js';
import type { Services } from '../../services.js';
import { iso } from './common.js';
import type { AnchorDto, DigitalHumanDto, TimbreDto } from './schemas.js';

/** A stored or external file reference as the URL a client fetches; none stays null. */
const fileUrl = (services: Services, ref: string | null) => (ref ? services.urls.resolve(ref) : null);

export const presentTimbre = (services: Services, t: Timbre, names: Map<string, string | null>): TimbreDto => ({
  id: t.id,
  owner: names.get(t.owner) ?? null,
  key: t.key,
  name: t.name,
  description: t.description,
  gender: t.gender,
  languages: t.languages,
  emotions: t.emotions,
  timbreType: t.timbreType,
  supportedAvatarTypes: t.supportedAvatarTypes as TimbreDto['supportedAvatarTypes'],
  driverTypes: t.driverTypes as TimbreDto['driverTypes'],
  tags: t.tags,
  age: t.age,
  accent: t.accent,
  useCases: t.useCases,
  sortOrder: t.sortOrder,
  image: fileUrl(services, t.image),
  sample: fileUrl(services, t.sample),
  languageSamples: Object.fromEntries(Object.entries(t.languageSamples).map(([tag, ref]) => [tag, services.urls.resolve(ref)])),
  expiresAt: iso(t.expiresAt),
  status: t.status,
  replacedBy: t.replacedBy,
  createdAt: iso(t.createdAt)!,
  updatedAt: iso(t.updatedAt)!,
});

export function presentDigitalHuman(services: Services, d: DigitalHuman, names: Map<string, string | null>, anchor: Anchor | undefined): DigitalHumanDto {
  return {
    id: d.id,
    owner: names.get(d.owner) ?? null,
    name: d.name,
    anchorCode: d.anchorCode,
    clothesName: d.clothesName,
    poseName: d.poseName,
    resolution: d.resolution,
    avatarType: d.avatarType as DigitalHumanDto['avatarType'],
    driverTypes: d.driverTypes as DigitalHumanDto['driverTypes'],
    backgroundChangeable: d.backgroundChangeable,
    originZoom: d.originZoom,
    extraParams: d.extraParams,
    smallImageMode: d.smallImageMode,
    sortOrder: d.sortOrder,
    headerImage: fileUrl(services, d.headerImage),
    poseImage: fileUrl(services, d.poseImage),
    clothesImage: fileUrl(services, d.clothesImage),
    coverImage: fileUrl(services, d.coverImage),
    renderPackage: fileUrl(services, d.renderPackage),
    frameFillPackage: fileUrl(services, d.frameFillPackage),
    actions: d.actions.map((a) => ({ code: a.code, name: a.name, previewVideo: fileUrl(services, a.previewVideo) })),
    anchor: anchor ? { id: anchor.id, code: anchor.code, name: anchor.name, status: anchor.status } : null,
    effectiveAt: iso(d.effectiveAt),
    expiresAt: iso(d.expiresAt),
    status: d.status,
    replacedBy: d.replacedBy,
    createdAt: iso(d.createdAt)!,
    updatedAt: iso(d.updatedAt)!,
  };
}

export const presentAnchor = (services: Services, a: Anchor, names: Map<string, string | null>): AnchorDto => ({
  id: a.id,
  owner: names.get(a.owner) ?? null,
  code: a.code,
  name: a.name,
  gender: a.gender,
  tag: a.tag,
  avatarType: a.avatarType as AnchorDto['avatarType'],
  sortOrder: a.sortOrder,
  headerImage: fileUrl(services, a.headerImage),
  status: a.status,
  replacedBy: a.replacedBy,
  createdAt: iso(a.createdAt)!,
  updatedAt: iso(a.updatedAt)!,
});
