/**
 * Webhook delivery (docs/events.md, "Webhooks"): every server instance runs one dispatcher that
 *
 * 1. fans the event log out to each enabled endpoint: the events after its cursor that its owner may see
 *    (an app: the public catalog's and its own; the operator: all) and its types take become delivery rows,
 *    in the transaction that moves the cursor (store/webhooks.ts fanOut: another instance that moved it
 *    first wins, so an event is never fanned out twice);
 * 2. claims due deliveries with a lease (one instance at a time per delivery; a dead instance's leases
 *    expire and another takes them) and sends them: one at a time per endpoint in this process, up to
 *    MAX_IN_FLIGHT in all, so a slow endpoint holds up only its own;
 * 3. records each attempt (status, duration, the answer's first 1 KB) and schedules the next one on the
 *    retry schedule (Svix's by default), with the same `webhook-id`; an endpoint failing for
 *    TIMBREL_WEBHOOK_DISABLE_AFTER_SECONDS without a success is disabled (a `webhook.disabled` event).
 *
 * Each delivery is a POST of the event's JSON with the Standard Webhooks headers (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` under
 * the secret; during a rotation, a signature under each secret), through the outbound guard (https only
 * unless allowed, the resolved address checked at connect time, no redirects, the answer read to 64 KB).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createRequire } from 'node:module';
import { newEventId, type StoredEvent } from '../core/events.js';
import { newId } from '../core/ids.js';
import { OutboundRefused } from '../outbound/index.js';
import type { Delivery, Webhook } from '../store/index.js';
import type { Services } from '../services.js';
import { eventViews } from '../dialects/native/events.js';

/** timbrel's version, for the deliveries' user-agent. */
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** Deliveries in flight in this process, in all. */
const MAX_IN_FLIGHT = 64;
/** How often due deliveries are looked for (retries come due by time, not by a change). */
const TICK_MS = 250;
/** What of an endpoint's answer is read, and what of it is kept. */
const ANSWER_MAX_BYTES = 64 * 1024;
const ANSWER_KEPT = 1024;
/** Events fanned out per endpoint per step. */
const FAN_OUT_BATCH = 500;

/** A new signing secret: `whsec_` and 24 random bytes in base64 (Standard Webhooks). */
export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under a `whsec_` secret. */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The delivery's headers: one signature per secret still valid (two during a rotation). */
export function webhookHeaders(w: Pick<Webhook, 'secret' | 'previousSecret' | 'previousUntil'>, id: string, body: string, now: number, version: string) {
  const timestamp = Math.floor(now / 1000);
  const secrets = [w.secret, ...(w.previousSecret && (w.previousUntil ?? 0) > now ? [w.previousSecret] : [])];
  return {
    'content-type': 'application/json',
    'user-agent': `timbrel/${version}`,
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => webhookSignature(s, id, timestamp, body)).join(' '),
  };
}

/** A ping: what `POST /v1/webhooks/{id}/test` sends (an event of its own, not in the log: seq 0). */
export function pingPayload(w: Webhook, owner: string, now: number) {
  const id = newEventId(now);
  const body = { id, seq: 0, type: 'ping', createdAt: new Date(now).toISOString(), object: { kind: 'webhook', id: w.id, owner }, changed: [], source: 'api' };
  return { id, body: JSON.stringify(body) };
}

/** How long a rotated-out secret still signs deliveries (both signatures are sent meanwhile). */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

const deliveryId = () => `dlv_${newId().replace(/-/g, '')}`;

/**
 * Adds an endpoint for an app (`appId`) or the operator (''): its URL checked by the outbound guard (the
 * address again at every connection), its types checked by the caller; it gets the events from now on.
 * Throws OutboundRefused for a URL the guard would never request.
 */
export async function addWebhook(services: Services, appId: string, input: { url: string; description?: string; types?: string[] }): Promise<Webhook> {
  const now = services.now();
  const w: Webhook = {
    id: `wh_${newId().replace(/-/g, '')}`,
    appId,
    url: services.outbound.checkUrl(input.url).href,
    description: input.description ?? '',
    types: input.types ?? [],
    secret: newWebhookSecret(),
    previousSecret: null,
    previousUntil: null,
    status: 'enabled',
    disabledReason: null,
    failingSince: null,
    cursor: await services.repo.events.head(),
    createdAt: now,
    updatedAt: now,
  };
  await services.repo.webhooks.insert(w);
  return w;
}

/** A new secret for an endpoint; the old one signs beside it for ROTATION_GRACE_MS. */
export async function rotateWebhookSecret(services: Services, id: string): Promise<{ secret: string; previousUntil: number } | undefined> {
  const now = services.now();
  const secret = newWebhookSecret();
  const done = await services.repo.webhooks.change(id, (cur) => ({
    ...cur,
    secret,
    previousSecret: cur.secret,
    previousUntil: now + ROTATION_GRACE_MS,
    updatedAt: now,
  }));
  return done && { secret, previousUntil: now + ROTATION_GRACE_MS };
}

/** A new delivery of what `delivery` sent (the same event, the same webhook-id), due now; its id. */
export async function redeliver(services: Services, d: Delivery): Promise<string> {
  const id = deliveryId();
  await services.repo.webhooks.addDelivery(
    { id, webhookId: d.webhookId, eventId: d.eventId, eventSeq: d.eventSeq, eventType: d.eventType, payload: d.payload, redeliveryOf: d.id },
    services.now(),
  );
  return id;
}

/** A ping to an endpoint, due now; the delivery's id. */
export async function pingWebhook(services: Services, w: Webhook, owner: string): Promise<string> {
  const now = services.now();
  const ping = pingPayload(w, owner, now);
  const id = deliveryId();
  // Its own id as what it redoes: every ping is a delivery of its own (seq 0 is every ping's).
  await services.repo.webhooks.addDelivery(
    { id, webhookId: w.id, eventId: ping.id, eventSeq: 0, eventType: 'ping', payload: ping.body, redeliveryOf: id },
    now,
  );
  return id;
}

export class WebhookDispatcher {
  private readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  /** Endpoints with a delivery in flight here. */
  private readonly busy = new Set<string>();
  private inFlight = 0;
  /** Endpoints there were at the last fan-out. */
  private endpoints = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private token = '';
  private readonly sends = new Set<Promise<void>>();

  constructor(
    private readonly services: Services,
    private readonly log: { warn(obj: object, msg: string): void },
    private readonly version = VERSION,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.step(), TICK_MS);
    this.timer.unref();
    void this.step();
  }

  /** Stops claiming; waits for the deliveries in flight (their answers are recorded). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    await Promise.allSettled([...this.sends]);
  }

  /** One round: fan out when the catalog may have changed, then claim what is due. Never two at once. */
  step(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    // Cleared by a reaction to the round's promise, never inside it: a round that does nothing finishes
    // before `running` is assigned, and clearing it there left every later round a no-op (the dispatcher
    // stopped for good a tick after it last saw no endpoint).
    if (!this.running) {
      const round = this.round();
      this.running = round;
      void round.finally(() => {
        if (this.running === round) this.running = undefined;
      });
    }
    return this.running;
  }

  private async round(): Promise<void> {
    try {
      const token = this.services.repo.engine.changeToken();
      if (token !== this.token) {
        this.token = token;
        await this.fanOut();
      }
      // Without an endpoint (every change would have shown one) there is nothing to claim: no query a tick.
      if (this.endpoints > 0 || this.inFlight > 0) {
        await this.claim();
        await this.gaugeBacklog();
      } else this.services.metrics.webhookBacklog.reset();
    } catch (err) {
      this.log.warn({ err: { message: (err as Error).message } }, 'webhook dispatch failed; it tries again');
      this.token = '';
    }
  }

  /** Turns new events into deliveries for every enabled endpoint. */
  async fanOut(): Promise<void> {
    const repo = this.services.repo;
    const all = await repo.webhooks.list();
    this.endpoints = all.length;
    for (const w of all) {
      if (w.status !== 'enabled') continue;
      let cursor = w.cursor;
      for (;;) {
        const page = await repo.events.read({
          after: cursor,
          limit: FAN_OUT_BATCH,
          viewer: w.appId === '' ? undefined : w.appId,
          types: w.types.length ? w.types : undefined,
        });
        if (page.next === cursor) break;
        const views = await eventViews(this.services, page.events);
        const deliveries = page.events.map((e: StoredEvent, i) => ({
          id: deliveryId(),
          webhookId: w.id,
          eventId: e.id,
          eventSeq: e.seq,
          eventType: e.type,
          payload: JSON.stringify(views[i]),
        }));
        if (!(await repo.webhooks.fanOut(w.id, cursor, page.next, deliveries, this.services.now()))) break;
        cursor = page.next;
        if (!page.hasMore) break;
      }
    }
  }

  /** Claims due deliveries for the endpoints not busy here, and sends them without waiting. */
  private async claim(): Promise<void> {
    const free = MAX_IN_FLIGHT - this.inFlight;
    if (free <= 0 || this.stopped) return;
    // Longer than an attempt can take (the timeout), so a live holder never loses it; a dead one's expires soon after.
    const leaseMs = (this.services.config.webhookTimeoutSeconds + 5) * 1000;
    const claimed = await this.services.repo.webhooks.claim(this.holder, this.services.now(), leaseMs, free, [...this.busy]);
    // One per endpoint at a time here: the rest of an endpoint's claimed rows wait for their lease to pass
    // back (they are released below), so they go out in seq order once the first is answered.
    const first = new Map<string, Delivery>();
    const extra: Delivery[] = [];
    for (const d of claimed) {
      if (first.has(d.webhookId)) extra.push(d);
      else first.set(d.webhookId, d);
    }
    if (extra.length)
      await this.services.repo.webhooks.release(
        extra.map((d) => d.id),
        this.holder,
      );
    for (const d of first.values()) {
      this.busy.add(d.webhookId);
      this.inFlight++;
      const send = this.deliver(d).finally(() => {
        this.busy.delete(d.webhookId);
        this.inFlight--;
        this.sends.delete(send);
        // The endpoint may have more waiting: look again at once.
        void this.step();
      });
      this.sends.add(send);
    }
  }

  /** Sends one delivery and records how it went. */
  private async deliver(d: Delivery): Promise<void> {
    const { services } = this;
    const w = await services.repo.webhooks.byId(d.webhookId);
    if (!w || w.status !== 'enabled') return void (await services.repo.webhooks.release([d.id], this.holder));
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    let response: string | null = null;
    try {
      const answer = await services.outbound.request(w.url, {
        method: 'POST',
        headers: webhookHeaders(w, d.eventId, d.payload, services.now(), this.version),
        body: d.payload,
        maxBytes: ANSWER_MAX_BYTES,
        timeoutMs: services.config.webhookTimeoutSeconds * 1000,
        maxRedirects: 0,
      });
      status = answer.status;
      const chunks: Buffer[] = [];
      let kept = 0;
      for await (const chunk of answer.body as AsyncIterable<Buffer>) {
        if (kept < ANSWER_KEPT) chunks.push(chunk);
        kept += chunk.length;
      }
      response = Buffer.concat(chunks).subarray(0, ANSWER_KEPT).toString('utf8');
      if (status < 200 || status > 299) error = `the endpoint answered HTTP ${status}`;
    } catch (err) {
      error =
        err instanceof OutboundRefused
          ? err.message
          : /timeout|timed out|aborted/i.test((err as Error).message)
            ? 'the endpoint did not answer in time'
            : 'the endpoint could not be reached';
    }
    const durationMs = performance.now() - started;
    services.metrics.webhookLatency.observe(durationMs / 1000);
    const ok = error === null;
    const now = services.now();
    const schedule = services.config.webhookRetrySchedule;
    // Attempts made so far, this one included; after the last of the schedule, no more.
    const attempts = d.attempts + 1;
    const next = ok || attempts > schedule.length ? undefined : now + schedule[attempts - 1] * 1000;
    services.metrics.webhookDeliveries.inc({ outcome: ok ? 'ok' : next === undefined ? 'given_up' : 'failed' });
    await services.repo.webhooks.finish(d.id, this.holder, { ok, status, error, durationMs, response, next }, now);
    await this.noteHealth(w, ok, now);
  }

  /** An endpoint's failing streak: cleared by a success; past the limit, the endpoint is disabled. */
  private async noteHealth(w: Webhook, ok: boolean, now: number): Promise<void> {
    if (ok && w.failingSince === null) return;
    if (!ok && w.failingSince !== null && now - w.failingSince < this.services.config.webhookDisableAfterSeconds * 1000) return;
    const limit = this.services.config.webhookDisableAfterSeconds * 1000;
    await this.services.repo.webhooks.change(
      w.id,
      (cur) => {
        if (ok) return { ...cur, failingSince: null, updatedAt: now };
        if (cur.failingSince === null) return { ...cur, failingSince: now, updatedAt: now };
        if (now - cur.failingSince >= limit && cur.status === 'enabled')
          return { ...cur, status: 'disabled', disabledReason: `failing since ${new Date(cur.failingSince).toISOString()} without a success`, updatedAt: now };
        return cur;
      },
      (before, after) =>
        before.status === 'enabled' && after.status === 'disabled'
          ? { type: 'webhook.disabled', kind: 'webhook', objectId: after.id, owner: '', etag: '', changed: ['status'] }
          : undefined,
    );
  }

  private async gaugeBacklog(): Promise<void> {
    const now = this.services.now();
    const gauge = this.services.metrics.webhookBacklog;
    gauge.reset();
    for (const b of await this.services.repo.webhooks.backlog()) gauge.set({ webhook: b.webhookId }, Math.max(0, (now - b.oldest) / 1000));
  }
}
