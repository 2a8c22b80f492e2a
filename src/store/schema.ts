import type { Generated } from 'kysely';
/** Row shapes as stored. Instants are epoch milliseconds; lists are JSON text (portable across engines). */
export interface AppsTable {
  id: string;
  name: string;
  rate_limit: number;
  status: string;
  zego_app_id: number;
  zego_server_secret: string;
  ivh_appkey: string;
  ivh_accesstoken: string;
  zego_previous_secret: string | null;
  zego_previous_until: number | null;
  ivh_previous_token: string | null;
  ivh_previous_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface TimbresTable {
  id: string;
  owner: string;
  key: string;
  name: string;
  description: string;
  gender: string;
  languages: string;
  emotions: string;
  timbre_type: string;
  supported_avatar_types: string;
  driver_types: string;
  expires_at: number | null;
  image: string | null;
  sample: string | null;
  language_samples: string;
  tags: string;
  age: string;
  accent: string;
  use_cases: string;
  status: string;
  replaced_by: string | null;
  sort_order: number;
  created_at: number;
  updated_at: number;
}

export interface DigitalHumansTable {
  id: string;
  owner: string;
  name: string;
  anchor_code: string;
  clothes_name: string;
  pose_name: string;
  resolution: string;
  avatar_type: string;
  header_image: string | null;
  pose_image: string | null;
  clothes_image: string | null;
  actions: string;
  driver_types: string;
  background_changeable: number;
  origin_zoom: number;
  effective_at: number | null;
  expires_at: number | null;
  extra_params: string;
  cover_image: string | null;
  render_package: string | null;
  small_image_mode: number;
  frame_fill_package: string | null;
  status: string;
  replaced_by: string | null;
  sort_order: number;
  created_at: number;
  updated_at: number;
}

export interface AnchorsTable {
  id: string;
  owner: string;
  code: string;
  name: string;
  gender: string;
  tag: string;
  header_image: string | null;
  avatar_type: string;
  status: string;
  replaced_by: string | null;
  sort_order: number;
  created_at: number;
  updated_at: number;
}

export interface BindingsTable {
  owner: string;
  digital_human_id: string;
  timbre_id: string;
  sort_order: number;
  is_default: number;
  created_at: number;
}

export interface FilesTable {
  id: string;
  content_type: string;
  size: number;
  created_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface ApiKeysTable {
  id: string;
  app_id: string;
  name: string;
  /** sha256 hex of the key. */
  hash: string;
  created_at: number;
  revoked_at: number | null;
}

export interface DB {
  apps: AppsTable;
  timbres: TimbresTable;
  digital_humans: DigitalHumansTable;
  anchors: AnchorsTable;
  bindings: BindingsTable;
  files: FilesTable;
  settings: SettingsTable;
  api_keys: ApiKeysTable;
  upstreams: UpstreamsTable;
  synced_rows: SyncedRowsTable;
  sync_leases: SyncLeasesTable;
  file_grants: FileGrantsTable;
  usage_hours: UsageHoursTable;
  events: EventsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export interface WebhooksTable {
  id: string;
  /** '' for the operator's endpoints (every event), else the app's id. */
  app_id: string;
  url: string;
  description: string;
  /** JSON array of types (`timbre.*`); empty = every type. */
  types: string;
  /** `whsec_…`, sealed like the apps' secrets. */
  secret: string;
  previous_secret: string | null;
  previous_until: number | null;
  /** `enabled` or `disabled`. */
  status: string;
  disabled_reason: string | null;
  /** When its deliveries started failing without a success since; null while they succeed. */
  failing_since: number | null;
  /** The last event seq fanned out into its deliveries. */
  cursor: number;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  event_seq: number;
  event_type: string;
  /** The JSON body sent (the event as /v1/events shows it). */
  payload: string;
  /** `pending`, `succeeded` or `failed` (no attempt left). */
  status: string;
  attempts: number;
  /** When the next attempt is due (pending only). */
  next_at: number | null;
  lease_holder: string | null;
  lease_until: number | null;
  last_status: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  /** The first 1 KB of the endpoint's last answer. */
  last_response: string | null;
  /** The delivery this one redoes (redeliver); '' for a first delivery. */
  redelivery_of: string;
  created_at: number;
  updated_at: number;
}

export interface EventsTable {
  /** Where it was appended. */
  pos: Generated<number>;
  /** Its position in commit order; null on PostgreSQL until a reader sequences it (store/events.ts). */
  seq: number | null;
  /** `evt_` and a ULID: what webhooks send as webhook-id. */
  id: string;
  type: string;
  created_at: number;
  kind: string;
  object_id: string;
  /** '' for the public catalog and the operator's objects, else the app's id. */
  owner: string;
  etag: string;
  /** JSON array of the fields that changed. */
  changed: string;
  source: string;
  /** JSON of a report (sync.completed, import.completed), else null. */
  data: string | null;
  /**
   * Internal (store/list-indexes.ts): an asset change's move in its owner's active list, `before|after`,
   * each `sortOrder,createdAt` or empty (not in the list); `?` when the before is unknown. Null: no move.
   */
  place: string | null;
  /** How many events the row holds: 1, or a block's (numbered seq … seq + n - 1). */
  n: number;
  /** A block's events as JSON `[[objectId, etag, place], …]`; null for a single event. */
  objects: string | null;
}

export interface UsageHoursTable {
  /** The hour's start, epoch ms. */
  hour: number;
  app_id: string;
  dialect: string;
  /** `served` (answered by timbrel), `own` (relayed through the app's upstream) or `operator`. */
  via: string;
  /** `ok`, or `failed` (HTTP >= 400 or a vendor code other than 0). */
  outcome: string;
  requests: number;
  characters: number;
  bytes: number;
}

export interface FileGrantsTable {
  file_id: string;
  /** An app's id: it uploaded the file, so it may name it. */
  owner: string;
}

export interface SyncLeasesTable {
  app_id: string;
  dialect: string;
  /** The process running the sync (host, pid and a random part). */
  holder: string;
  /** Epoch ms; past it the lease is free (its holder stopped renewing it: it died). */
  expires_at: number;
  /** 1 once someone asked the running sync to stop. */
  cancel: number;
}

export interface UpstreamsTable {
  app_id: string;
  dialect: string;
  url: string;
  /** The app's id at the vendor: ZEGO AppId (decimal) or IVH appkey. */
  account: string;
  /** ZEGO ServerSecret or IVH accesstoken, sealed like the apps' own secrets. */
  secret: string;
  /** Requests a second the sync makes to this upstream. */
  rate_limit: number;
  /** 1: relay ids the catalog does not hold (a key dialect's open upstream). */
  open: number;
  last_sync: string | null;
  created_at: number;
  updated_at: number;
}

export interface SyncedRowsTable {
  /** `<dialect>|<origin>|<account>` of the upstream the row came from, and `|<app id>` for private rows. */
  source: string;
  kind: string;
  id: string;
  /** sha256 of the vendor's record as the sync last wrote it ('' until its media are all copied). */
  digest: string;
  synced_at: number;
  /** The vendor's id of the row when it is not the row's id (HeyGen's avatar ids); null otherwise. */
  vendor_id: string | null;
}
