/**
 * The ZEGO actions timbrel serves (docs/dialects/zego.md; ZEGO docs "Query Timbre Info", "Query Digital Human
 * List", "View Digital Human Details"). Each turns a validated body into `Data` through the core.
 */
import { TimbrelError } from '../../core/errors.js';
import type { App, DigitalHuman } from '../../core/types.js';
import type { Scope } from '../../core/catalog.js';
import type { Services } from '../../services.js';
import { renderOnce } from '../render-cache.js';
import { oneOf, optionalId, paging, requiredId, type Body } from './params.js';
import { LEGACY_ZEGO_ACTIONS } from './legacy.js';

export type ZegoAction = (services: Services, app: App, body: Body) => Promise<unknown>;

export const notFound = () => new TimbrelError('digital_human_not_found', 'digital human not found');

function digitalHuman(services: Services, d: DigitalHuman) {
  return {
    DigitalHumanId: d.id,
    Name: d.name,
    AvatarUrl: services.urls.resolve(d.headerImage),
    IsPublic: d.owner === '',
    Actions: d.actions.map((a) => ({ Action: a.code, PreviewUrl: services.urls.resolve(a.previewVideo) })),
  };
}

const GetTimbreList: ZegoAction = async (services, app, body) => {
  const digitalHumanId = optionalId(body, 'DigitalHumanId');
  const page = paging(body);
  // No digital human: the public timbres. With one: the private timbres this app bound to it.
  const result = digitalHumanId
    ? await services.catalog.boundTimbres(app, digitalHumanId, 'mine', 'mine', page)
    : await services.catalog.listTimbreSummaries(app, 'public', page);
  if (!result) throw notFound();
  return renderOnce(result, 'zego:timbres', services.urls.epoch(), () => ({
    Total: result.total,
    Timbres: result.items.map((t) => ({ TimbreId: t.id, Name: t.name, AvatarUrl: services.urls.resolve(t.image) })),
  }));
};

const FETCH_MODES: Record<number, Scope> = { 1: 'visible', 2: 'public', 3: 'mine' };

const GetDigitalHumanList: ZegoAction = async (services, app, body) => {
  const scope = FETCH_MODES[oneOf(body, 'FetchMode', [1, 2, 3], 1)];
  const page = paging(body);
  oneOf(body, 'InferenceMode', [1, 2], 1); // legacy: validated, then ignored
  const result = await services.catalog.listDigitalHumans(app, scope, {}, page);
  return renderOnce(result, 'zego:dhs', services.urls.epoch(), () => ({
    Total: result.total,
    DigitalHumans: result.items.map((d) => digitalHuman(services, d)),
  }));
};

const GetDigitalHumanInfo: ZegoAction = async (services, app, body) => {
  const id = requiredId(body, 'DigitalHumanId');
  const d = await services.catalog.findDigitalHuman(app, id);
  if (!d) throw notFound();
  return digitalHuman(services, d);
};

/**
 * Undocumented; ZEGO's own quick-start servers call it when they create a stream task (docs/dialects/zego.md): the
 * look's client inference package and whether small-image mode is available. No package: "" and false.
 */
const GetDigitalHumanRenderInfo: ZegoAction = async (services, app, body) => {
  const id = requiredId(body, 'DigitalHumanId');
  const d = await services.catalog.findDigitalHuman(app, id);
  if (!d) throw notFound();
  return {
    ClientInferencePackageUrl: services.urls.resolve(d.renderPackage),
    IsSupportSmallImageMode: d.smallImageMode && d.renderPackage !== null,
  };
};

export const ZEGO_ACTIONS: Record<string, ZegoAction> = {
  GetTimbreList,
  GetDigitalHumanList,
  GetDigitalHumanInfo,
  GetDigitalHumanRenderInfo,
  ...LEGACY_ZEGO_ACTIONS,
};

/** ZEGO's streaming actions: they need a rendering engine timbrel does not have, so they answer 100000007. */
export const ZEGO_STREAMING_ACTIONS = [
  'CreateDigitalHumanStreamTask',
  'DriveByText',
  'DriveByAudio',
  'DriveByRTCStream',
  'DriveByWsStream',
  'DoAction',
  'InterruptDriveTask',
  'StopDigitalHumanStreamTask',
  'GetDigitalHumanStreamTaskStatus',
  'QueryDigitalHumanStreamTasks',
];
