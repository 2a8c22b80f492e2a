/**
 * The IVH asset-query paths timbrel serves (docs/dialects/tencent-ivh.md): getimagetimbre (Tencent 1211/62127),
 * describetimbre (1240/81274, 1211/62129) and describesmallsampleimage (1240/93404, 1211/62126).
 */
import { TimbrelError } from '../../core/errors.js';
import { toHexKey } from '../../core/ids.js';
import type { Anchor, App, DigitalHuman, Timbre } from '../../core/types.js';
import type { Scope } from '../../core/catalog.js';
import type { Services } from '../../services.js';
import { renderOnce } from '../render-cache.js';
import { optionalString, optionalStringList, paging, requiredString, type Payload } from './params.js';

export type IvhOperation = (services: Services, app: App, payload: Payload) => Promise<unknown>;

const GENDER_CODE: Record<Timbre['gender'], number> = { male: 1, female: 2, neutral: 0 };

/**
 * Tencent renders instants as `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8, no daylight saving), the
 * zone of its hosts; "" when there is none (docs/dialects/tencent-ivh.md decision).
 */
export function ivhDate(ms: number | null): string {
  if (ms === null) return '';
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const getimagetimbre: IvhOperation = async (services, app, payload) => {
  const key = requiredString(payload, 'VirtualmanKey');
  const bound = await services.catalog.boundTimbres(app, key, 'visible', 'visible');
  if (!bound) throw new TimbrelError('digital_human_not_found', 'VirtualmanKey not found', 'VirtualmanKey');
  return {
    Timbres: bound.items.map((t) => ({
      TimbreKey: t.key,
      TimbreName: t.name,
      TimbreSample: services.urls.resolve(t.sample),
      TimbreDesc: t.description,
    })),
  };
};

const PURCHASE_SCOPES: Record<string, Scope> = { Lease: 'public', Custom: 'mine' };

const describetimbre: IvhOperation = async (services, app, payload) => {
  const page = paging(payload);
  const timbreKey = optionalString(payload, 'TimbreKey');
  const timbreName = optionalString(payload, 'TimbreName');
  const purchaseType = optionalString(payload, 'PurchaseType');
  const keyList = optionalStringList(payload, 'TimbreKeyList');
  if (purchaseType !== undefined && !Object.hasOwn(PURCHASE_SCOPES, purchaseType)) {
    throw new TimbrelError('invalid_parameter_value', 'PurchaseType must be Lease or Custom', 'PurchaseType');
  }
  const scope = purchaseType ? PURCHASE_SCOPES[purchaseType] : 'visible';
  const keys = keyList ?? (timbreKey ? [timbreKey] : undefined);
  const result = await services.catalog.listTimbres(app, scope, { keys, nameContains: timbreName || undefined }, page);
  return renderOnce(result, 'ivh:timbres', services.urls.epoch(), () => ({
    TimbreAssets: result.items.map((t) => ({
      TimbreKey: t.key,
      TimbreName: t.name,
      TimbreSample: services.urls.resolve(t.sample),
      TimbreDesc: t.description,
      SupportVirtualmanTypeCodes: t.supportedAvatarTypes,
      SupportDriverTypes: t.driverTypes,
      ExpireDate: ivhDate(t.expiresAt),
      AudioDuration: 0,
      AudioNum: 0,
      EmotionalCategories: t.emotions,
      TimbreGender: GENDER_CODE[t.gender] ?? 0,
      PurchaseType: t.owner === '' ? 'Lease' : 'Custom',
      TimbreType: t.timbreType,
      TimbreLanguages: t.languages,
    })),
    Total: result.total,
  }));
};

/** What every IVH rendering of a look says of its clothes, pose and pictures, in Tencent's order. */
export const lookFields = (services: Services, d: DigitalHuman) => ({
  ClothesName: d.clothesName,
  PoseName: d.poseName,
  Resolution: d.resolution,
  HeaderImage: services.urls.resolve(d.headerImage),
  PoseImage: services.urls.resolve(d.poseImage),
  ClothesImage: services.urls.resolve(d.clothesImage),
  SupportDriverTypes: d.driverTypes,
});

function virtualman(services: Services, d: DigitalHuman, anchor: Anchor | undefined) {
  return {
    VirtualmanKey: toHexKey(d.id),
    // An anchored look names its anchor (docs/domain.md); one without keeps its own name.
    AnchorName: anchor?.name ?? d.name,
    AnchorCode: d.anchorCode,
    BackgroundChangeable: d.backgroundChangeable,
    ...lookFields(services, d),
    EffectiveDate: ivhDate(d.effectiveAt),
    ExpireDate: ivhDate(d.expiresAt),
    EffectiveTime: d.effectiveAt ?? 0,
    ExpireTime: d.expiresAt ?? 0,
    VideoDuration: 0,
    VideoNum: 0,
    OriginZoom: d.originZoom,
    OriginZoomStr: d.originZoom.toFixed(3),
    ReferenceVideoSegmentUrl: '',
  };
}

const describesmallsampleimage: IvhOperation = async (services, app, payload) => {
  const page = paging(payload);
  const anchorCodes = optionalStringList(payload, 'AnchorCodes');
  const key = optionalString(payload, 'VirtualmanKey');
  const result = await services.catalog.listDigitalHumans(app, 'visible', { anchorCodes, ids: key ? [key] : undefined }, page);
  const anchors = await services.catalog.anchorsOf(result.items);
  return renderOnce(result, 'ivh:virtualmans', services.urls.epoch(), () => ({
    Virtualmans: result.items.map((d, i) => virtualman(services, d, anchors[i])),
    Total: result.total,
  }));
};

export const IVH_ASSET_OPERATIONS: Record<string, IvhOperation> = { getimagetimbre, describetimbre, describesmallsampleimage };
export const IVH_GETTIMBRE = getimagetimbre;
