/**
 * What a ZEGO account lists, as timbrel records: the legacy models (anchors) where the account serves
 * them, digital humans (FetchMode 1: public and private in the vendor's one order) with their actions,
 * public timbres, and each digital human's private timbres (the app's bindings).
 */
import { TimbrelClientError, ZegoClient } from '@timbrel/client';
import { GENDER_OF, type Pulled, type SyncContext } from './context.js';

interface ZegoDigitalHumanItem {
  DigitalHumanId: string;
  Name: string;
  AvatarUrl?: string;
  IsPublic?: boolean;
  Actions?: { Action: string; PreviewUrl?: string }[];
}

interface ZegoTimbreItem {
  TimbreId: string;
  Name: string;
  AvatarUrl?: string;
}

const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

export async function pullZego(ctx: SyncContext): Promise<void> {
  const z = new ZegoClient({ ...ctx.transport, appId: Number(ctx.upstream.account), serverSecret: ctx.upstream.secret });
  const timbrePage = (DigitalHumanId?: string) => async (_: number, offset: number) => {
    const p = await z.getTimbreList({ ...(DigitalHumanId ? { DigitalHumanId } : {}), Offset: offset, Limit: 20 });
    return { items: list<ZegoTimbreItem>(p?.Timbres), total: Number(p?.Total) };
  };
  const timbre = (t: ZegoTimbreItem, own: boolean, sortOrder: number): Pulled => {
    const id = ctx.canonicalId(t.TimbreId);
    return { kind: 'timbre', own, rec: { id, key: id, name: t.Name, image: t.AvatarUrl || null, sortOrder } };
  };

  // Anchors through the legacy PaaS actions, where the account serves them: their looks name them.
  const anchorOf = new Map<string, string>();
  const anchors: Pulled[] = [];
  let legacy: Awaited<ReturnType<ZegoClient['describeMetaHumanModel']>> | undefined;
  try {
    legacy = await z.describeMetaHumanModel();
  } catch (err) {
    if (!(err instanceof TimbrelClientError && err.code === 100000007)) throw err;
  }
  const models = list<{ MetaHumanModelId: string; MetaHumanModelName: string; Gender: number; Visibility: number; AvatarUrl: string }>(legacy?.MetaHumanModels);
  await ctx.walk(
    'DescribeMetaHumanModel',
    async (index) => ({ items: index === 0 ? models : [], total: models.length }),
    (m) => String(m.MetaHumanModelId),
    async (m, i) => {
      const own = m.Visibility !== 1;
      const code = String(m.MetaHumanModelId);
      if (ctx.wanted(own)) {
        anchors.push({
          kind: 'anchor',
          own,
          rec: {
            id: code,
            code,
            name: m.MetaHumanModelName,
            gender: GENDER_OF[m.Gender] ?? 'neutral',
            headerImage: m.AvatarUrl || null,
            avatarType: 'real_man_2d',
            sortOrder: i,
          },
        });
      }
      for (const look of list<{ MetaHumanId: string }>((await z.describeMetaHumanModelDetail(code))?.MetaHumans))
        anchorOf.set(ctx.canonicalId(look.MetaHumanId), code);
    },
  );
  await ctx.write(anchors);

  // Digital humans: FetchMode 1 lists public and private in the vendor's one order.
  let dhs: Pulled[] = [];
  const everyDh: string[] = [];
  await ctx.walk(
    'GetDigitalHumanList',
    async (_, offset) => {
      const p = await z.call<{ Total: number; DigitalHumans: ZegoDigitalHumanItem[] }>('GetDigitalHumanList', { FetchMode: 1, Offset: offset, Limit: 20 });
      return { items: list<ZegoDigitalHumanItem>(p?.DigitalHumans), total: Number(p?.Total) };
    },
    (d) => ctx.canonicalId(d.DigitalHumanId),
    async (d, sortOrder) => {
      const own = d.IsPublic === false;
      const id = ctx.canonicalId(d.DigitalHumanId);
      everyDh.push(id);
      if (ctx.wanted(own)) {
        const actions = list<{ Action: string; PreviewUrl?: string }>(d.Actions).map((a) => ({ code: a.Action, name: '', previewVideo: a.PreviewUrl || null }));
        dhs.push({
          kind: 'digitalHuman',
          own,
          rec: { id, name: d.Name, anchorCode: anchorOf.get(id) ?? '', headerImage: d.AvatarUrl || null, actions, sortOrder },
        });
      }
      if (dhs.length >= 200) {
        await ctx.write(dhs);
        dhs = [];
      }
    },
  );
  await ctx.write(dhs);

  // Public timbres, page by page, in the vendor's order.
  if (ctx.wanted(false)) {
    let batch: Pulled[] = [];
    await ctx.walk(
      'GetTimbreList',
      timbrePage(),
      (t) => ctx.canonicalId(t.TimbreId),
      async (t, i) => {
        batch.push(timbre(t, false, i));
        if (batch.length >= 500) {
          await ctx.write(batch);
          batch = [];
        }
      },
    );
    await ctx.write(batch);
  }

  // Each digital human's private timbres (bound by this app) and so the app's bindings. An app binds its
  // own timbres to public digital humans too: every one it sees is asked.
  if (ctx.wanted(true)) {
    for (const dh of everyDh) {
      const bound: Pulled[] = [];
      await ctx.walk(
        `GetTimbreList(${dh})`,
        timbrePage(dh),
        (t) => ctx.canonicalId(t.TimbreId),
        (t) => void bound.push(timbre(t, true, 0)),
      );
      await ctx.write(bound);
      await ctx.bind(
        dh,
        'app',
        bound.map((b) => String(b.rec.id)),
      );
    }
  }
}
