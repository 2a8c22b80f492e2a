/**
 * Sync (shared/spec/upstream.md §3): an app's catalog pulled from its vendor account through the vendor's
 * own list APIs (the SDK's ZEGO and IVH clients, paced to the upstream's rate and retrying its rate-limit
 * answers), written through the store's transactions like any other write (same locks, same change signal).
 *
 * Idempotent: each row the sync writes is recorded with the digest of what the vendor said of it
 * (synced_rows); a row whose digest is unchanged is not written again, so a second sync writes nothing.
 * Resumable: a sync killed part way left whole batches; the next one writes what is still missing.
 * A row the vendor no longer lists is retired (never deleted) only after a sync that completed; a row of
 * the same id that another source (or nobody's sync) wrote is never overwritten: it is a conflict.
 */
import { createHash } from 'node:crypto';
import { IvhClient, TimbrelClientError, ZegoClient } from '@timbrel/client';
import { fetch as undiciFetch, request } from 'undici';
import { TimbrelError } from '../core/errors.js';
import { normalizeId, stableId } from '../core/ids.js';
import { AVATAR_TYPES, PUBLIC_OWNER, type Anchor, type App, type Binding, type DigitalHuman, type SyncReport, type Timbre, type Upstream, type UpstreamDialect } from '../core/types.js';
import { parseOne } from '../catalog-io/parse.js';
import type { Rec } from '../catalog-io/records.js';
import { sniff } from '../files/sniff.js';
import { STORED_PREFIX, isExternalUrl } from '../files/urls.js';
import type { Services } from '../services.js';
import { anchorFiles } from '../store/anchors.js';
import { digitalHumanFiles } from '../store/digital-humans.js';
import { anchorFromRow, digitalHumanFromRow, timbreFromRow } from '../store/rows.js';
import { timbreFiles } from '../store/timbres.js';

type Kind = 'timbre' | 'digitalHuman' | 'anchor';
const TABLE = { timbre: 'timbres', digitalHuman: 'digital_humans', anchor: 'anchors' } as const;
type Asset = Timbre | DigitalHuman | Anchor;

/** Which of the vendor account's assets a sync pulls (`--public`: once for all apps; `--private`: the app's own). */
export type SyncScope = 'all' | 'public' | 'private';

export interface SyncOptions {
  scope?: SyncScope;
  /** Called after every batch with the report so far (CLI progress). */
  onProgress?: (r: SyncReport) => void;
}

/** One asset as the vendor describes it, in the import's record form, with its media as vendor URLs. */
interface Pulled {
  kind: Kind;
  rec: Rec;
  /** The app's own (private) asset, else public. */
  own: boolean;
}

const GENDER_OF: Record<number, string> = { 1: 'male', 2: 'female', 0: 'neutral' };

/** The fields of each kind that hold a picture, sample or video (copied into the file store). */
const MEDIA: Record<Kind, string[]> = { timbre: ['image', 'sample'], digitalHuman: ['headerImage', 'poseImage', 'clothesImage'], anchor: ['headerImage'] };

/** A URL's identity for the digest: without its query (ZEGO's AvatarUrl is re-signed on every answer). */
const urlIdentity = (u: unknown) => (typeof u === 'string' ? u.split('?')[0] : u);

function digestOf(p: Pulled): string {
  const rec: Rec = { ...p.rec, own: p.own };
  for (const f of MEDIA[p.kind]) rec[f] = urlIdentity(rec[f]);
  if (p.kind === 'digitalHuman') rec.actions = (rec.actions as Rec[]).map((a) => ({ ...a, previewVideo: urlIdentity(a.previewVideo) }));
  return createHash('sha256').update(JSON.stringify(rec)).digest('base64url');
}

/**
 * Paces requests to at most `perSecond` in any window of a second, by the times they were actually sent
 * (a window of 1.02 s: jitter on the way never puts one more into the vendor's second).
 */
class Pacer {
  private readonly sent: number[] = [];
  constructor(private readonly perSecond: number) {}
  async wait(): Promise<void> {
    for (;;) {
      const now = performance.now();
      while (this.sent.length && now - this.sent[0] >= 1020) this.sent.shift();
      if (this.sent.length < this.perSecond) {
        this.sent.push(now);
        return;
      }
      await new Promise((r) => setTimeout(r, 1020 - (now - this.sent[0]) + 1));
    }
  }
}

const running = new Map<string, Promise<SyncReport>>();

/** Runs one sync of an app's upstream; a second one of the same upstream while it runs is a conflict. */
export function syncUpstream(services: Services, appName: string, dialect: UpstreamDialect, opts: SyncOptions = {}): Promise<SyncReport> {
  const key = `${appName}\u0000${dialect}`;
  if (running.has(key)) return Promise.reject(new TimbrelError('conflict', `a sync of ${appName}'s ${dialect} upstream is running`));
  const run = new Sync(services, dialect, opts).run(appName).finally(() => running.delete(key));
  running.set(key, run);
  return run;
}

class Sync {
  private readonly report: SyncReport;
  private app!: App;
  private upstream!: Upstream;
  private source!: string;
  private readonly seen: Record<Kind, Set<string>> = { timbre: new Set(), digitalHuman: new Set(), anchor: new Set() };
  /** Vendor media URL (without query) → stored ref, within this run. */
  private readonly copied = new Map<string, string>();

  constructor(
    private readonly services: Services,
    private readonly dialect: UpstreamDialect,
    private readonly opts: SyncOptions,
  ) {
    this.report = { dialect, startedAt: services.now(), finishedAt: null, outcome: 'running', pages: 0, created: 0, updated: 0, unchanged: 0, retired: 0, restored: 0, conflicts: 0, files: 0, fileErrors: 0 };
  }

  private get scope(): SyncScope {
    return this.opts.scope ?? 'all';
  }

  private wanted(own: boolean): boolean {
    return this.scope === 'all' || (this.scope === 'private') === own;
  }

  async run(appName: string): Promise<SyncReport> {
    this.app = await this.services.apps.named(appName);
    const upstream = await this.services.repo.upstreams.of(this.app.id, this.dialect);
    if (!upstream) throw new TimbrelError('not_found', `${appName} has no ${this.dialect} upstream`);
    this.upstream = upstream;
    this.source = `${this.dialect}:${upstream.account}`;
    await this.services.repo.upstreams.recordSync(this.app.id, this.dialect, this.report);
    try {
      if (this.dialect === 'zego') await this.zego();
      else await this.ivh();
      await this.retireUnseen();
      this.report.outcome = 'completed';
    } catch (err) {
      this.report.outcome = 'failed';
      this.report.error = err instanceof TimbrelClientError ? `the upstream answered ${err.message}` : (err as Error).message;
    }
    this.report.finishedAt = this.services.now();
    this.services.metrics.syncs.inc({ dialect: this.dialect, outcome: this.report.outcome });
    await this.services.repo.upstreams.recordSync(this.app.id, this.dialect, this.report).catch(() => undefined);
    this.opts.onProgress?.(this.report);
    return this.report;
  }

  /** The SDK's options for this upstream: its credentials, undici's pools, the pacer, the relay's timeout. */
  private transport() {
    const pacer = new Pacer(this.upstream.rateLimit);
    const dispatcher = this.services.relay.dispatcher;
    const paced = (async (input: string, init: RequestInit) => {
      await pacer.wait();
      this.report.pages++;
      return undiciFetch(input, { ...(init as object), dispatcher } as never);
    }) as unknown as typeof fetch;
    return { baseUrl: this.upstream.url, fetch: paced, timeoutMs: this.services.config.upstreamTimeoutMs, retries: 12, maxDelayMs: 5000 };
  }

  // ---- ZEGO ------------------------------------------------------------------------------------------

  private async zego(): Promise<void> {
    const z = new ZegoClient({ ...this.transport(), appId: Number(this.upstream.account), serverSecret: this.upstream.secret });
    // Anchors through the legacy PaaS actions, where the account serves them: their looks name them.
    const anchorOf = new Map<string, string>();
    const anchors: Pulled[] = [];
    let legacy: Awaited<ReturnType<ZegoClient['describeMetaHumanModel']>> | undefined;
    try {
      legacy = await z.describeMetaHumanModel();
    } catch (err) {
      if (!(err instanceof TimbrelClientError && err.code === 100000007)) throw err;
    }
    for (const [i, m] of (legacy?.MetaHumanModels ?? []).entries()) {
      const own = m.Visibility !== 1;
      if (!this.wanted(own)) continue;
      anchors.push({ kind: 'anchor', own, rec: { id: m.MetaHumanModelId, code: m.MetaHumanModelId, name: m.MetaHumanModelName, gender: GENDER_OF[m.Gender] ?? 'neutral', headerImage: m.AvatarUrl || null, avatarType: 'real_man_2d', sortOrder: i } });
      for (const look of (await z.describeMetaHumanModelDetail(m.MetaHumanModelId)).MetaHumans) anchorOf.set(look.MetaHumanId, m.MetaHumanModelId);
    }
    await this.write(anchors);

    // Digital humans: FetchMode 1 lists public and private in the vendor's one order.
    const dhs: Pulled[] = [];
    const everyDh: string[] = [];
    let dhIndex = 0;
    for (let offset = 0; ; ) {
      const page = await z.call<{ Total: number; DigitalHumans: { DigitalHumanId: string; Name: string; AvatarUrl?: string; IsPublic?: boolean; Actions?: { Action: string; PreviewUrl?: string }[] }[] }>('GetDigitalHumanList', { FetchMode: 1, Offset: offset, Limit: 20 });
      for (const d of page.DigitalHumans) {
        const own = d.IsPublic === false;
        everyDh.push(d.DigitalHumanId);
        const sortOrder = dhIndex++;
        if (!this.wanted(own)) continue;
        dhs.push({
          kind: 'digitalHuman',
          own,
          rec: {
            id: d.DigitalHumanId,
            name: d.Name,
            anchorCode: anchorOf.get(d.DigitalHumanId) ?? '',
            headerImage: d.AvatarUrl || null,
            actions: (d.Actions ?? []).map((a) => ({ code: a.Action, name: '', previewVideo: a.PreviewUrl || null })),
            sortOrder,
          },
        });
      }
      offset += page.DigitalHumans.length;
      if (!page.DigitalHumans.length || offset >= page.Total) break;
      if (dhs.length >= 200) await this.write(dhs.splice(0));
    }
    await this.write(dhs);

    // Public timbres, page by page, in the vendor's order.
    if (this.wanted(false)) {
      let batch: Pulled[] = [];
      let i = 0;
      for await (const t of z.timbres()) {
        batch.push({ kind: 'timbre', own: false, rec: { id: t.TimbreId, key: t.TimbreId, name: t.Name, image: t.AvatarUrl || null, sortOrder: i++ } });
        if (batch.length >= 500) await this.write(batch.splice(0));
      }
      await this.write(batch);
    }

    // Each digital human's private timbres (bound by this app) and so the app's bindings.
    if (this.wanted(true)) {
      // An app binds its own timbres to public digital humans too: every one it sees is asked.
      for (const dh of everyDh) {
        const bound: Pulled[] = [];
        for await (const t of z.timbres({ DigitalHumanId: dh })) {
          bound.push({ kind: 'timbre', own: true, rec: { id: t.TimbreId, key: t.TimbreId, name: t.Name, image: t.AvatarUrl || null, sortOrder: 0 } });
        }
        const fresh = bound.filter((b) => !this.seen.timbre.has(String(b.rec.id)));
        await this.write(fresh);
        await this.bind(dh, this.app.id, bound.map((b) => String(b.rec.id)));
      }
    }
  }

  // ---- IVH -------------------------------------------------------------------------------------------

  private async ivh(): Promise<void> {
    const c = new IvhClient({ ...this.transport(), appkey: this.upstream.account, accesstoken: this.upstream.secret });
    const pages = async <T>(op: string, payload: Rec, items: string, each: (item: T, index: number) => void) => {
      for (let PageIndex = 1, seen = 0; ; PageIndex++) {
        const p = await c.call<Record<string, unknown>>(op, { ...payload, PageIndex, PageSize: 100 });
        const list = (p[items] as T[]) ?? [];
        for (const item of list) each(item, seen++);
        if (!list.length || seen >= Number(p.Total)) return;
      }
    };
    const ownerName = (own: boolean) => (own ? this.app.name : '');

    // Anchors and their looks, type by type; which are the app's own: a second walk with PurchaseType Custom.
    const anchors: Pulled[] = [];
    const looks: Pulled[] = [];
    for (const type of AVATAR_TYPES) {
      const customAnchors = new Set<string>();
      await pages<{ AnchorCode: string }>('getanchor', { VirtualmanTypeCode: type, PurchaseType: 'Custom' }, 'Virtualmans', (a) => customAnchors.add(a.AnchorCode));
      await pages<{ AnchorName: string; AnchorCode: string; HeaderImage: string; Tag: string; Gender: number }>('getanchor', { VirtualmanTypeCode: type }, 'Virtualmans', (a) => {
        const own = customAnchors.has(a.AnchorCode);
        if (!this.wanted(own)) return;
        anchors.push({ kind: 'anchor', own, rec: { id: stableId('anchor', ownerName(own), a.AnchorCode), code: a.AnchorCode, name: a.AnchorName, gender: GENDER_OF[a.Gender] ?? 'neutral', tag: a.Tag, headerImage: a.HeaderImage || null, avatarType: type, sortOrder: anchors.length } });
      });
      const customLooks = new Set<string>();
      await pages<{ VirtualmanKey: string }>('getimagebyanchor', { VirtualmanTypeCode: type, PurchaseType: 'Custom' }, 'Virtualmans', (l) => customLooks.add(l.VirtualmanKey));
      await pages<Rec>('getimagebyanchor', { VirtualmanTypeCode: type }, 'Virtualmans', (l) => {
        const own = customLooks.has(String(l.VirtualmanKey));
        if (!this.wanted(own)) return;
        looks.push({
          kind: 'digitalHuman',
          own,
          rec: {
            id: normalizeId(String(l.VirtualmanKey)) ?? String(l.VirtualmanKey),
            name: l.AnchorName,
            anchorCode: l.AnchorCode,
            clothesName: l.ClothesName,
            poseName: l.PoseName,
            resolution: l.Resolution,
            avatarType: type,
            headerImage: l.HeaderImage || null,
            poseImage: l.PoseImage || null,
            clothesImage: l.ClothesImage || null,
            driverTypes: l.SupportDriverTypes,
            extraParams: l.SupportAnchorExtraParams,
            originZoom: Number(l.OriginZoom),
            expiresAt: ivhInstant(l.ExpireDate),
            actions: [],
            sortOrder: 0,
          },
        });
      });
    }
    await this.write(anchors);
    // The vendor's one order of every look, and each look's actions.
    const order = new Map<string, number>();
    await pages<{ VirtualmanKey: string }>('describesmallsampleimage', {}, 'Virtualmans', (l, i) => order.set(normalizeId(l.VirtualmanKey) ?? l.VirtualmanKey, i));
    for (const l of looks) {
      l.rec.sortOrder = order.get(String(l.rec.id)) ?? order.size;
      const { Actions } = await c.getAction({ VirtualmanKey: String(l.rec.id).replace(/-/g, '') });
      l.rec.actions = Actions.map((a) => ({ code: a.ActionCode, name: a.ActionName === a.ActionCode ? '' : a.ActionName, previewVideo: a.ActionSample || null }));
    }
    for (let i = 0; i < looks.length; i += 200) await this.write(looks.slice(i, i + 200));

    // Timbres in the vendor's one order (public and the app's own together).
    let batch: Pulled[] = [];
    await pages<Rec>('describetimbre', {}, 'TimbreAssets', (t, i) => {
      const own = t.PurchaseType === 'Custom';
      if (!this.wanted(own)) return;
      batch.push({
        kind: 'timbre',
        own,
        rec: {
          id: stableId('timbre', ownerName(own), String(t.TimbreKey)),
          key: t.TimbreKey,
          name: t.TimbreName,
          description: t.TimbreDesc ?? '',
          gender: GENDER_OF[Number(t.TimbreGender)] ?? 'neutral',
          languages: t.TimbreLanguages ?? [],
          emotions: t.EmotionalCategories ?? [],
          timbreType: t.TimbreType,
          supportedAvatarTypes: t.SupportVirtualmanTypeCodes ?? [],
          driverTypes: t.SupportDriverTypes ?? [],
          expiresAt: ivhInstant(t.ExpireDate),
          sample: t.TimbreSample || null,
          sortOrder: i,
        },
      });
    });
    for (let i = 0; i < batch.length; i += 500) await this.write(batch.slice(i, i + 500));
    const idOfKey = new Map(batch.map((b) => [String(b.rec.key), { id: String(b.rec.id), own: b.own }]));
    batch = [];

    // Bindings as each look's getimagetimbre reports them: public look + public timbre = the operator's.
    for (const l of looks) {
      const { Timbres } = await c.getImageTimbre({ VirtualmanKey: String(l.rec.id).replace(/-/g, '') });
      const bound = Timbres.map((t) => idOfKey.get(t.TimbreKey)).filter((t): t is { id: string; own: boolean } => t !== undefined);
      const id = String(l.rec.id);
      if (!l.own) await this.bind(id, PUBLIC_OWNER, bound.filter((t) => !t.own).map((t) => t.id));
      await this.bind(id, this.app.id, bound.filter((t) => l.own || t.own).map((t) => t.id));
    }
  }

  // ---- writing ---------------------------------------------------------------------------------------

  /** Writes a batch of one kind: only rows that are new or changed, never another source's. */
  private async write(batch: Pulled[]): Promise<void> {
    if (!batch.length) return;
    const kind = batch[0].kind;
    const repo = this.services.repo;
    const now = this.services.now();
    const ids = batch.map((p) => String(p.rec.id));
    for (const id of ids) this.seen[kind].add(id);
    const synced = await repo.upstreams.syncedOf(repo.db, this.source, kind, ids);
    const existing = await this.rowsOf(kind, ids);
    const changed: { p: Pulled; digest: string; before?: Asset }[] = [];
    for (const p of batch) {
      const id = String(p.rec.id);
      const before = existing.get(id);
      const digest = digestOf(p);
      if (before && !synced.has(id)) {
        this.report.conflicts++;
        this.services.metrics.syncRows.inc({ dialect: this.dialect, change: 'conflict' });
        continue;
      }
      if (before && synced.get(id) === digest && before.status === 'active') {
        this.report.unchanged++;
        continue;
      }
      changed.push({ p, digest, before });
    }
    if (!changed.length) return this.opts.onProgress?.(this.report);
    const assets: { asset: Asset; digest: string; before?: Asset }[] = [];
    for (const { p, digest, before } of changed) {
      const rec: Rec = { ...p.rec, owner: null, status: 'active' };
      let complete = true;
      for (const f of MEDIA[kind]) {
        const r = await this.copy(rec[f], (before as unknown as Rec | undefined)?.[f]);
        rec[f] = r.ref;
        complete &&= r.ok;
      }
      if (kind === 'digitalHuman') {
        const had = new Map(((before as DigitalHuman | undefined)?.actions ?? []).map((a) => [a.code, a.previewVideo]));
        rec.actions = await Promise.all(
          (rec.actions as Rec[]).map(async (a) => {
            const r = await this.copy(a.previewVideo, had.get(String(a.code)));
            complete &&= r.ok;
            return { ...a, previewVideo: r.ref };
          }),
        );
      }
      try {
        const parsed = parseOne(kind, rec, now) as unknown as Record<string, Asset>;
        const asset = { ...parsed[kind === 'timbre' ? 't' : kind === 'digitalHuman' ? 'd' : 'a'] };
        asset.owner = p.own ? this.app.id : PUBLIC_OWNER;
        if (before) asset.createdAt = before.createdAt;
        // A failed copy leaves no digest: the next sync tries the row (and its files) again.
        assets.push({ asset, digest: complete ? digest : '', before });
      } catch (err) {
        this.report.conflicts++;
        this.report.error = `${kind} ${String(p.rec.id)}: ${(err as Error).message}`;
      }
    }
    await repo.transaction(async (trx) => {
      const files = assets.flatMap(({ asset }) => (kind === 'timbre' ? timbreFiles(asset as Timbre) : kind === 'digitalHuman' ? digitalHumanFiles(asset as DigitalHuman) : anchorFiles(asset as Anchor)));
      await repo.files.touch(trx, files, now);
      let skipped: number[];
      if (kind === 'timbre') {
        // A key another row of the owner holds (not this id) is a conflict, never a second holder.
        const holders = await repo.timbres.keyHolders(trx, assets.map(({ asset }) => (asset as Timbre).key));
        const taken = new Set(assets.map(({ asset }, i) => ((holders.get((asset as Timbre).key) ?? []).some((h) => h.owner === asset.owner && h.id !== asset.id) ? i : -1)).filter((i) => i >= 0));
        const write = assets.filter((_, i) => !taken.has(i));
        skipped = [...taken, ...(await repo.timbres.upsert(trx, write.map(({ asset }) => asset as Timbre))).map((i) => assets.indexOf(write[i]))];
      } else if (kind === 'anchor') {
        const holders = await repo.anchors.codeHolders(trx, assets.map(({ asset }) => (asset as Anchor).code));
        const taken = new Set(assets.map(({ asset }, i) => ((holders.get((asset as Anchor).code) ?? []).some((h) => h.owner === asset.owner && h.id !== asset.id) ? i : -1)).filter((i) => i >= 0));
        const write = assets.filter((_, i) => !taken.has(i));
        skipped = [...taken, ...(await repo.anchors.upsert(trx, write.map(({ asset }) => asset as Anchor))).map((i) => assets.indexOf(write[i]))];
      } else {
        skipped = (await repo.digitalHumans.upsert(trx, assets.map(({ asset }) => asset as DigitalHuman))).skipped.map((s) => s.index);
      }
      const out = new Set(skipped);
      const written = assets.filter((_, i) => !out.has(i));
      for (const { asset, before } of written) repo.logMove(trx, TABLE[kind], before, asset);
      await repo.upstreams.markSynced(trx, this.source, kind, written.map(({ asset, digest }) => ({ id: asset.id, digest })), now);
      return { written, skipped: out.size };
    }).then(({ written, skipped }) => {
      this.report.conflicts += skipped;
      for (const { before } of written) {
        const change = !before ? 'created' : before.status === 'retired' ? 'restored' : 'updated';
        this.report[change]++;
        this.services.metrics.syncRows.inc({ dialect: this.dialect, change });
      }
    });
    this.opts.onProgress?.(this.report);
  }

  private async rowsOf(kind: Kind, ids: string[]): Promise<Map<string, Asset>> {
    const out = new Map<string, Asset>();
    const db = this.services.repo.db;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      if (kind === 'timbre') for (const r of await db.selectFrom('timbres').selectAll().where('id', 'in', chunk).execute()) out.set(r.id, timbreFromRow(r));
      else if (kind === 'digitalHuman') for (const r of await db.selectFrom('digital_humans').selectAll().where('id', 'in', chunk).execute()) out.set(r.id, digitalHumanFromRow(r));
      else for (const r of await db.selectFrom('anchors').selectAll().where('id', 'in', chunk).execute()) out.set(r.id, anchorFromRow(r));
    }
    return out;
  }

  /** Sets one owner's bindings of a digital human to the vendor's list, when it differs. */
  private async bind(digitalHumanId: string, owner: string, timbreIds: string[]): Promise<void> {
    const repo = this.services.repo;
    if (!(await repo.digitalHumans.byId(digitalHumanId))) return;
    const present = new Set((await this.rowsOf('timbre', timbreIds)).keys());
    const want = [...new Set(timbreIds)].filter((t) => present.has(t));
    const have = await repo.bindings.of(digitalHumanId, [owner]);
    if (have.length === want.length && have.every((b, i) => b.timbreId === want[i] && b.sortOrder === i)) return;
    const now = this.services.now();
    await repo.bindings.change(digitalHumanId, owner, () => want.map((timbreId, i): Binding => ({ owner, digitalHumanId, timbreId, sortOrder: i, isDefault: false, createdAt: now })));
    this.report.updated++;
  }

  /**
   * A vendor's media URL copied into the file store (checked by its bytes like an upload; content-addressed,
   * so an unchanged file is stored once). A failed copy keeps the row's previous file and is counted.
   */
  private async copy(url: unknown, previous: unknown): Promise<{ ref: string | null; ok: boolean }> {
    if (typeof url !== 'string' || url === '') return { ref: null, ok: true };
    if (!isExternalUrl(url)) return { ref: null, ok: true };
    const identity = urlIdentity(url) as string;
    const known = this.copied.get(identity);
    if (known) return { ref: known, ok: true };
    try {
      const limit = this.services.config.maxUploadBytes;
      const res = await request(url, { dispatcher: this.services.relay.dispatcher, signal: AbortSignal.timeout(this.services.config.upstreamTimeoutMs) });
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new Error(`HTTP ${res.statusCode}`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > limit) {
          res.body.destroy();
          throw new Error('larger than TIMBREL_MAX_UPLOAD_BYTES');
        }
        chunks.push(chunk as Buffer);
      }
      const bytes = Buffer.concat(chunks);
      const contentType = await sniff(bytes, ['image', 'audio', 'video']);
      if (!contentType) throw new Error('not a picture, audio or video file (checked by its bytes)');
      const id = await this.services.files.put(bytes, contentType);
      await this.services.repo.files.insert({ id, contentType, size: bytes.length, createdAt: this.services.now() });
      const ref = `${STORED_PREFIX}${id}`;
      this.copied.set(identity, ref);
      this.report.files++;
      return { ref, ok: true };
    } catch {
      this.report.fileErrors++;
      return { ref: typeof previous === 'string' ? previous : null, ok: false };
    }
  }

  /** After a complete pull: every row of this source the vendor no longer listed is retired. */
  private async retireUnseen(): Promise<void> {
    const repo = this.services.repo;
    const now = this.services.now();
    for (const kind of ['timbre', 'digitalHuman', 'anchor'] as const) {
      // Only what this sync's scope pulled can have gone missing.
      for (const id of await repo.upstreams.idsOf(this.source, kind)) {
        if (this.seen[kind].has(id)) continue;
        const retire = <T extends Asset>(current: T): T => (current.status === 'retired' ? current : { ...current, status: 'retired', updatedAt: now });
        const before = (await this.rowsOf(kind, [id])).get(id);
        if (!before || before.status === 'retired') continue;
        if (this.scope !== 'all' && (before.owner === PUBLIC_OWNER) !== (this.scope === 'public')) continue;
        if (kind === 'timbre') await repo.timbres.change(id, undefined, retire);
        else if (kind === 'digitalHuman') await repo.digitalHumans.change(id, undefined, retire);
        else await repo.anchors.change(id, undefined, retire);
        this.report.retired++;
        this.services.metrics.syncRows.inc({ dialect: this.dialect, change: 'retired' });
      }
    }
  }
}

/** IVH's `YYYY-MM-DD HH:mm:ss` (Beijing time) → epoch ms; "" → none. */
function ivhInstant(v: unknown): string | null {
  if (typeof v !== 'string' || v === '') return null;
  const ms = Date.parse(`${v.replace(' ', 'T')}+08:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
