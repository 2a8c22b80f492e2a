/**
 * What a vendor client sees of a catalog, walked whole through each dialect's own actions: two servers
 * that answer these the same serve the same catalog (the sync tests compare a vendor and its copy).
 */
import type { AddressInfo } from 'node:net';
import { IvhClient, ZegoClient } from '@timbrel/client';
import { AVATAR_TYPES } from '../../src/core/types.js';
import type { Harness } from '../helpers.js';

/** A server on a real socket, its public URL where it listens (signed file URLs must reach it). */
export async function listening(h: Harness): Promise<string> {
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  h.services.config.publicUrl = url;
  h.services.signer.rebase(url);
  return url;
}

// ---- what each dialect's catalog actions answer, walked whole -------------------------------------------

export async function zegoCatalog(base: string, appId: number, serverSecret: string) {
  const z = new ZegoClient({ baseUrl: base, appId, serverSecret, retries: 20 });
  const dhs: { id: string; name: string; public: boolean; actions: string[] }[] = [];
  for (const fetchMode of [1, 2, 3]) {
    for (let offset = 0; ;) {
      const p = await z.call<{ Total: number; DigitalHumans: { DigitalHumanId: string; Name: string; IsPublic: boolean; Actions: { Action: string }[] }[] }>(
        'GetDigitalHumanList',
        { FetchMode: fetchMode, Offset: offset, Limit: 20 },
      );
      for (const d of p.DigitalHumans)
        dhs.push({ id: d.DigitalHumanId, name: `${fetchMode}:${d.Name}`, public: d.IsPublic, actions: d.Actions.map((a) => a.Action) });
      offset += p.DigitalHumans.length;
      if (!p.DigitalHumans.length || offset >= p.Total) break;
    }
  }
  const timbres: string[] = [];
  for await (const t of z.timbres()) timbres.push(`${t.TimbreId} ${t.Name}`);
  const bound: Record<string, string[]> = {};
  for (const d of dhs.filter((x) => x.name.startsWith('1:'))) {
    const ids: string[] = [];
    for await (const t of z.timbres({ DigitalHumanId: d.id })) ids.push(`${t.TimbreId} ${t.Name}`);
    bound[d.id] = ids;
  }
  const models = (await z.describeMetaHumanModel()).MetaHumanModels.map((m) => ({
    id: m.MetaHumanModelId,
    name: m.MetaHumanModelName,
    gender: m.Gender,
    visibility: m.Visibility,
  }));
  const looks: Record<string, string[]> = {};
  for (const m of models) looks[m.id] = (await z.describeMetaHumanModelDetail(m.id)).MetaHumans.map((l) => `${l.MetaHumanId} ${l.MetaHumanName}`);
  const info = await Promise.all(
    dhs.slice(0, 5).map((d) => z.getDigitalHumanInfo(d.id).then((i) => ({ id: i.DigitalHumanId, name: i.Name, public: i.IsPublic }))),
  );
  return { dhs, timbres, bound, models, looks, info };
}

export async function ivhCatalog(base: string, appkey: string, accesstoken: string) {
  const c = new IvhClient({ baseUrl: base, appkey, accesstoken, retries: 20 });
  const timbres: unknown[] = [];
  for await (const t of c.timbres()) timbres.push([t.TimbreKey, t.TimbreName, t.TimbreDesc, t.TimbreGender, t.PurchaseType, t.TimbreLanguages, t.TimbreType]);
  const anchors: unknown[] = [];
  const looks: { key: string; row: unknown[] }[] = [];
  for (const type of AVATAR_TYPES) {
    for await (const a of c.anchors(type)) anchors.push([type, a.AnchorCode, a.AnchorName, a.PurchaseType, a.Tag, a.Gender]);
    for await (const l of c.looks(type))
      looks.push({
        key: l.VirtualmanKey,
        row: [type, l.VirtualmanKey, l.AnchorCode, l.AnchorName, l.ClothesName, l.PoseName, l.Resolution, l.OriginZoom, l.SupportDriverTypes],
      });
  }
  const order: string[] = [];
  for (let PageIndex = 1; ; PageIndex++) {
    const p = await c.call<{ Total: number; Virtualmans: { VirtualmanKey: string }[] }>('describesmallsampleimage', { PageIndex, PageSize: 100 });
    order.push(...p.Virtualmans.map((v) => v.VirtualmanKey));
    if (!p.Virtualmans.length || order.length >= p.Total) break;
  }
  const bindings: Record<string, unknown> = {};
  for (const l of looks) {
    const bound = (await c.getImageTimbre({ VirtualmanKey: l.key })).Timbres.map((t) => `${t.TimbreKey} ${t.TimbreName}`).sort();
    const actions = (await c.getAction({ VirtualmanKey: l.key })).Actions.map((a) => `${a.ActionCode} ${a.ActionName}`);
    bindings[l.key] = { bound, actions };
  }
  return { timbres, anchors, looks: looks.map((l) => l.row), order, bindings };
}

/**
 * The settings of an operator whose vendor serves media from `url` on this machine: plain http and a
 * loopback address are outside the outbound rules unless listed.
 */
export const mediaFrom = (url: string) => ({ TIMBREL_OUTBOUND_ALLOW_PRIVATE: '127.0.0.1/32', TIMBREL_OUTBOUND_ALLOW_HTTP: new URL(url).host });
