import { randomBytes } from 'node:crypto';
import { stableId } from '../core/ids.js';
import { originOf } from '../outbound/index.js';
import { syncSource } from './upstreams.js';
import { Kysely, Migrator, SqliteAdapter, sql, type Migration, type MigrationProvider } from 'kysely';

const isSqlite = (db: Kysely<any>) => db.getExecutor().adapter instanceof SqliteAdapter;

/**
 * Text that sorts by its bytes on every engine: keyset cursors and the merge of per-owner runs compare ids
 * and names as the code does, so PostgreSQL must not sort them by a locale's collation. (SQLite's default
 * BINARY collation already is byte order.)
 */
const textType = (db: Kysely<any>) => (isSqlite(db) ? 'text' : sql`text collate "C"`);

/**
 * Migrations live in code (not files) so that the compiled package carries them. They are written once for
 * every engine: only portable types (text, bigint, integer, double precision) and portable SQL.
 */
const migrations: Record<string, Migration> = {
  '0001_catalog': {
    async up(db: Kysely<any>) {
      const text = textType(db);
      await db.schema
        .createTable('apps')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('name', text, (c) => c.notNull().unique())
        .addColumn('rate_limit', 'integer', (c) => c.notNull())
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('zego_app_id', 'bigint', (c) => c.notNull().unique())
        .addColumn('zego_server_secret', text, (c) => c.notNull())
        .addColumn('ivh_appkey', text, (c) => c.notNull().unique())
        .addColumn('ivh_accesstoken', text, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      const asset = (name: string) =>
        db.schema
          .createTable(name)
          .addColumn('id', text, (c) => c.primaryKey())
          .addColumn('owner', text, (c) => c.notNull())
          .addColumn('name', text, (c) => c.notNull());

      await asset('timbres')
        .addColumn('key', text, (c) => c.notNull())
        .addColumn('description', text, (c) => c.notNull())
        .addColumn('gender', text, (c) => c.notNull())
        .addColumn('languages', text, (c) => c.notNull())
        .addColumn('emotions', text, (c) => c.notNull())
        .addColumn('timbre_type', text, (c) => c.notNull())
        .addColumn('supported_avatar_types', text, (c) => c.notNull())
        .addColumn('driver_types', text, (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('image', text)
        .addColumn('sample', text)
        .addColumn('tags', text, (c) => c.notNull())
        .addColumn('age', text, (c) => c.notNull())
        .addColumn('accent', text, (c) => c.notNull())
        .addColumn('use_cases', text, (c) => c.notNull())
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('replaced_by', text)
        .addColumn('sort_order', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('timbres_owner_key', ['owner', 'key'])
        .execute();

      await asset('digital_humans')
        .addColumn('anchor_code', text, (c) => c.notNull())
        .addColumn('clothes_name', text, (c) => c.notNull())
        .addColumn('pose_name', text, (c) => c.notNull())
        .addColumn('resolution', text, (c) => c.notNull())
        .addColumn('avatar_type', text, (c) => c.notNull())
        .addColumn('header_image', text)
        .addColumn('pose_image', text)
        .addColumn('clothes_image', text)
        .addColumn('actions', text, (c) => c.notNull())
        .addColumn('driver_types', text, (c) => c.notNull())
        .addColumn('background_changeable', 'integer', (c) => c.notNull())
        .addColumn('origin_zoom', 'double precision', (c) => c.notNull())
        .addColumn('effective_at', 'bigint')
        .addColumn('expires_at', 'bigint')
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('replaced_by', text)
        .addColumn('sort_order', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      // The list order of docs/domain.md (sortOrder, createdAt, id) within one owner, so that a page is an
      // index range walk and a keyset seek lands anywhere in the list without reading what comes before.
      for (const table of ['timbres', 'digital_humans']) {
        await db.schema.createIndex(`${table}_list_order`).on(table).columns(['owner', 'status', 'sort_order', 'created_at', 'id']).execute();
      }

      await db.schema
        .createTable('bindings')
        .addColumn('owner', text, (c) => c.notNull())
        .addColumn('digital_human_id', text, (c) => c.notNull().references('digital_humans.id').onDelete('cascade'))
        .addColumn('timbre_id', text, (c) => c.notNull().references('timbres.id').onDelete('cascade'))
        .addColumn('sort_order', 'bigint', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('bindings_pk', ['digital_human_id', 'owner', 'timbre_id'])
        .execute();
      await db.schema.createIndex('bindings_timbre').on('bindings').column('timbre_id').execute();

      await db.schema
        .createTable('files')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('content_type', text, (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', text, (c) => c.primaryKey())
        .addColumn('value', text, (c) => c.notNull())
        .execute();
      // The key that signs file URLs lives in the database so that every instance on it agrees.
      await db
        .insertInto('settings')
        .values({ key: 'url_signing_key', value: randomBytes(32).toString('base64url') })
        .execute();
    },
  },
  '0002_api_keys': {
    async up(db: Kysely<any>) {
      const text = textType(db);
      // Per-app API keys for the native API: only a hash is stored; the key is shown once.
      await db.schema
        .createTable('api_keys')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('app_id', text, (c) => c.notNull().references('apps.id').onDelete('cascade'))
        .addColumn('name', text, (c) => c.notNull())
        .addColumn('hash', text, (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex('api_keys_app').on('api_keys').column('app_id').execute();
    },
  },
  '0003_secret_rotation': {
    async up(db: Kysely<any>) {
      // The secret before the last rotation and until when it still verifies (the grace period).
      for (const [column, type] of [
        ['zego_previous_secret', textType(db)],
        ['zego_previous_until', 'bigint'],
        ['ivh_previous_token', textType(db)],
        ['ivh_previous_until', 'bigint'],
      ] as const) {
        await db.schema
          .alterTable('apps')
          .addColumn(column, type as 'text')
          .execute();
      }
    },
  },
  '0004_timbre_text_index': {
    async up(db: Kysely<any>) {
      // Full-text search of timbres (the native API's q) on SQLite: a contentless FTS5 index over name,
      // description and tags, keyed by the timbre's rowid. No triggers: TimbreStore.upsertRows keeps it
      // in step a statement per chunk (a trigger cost ~20 µs a row; docs/benchmarks.md).
      if (!isSqlite(db)) return;
      await sql`CREATE VIRTUAL TABLE timbres_fts USING fts5(name, description, tags, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(
        db,
      );
      await sql`INSERT INTO timbres_fts(rowid, name, description, tags) SELECT rowid, name, description, tags FROM timbres`.execute(db);
    },
  },
  '0005_timbre_text_index_postgres': {
    async up(db: Kysely<any>) {
      // The same search on PostgreSQL: a GIN index over the words of name, description and tags (the
      // 'simple' configuration: lower case, no stemming, no stop words). TimbreStore.textMatch uses the
      // identical expression, so the planner can use the index.
      if (isSqlite(db)) return;
      await sql`CREATE INDEX timbres_text ON timbres USING gin (${POSTGRES_TIMBRE_TEXT})`.execute(db);
    },
  },
  '0006_timbre_key_unique': {
    async up(db: Kysely<any>) {
      // "Who holds this key", across owners, for the rule that a private key may not shadow a public one:
      // the unique (key, owner) index answers it with a seek per key. (owner, key) is unique since 0001,
      // which cannot look a key up without its owner. On PostgreSQL the new index takes the old
      // constraint's place (the same uniqueness, one index fewer to write); SQLite cannot drop a table
      // constraint without rebuilding the table, so it keeps both.
      await db.schema.createIndex('timbres_key_owner').on('timbres').columns(['key', 'owner']).unique().execute();
      if (!isSqlite(db)) await db.schema.alterTable('timbres').dropConstraint('timbres_owner_key').execute();
    },
  },
  '0007_stored_file_references': {
    async up(db: Kysely<any>) {
      // Which timbres reference a stored file: the garbage collection asks it of every file it considers.
      // Partial indexes: only rows whose picture or sample is a stored file (not an external URL) have an
      // entry, so an imported catalog of URLs pays nothing for them.
      for (const column of ['image', 'sample']) {
        await db.schema.createIndex(`timbres_${column}_stored`).on('timbres').column(column).where(sql.ref(column), 'like', 'stored:%').execute();
      }
    },
  },
  '0008_anchors': {
    async up(db: Kysely<any>) {
      const text = textType(db);
      // The digital-human fields of the anchor actions (docs/domain.md "Digital-human fields the new actions need").
      for (const [column, type, dflt] of [
        ['extra_params', text, "'[]'"],
        ['cover_image', text, undefined],
        ['render_package', text, undefined],
        ['small_image_mode', 'integer', '0'],
        ['frame_fill_package', text, undefined],
      ] as const) {
        await db.schema
          .alterTable('digital_humans')
          .addColumn(column, type as 'text', (c) => (dflt === undefined ? c : c.notNull().defaultTo(sql.raw(dflt))))
          .execute();
      }
      // Presenters: a digital human is a look of the anchor whose code equals its anchor_code, among the
      // anchors its owner can see (no foreign key: the link is by code, docs/domain.md decision).
      await db.schema
        .createTable('anchors')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('owner', text, (c) => c.notNull())
        .addColumn('code', text, (c) => c.notNull())
        .addColumn('name', text, (c) => c.notNull())
        .addColumn('gender', text, (c) => c.notNull())
        .addColumn('tag', text, (c) => c.notNull())
        .addColumn('header_image', text)
        .addColumn('avatar_type', text, (c) => c.notNull())
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('replaced_by', text)
        .addColumn('sort_order', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('anchors_list_order').on('anchors').columns(['owner', 'status', 'sort_order', 'created_at', 'id']).execute();
      await db.schema.createIndex('anchors_code_owner').on('anchors').columns(['code', 'owner']).unique().execute();
      // Looks that name a code resolve to the owner's code, the app's or a public one; the looks find it
      // by (anchor_code, owner).
      await db.schema.createIndex('digital_humans_anchor').on('digital_humans').columns(['anchor_code', 'owner']).execute();

      // Every code in use gets its anchor, once: public looks first (a private look may hang under a public
      // anchor), then each app's; the first look of a code in domain order supplies its fields.
      const apps = new Map((await db.selectFrom('apps').select(['id', 'name']).execute()).map((a: any) => [a.id, a.name as string]));
      const looks: any[] = await db
        .selectFrom('digital_humans')
        .select(['owner', 'anchor_code', 'name', 'avatar_type', 'header_image', 'sort_order', 'created_at'])
        .where('anchor_code', '!=', '')
        .orderBy('sort_order')
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const made = new Map<string, Record<string, unknown>>();
      const publicCodes = new Set(looks.filter((l) => l.owner === '').map((l) => l.anchor_code));
      for (const l of [...looks.filter((l) => l.owner === ''), ...looks.filter((l) => l.owner !== '')]) {
        if (l.owner !== '' && publicCodes.has(l.anchor_code)) continue;
        const k = `${l.owner}\u0000${l.anchor_code}`;
        if (made.has(k)) continue;
        const at = Number(l.created_at);
        made.set(k, {
          id: stableId('anchor', l.owner === '' ? '' : (apps.get(l.owner) ?? l.owner), l.anchor_code),
          owner: l.owner,
          code: l.anchor_code,
          name: l.name,
          gender: 'neutral',
          tag: 'Basic',
          header_image: l.header_image,
          avatar_type: l.avatar_type,
          status: 'active',
          replaced_by: null,
          sort_order: Number(l.sort_order),
          created_at: at,
          updated_at: at,
        });
      }
      const rows = [...made.values()];
      for (let i = 0; i < rows.length; i += 500)
        await db
          .insertInto('anchors')
          .values(rows.slice(i, i + 500))
          .execute();
    },
  },
  '0009_language_samples': {
    async up(db: Kysely<any>) {
      // A sample per language: JSON text, language tag → stored file or URL; '{}' for none.
      await db.schema
        .alterTable('timbres')
        .addColumn('language_samples', textType(db), (c) => c.notNull().defaultTo('{}'))
        .execute();
      // The garbage collection reads the rows whose samples hold a stored file: a partial index finds
      // them without reading the catalog (an imported catalog of URLs has no entry).
      await db.schema
        .createIndex('timbres_language_samples_stored')
        .on('timbres')
        .column('id')
        .where(sql.ref('language_samples'), 'like', '%stored:%')
        .execute();
    },
  },
  '0010_upstreams': {
    async up(db: Kysely<any>) {
      const text = textType(db);
      // An app's account at a vendor: base URL, the account's id there and its secret (sealed
      // like the app's own), and the last sync's report (JSON text).
      await db.schema
        .createTable('upstreams')
        .addColumn('app_id', text, (c) => c.notNull())
        .addColumn('dialect', text, (c) => c.notNull())
        .addColumn('url', text, (c) => c.notNull())
        .addColumn('account', text, (c) => c.notNull())
        .addColumn('secret', text, (c) => c.notNull())
        .addColumn('rate_limit', 'integer', (c) => c.notNull())
        .addColumn('last_sync', text)
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('upstreams_pk', ['app_id', 'dialect'])
        .execute();
      // Which rows a sync wrote, from which source, and the digest of what the vendor said of each then:
      // the next sync writes only what changed, retires only its own rows, and never takes another's.
      await db.schema
        .createTable('synced_rows')
        .addColumn('source', text, (c) => c.notNull())
        .addColumn('kind', text, (c) => c.notNull())
        .addColumn('id', text, (c) => c.notNull())
        .addColumn('digest', text, (c) => c.notNull())
        .addColumn('synced_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('synced_rows_pk', ['source', 'kind', 'id'])
        .execute();
      await db.schema.createIndex('synced_rows_by_id').on('synced_rows').columns(['kind', 'id']).execute();
    },
  },
  '0011_timbre_list_covers_summaries': {
    async up(db: Kysely<any>) {
      // A vendor's timbre list page (ZEGO GetTimbreList: id, name, picture) read from the list index alone
      // on SQLite: without the two columns, each of a page's rows was a seek into the table, most of a
      // random page's time (docs/benchmarks.md). PostgreSQL keeps its index: the same columns there
      // (INCLUDE) left its random pages as fast as before (measured: its time is not in the heap reads once
      // a page's rows are neighbours, see the import's list order).
      if (!isSqlite(db)) return;
      await db.schema.dropIndex('timbres_list_order').execute();
      await db.schema.createIndex('timbres_list_order').on('timbres').columns(['owner', 'status', 'sort_order', 'created_at', 'id', 'name', 'image']).execute();
    },
  },
  '0012_sync_sources_leases_file_grants': {
    async up(db: Kysely<any>) {
      const text = textType(db);
      // One sync of an upstream at a time, across processes and instances: a lease that expires when its
      // holder dies, and a flag another process sets to cancel the running sync.
      await db.schema
        .createTable('sync_leases')
        .addColumn('app_id', text, (c) => c.notNull())
        .addColumn('dialect', text, (c) => c.notNull())
        .addColumn('holder', text, (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('cancel', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('sync_leases_pk', ['app_id', 'dialect'])
        .execute();
      // Who may name a stored file by its stored:<sha256> besides those whose rows reference it: the app
      // that uploaded it (an upload not attached yet). The hash alone opens nothing.
      await db.schema
        .createTable('file_grants')
        .addColumn('file_id', text, (c) => c.notNull())
        .addColumn('owner', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('file_grants_pk', ['file_id', 'owner'])
        .execute();
      // A sync's source was `<dialect>:<account>`: two upstreams of one account at different URLs shared it.
      // Now it is the dialect, the upstream's origin and account, and the app for private rows. Rows whose
      // new source cannot be told (a public row of an account two origins serve) keep the old one: the next
      // sync reports them as conflicts and never overwrites them.
      const upstreams = (await db.selectFrom('upstreams').select(['app_id', 'dialect', 'url', 'account']).execute()) as {
        app_id: string;
        dialect: string;
        url: string;
        account: string;
      }[];
      const olds = (await db.selectFrom('synced_rows').select('source').distinct().execute()) as { source: string }[];
      const TABLES: Record<string, string> = { timbre: 'timbres', digitalHuman: 'digital_humans', anchor: 'anchors' };
      for (const { source } of olds) {
        const colon = source.indexOf(':');
        if (source.includes('|') || colon < 0) continue;
        const dialect = source.slice(0, colon);
        const account = source.slice(colon + 1);
        const serving = upstreams.filter((u) => u.dialect === dialect && u.account === account);
        const origins = [...new Set(serving.map((u) => originOf(u.url)))];
        for (const [kind, table] of Object.entries(TABLES)) {
          const owners = (await db
            .selectFrom(table)
            .select('owner')
            .distinct()
            .where('id', 'in', db.selectFrom('synced_rows').select('id').where('source', '=', source).where('kind', '=', kind))
            .execute()) as { owner: string }[];
          for (const { owner } of owners) {
            const u = owner === '' ? (origins.length === 1 ? serving[0] : undefined) : serving.find((x) => x.app_id === owner);
            if (!u) continue;
            const next = syncSource(dialect, u.url, account, owner === '' ? undefined : owner);
            await db
              .updateTable('synced_rows')
              .set({ source: next })
              .where('source', '=', source)
              .where('kind', '=', kind)
              .where('id', 'in', db.selectFrom(table).select('id').where('owner', '=', owner))
              .execute();
          }
        }
      }
    },
  },
  '0013_usage_hours': {
    async up(db: Kysely<any>) {
      const text = textType(db);
      // An app's use in hourly buckets, summed across instances (each adds what it counted), kept 90 days:
      // requests by dialect, by the way they went (served here, relayed through the app's own upstream or
      // the operator's) and by outcome, with the speech characters and answer bytes of relayed calls.
      await db.schema
        .createTable('usage_hours')
        .addColumn('hour', 'bigint', (c) => c.notNull())
        .addColumn('app_id', text, (c) => c.notNull())
        .addColumn('dialect', text, (c) => c.notNull())
        .addColumn('via', text, (c) => c.notNull())
        .addColumn('outcome', text, (c) => c.notNull())
        .addColumn('requests', 'bigint', (c) => c.notNull())
        .addColumn('characters', 'bigint', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('usage_hours_pk', ['app_id', 'hour', 'dialect', 'via', 'outcome'])
        .execute();
      await db.schema.createIndex('usage_hours_by_hour').on('usage_hours').column('hour').execute();
    },
  },
  '0014_synced_vendor_ids': {
    async up(db: Kysely<any>) {
      // The vendor's own id of a synced row, per source: HeyGen's avatar ids are not UUIDs, so its dialect
      // presents (and its relay gate matches) the id the vendor knows, found here. Null: the row's id is it.
      await db.schema.alterTable('synced_rows').addColumn('vendor_id', textType(db)).execute();
      await db.schema.createIndex('synced_rows_by_vendor_id').on('synced_rows').columns(['kind', 'vendor_id']).execute();
      // An open upstream relays ids the catalog does not hold at all (docs/gateway.md); off by default.
      await db.schema
        .alterTable('upstreams')
        .addColumn('open', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  '0015_events': {
    async up(db: Kysely<any>) {
      const text = textType(db);
      // The event log (docs/events.md): one thin event per change, appended in the change's transaction.
      // pos: where it was appended; seq: its position in commit order, given when it is appended (SQLite, one
      // writer at a time) or, on PostgreSQL, by the first reader after its commit (store/events.ts).
      await db.schema
        .createTable('events')
        .addColumn('pos', isSqlite(db) ? 'integer' : 'bigserial', (c) => (isSqlite(db) ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('seq', 'bigint', (c) => c.unique())
        .addColumn('id', text, (c) => c.notNull())
        .addColumn('type', text, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('kind', text, (c) => c.notNull())
        .addColumn('object_id', text, (c) => c.notNull())
        .addColumn('owner', text, (c) => c.notNull())
        .addColumn('etag', text, (c) => c.notNull())
        .addColumn('changed', text, (c) => c.notNull())
        .addColumn('source', text, (c) => c.notNull())
        .addColumn('data', text)
        .execute();
      await db.schema.createIndex('events_unsequenced').on('events').column('pos').where(sql.ref('seq'), 'is', null).execute();
    },
  },
  '0016_webhooks': {
    async up(db: Kysely<any>) {
      const text = textType(db);
      // Webhook endpoints (docs/events.md): an app's or the operator's (app_id ''), their signing secrets
      // sealed like the apps' own, and how far in the log their deliveries have been made (cursor).
      await db.schema
        .createTable('webhooks')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('app_id', text, (c) => c.notNull())
        .addColumn('url', text, (c) => c.notNull())
        .addColumn('description', text, (c) => c.notNull())
        .addColumn('types', text, (c) => c.notNull())
        .addColumn('secret', text, (c) => c.notNull())
        .addColumn('previous_secret', text)
        .addColumn('previous_until', 'bigint')
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('disabled_reason', text)
        .addColumn('failing_since', 'bigint')
        .addColumn('cursor', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhooks_by_app').on('webhooks').columns(['app_id', 'created_at']).execute();
      // One row per event and endpoint (and per redelivery): what is due, who holds it (a lease), how it went.
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('webhook_id', text, (c) => c.notNull())
        .addColumn('event_id', text, (c) => c.notNull())
        .addColumn('event_seq', 'bigint', (c) => c.notNull())
        .addColumn('event_type', text, (c) => c.notNull())
        .addColumn('payload', text, (c) => c.notNull())
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_at', 'bigint')
        .addColumn('lease_holder', text)
        .addColumn('lease_until', 'bigint')
        .addColumn('last_status', 'integer')
        .addColumn('last_error', text)
        .addColumn('last_duration_ms', 'integer')
        .addColumn('last_response', text)
        .addColumn('redelivery_of', text, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_at']).execute();
      await db.schema.createIndex('webhook_deliveries_by_webhook').on('webhook_deliveries').columns(['webhook_id', 'created_at']).execute();
      // A fan-out never makes two first deliveries of one event to one endpoint (redeliveries name what they redo).
      await db.schema.createIndex('webhook_deliveries_once').on('webhook_deliveries').columns(['webhook_id', 'event_seq', 'redelivery_of']).unique().execute();
    },
  },
  '0017_event_places_and_blocks': {
    async up(db: Kysely<any>) {
      // Where an asset's change moved it in its owner's active list (store/list-indexes.ts): every process
      // follows the log into its deep-offset indexes instead of taking them again after another's write.
      // Internal: never part of an event's public shape.
      await db.schema.alterTable('events').addColumn('place', textType(db)).execute();
      // A bulk write's events as blocks (store/events.ts): `n` events numbered seq … seq + n - 1, their
      // objects (id, etag, place) in `objects`; a single event has n = 1 and no objects.
      await db.schema
        .alterTable('events')
        .addColumn('n', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.alterTable('events').addColumn('objects', textType(db)).execute();
    },
  },
  '0018_redeliveries': {
    async up(db: Kysely<any>) {
      // A first delivery of an event to an endpoint is made once; redeliveries (redelivery_of = the delivery
      // they redo) and pings (their own id) as often as asked. The index of 0016 covered them too: a ping
      // could not be redelivered, nor a delivery twice.
      await db.schema.dropIndex('webhook_deliveries_once').execute();
      await db.schema
        .createIndex('webhook_deliveries_once')
        .on('webhook_deliveries')
        .columns(['webhook_id', 'event_seq'])
        .where(sql.ref('redelivery_of'), '=', '')
        .unique()
        .execute();
    },
  },
  '0019_sort_indexes': {
    async up(db: Kysely<any>) {
      // A keyset index for each sort the native API and the console offer besides the catalog order
      // (store/base.ts runsOf): `name` (name, id) and `-createdAt` (created_at, id, walked backwards), one
      // run per owner and status as the list index has. Without them every page sorted every match: a
      // by-name cursor walk of `q=voice` over 100,000 timbres fell to 2 pages a second.
      for (const table of ['timbres', 'digital_humans', 'anchors']) {
        await db.schema.createIndex(`${table}_by_name`).on(table).columns(['owner', 'status', 'name', 'id']).execute();
        await db.schema.createIndex(`${table}_by_created`).on(table).columns(['owner', 'status', 'created_at', 'id']).execute();
      }
    },
  },
};

/** The indexed text of a timbre on PostgreSQL (migration 0005); queries must repeat it exactly. */
export const POSTGRES_TIMBRE_TEXT = sql`to_tsvector('simple'::regconfig, name || ' ' || description || ' ' || tags)`;

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'timbrel_migrations', migrationLockTableName: 'timbrel_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? error}`);
  }
}

/** Migrates up to (and including) the named migration: tests build a store as an older release left it. */
export async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'timbrel_migrations', migrationLockTableName: 'timbrel_migrations_lock' });
  const { error } = await migrator.migrateTo(name);
  if (error) throw error;
}
