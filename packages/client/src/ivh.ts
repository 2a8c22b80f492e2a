import { randomUUID } from 'node:crypto';
import { TimbrelClientError } from './errors.js';
import { withRetries, type Transport } from './retry.js';
import { ivhQuery } from './sign.js';

export interface IvhOptions extends Transport {
  appkey: string;
  accesstoken: string;
  /** Tencent's gateway or timbrel; the paths below are appended. */
  baseUrl: string;
}

export interface IvhTimbre {
  TimbreKey: string;
  TimbreName: string;
  TimbreSample?: string;
  TimbreDesc?: string;
  [field: string]: unknown;
}

/** An anchor (presenter) as getanchor answers it. */
export interface IvhAnchor {
  AnchorName: string;
  AnchorCode: string;
  VirtualmanType: string;
  VirtualmanTypeCode: string;
  PurchaseType: 'Lease' | 'Custom';
  HeaderImage: string;
  Tag: string;
  Gender: number;
}

/** A look as getimagebyanchor answers it. */
export interface IvhLook {
  AnchorName: string;
  AnchorCode: string;
  VirtualmanType: string;
  VirtualmanTypeCode: string;
  VirtualmanKey: string;
  ClothesName: string;
  PoseName: string;
  Resolution: string;
  HeaderImage: string;
  PoseImage: string;
  ClothesImage: string;
  SupportDriverTypes: string[];
  SupportAnchorExtraParams: unknown[];
  OriginZoom: string;
  [field: string]: unknown;
}

export interface IvhAction {
  ActionName: string;
  ActionCode: string;
  ActionSample: string;
}

const BASE_PATH = '/v2/ivh/crmserver/customerassetservice/';
/** Tencent's deprecated paths (gettimbre, getanchor, getresourcebyanchor, getaction). */
const BROADCAST_PATH = '/v2/ivh/videomaker/broadcastservice/';

/** Tencent IVH's customerassetservice: `{Header, Payload}` in, `{Header, Payload}` out, unwrapped. */
export class IvhClient {
  private readonly base: string;

  constructor(private readonly opts: IvhOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
  }

  /** Any operation under customerassetservice; resolves with `Payload`, or throws with IVH's code. */
  call<T = unknown>(operation: string, payload: object = {}, basePath = BASE_PATH): Promise<T> {
    const f = this.opts.fetch ?? fetch;
    return withRetries('ivh', this.opts, true, async (signal) => {
      const res = await f(`${this.base}${basePath}${operation}?${ivhQuery(this.opts.appkey, this.opts.accesstoken)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=utf-8' },
        body: JSON.stringify({ Header: { RequestID: randomUUID() }, Payload: payload }),
        signal,
      });
      const json = (await res.json().catch(() => undefined)) as { Header?: { Code?: number; Message?: string; RequestID?: string }; Payload?: T } | undefined;
      const code = json?.Header?.Code;
      if (typeof code !== 'number') throw new TimbrelClientError('ivh', res.status, `not an IVH answer (HTTP ${res.status})`, res.status);
      if (code !== 0) throw new TimbrelClientError('ivh', code, json!.Header!.Message ?? '', res.status, json!.Header!.RequestID);
      return json!.Payload as T;
    });
  }

  describeTimbre(params: { PageIndex: number; PageSize: number; [filter: string]: unknown }) {
    return this.call<{ Total: number; TimbreAssets: IvhTimbre[] }>('describetimbre', params);
  }

  getImageTimbre(params: { VirtualmanKey: string }) {
    return this.call<{ Timbres: IvhTimbre[] }>('getimagetimbre', params);
  }

  getAnchor(params: { VirtualmanTypeCode: string; PageIndex: number; PageSize: number; AnchorCodes?: string[]; PurchaseType?: 'Lease' | 'Custom' }) {
    return this.call<{ Total: number; Virtualmans: IvhAnchor[] }>('getanchor', params);
  }

  getImageByAnchor(params: {
    VirtualmanTypeCode: string;
    PageIndex: number;
    PageSize: number;
    AnchorCodes?: string[];
    VirtualmanKey?: string;
    PurchaseType?: 'Lease' | 'Custom';
  }) {
    return this.call<{ Total: number; Virtualmans: IvhLook[] }>('getimagebyanchor', params);
  }

  getAction(params: { VirtualmanKey: string }) {
    return this.call<{ Actions: IvhAction[] }>('getaction', params);
  }

  getServiceAsset(params: { PageIndex: number; PageSize: number; ServiceType?: string }) {
    return this.call<{ Total: number; ServiceAssetInfos: unknown[] }>('getserviceasset', params);
  }

  /** One of Tencent's deprecated videomaker/broadcastservice paths. */
  callDeprecated<T = unknown>(operation: 'gettimbre' | 'getanchor' | 'getresourcebyanchor' | 'getaction', payload: object = {}) {
    return this.call<T>(operation, payload, BROADCAST_PATH);
  }

  /** Every anchor of a type, page by page. */
  anchors(VirtualmanTypeCode: string, filters: { AnchorCodes?: string[]; PurchaseType?: 'Lease' | 'Custom' } = {}): AsyncGenerator<IvhAnchor> {
    return everyPage(async (PageIndex) => {
      const p = await this.getAnchor({ ...filters, VirtualmanTypeCode, PageIndex, PageSize: 100 });
      return { items: p.Virtualmans, total: p.Total };
    });
  }

  /** Every look of a type (under the given anchors, when given), page by page. */
  looks(VirtualmanTypeCode: string, filters: { AnchorCodes?: string[]; PurchaseType?: 'Lease' | 'Custom' } = {}): AsyncGenerator<IvhLook> {
    return everyPage(async (PageIndex) => {
      const p = await this.getImageByAnchor({ ...filters, VirtualmanTypeCode, PageIndex, PageSize: 100 });
      return { items: p.Virtualmans, total: p.Total };
    });
  }

  /** Every timbre, page by page (PageSize 100, IVH's maximum). */
  timbres(filters: Record<string, unknown> = {}): AsyncGenerator<IvhTimbre> {
    return everyPage(async (PageIndex) => {
      const p = await this.describeTimbre({ ...filters, PageIndex, PageSize: 100 });
      return { items: p.TimbreAssets, total: p.Total };
    });
  }
}

/** The items of IVH pages 1, 2, … until the total is reached (or a page comes back empty). */
async function* everyPage<T>(page: (index: number) => Promise<{ items: T[]; total: number }>): AsyncGenerator<T> {
  for (let index = 1, seen = 0; ; index++) {
    const p = await page(index);
    yield* p.items;
    seen += p.items.length;
    if (p.items.length === 0 || seen >= p.total) return;
  }
}
