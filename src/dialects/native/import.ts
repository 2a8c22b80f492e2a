/**
 * POST /v1/import: NDJSON records streamed in the body (docs/catalog-format.md), the operator's for any
 * owner, an app's as its own; one import at a time on an instance.
 */
import type { FastifyPluginAsync } from 'fastify';
import { TimbrelError } from '../../core/errors.js';
import { normalizeId } from '../../core/ids.js';
import type { Services } from '../../services.js';
import { ASSET_KINDS, assetKind, type AssetKind } from '../../store/index.js';
import { problems } from './schemas.js';
import { Type } from 'typebox';
import { createInterface } from 'node:readline';
import { Transform, type Readable } from 'node:stream';
import { CatalogImporter, ImportError, recordSource } from '../../catalog-io/import.js';

/** `input`, failing with body_too_large once more than `max` bytes have come. */
function limited(input: Readable, max: number, meter: { over: boolean }): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) meter.over = true;
      if (seen > max)
        done(
          new TimbrelError(
            'body_too_large',
            `the body is over the limit of ${max} bytes (TIMBREL_MAX_UPLOAD_BYTES); import larger files with \`timbrel import\``,
          ),
        );
      else done(null, chunk);
    },
  });
  input.on('error', (e) => counter.destroy(e));
  return input.pipe(counter);
}

export const importRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  const { repo } = services;
  const { maxUploadBytes } = services.config;
  scope.removeAllContentTypeParsers();
  // The body is NDJSON, left unread here: the handler streams it (req.raw).
  scope.addContentTypeParser('*', (_req, _payload, done) => done(null));

  /** Whether `id` names a stored record of `kind` that `appId` owns. */
  const ownsId = async (appId: string, kind: unknown, id: unknown): Promise<boolean> => {
    const uuid = typeof id === 'string' ? normalizeId(id) : undefined;
    if (!uuid) return false;
    const known = typeof kind === 'string' && Object.hasOwn(ASSET_KINDS, kind) ? assetKind(kind as AssetKind) : undefined;
    return Boolean(known && (await known.byId(repo, uuid, [appId])));
  };

  /** Catalog imports in progress on this instance: one at a time (each holds the store's writer for its transactions). */
  let importing = false;

  scope.post(
    '/v1/import',
    {
      schema: {
        tags: ['catalog'],
        summary:
          "Import NDJSON records (docs/catalog-format.md) streamed in the body, up to TIMBREL_MAX_UPLOAD_BYTES: the operator's for any owner, an app's as its own. Files are http(s) URLs or stored:<sha256> (local paths: `timbrel import`). Transactions of 1,000 records; a bad record stops the import (400 with `where` and what was committed)",
        response: {
          200: Type.Object({
            anchors: Type.Integer(),
            timbres: Type.Integer(),
            digitalHumans: Type.Integer(),
            bindings: Type.Integer(),
            files: Type.Integer(),
            skipped: Type.Integer(),
            conflicts: Type.Array(Type.String()),
          }),
          ...problems(400, 401, 409, 413, 429),
        },
      },
    },
    async (req) => {
      const principal = req.principal!;
      if (importing) throw new TimbrelError('rate_limited', 'another import is running on this instance: wait for it to end');
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (declared > maxUploadBytes)
        throw new TimbrelError(
          'body_too_large',
          `the body is over the limit of ${maxUploadBytes} bytes (TIMBREL_MAX_UPLOAD_BYTES); import larger files with \`timbrel import\``,
        );
      importing = true;
      try {
        const meter = { over: false };
        const lines = createInterface({ input: limited(req.raw, maxUploadBytes, meter), crlfDelay: Infinity });
        const records = (async function* () {
          let n = 0;
          for await (const line of lines) {
            n++;
            if (!line.trim()) continue;
            let record: unknown;
            try {
              record = JSON.parse(line);
            } catch {
              record = new TimbrelError('invalid_parameter', 'is not valid JSON');
            }
            // An app imports its own records: an owner it names must be itself, and none means itself.
            if (principal.kind === 'app' && record && typeof record === 'object' && !(record instanceof TimbrelError)) {
              const owner = (record as { owner?: unknown }).owner;
              if (owner !== undefined && owner !== null && owner !== principal.app.name)
                record = new TimbrelError('invalid_parameter', `owner: an app imports its own records only (${JSON.stringify(principal.app.name)} or none)`);
              else record = { ...(record as object), owner: principal.app.name };
              // As over the rest of /v1, an app does not choose ids: it may name those of its own stored records
              // (its export carries them), nothing else, and whether an id is free or another's is not told.
              const { kind, id } = record as { kind?: unknown; id?: unknown };
              if (!(record instanceof TimbrelError) && id !== undefined && id !== null && !(await ownsId(principal.app.id, kind, id))) {
                record = new TimbrelError('invalid_parameter', 'id: an app gives only the ids of its own stored records (leave id out for a new one)');
              }
            }
            yield { where: `line ${n}`, record };
          }
        })();
        const importer = new CatalogImporter(services, undefined, 1000, undefined, principal.kind === 'app' ? principal.app.id : undefined);
        try {
          const result = await importer.run(recordSource(records, null));
          // A body cut at the limit ends the lines early: what came before it is committed, and said so.
          if (meter.over)
            throw new TimbrelError(
              'body_too_large',
              `the body is over the limit of ${maxUploadBytes} bytes (TIMBREL_MAX_UPLOAD_BYTES); the records before the limit were imported (${result.timbres} timbres, ${result.digitalHumans} digital humans); import larger files with \`timbrel import\``,
            );
          return {
            anchors: result.anchors,
            timbres: result.timbres,
            digitalHumans: result.digitalHumans,
            bindings: result.bindings,
            files: result.files,
            skipped: result.skipped,
            conflicts: result.conflicts,
          };
        } catch (err) {
          if (meter.over)
            throw new TimbrelError(
              'body_too_large',
              `the body is over the limit of ${maxUploadBytes} bytes (TIMBREL_MAX_UPLOAD_BYTES); import larger files with \`timbrel import\``,
            );
          if (err instanceof ImportError) {
            const c = err.committed;
            throw Object.assign(
              new TimbrelError(
                'invalid_parameter',
                `${err.message} (committed before it: ${c.anchors} anchors, ${c.timbres} timbres, ${c.digitalHumans} digital humans, ${c.bindings} bindings)`,
              ),
              { where: err.where },
            );
          }
          throw err;
        }
      } finally {
        importing = false;
      }
    },
  );
};
