/**
 * Every wire dialect timbrel speaks, one descriptor each. The edge's routing, host routing
 * (TIMBREL_DIALECT_HOSTS), the service description at `GET /`, per-app usage, the CLI's banner and the
 * console (through `GET /v1/dialects`) are all derived from this list: a new dialect is a folder of its
 * own plus one entry here (docs/architecture.md, "Adding a dialect").
 *
 * This module is data only: each dialect's code is loaded by `load` when the HTTP service is built, so
 * the configuration can read the list without loading any dialect.
 */
import type { UpgradeHandler, VendorDialect } from './vendor.js';

export interface DialectDescriptor {
  /** Its name in settings, usage, metrics and logs. */
  name: string;
  /** What people call it. */
  label: string;
  /**
   * The path prefix its requests carry (the key dialects: `/openai`); or, for the dialects whose paths
   * are the vendor's own, a test of the path.
   */
  prefix?: string;
  owns?: (path: string) => boolean;
  /** Whether a host name may be routed to it whole (TIMBREL_DIALECT_HOSTS `host=name`). */
  hostRoutable: boolean;
  /** How a client authenticates, in words (docs, console). */
  auth: string;
  /** One request that answers, for the service description. */
  example: string;
  /** The base URL its clients are given, from timbrel's public URL. */
  baseUrl: (publicUrl: string) => string;
  /** Its edge handler; none for the native API (Fastify's routes). */
  load?: () => Promise<VendorDialect>;
  /**
   * Whether its uploads (a body that is not JSON: multipart, audio) reach the handler unread, to be relayed
   * as they arrive instead of buffered (the key dialects' speech-to-speech, transcriptions, voice clones).
   */
  relaysUploads?: boolean;
  /** Its WebSocket upgrades, where it relays any (ElevenLabs' realtime speech); others are refused. */
  upgrade?: () => Promise<UpgradeHandler>;
  /**
   * How `timbrel curl` calls it: `signed` (ZEGO, IVH: a request signed with the app's secret), or a header
   * carrying an app's API key and a path that answers (the key dialects and /v1).
   */
  curl: 'signed' | { header: (key: string) => string; path: string };
}

const IVH_PREFIXES = ['/v2/ivh/', '/v2/ws/ivh/'];

export const DIALECTS: readonly DialectDescriptor[] = [
  {
    name: 'zego',
    label: 'ZEGO',
    owns: (path) => path === '/' || path === '',
    hostRoutable: false,
    auth: 'ZEGO signature (AppId, ServerSecret)',
    example: 'POST /?Action=GetTimbreList',
    baseUrl: (url) => url,
    load: async () => (await import('./zego/index.js')).zegoDialect,
    curl: 'signed',
  },
  {
    name: 'ivh',
    label: 'Tencent IVH',
    owns: (path) => IVH_PREFIXES.some((p) => path.startsWith(p)),
    hostRoutable: false,
    auth: 'IVH signature (appkey, accesstoken)',
    example: 'POST /v2/ivh/crmserver/customerassetservice/describetimbre',
    baseUrl: (url) => url,
    load: async () => (await import('./tencent-ivh/index.js')).ivhDialect,
    curl: 'signed',
  },
  {
    name: 'openai',
    label: 'OpenAI-compatible',
    prefix: '/openai',
    hostRoutable: true,
    auth: 'Bearer API key (or /openai/key/<key>/v1 for clients without headers)',
    example: 'GET /openai/v1/audio/voices',
    baseUrl: (url) => `${url}/openai/v1`,
    load: async () => (await import('./openai/index.js')).openaiDialect,
    relaysUploads: true,
    curl: { header: (key) => `Authorization: Bearer ${key}`, path: '/openai/v1/audio/voices' },
  },
  {
    name: 'elevenlabs',
    label: 'ElevenLabs',
    prefix: '/elevenlabs',
    hostRoutable: true,
    auth: 'API key in xi-api-key',
    example: 'GET /elevenlabs/v2/voices',
    baseUrl: (url) => `${url}/elevenlabs`,
    load: async () => (await import('./elevenlabs/index.js')).elevenlabsDialect,
    relaysUploads: true,
    upgrade: async () => (await import('./elevenlabs/realtime.js')).elevenlabsUpgrade,
    curl: { header: (key) => `xi-api-key: ${key}`, path: '/elevenlabs/v2/voices?page_size=10' },
  },
  {
    name: 'heygen',
    label: 'HeyGen',
    prefix: '/heygen',
    hostRoutable: true,
    auth: 'API key in X-Api-Key',
    example: 'GET /heygen/v2/avatars',
    baseUrl: (url) => `${url}/heygen`,
    load: async () => (await import('./heygen/index.js')).heygenDialect,
    relaysUploads: true,
    curl: { header: (key) => `X-Api-Key: ${key}`, path: '/heygen/v2/voices' },
  },
  {
    name: 'mistral',
    label: 'Mistral',
    prefix: '/mistral',
    hostRoutable: true,
    auth: 'Bearer API key',
    example: 'GET /mistral/v1/audio/voices',
    baseUrl: (url) => `${url}/mistral`,
    load: async () => (await import('./mistral/index.js')).mistralDialect,
    curl: { header: (key) => `Authorization: Bearer ${key}`, path: '/mistral/v1/audio/voices' },
  },
  {
    name: 'native',
    label: 'native /v1',
    hostRoutable: false,
    auth: 'Bearer API key or operator token',
    example: 'GET /v1/openapi.json',
    baseUrl: (url) => `${url}/v1`,
    curl: { header: (key) => `Authorization: Bearer ${key}`, path: '/v1/timbres?limit=5' },
  },
];

/** The dialects a host name can be routed to, by name, with the prefix each lives under. */
export const HOST_ROUTABLE: ReadonlyMap<string, string> = new Map(DIALECTS.filter((d) => d.hostRoutable && d.prefix).map((d) => [d.name, d.prefix!]));

let description: string | undefined;
/** What `GET /` answers: the service and one request per dialect that answers. */
export function serviceDescription(): string {
  return (description ??= JSON.stringify({
    service: 'timbrel',
    dialects: DIALECTS.filter((d) => d.name !== 'native').map((d) => (d.name === 'ivh' ? 'tencent-ivh' : d.name)),
    ...Object.fromEntries(DIALECTS.map((d) => [d.name, d.example])),
  }));
}

/** What `GET /v1/dialects` answers: each dialect's name, label, authentication and base URL. */
export function dialectsView(publicUrl: string) {
  return DIALECTS.map((d) => ({ name: d.name, label: d.label, auth: d.auth, baseUrl: d.baseUrl(publicUrl), example: d.example }));
}

export interface LoadedDialects {
  /** The dialect that owns a path (after any host routing), if a vendor dialect does. */
  route(path: string): { dialect: VendorDialect; relaysUploads: boolean } | undefined;
  /** The dialect's handler of a WebSocket upgrade on a path, if it relays upgrades. */
  upgrade(path: string): UpgradeHandler | undefined;
}

/** Loads every vendor dialect's handler and builds the edge's router from the descriptors. */
export async function loadDialects(): Promise<LoadedDialects> {
  type Routed = { dialect: VendorDialect; relaysUploads: boolean };
  const prefixed = new Map<string, Routed>();
  const owning: { owns: (path: string) => boolean; routed: Routed }[] = [];
  const upgrades = new Map<string, UpgradeHandler>();
  for (const d of DIALECTS) {
    if (d.prefix && d.upgrade) upgrades.set(d.prefix, await d.upgrade());
    if (!d.load) continue;
    const routed = { dialect: await d.load(), relaysUploads: d.relaysUploads ?? false };
    if (d.prefix) prefixed.set(d.prefix, routed);
    if (d.owns) owning.push({ owns: d.owns, routed });
  }
  return {
    upgrade(path) {
      const slash = path.indexOf('/', 1);
      return upgrades.get(slash < 0 ? path : path.slice(0, slash));
    },
    route(path) {
      for (const o of owning) if (o.owns(path)) return o.routed;
      const slash = path.indexOf('/', 1);
      return prefixed.get(slash < 0 ? path : path.slice(0, slash));
    },
  };
}
