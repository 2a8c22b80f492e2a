import { TimbrelClientError } from './errors.js';
import { withRetries, type Transport } from './retry.js';
import { zegoQuery } from './sign.js';

/** ZEGO's digital-human API host (from ZEGO's docs); point `baseUrl` at timbrel to use it instead. */
export const ZEGO_HOST = 'https://aigc-digitalhuman-api.zegotech.cn';

export interface ZegoOptions extends Transport {
  appId: number;
  serverSecret: string;
  baseUrl?: string;
}

export interface ZegoTimbre {
  TimbreId: string;
  Name: string;
  AvatarUrl?: string;
  [field: string]: unknown;
}

export interface ZegoDigitalHuman {
  DigitalHumanId: string;
  Name: string;
  AvatarUrl?: string;
  IsPublic?: boolean;
  [field: string]: unknown;
}

/** GetDigitalHumanRenderInfo: a look's client inference package (for ZEGO's mobile rendering SDK). */
export interface ZegoRenderInfo {
  ClientInferencePackageUrl: string;
  IsSupportSmallImageMode: boolean;
}

/** A model of ZEGO's legacy Digital Human PaaS (timbrel's anchor). */
export interface ZegoMetaHumanModel {
  MetaHumanModelId: string;
  MetaHumanModelName: string;
  Gender: number;
  Visibility: number;
  AvatarUrl: string;
}

/** A look of a legacy model (timbrel's digital human). */
export interface ZegoMetaHuman {
  MetaHumanId: string;
  MetaHumanName: string;
  Visibility: number;
  AvatarUrl: string;
  MicroCoverUrl?: string;
  ActionPreview?: { ActionName: string; ActionUrl: string }[];
}

/** ZEGO's server API: `POST /?Action=…` with the signed common parameters; the envelope is unwrapped. */
export class ZegoClient {
  private readonly base: string;

  constructor(private readonly opts: ZegoOptions) {
    this.base = (opts.baseUrl ?? ZEGO_HOST).replace(/\/+$/, '');
  }

  /** Any action; resolves with `Data`, or throws a TimbrelClientError carrying ZEGO's `Code`. */
  call<T = unknown>(action: string, body: object = {}): Promise<T> {
    const f = this.opts.fetch ?? fetch;
    // Every action timbrel serves reads; a rate-limited call is retried, as is a network failure.
    return withRetries('zego', this.opts, true, async (signal) => {
      const res = await f(`${this.base}/?${zegoQuery(action, this.opts.appId, this.opts.serverSecret)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
      const json = (await res.json().catch(() => undefined)) as { Code?: number; Message?: string; RequestId?: string; Data?: T } | undefined;
      if (!json || typeof json.Code !== 'number') throw new TimbrelClientError('zego', res.status, `not a ZEGO answer (HTTP ${res.status})`, res.status);
      if (json.Code !== 0) throw new TimbrelClientError('zego', json.Code, json.Message ?? '', res.status, json.RequestId);
      return json.Data as T;
    });
  }

  getTimbreList(params: { DigitalHumanId?: string; Offset?: number; Limit?: number } = {}) {
    return this.call<{ Total: number; Timbres: ZegoTimbre[] }>('GetTimbreList', params);
  }

  getDigitalHumanList(params: { Offset?: number; Limit?: number } = {}) {
    return this.call<{ Total: number; DigitalHumans: ZegoDigitalHuman[] }>('GetDigitalHumanList', params);
  }

  getDigitalHumanInfo(DigitalHumanId: string) {
    return this.call<ZegoDigitalHuman>('GetDigitalHumanInfo', { DigitalHumanId });
  }

  getDigitalHumanRenderInfo(DigitalHumanId: string) {
    return this.call<ZegoRenderInfo>('GetDigitalHumanRenderInfo', { DigitalHumanId });
  }

  /** Legacy PaaS: every model (anchor) the app sees. */
  describeMetaHumanModel() {
    return this.call<{ MetaHumanModels: ZegoMetaHumanModel[] }>('DescribeMetaHumanModel', {});
  }

  /** Legacy PaaS: a model's looks. */
  describeMetaHumanModelDetail(MetaHumanModelId: string) {
    return this.call<{ MetaHumans: ZegoMetaHuman[] }>('DescribeMetaHumanModelDetail', { MetaHumanModelId });
  }

  /** Legacy PaaS: the timbres of a look (none: every public timbre). */
  describeTimbreByMetaHuman(MetaHumanId?: string) {
    return this.call<{ Timbres: { TimbreId: string; TimbreName: string; AvatarUrl: string }[] }>(
      'DescribeTimbreByMetaHuman',
      MetaHumanId ? { MetaHumanId } : {},
    );
  }

  /** Legacy PaaS: a look's frame-fill package URL ("" when none). */
  describeMetaHuman(MetaHumanId: string) {
    return this.call<{ FrameFillUrl: string }>('DescribeMetaHuman', { MetaHumanId });
  }

  /** Every timbre (of a digital human, when given), page by page (Limit 20, ZEGO's maximum). */
  async *timbres(params: { DigitalHumanId?: string } = {}): AsyncGenerator<ZegoTimbre> {
    for (let offset = 0; ;) {
      const page = await this.getTimbreList({ ...params, Offset: offset, Limit: 20 });
      yield* page.Timbres;
      offset += page.Timbres.length;
      if (page.Timbres.length === 0 || offset >= page.Total) return;
    }
  }

  async *digitalHumans(): AsyncGenerator<ZegoDigitalHuman> {
    for (let offset = 0; ;) {
      const page = await this.getDigitalHumanList({ Offset: offset, Limit: 20 });
      yield* page.DigitalHumans;
      offset += page.DigitalHumans.length;
      if (page.DigitalHumans.length === 0 || offset >= page.Total) return;
    }
  }
}
