/**
 * IVH's anchor paths (docs/dialects/tencent-ivh.md): getanchor (Tencent 1240/99704, 1211/62130), getimagebyanchor
 * (1240/81273, 1211/62131), getaction (1240/99706, 1211/62132), getserviceasset (1240/93407, 1211/62128), and
 * the deprecated aliases under /v2/ivh/videomaker/broadcastservice/ (1211/62090-62093).
 */
import { TimbrelError } from '../../core/errors.js';
import { normalizeId, toHexKey } from '../../core/ids.js';
import { PUBLIC_OWNER, type Anchor, type App, type DigitalHuman } from '../../core/types.js';
import type { Scope } from '../../core/catalog.js';
import type { Services } from '../../services.js';
import { renderOnce } from '../render-cache.js';
import { ivhDate, lookFields, type IvhOperation } from './operations.js';
import { optionalBool, optionalString, optionalStringList, paging, requiredString, stringListOrOne, type Payload } from './params.js';

/** VirtualmanType display names (docs/dialects/tencent-ivh.md): zh by default, en by TIMBREL_IVH_TYPE_NAMES. */
export const VIRTUALMAN_TYPE_NAMES: Record<'zh' | 'en', Record<string, string>> = {
  zh: {
    real_man_2d: '2D精品',
    real_man_3d: '3D写实',
    half_realistic_3d: '3D半写实',
    cartoon_3d: '3D卡通',
    small_sample_2d: '2D小样本(专属)',
    small_sample_general_2d: '2D小样本(通用)',
    small_sample_4k_2d: '2D小样本(高精)',
    small_sample_photo_2d: '2D小样本(照片)',
  },
  en: {
    real_man_2d: '2D Premium',
    real_man_3d: '3D Realistic',
    half_realistic_3d: '3D Semi-Realistic',
    cartoon_3d: '3D Cartoon',
    small_sample_2d: 'Studio Avatar',
    small_sample_general_2d: 'Instant Avatar',
    small_sample_4k_2d: '4K Studio Avatar',
    small_sample_photo_2d: 'Photo Avatar',
  },
};

const typeName = (services: Services, code: string) => VIRTUALMAN_TYPE_NAMES[services.config.ivhTypeNames][code] ?? code;
const GENDER_CODE: Record<Anchor['gender'], number> = { male: 1, female: 2, neutral: 0 };
const purchaseTypeOf = (owner: string) => (owner === PUBLIC_OWNER ? 'Lease' : 'Custom');
const PURCHASE_SCOPES: Record<string, Scope> = { Lease: 'public', Custom: 'mine' };

/** PurchaseType: Lease = public, Custom = the app's own, absent = both; anything else → 100002. */
function purchaseScope(payload: Payload): Scope {
  const v = optionalString(payload, 'PurchaseType');
  if (v === undefined) return 'visible';
  if (!Object.hasOwn(PURCHASE_SCOPES, v)) throw new TimbrelError('invalid_parameter_value', 'PurchaseType must be Lease or Custom', 'PurchaseType');
  return PURCHASE_SCOPES[v];
}

/** The AnchorName / AnchorCode of a look: its anchor's, or (unanchored, or a code left unresolved) its own name. */
const anchorOfLook = (d: DigitalHuman, a: Anchor | undefined) => ({ name: a?.name ?? d.name, code: d.anchorCode });

const getanchor: IvhOperation = async (services, app, payload) => {
  const avatarType = requiredString(payload, 'VirtualmanTypeCode');
  const codes = optionalStringList(payload, 'AnchorCodes');
  const scope = purchaseScope(payload);
  const page = paging(payload);
  const result = await services.catalog.listAnchors(app, scope, { avatarType, codes }, page);
  return renderOnce(result, `ivh:anchors:${services.config.ivhTypeNames}`, services.urls.epoch(), () => ({
    Virtualmans: result.items.map((a) => ({
      AnchorName: a.name,
      AnchorCode: a.code,
      VirtualmanType: typeName(services, a.avatarType),
      VirtualmanTypeCode: a.avatarType,
      PurchaseType: purchaseTypeOf(a.owner),
      HeaderImage: services.urls.resolve(a.headerImage),
      Tag: a.tag,
      Gender: GENDER_CODE[a.gender] ?? 0,
    })),
    Total: result.total,
  }));
};

const getimagebyanchor: IvhOperation = async (services, app, payload) => {
  const avatarType = requiredString(payload, 'VirtualmanTypeCode');
  // The en page names the code filter AnchorCode (an array; a string is a one-item list); AnchorCodes wins.
  const anchorCodes = optionalStringList(payload, 'AnchorCodes') ?? stringListOrOne(payload, 'AnchorCode');
  const key = optionalString(payload, 'VirtualmanKey');
  const scope = purchaseScope(payload);
  const page = paging(payload);
  if (key !== undefined && key !== '' && !normalizeId(key)) return { Virtualmans: [], Total: 0 };
  const ids = key ? [key] : undefined;
  const result = await services.catalog.listDigitalHumans(app, scope, { avatarType, anchorCodes, ids, anchored: true }, page);
  const anchors = await services.catalog.anchorsOf(result.items);
  return renderOnce(result, `ivh:looks:${services.config.ivhTypeNames}`, services.urls.epoch(), () => ({
    Virtualmans: result.items.map((d, i) => {
      const anchor = anchorOfLook(d, anchors[i]);
      return {
        AnchorName: anchor.name,
        AnchorCode: anchor.code,
        VirtualmanType: typeName(services, d.avatarType),
        VirtualmanTypeCode: d.avatarType,
        VirtualmanKey: toHexKey(d.id),
        ...lookFields(services, d),
        SupportAnchorExtraParams: d.extraParams,
        VideoDuration: 0,
        VideoNum: 0,
        ExpireDate: ivhDate(d.expiresAt),
        OriginZoom: d.originZoom.toFixed(3),
        ReferenceVideoSegmentUrl: '',
      };
    }),
    Total: result.total,
  }));
};

/** The actions of a look; an unknown, malformed or another app's key, and a look without actions: []. */
const getaction: IvhOperation = async (services, app, payload) => {
  const key = requiredString(payload, 'VirtualmanKey');
  const d = await services.catalog.findDigitalHuman(app, key);
  const actions = d && d.status === 'active' ? d.actions : [];
  return {
    Actions: actions.map((a) => ({ ActionName: a.name || a.code, ActionCode: a.code, ActionSample: services.urls.resolve(a.previewVideo) })),
  };
};

/** timbrel keeps no billing data: the true answer is that this app holds no service assets here. */
const getserviceasset: IvhOperation = async (_services, _app, payload) => {
  optionalString(payload, 'ServiceType');
  paging(payload);
  return { ServiceAssetInfos: [], Total: 0 };
};

// ---- deprecated aliases under /v2/ivh/videomaker/broadcastservice/ ------------------------------------

/** GetAllResource: false "this appkey", true "the whole account"; timbrel has no account above an app. */
const allResource = (payload: Payload) => optionalBool(payload, 'GetAllResource');

/** The most looks or anchors the unpaged deprecated lists answer. */
export const UNPAGED_MAX = 1000;

const resources = (app: App, virtualmans: unknown[]) => ({ VirtualmanResources: [{ AppKey: app.ivhAppKey, Virtualmans: virtualmans }] });

const legacyGetanchor: IvhOperation = async (services, app, payload) => {
  allResource(payload);
  const avatarType = optionalString(payload, 'VirtualmanTypeCode') || undefined;
  const result = await services.catalog.listAnchors(app, 'visible', { avatarType }, { offset: 0, limit: UNPAGED_MAX });
  return resources(
    app,
    result.items.map((a) => ({
      AnchorName: a.name,
      AnchorCode: a.code,
      HeaderImage: services.urls.resolve(a.headerImage),
      VirtualmanType: typeName(services, a.avatarType),
      VirtualmanTypeCode: a.avatarType,
      Tag: a.tag,
    })),
  );
};

const getresourcebyanchor: IvhOperation = async (services, app, payload) => {
  allResource(payload);
  const code = requiredString(payload, 'AnchorCode');
  const result = await services.catalog.listDigitalHumans(app, 'visible', { anchorCodes: [code] }, { offset: 0, limit: UNPAGED_MAX });
  const anchors = await services.catalog.anchorsOf(result.items);
  return resources(
    app,
    result.items.map((d, i) => {
      const anchor = anchorOfLook(d, anchors[i]);
      return {
        VirtualmanKey: toHexKey(d.id),
        Name: anchor.name,
        Code: anchor.code,
        ...lookFields(services, d),
        SupportAnchorExtraParams: d.extraParams,
        OriginZoom: d.originZoom.toFixed(3),
      };
    }),
  );
};

export const IVH_ANCHOR_OPERATIONS: Record<string, IvhOperation> = { getanchor, getimagebyanchor, getaction, getserviceasset };
export const IVH_BROADCAST_OPERATIONS: Record<string, IvhOperation> = { getanchor: legacyGetanchor, getresourcebyanchor, getaction };
