/**
 * The event log read two ways (docs/events.md): `GET /v1/events`, a cursor feed oldest first, and `GET
 * /v1/events/stream`, the same events as Server-Sent Events, resumable with `Last-Event-ID`. The operator
 * sees every event; an app key sees events of the public catalog's timbres, digital humans, anchors and
 * bindings and of its own objects, never another app's.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { TimbrelError } from '../../core/errors.js';
import type { StoredEvent } from '../../core/events.js';
import type { Services } from '../../services.js';
import { iso, ownerNames } from './common.js';
import { problems } from './schemas.js';

const tags = ['events'];
const TYPE = /^[a-z_]+\.(\*|[a-z_]+)$/;
const MAX_TYPES = 32;

export const EventOut = Type.Object(
  {
    id: Type.String({ description: '`evt_` and a ULID: the event’s identity (a webhook delivery’s `webhook-id`)' }),
    seq: Type.Integer({ description: 'its position in the log, strictly increasing in commit order' }),
    type: Type.String({ description: '`<kind>.created|updated|retired|restored|deleted`, `binding.updated`, `sync.completed`, `import.completed`' }),
    createdAt: Type.String(),
    object: Type.Object({
      kind: Type.String({ description: 'timbre, digital_human, anchor, binding, app, api_key, upstream or import' }),
      id: Type.String({ description: 'the object’s id (a binding: its digital human’s; an upstream: its dialect)' }),
      owner: Type.String({ description: '`public`, or the owning app’s name' }),
      etag: Type.Optional(Type.String({ description: 'the object’s version after the change: its ETag up to the dot, for If-Match / If-None-Match' })),
    }),
    changed: Type.Array(Type.String(), { description: 'the fields an update changed' }),
    source: Type.String({ description: '`api`, `console`, `cli`, `import` or `sync:<dialect>`' }),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'a sync’s or an import’s report' })),
  },
  { $id: 'Event' },
);

const Query = Type.Object({
  after: Type.Optional(
    Type.String({
      maxLength: 32,
      description: 'a cursor (`next` of a page, an event’s `seq`), or `now` for the current head; default: the oldest retained event',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  types: Type.Optional(Type.String({ maxLength: 2048, description: 'comma-separated types, `kind.*` for every type of a kind' })),
});

interface Read {
  after?: string;
  limit?: number;
  types?: string;
}

/** The viewer of a request: an app's id, or undefined for the operator (every event). */
const viewerOf = (req: FastifyRequest) => (req.principal?.kind === 'app' ? req.principal.app.id : undefined);

export function typesOf(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  const types = raw.split(',').map((t) => t.trim());
  if (types.length > MAX_TYPES || types.some((t) => !TYPE.test(t)))
    throw new TimbrelError(
      'invalid_parameter_value',
      `types must be up to ${MAX_TYPES} event types (timbre.updated) or kinds (timbre.*), comma-separated`,
      'types',
    );
  return types;
}

/** Where a read starts: after a cursor, at the head (`now`), or at the oldest retained event; 410 when expired. */
async function startOf(services: Services, after: string | undefined): Promise<number> {
  const pruned = await services.repo.events.prunedThrough();
  if (after === undefined || after === '') return pruned;
  if (after === 'now') return services.repo.events.head();
  if (!/^\d{1,15}$/.test(after)) throw new TimbrelError('cursor_invalid', 'after must be a cursor timbrel gave (a number) or now', 'after');
  const at = Number(after);
  if (at < pruned)
    throw new TimbrelError(
      'events_expired',
      'the events after this cursor are past the log’s retention: list what you follow again and start at after=now',
      'after',
    );
  return at;
}

/** Events as the API (and a webhook delivery) shows them: owners by name. */
export async function eventViews(services: Services, events: StoredEvent[]) {
  const names = await ownerNames(
    services,
    events.map((e) => e.owner),
  );
  return events.map((e) => ({
    id: e.id,
    seq: e.seq,
    type: e.type,
    createdAt: iso(e.createdAt)!,
    object: { kind: e.kind, id: e.objectId, owner: names.get(e.owner) ?? 'public', ...(e.etag ? { etag: e.etag } : {}) },
    changed: e.changed,
    source: e.source,
    ...(e.data === undefined ? {} : { data: e.data }),
  }));
}

/**
 * Wakes the streams of one process when the catalog may have changed: the store's change token (moved by
 * this process's writes, another process's on SQLite, another instance's NOTIFY on PostgreSQL) is looked at
 * every TICK_MS by one timer for all streams; every SAFETY_MS they read the log anyway.
 */
const TICK_MS = 100;
const SAFETY_MS = 5000;

class Wakes {
  private readonly waiting = new Map<() => void, string>();
  private timer?: NodeJS.Timeout;
  readonly streams = new Set<FastifyReply>();

  constructor(private readonly services: Services) {}

  /** Resolves once the change token is no longer `seen` (at once if it moved already), or after SAFETY_MS. */
  next(seen: string): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(safety);
        this.waiting.delete(done);
        resolve();
      };
      const safety = setTimeout(done, SAFETY_MS);
      if (this.services.repo.engine.changeToken() !== seen) return done();
      this.waiting.set(done, seen);
      this.start();
    });
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.waiting.size) {
        clearInterval(this.timer);
        this.timer = undefined;
        return;
      }
      const token = this.services.repo.engine.changeToken();
      for (const [w, seen] of [...this.waiting]) if (seen !== token) w();
    }, TICK_MS);
    this.timer.unref();
  }

  /** Ends every stream (the server is closing). */
  closeAll(): void {
    for (const s of this.streams) s.raw.end();
    for (const w of [...this.waiting.keys()]) w();
  }
}

export const eventRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  const wakes = new Wakes(services);
  scope.addHook('preClose', (done) => {
    wakes.closeAll();
    done();
  });

  scope.get(
    '/v1/events',
    {
      schema: {
        tags,
        summary:
          'The event log, oldest first after a cursor: one thin event per change (what changed and how to fetch it). An app sees the public catalog’s events and its own; a cursor past the retention answers 410 events_expired',
        querystring: Query,
        response: {
          200: Type.Object({
            data: Type.Array(Type.Ref('Event')),
            next: Type.String({ description: 'the cursor to read on from (after=next)' }),
            hasMore: Type.Boolean({ description: 'more events are already there: read on at once' }),
          }),
          ...problems(400, 401, 410),
        },
      },
    },
    async (req) => {
      const q = req.query as Read;
      const types = typesOf(q.types);
      const after = await startOf(services, q.after);
      const page = await services.repo.events.read({ after, limit: q.limit ?? 100, viewer: viewerOf(req), types });
      return { data: await eventViews(services, page.events), next: String(page.next), hasMore: page.hasMore };
    },
  );

  scope.get(
    '/v1/events/stream',
    {
      schema: {
        tags,
        summary:
          'The event log as Server-Sent Events (`id:` is the cursor, so an EventSource resumes with Last-Event-ID; `data:` one event as /v1/events shows it), live: an event is sent within a second of its commit, on every instance; a comment every 15 s keeps the connection open',
        querystring: Type.Object({ after: Query.properties.after, types: Query.properties.types }),
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 32, description: 'resumes after this event (wins over after)' })) }),
        response: {
          200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          ...problems(400, 401, 410),
        },
      },
    },
    async (req, reply) => {
      const q = req.query as Read;
      const types = typesOf(q.types);
      const resume = req.headers['last-event-id'];
      let after = await startOf(services, typeof resume === 'string' && resume !== '' ? resume : q.after);
      const viewer = viewerOf(req);
      const res = reply.raw;
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      wakes.streams.add(reply);
      let open = true;
      const closed = () => {
        open = false;
        wakes.streams.delete(reply);
      };
      res.on('close', closed);
      const write = async (text: string) => {
        if (!open) return;
        if (!res.write(text)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
      };
      // A retry hint for EventSource, then what is there already.
      await write('retry: 2000\n\n');
      const heartbeat = setInterval(() => void write(': keep-alive\n\n'), services.config.eventsHeartbeatSeconds * 1000);
      heartbeat.unref();
      try {
        while (open) {
          // The token before the read: a commit during it moves the token, and the wait ends at once.
          const seen = services.repo.engine.changeToken();
          const page = await services.repo.events.read({ after, limit: 500, viewer, types });
          for (const e of await eventViews(services, page.events)) await write(`id: ${e.seq}\ndata: ${JSON.stringify(e)}\n\n`);
          after = page.next;
          if (!page.hasMore && open) await wakes.next(seen);
        }
      } catch (err) {
        req.log.warn({ err }, 'event stream ended');
      } finally {
        clearInterval(heartbeat);
        closed();
        if (!res.writableEnded) res.end();
      }
    },
  );
};
