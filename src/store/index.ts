/**
 * The store's one door: everything outside `src/store` imports from here (the lint enforces it), so the
 * files behind it can be split, merged or renamed without touching their readers.
 */
export { Repository, StageError, SORTS, sortKeyOf } from './repository.js';
export type {
  AnchorFilter,
  ApiKey,
  Db,
  ListedRow,
  DigitalHumanFilter,
  ListSort,
  StageSettled,
  StagedTimbre,
  TimbreFilter,
  WriteTransaction,
} from './repository.js';
export { openStore, SQLITE_FILE, withoutPassword, type StoreEngine } from './engine.js';
export { storeError } from './faults.js';
export { TokenCache } from './token-cache.js';
export { anchorFiles, codeConflictAmong } from './anchors.js';
export { digitalHumanFiles } from './digital-humans.js';
export { timbreFiles, type TimbreSearch } from './timbres.js';
export { syncSource } from './upstreams.js';
export { ASSET_KINDS, assetKind, type Asset, type AssetKind, type AssetKindInfo, type AssetOf } from './kinds.js';
export { TIMBRE_COLUMN, anchorFromRow, digitalHumanFromRow, timbreFromRow, timbreValues, type TimbreValues } from './rows.js';
export type { DB } from './schema.js';
export type { UsageRow } from './usage.js';
export type { Webhook, Delivery, DeliveryStatus, NewDelivery, WebhookStatus } from './webhooks.js';
