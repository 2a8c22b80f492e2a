/**
 * The sync's one way into the catalog: batches of one kind written through the store's transactions
 * (same locks, same change signal as the API), under the rules a tenant's own writes obey:
 *
 * - a row is written only when it is new or its source wrote it: any other row of the same id (another
 *   source's, the API's, another app's) is a conflict, reported and left alone;
 * - a row's own limits are checked before any of its media is fetched;
 * - timbre keys and anchor codes follow the API's scope rules (a private key never shadows a public one, a
 *   public key never takes one an app holds): a row that would break them is a conflict;
 * - bindings only between assets that the binding's owner may see;
 * - only what changed is written: each row's digest of what the vendor said of it is kept (synced_rows).
 */
import { createHash } from 'node:crypto';
import { parseOne } from '../../catalog-io/parse.js';
import type { Rec } from '../../catalog-io/records.js';
import { TimbrelError } from '../../core/errors.js';
import { PUBLIC_OWNER, type App, type Binding, type DigitalHuman, type SyncReport, type UpstreamDialect } from '../../core/types.js';
import type { Services } from '../../services.js';
import { assetKind, type Asset } from '../../store/index.js';
import type { Kind, Pulled } from './context.js';
import { urlIdentity, type MediaCopier } from './media.js';

const VALUE_OF = { timbre: 't', digitalHuman: 'd', anchor: 'a' } as const;
/** Rows the report names with their reason; past this, only counted. */
export const ROW_ERRORS_KEPT = 20;

function digestOf(p: Pulled): string {
  const rec: Rec = { ...p.rec, own: p.own };
  for (const f of assetKind(p.kind).media) rec[f] = urlIdentity(rec[f]);
  if (p.kind === 'digitalHuman' && Array.isArray(rec.actions))
    rec.actions = (rec.actions as Rec[]).map((a) => ({ ...a, previewVideo: urlIdentity(a?.previewVideo) }));
  return createHash('sha256').update(JSON.stringify(rec)).digest('base64url');
}

export class SyncWriter {
  /** Ids this run has seen, by kind, in timbrel's spelling: what the retirement spares. */
  readonly seen: Record<Kind, Set<string>> = { timbre: new Set(), digitalHuman: new Set(), anchor: new Set() };

  constructor(
    private readonly services: Services,
    private readonly dialect: UpstreamDialect,
    private readonly app: App,
    /** The source of public rows and of the app's own rows (syncSource). */
    readonly sources: { public: string; own: string },
    private readonly media: MediaCopier,
    private readonly report: SyncReport,
  ) {}

  /** Records a row refused or not copied, in timbrel's words. */
  note(kind: Kind, id: string, why: string): void {
    if (this.report.rowErrors.length < ROW_ERRORS_KEPT) this.report.rowErrors.push(`${kind} ${id.slice(0, 80)}: ${why.slice(0, 300)}`);
  }

  private conflict(kind: Kind, id: string, why: string): void {
    this.report.conflicts++;
    this.services.metrics.syncRows.inc({ dialect: this.dialect, change: 'conflict' });
    this.note(kind, id, why);
  }

  /** Writes a batch of one kind: only rows that are new or changed, never another source's. */
  async write(batch: Pulled[]): Promise<void> {
    if (!batch.length) return;
    const kind = batch[0].kind;
    const repo = this.services.repo;
    const now = this.services.now();
    const fresh = batch.filter((p) => {
      const id = String(p.rec.id);
      if (this.seen[kind].has(id)) return false;
      this.seen[kind].add(id);
      return true;
    });
    if (!fresh.length) return;
    const ids = fresh.map((p) => String(p.rec.id));
    const synced = {
      public: await repo.upstreams.syncedOf(repo.db, this.sources.public, kind, ids),
      own: await repo.upstreams.syncedOf(repo.db, this.sources.own, kind, ids),
    };
    const existing = await repo.upstreams.assetsById(repo.db, kind, ids);
    const changed: { p: Pulled; digest: string; before?: Asset }[] = [];
    for (const p of fresh) {
      const id = String(p.rec.id);
      const before = existing.get(id);
      const mine = (p.own ? synced.own : synced.public).get(id);
      const digest = digestOf(p);
      if (before && mine === undefined) {
        this.conflict(kind, id, 'a row of this id that this upstream did not write is kept');
        continue;
      }
      if (before && mine === digest && before.status === 'active') {
        this.report.unchanged++;
        continue;
      }
      changed.push({ p, digest, before });
    }
    if (!changed.length) return;

    // Each row checked as a whole (limits, types) before any of its media is fetched.
    const parsed: { asset: Asset; digest: string; before?: Asset }[] = [];
    for (const { p, digest, before } of changed) {
      try {
        const out = parseOne(kind, { ...p.rec, owner: null, status: 'active' }, now) as unknown as Record<string, Asset>;
        const asset = { ...out[VALUE_OF[kind]] } as Asset;
        asset.owner = p.own ? this.app.id : PUBLIC_OWNER;
        if (before) asset.createdAt = before.createdAt;
        parsed.push({ asset, digest, before });
      } catch (err) {
        this.report.conflicts++;
        this.note(kind, String(p.rec.id), err instanceof TimbrelError ? err.message : "the vendor's record could not be read");
      }
    }
    const assets = await Promise.all(parsed.map((x) => this.withMedia(kind, x)));
    if (!assets.length) return;

    const vendorIds = new Map(fresh.filter((p) => p.vendorId !== undefined).map((p) => [String(p.rec.id), p.vendorId!]));
    const { written, skipped } = await repo.transaction(async (trx) => {
      const info = assetKind(kind);
      const refused = await info.scopeRefusals(
        repo,
        trx,
        assets.map(({ asset }) => asset),
      );
      const write = assets.filter((_, i) => !refused.has(i));
      await repo.files.touch(
        trx,
        write.flatMap(({ asset }) => info.files(asset)),
        now,
      );
      const notWritten = await info.upsert(
        repo,
        trx,
        write.map(({ asset }) => asset),
      );
      for (const i of notWritten) refused.set(assets.indexOf(write[i]), 'the store refused the row (its id or key is taken)');
      const done = assets.filter((_, i) => !refused.has(i));
      for (const { asset, before } of done) repo.logMove(trx, info.table, before, asset);
      for (const own of [false, true]) {
        const rows = done
          .filter(({ asset }) => (asset.owner !== PUBLIC_OWNER) === own)
          .map(({ asset, digest }) => ({ id: asset.id, digest, vendorId: vendorIds.get(asset.id) }));
        await repo.upstreams.markSynced(trx, own ? this.sources.own : this.sources.public, kind, rows, now);
      }
      return { written: done, skipped: [...refused].map(([i, why]) => ({ id: assets[i].asset.id, why })) };
    });
    for (const s of skipped) this.conflict(kind, s.id, s.why);
    for (const { before } of written) {
      const change = !before ? 'created' : before.status === 'retired' ? 'restored' : 'updated';
      this.report[change]++;
      this.services.metrics.syncRows.inc({ dialect: this.dialect, change });
    }
  }

  /** The row with its media copied (a failed copy keeps the previous file and leaves no digest: tried again next time). */
  private async withMedia(kind: Kind, x: { asset: Asset; digest: string; before?: Asset }) {
    const asset = x.asset as unknown as Rec;
    const before = x.before as unknown as Rec | undefined;
    let complete = true;
    const failed = (why?: string) => {
      complete = false;
      this.report.fileErrors++;
      if (why) this.note(kind, x.asset.id, why);
    };
    await Promise.all(
      assetKind(kind).media.map(async (f) => {
        const r = await this.media.copy(asset[f], before?.[f]);
        asset[f] = r.ref;
        if (!r.ok) failed(r.why);
      }),
    );
    if (kind === 'digitalHuman') {
      const d = x.asset as DigitalHuman;
      const had = new Map(((x.before as DigitalHuman | undefined)?.actions ?? []).map((a) => [a.code, a.previewVideo]));
      d.actions = await Promise.all(
        d.actions.map(async (a) => {
          const r = await this.media.copy(a.previewVideo, had.get(a.code));
          if (!r.ok) failed(r.why);
          return { ...a, previewVideo: r.ref };
        }),
      );
    }
    return { asset: x.asset, digest: complete ? x.digest : '', before: x.before };
  }

  /**
   * Sets one owner's bindings of a digital human to the vendor's list, when it differs: the public
   * catalog's only for a public digital human this sync wrote, and only public timbres; the app's only
   * for a digital human and timbres the app may see.
   */
  async bind(digitalHumanId: string, scope: 'public' | 'app', timbreIds: string[], firstIsDefault = false): Promise<void> {
    const repo = this.services.repo;
    const owner = scope === 'public' ? PUBLIC_OWNER : this.app.id;
    const visible = (a: Asset) => a.owner === PUBLIC_OWNER || a.owner === owner;
    const dh = await repo.digitalHumans.byId(digitalHumanId);
    if (!dh || !visible(dh)) return;
    if (scope === 'public' && !(await repo.upstreams.syncedOf(repo.db, this.sources.public, 'digitalHuman', [digitalHumanId])).has(digitalHumanId)) return;
    const present = await repo.upstreams.assetsById(repo.db, 'timbre', timbreIds);
    const want = [...new Set(timbreIds)].filter((t) => {
      const timbre = present.get(t);
      return timbre !== undefined && visible(timbre);
    });
    const have = await repo.bindings.of(digitalHumanId, [owner]);
    const isDefault = (i: number) => firstIsDefault && i === 0;
    if (have.length === want.length && have.every((b, i) => b.timbreId === want[i] && b.sortOrder === i && b.isDefault === isDefault(i))) return;
    const now = this.services.now();
    await repo.bindings.change(digitalHumanId, owner, () =>
      want.map((timbreId, i): Binding => ({ owner, digitalHumanId, timbreId, sortOrder: i, isDefault: isDefault(i), createdAt: now })),
    );
    this.report.updated++;
  }

  /** After a complete pull: every row of this sync's sources (within its scope) the vendor no longer listed is retired. */
  async retireUnseen(scopes: ('public' | 'own')[]): Promise<void> {
    const repo = this.services.repo;
    const now = this.services.now();
    for (const kind of ['timbre', 'digitalHuman', 'anchor'] as const) {
      for (const scope of scopes) {
        for (const id of await repo.upstreams.idsOf(this.sources[scope], kind)) {
          if (this.seen[kind].has(id)) continue;
          const before = (await repo.upstreams.assetsById(repo.db, kind, [id])).get(id);
          if (!before || before.status === 'retired') continue;
          const retire = <T extends Asset>(current: T): T => (current.status === 'retired' ? current : { ...current, status: 'retired', updatedAt: now });
          await assetKind(kind).change(repo, id, undefined, retire);
          this.report.retired++;
          this.services.metrics.syncRows.inc({ dialect: this.dialect, change: 'retired' });
        }
      }
    }
  }
}
