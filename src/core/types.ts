/** The canonical catalog model of docs/domain.md (camelCase, as the native API and import spell it). */

export type Gender = 'male' | 'female' | 'neutral';
export type TimbreType = 'Boutique' | 'SampleBasic' | 'SampleFast';
export type AssetStatus = 'active' | 'retired';
export type AppStatus = 'active' | 'disabled';

/** A picture, sample or video: either a file timbrel stores (`stored:<fileId>`) or an external URL. */
export type AssetRef = string;

export interface App {
  id: string;
  name: string;
  rateLimit: number;
  status: AppStatus;
  zegoAppId: number;
  zegoServerSecret: string;
  ivhAppKey: string;
  ivhAccessToken: string;
  /**
   * The secrets before the last rotation, still accepted until their instant (epoch ms) passes, so that
   * clients can move to the new secret without an outage. Null when none.
   */
  zegoPreviousSecret: string | null;
  zegoPreviousUntil: number | null;
  ivhPreviousToken: string | null;
  ivhPreviousUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface Timbre {
  id: string;
  /** '' for the public catalog, else the owning app's id. */
  owner: string;
  key: string;
  name: string;
  description: string;
  gender: Gender;
  languages: string[];
  emotions: string[];
  timbreType: TimbreType;
  supportedAvatarTypes: string[];
  driverTypes: string[];
  expiresAt: number | null;
  image: AssetRef | null;
  sample: AssetRef | null;
  /**
   * A sample per language, for voices that speak several (ElevenLabs' `verified_languages[].preview_url`):
   * language tag (one of `languages`) → stored audio or external URL. `sample` stays the voice's own.
   */
  languageSamples: Record<string, AssetRef>;
  tags: string[];
  age: string;
  accent: string;
  useCases: string[];
  status: AssetStatus;
  replacedBy: string | null;
  sortOrder: number;
  createdAt: number;
  updatedAt: number;
}

/** What a list of timbres shows of each (ZEGO's GetTimbreList): id, owner, name, picture. */
export type TimbreSummary = Pick<Timbre, 'id' | 'owner' | 'name' | 'image'>;

export interface DigitalHumanAction {
  code: string;
  /** A display name (IVH ActionName); '' = the code. */
  name: string;
  previewVideo: AssetRef | null;
}

export type AnchorTag = 'Basic' | 'Standard' | 'Advanced';

/**
 * A presenter (docs/domain.md "Anchors"): one person or character whose looks are digital humans. A digital
 * human belongs to the anchor whose `code` equals its `anchorCode`, among the anchors its owner can see.
 */
export interface Anchor {
  id: string;
  owner: string;
  code: string;
  name: string;
  gender: Gender;
  tag: AnchorTag;
  headerImage: AssetRef | null;
  avatarType: string;
  status: AssetStatus;
  replacedBy: string | null;
  sortOrder: number;
  createdAt: number;
  updatedAt: number;
}

export interface DigitalHuman {
  id: string;
  owner: string;
  name: string;
  anchorCode: string;
  clothesName: string;
  poseName: string;
  resolution: string;
  avatarType: string;
  headerImage: AssetRef | null;
  poseImage: AssetRef | null;
  clothesImage: AssetRef | null;
  actions: DigitalHumanAction[];
  driverTypes: string[];
  backgroundChangeable: boolean;
  originZoom: number;
  effectiveAt: number | null;
  expiresAt: number | null;
  /** IVH SupportAnchorExtraParams: a JSON array of objects, kept verbatim. */
  extraParams: Record<string, unknown>[];
  coverImage: AssetRef | null;
  /** The client inference package (ZEGO ClientInferencePackageUrl): an archive timbrel does not read. */
  renderPackage: AssetRef | null;
  smallImageMode: boolean;
  /** ZEGO legacy FrameFillUrl: an archive of motion clips. */
  frameFillPackage: AssetRef | null;
  status: AssetStatus;
  replacedBy: string | null;
  sortOrder: number;
  createdAt: number;
  updatedAt: number;
}

export interface Binding {
  owner: string;
  digitalHumanId: string;
  timbreId: string;
  sortOrder: number;
  isDefault: boolean;
  createdAt: number;
}

export interface Page<T> {
  total: number;
  items: T[];
}

export const PUBLIC_OWNER = '';

export const AVATAR_TYPES = [
  'real_man_2d',
  'real_man_3d',
  'half_realistic_3d',
  'cartoon_3d',
  'small_sample_2d',
  'small_sample_general_2d',
  'small_sample_4k_2d',
  'small_sample_photo_2d',
] as const;

export const DRIVER_TYPES = ['Text', 'OriginalVoice', 'ModulatedVoice'] as const;
export const TIMBRE_TYPES: readonly TimbreType[] = ['Boutique', 'SampleBasic', 'SampleFast'];
export const GENDERS: readonly Gender[] = ['male', 'female', 'neutral'];
export const ANCHOR_TAGS: readonly AnchorTag[] = ['Basic', 'Standard', 'Advanced'];

/** The vendor dialects an app (or the operator) may have an upstream account for (docs/gateway.md). */
export type UpstreamDialect = 'zego' | 'ivh' | 'elevenlabs' | 'openai' | 'heygen';

/** The upstream dialects whose vendors authenticate by an API key in a header. */
export type KeyDialect = 'elevenlabs' | 'openai' | 'heygen';

/** The owner id of the operator's upstreams: the one an app without its own uses. */
export const OPERATOR_UPSTREAM = '';

/**
 * An account at a vendor, an app's own or the operator's (`appId` OPERATOR_UPSTREAM): where calls timbrel
 * does not serve are relayed, and what a sync pulls the catalog from. `account` is the ZEGO AppId
 * (decimal), the IVH appkey, or for the key dialects a fingerprint of the API key (the first 16 hex
 * digits of its SHA-256: two upstreams of one vendor account share a sync source); `secret` the ZEGO
 * ServerSecret, the IVH accesstoken or the API key (sealed at rest, never shown).
 */
export interface Upstream {
  appId: string;
  dialect: UpstreamDialect;
  url: string;
  account: string;
  secret: string;
  /** Requests a second a sync makes to the vendor (ZEGO documents 10). */
  rateLimit: number;
  /**
   * Relays calls naming voices or avatars the catalog holds nowhere (any owner, any status); ids it holds
   * still follow the catalog's rule. Off by default (docs/gateway.md).
   */
  open: boolean;
  lastSync: SyncReport | null;
  createdAt: number;
  updatedAt: number;
}

/** What one sync did (also its progress while it runs). */
export interface SyncReport {
  dialect: UpstreamDialect;
  startedAt: number;
  finishedAt: number | null;
  outcome: 'running' | 'completed' | 'failed' | 'cancelled';
  error?: string;
  /** Why the sync stopped before the vendor's lists ended (then nothing is retired). */
  stopped?: SyncStop;
  pages: number;
  created: number;
  updated: number;
  unchanged: number;
  retired: number;
  restored: number;
  /** Rows of the same id that are not this source's: left alone. */
  conflicts: number;
  files: number;
  fileErrors: number;
  /** The first rows the sync refused or could not copy, each with why, in timbrel's words. */
  rowErrors: string[];
}

/** Why a sync stopped early: the vendor's answers, its own caps, or someone asked it to. */
export type SyncStop = 'repeated_page' | 'row_cap' | 'time_cap' | 'answer_too_large' | 'retry_budget' | 'cancelled' | 'lease_lost' | 'vendor_error';
