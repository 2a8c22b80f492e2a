/**
 * ZEGO's legacy Digital Human PaaS asset actions (docs/dialects/zego.md; host aigc-api.zegotech.cn until June 2025):
 * a model (MetaHumanModel, timbrel's anchor) owns looks (MetaHuman, timbrel's digital human). Served at
 * `/` beside the current actions, so a legacy client changes only its host; they answer "succeed".
 */
import { TimbrelError } from '../../core/errors.js';
import { PUBLIC_OWNER, type App, type DigitalHuman } from '../../core/types.js';
import type { Services } from '../../services.js';
import { optionalId, requiredId, type Body } from './params.js';

type LegacyAction = (services: Services, app: App, body: Body) => Promise<unknown>;

/** The most anchors or looks a legacy list answers (the legacy API has no paging). */
export const LEGACY_LIST_MAX = 1000;

const GENDER_CODE = { male: 1, female: 2, neutral: 0 } as const;
/** Visibility: 1 public (公用), 2 the app's own (定制). */
const visibility = (owner: string) => (owner === PUBLIC_OWNER ? 1 : 2);

const lookNotFound = () => new TimbrelError('digital_human_not_found', 'digital human not found');
const modelNotFound = () => new TimbrelError('digital_human_not_found', 'digital human model not found');

/** A look the app can see and that is active, by MetaHumanId. */
async function visibleLook(services: Services, app: App, id: string): Promise<DigitalHuman> {
  const d = await services.catalog.findDigitalHuman(app, id);
  if (!d || d.status !== 'active') throw lookNotFound();
  return d;
}

const DescribeMetaHumanModel: LegacyAction = async (services, app) => {
  const result = await services.catalog.listAnchors(app, 'visible', {}, { offset: 0, limit: LEGACY_LIST_MAX });
  return {
    MetaHumanModels: result.items.map((a) => ({
      MetaHumanModelId: a.id,
      MetaHumanModelName: a.name,
      Gender: GENDER_CODE[a.gender] ?? 0,
      Visibility: visibility(a.owner),
      AvatarUrl: services.urls.resolve(a.headerImage),
    })),
  };
};

const DescribeMetaHumanModelDetail: LegacyAction = async (services, app, body) => {
  const id = requiredId(body, 'MetaHumanModelId');
  const anchor = await services.catalog.findAnchor(app, id);
  if (!anchor || anchor.status !== 'active') throw modelNotFound();
  const looks = await services.catalog.anchorLooks(app, anchor);
  return {
    MetaHumans: looks.slice(0, LEGACY_LIST_MAX).map((d) => ({
      MetaHumanId: d.id,
      MetaHumanName: d.name,
      Visibility: visibility(d.owner),
      AvatarUrl: services.urls.resolve(d.headerImage),
      // Omitted when there is none, as in the doc's own example.
      ...(d.coverImage ? { MicroCoverUrl: services.urls.resolve(d.coverImage) } : {}),
      ...(d.actions.length ? { ActionPreview: d.actions.map((a) => ({ ActionName: a.code, ActionUrl: services.urls.resolve(a.previewVideo) })) } : {}),
    })),
  };
};

const DescribeTimbreByMetaHuman: LegacyAction = async (services, app, body) => {
  const id = optionalId(body, 'MetaHumanId');
  const timbres = id
    ? await services.catalog.boundTimbres(app, id, 'visible', 'visible')
    : await services.catalog.listTimbreSummaries(app, 'public', { offset: 0, limit: LEGACY_LIST_MAX });
  if (!timbres) throw lookNotFound();
  return { Timbres: timbres.items.slice(0, LEGACY_LIST_MAX).map((t) => ({ TimbreId: t.id, TimbreName: t.name, AvatarUrl: services.urls.resolve(t.image) })) };
};

const DescribeMetaHuman: LegacyAction = async (services, app, body) => {
  const d = await visibleLook(services, app, requiredId(body, 'MetaHumanId'));
  return { FrameFillUrl: services.urls.resolve(d.frameFillPackage) };
};

export const LEGACY_ZEGO_ACTIONS: Record<string, LegacyAction> = {
  DescribeMetaHumanModel,
  DescribeMetaHumanModelDetail,
  DescribeTimbreByMetaHuman,
  DescribeMetaHuman,
};
export const LEGACY_ACTIONS = new Set(Object.keys(LEGACY_ZEGO_ACTIONS));
