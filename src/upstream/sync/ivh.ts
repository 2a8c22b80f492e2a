/**
 * What a Tencent IVH account lists, as timbrel records: anchors and their looks (digital humans) type by
 * type, each look's actions, timbres in the vendor's one order, and each look's timbres (bindings). Which
 * are the app's own: a second walk with PurchaseType Custom.
 */
import { IvhClient } from '@timbrel/client';
import type { Rec } from '../../catalog-io/records.js';
import { stableId, toHexKey } from '../../core/ids.js';
import { AVATAR_TYPES } from '../../core/types.js';
import { GENDER_OF, type Pulled, type SyncContext } from './context.js';

/** IVH's `YYYY-MM-DD HH:mm:ss` (Beijing time) → ISO; "" → none. */
function ivhInstant(v: unknown): string | null {
  if (typeof v !== 'string' || v === '') return null;
  const ms = Date.parse(`${v.replace(' ', 'T')}+08:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

export async function pullIvh(ctx: SyncContext): Promise<void> {
  const c = new IvhClient({ ...ctx.transport, appkey: ctx.upstream.account, accesstoken: ctx.upstream.secret });
  const walk = <T>(op: string, payload: Rec, items: string, idOf: (item: T) => string, each: (item: T, index: number) => void | Promise<void>) =>
    ctx.walk<T>(
      `${op}${payload.VirtualmanTypeCode ? `(${String(payload.VirtualmanTypeCode)}${payload.PurchaseType ? `, ${String(payload.PurchaseType)}` : ''})` : ''}`,
      async (index) => {
        const p = await c.call<Record<string, unknown>>(op, { ...payload, PageIndex: index + 1, PageSize: 100 });
        return { items: list<T>(p?.[items]), total: Number(p?.Total) };
      },
      idOf,
      each,
    );
  const ownerName = (own: boolean) => (own ? ctx.app.name : '');

  const anchors: Pulled[] = [];
  const looks: Pulled[] = [];
  for (const type of AVATAR_TYPES) {
    const customAnchors = new Set<string>();
    await walk<{ AnchorCode: string }>(
      'getanchor',
      { VirtualmanTypeCode: type, PurchaseType: 'Custom' },
      'Virtualmans',
      (a) => String(a.AnchorCode),
      (a) => void customAnchors.add(String(a.AnchorCode)),
    );
    await walk<{ AnchorName: string; AnchorCode: string; HeaderImage: string; Tag: string; Gender: number }>(
      'getanchor',
      { VirtualmanTypeCode: type },
      'Virtualmans',
      (a) => String(a.AnchorCode),
      (a) => {
        const own = customAnchors.has(String(a.AnchorCode));
        if (!ctx.wanted(own)) return;
        anchors.push({
          kind: 'anchor',
          own,
          rec: {
            id: stableId('anchor', ownerName(own), String(a.AnchorCode)),
            code: a.AnchorCode,
            name: a.AnchorName,
            gender: GENDER_OF[a.Gender] ?? 'neutral',
            tag: a.Tag,
            headerImage: a.HeaderImage || null,
            avatarType: type,
            sortOrder: anchors.length,
          },
        });
      },
    );
    const customLooks = new Set<string>();
    await walk<{ VirtualmanKey: string }>(
      'getimagebyanchor',
      { VirtualmanTypeCode: type, PurchaseType: 'Custom' },
      'Virtualmans',
      (l) => ctx.canonicalId(l.VirtualmanKey),
      (l) => void customLooks.add(ctx.canonicalId(l.VirtualmanKey)),
    );
    await walk<Rec>(
      'getimagebyanchor',
      { VirtualmanTypeCode: type },
      'Virtualmans',
      (l) => ctx.canonicalId(l.VirtualmanKey),
      (l) => {
        const id = ctx.canonicalId(l.VirtualmanKey);
        const own = customLooks.has(id);
        if (!ctx.wanted(own)) return;
        looks.push({
          kind: 'digitalHuman',
          own,
          rec: {
            id,
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
      },
    );
  }
  await ctx.write(anchors);

  // The vendor's one order of every look, and each look's actions.
  const order = new Map<string, number>();
  await walk<{ VirtualmanKey: string }>(
    'describesmallsampleimage',
    {},
    'Virtualmans',
    (l) => ctx.canonicalId(l.VirtualmanKey),
    (l, i) => void order.set(ctx.canonicalId(l.VirtualmanKey), i),
  );
  for (const l of looks) {
    l.rec.sortOrder = order.get(String(l.rec.id)) ?? order.size;
    const { Actions } = await c.getAction({ VirtualmanKey: toHexKey(String(l.rec.id)) });
    l.rec.actions = list<{ ActionCode: string; ActionName: string; ActionSample: string }>(Actions).map((a) => ({
      code: a.ActionCode,
      name: a.ActionName === a.ActionCode ? '' : a.ActionName,
      previewVideo: a.ActionSample || null,
    }));
  }
  for (let i = 0; i < looks.length; i += 200) await ctx.write(looks.slice(i, i + 200));

  // Timbres in the vendor's one order (public and the app's own together), written a batch at a time;
  // what bindings need of them is kept: key → id and scope.
  const idOfKey = new Map<string, { id: string; own: boolean }>();
  let batch: Pulled[] = [];
  await walk<Rec>(
    'describetimbre',
    {},
    'TimbreAssets',
    (t) => String(t.TimbreKey),
    async (t, i) => {
      const own = t.PurchaseType === 'Custom';
      if (!ctx.wanted(own)) return;
      const id = stableId('timbre', ownerName(own), String(t.TimbreKey));
      idOfKey.set(String(t.TimbreKey), { id, own });
      batch.push({
        kind: 'timbre',
        own,
        rec: {
          id,
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
      if (batch.length >= 500) {
        await ctx.write(batch);
        batch = [];
      }
    },
  );
  await ctx.write(batch);

  // Bindings as each look's getimagetimbre reports them: public look + public timbre = the public catalog's.
  for (const l of looks) {
    const { Timbres } = await c.getImageTimbre({ VirtualmanKey: toHexKey(String(l.rec.id)) });
    const bound = list<{ TimbreKey: string }>(Timbres)
      .map((t) => idOfKey.get(String(t.TimbreKey)))
      .filter((t): t is { id: string; own: boolean } => t !== undefined);
    const id = String(l.rec.id);
    if (!l.own)
      await ctx.bind(
        id,
        'public',
        bound.filter((t) => !t.own).map((t) => t.id),
      );
    await ctx.bind(
      id,
      'app',
      bound.filter((t) => l.own || t.own).map((t) => t.id),
    );
  }
}
