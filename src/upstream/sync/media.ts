/**
 * A vendor's media URLs copied into the file store during a sync, through the outbound guard
 * (src/outbound): the address rules, a size cap and a time cap per file, the body streamed to the spool
 * and checked by its bytes like an upload (never held whole), and a few files at a time. Content-addressed,
 * so an unchanged picture is stored once. A failed copy keeps the row's previous file and is reported.
 */
import { sniff } from '../../files/sniff.js';
import { spool } from '../../files/spool.js';
import { STORED_PREFIX } from '../../files/urls.js';
import { OutboundRefused, originOf } from '../../outbound/index.js';
import type { Services } from '../../services.js';

/** Files fetched at once by one sync. */
export const MEDIA_CONCURRENCY = 4;

/** A URL's identity for digests and the per-run cache: without its query (ZEGO re-signs AvatarUrl each answer). */
export const urlIdentity = (u: unknown) => (typeof u === 'string' ? u.split('?')[0] : u);

export interface Copied {
  ref: string | null;
  ok: boolean;
  /** Why the copy failed, in timbrel's words. */
  why?: string;
}

export class MediaCopier {
  /** Vendor media URL (without query) → stored ref, within this run. */
  private readonly copied = new Map<string, string>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  files = 0;

  constructor(
    private readonly services: Services,
    /** The upstream's origin: the operator chose it, so its media pass the address rule (not the own-address one). */
    private readonly upstreamUrl: string,
    private readonly signal: AbortSignal,
  ) {}

  /** Copies `url` (unless it is no http(s) URL: then it stands as given); `previous` stays on failure. */
  async copy(url: unknown, previous: unknown): Promise<Copied> {
    if (typeof url !== 'string' || url === '') return { ref: null, ok: true };
    // Only http(s) is fetched; anything else a vendor sends (a path, `stored:…`, `file:`) is not kept.
    if (!/^https?:\/\//i.test(url)) return { ref: null, ok: true };
    const identity = urlIdentity(url) as string;
    const known = this.copied.get(identity);
    if (known) return { ref: known, ok: true };
    await this.slot();
    try {
      const ref = await this.fetch(url);
      this.copied.set(identity, ref);
      this.files++;
      return { ref, ok: true };
    } catch (err) {
      if (this.signal.aborted) throw err;
      const why = err instanceof OutboundRefused ? err.message : 'the file could not be stored';
      return { ref: typeof previous === 'string' ? previous : null, ok: false, why };
    } finally {
      this.release();
    }
  }

  private async fetch(url: string): Promise<string> {
    const { config } = this.services;
    const res = await this.services.outbound.request(url, {
      trustedOrigin: originOf(this.upstreamUrl),
      maxBytes: config.maxUploadBytes,
      timeoutMs: config.upstreamTimeoutMs,
      maxRedirects: 3,
      signal: this.signal,
    });
    if (res.status !== 200) {
      res.body.destroy();
      throw new OutboundRefused(`the media URL answered HTTP ${res.status}`);
    }
    const file = await spool(res.body, this.services.files.spoolDir, config.maxUploadBytes, undefined, 'media file').catch((err: Error) => {
      throw err instanceof OutboundRefused
        ? err
        : new OutboundRefused(err.message.startsWith('the media file is over') ? err.message : 'the media file could not be read whole');
    });
    const contentType = await sniff(file.head, ['image', 'audio', 'video']).catch(() => undefined);
    if (!contentType) {
      await file.remove();
      throw new OutboundRefused('the media file is not a picture, audio or video file (checked by its bytes)');
    }
    const size = file.size;
    const id = file.id;
    await this.services.files.putSpooled(file, contentType);
    // In a transaction: a write outside one would wait for another connection's lock inside SQLite, holding the event loop.
    await this.services.repo.transaction((trx) => this.services.repo.files.insert({ id, contentType, size, createdAt: this.services.now() }, trx));
    return `${STORED_PREFIX}${id}`;
  }

  private slot(): Promise<void> {
    if (this.running < MEDIA_CONCURRENCY) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
