/**
 * Uploads: a timbre's sample and picture, a digital human's pictures and action preview videos, or a
 * loose file (POST /v1/files) to reference as stored:<sha256>. The body is the file itself (any
 * Content-Type) or multipart/form-data with one file part. Bodies stream to the file store's spool while
 * they are hashed and counted (src/files/spool.ts): memory does not grow with the file. The type is checked
 * by the bytes, the size by TIMBREL_MAX_UPLOAD_BYTES, the uploads in progress per app by
 * TIMBREL_MAX_CONCURRENT_UPLOADS; a refused or failed upload leaves nothing behind.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import multipart from '@fastify/multipart';
import { TimbrelError } from '../../core/errors.js';
import { normalizeId } from '../../core/ids.js';
import type { Principal } from '../../core/access.js';
import type { Anchor, DigitalHuman, Timbre } from '../../core/types.js';
import { ACCEPTED, sniff, type FileKind } from '../../files/sniff.js';
import { spool, type Spooled } from '../../files/spool.js';
import { STORED_PREFIX } from '../../files/urls.js';
import type { Services } from '../../services.js';
import type { DB } from '../../store/index.js';
import { assertWritable, checkIfMatch, entityTag, ownerNames, readableOwners } from './common.js';
import { presentAnchor, presentDigitalHuman, presentTimbre } from './present.js';
import { problems } from './schemas.js';
import { Type } from 'typebox';

const KIND_NAMES: Record<FileKind, string> = { image: 'PNG, JPEG or WebP', audio: 'WAV, MP3, OGG/Opus or FLAC', video: 'MP4 or WebM', package: 'package' };

const StoredFileOut = Type.Object({
  ref: Type.String({ description: 'stored:<sha256>: use it in image, sample, headerImage … fields' }),
  contentType: Type.String(),
  size: Type.Integer(),
  url: Type.String({ description: 'a signed URL of the file (expires)' }),
});

/** A multipart body the parser could not read (busboy's and @fastify/multipart's own errors). */
const malformed = (err: unknown) =>
  err instanceof TimbrelError
    ? err
    : new TimbrelError(
        'invalid_parameter',
        'the multipart body is malformed: it must be whole multipart/form-data with a boundary of 1-70 characters and one file part, nothing else',
        'body',
      );

export const uploadRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  const { repo } = services;
  const { maxUploadBytes, maxPackageBytes } = services.config;
  scope.removeAllContentTypeParsers();
  // Each upload's own limit is given where it reads its file part (spooled).
  await scope.register(multipart, { limits: { fileSize: Math.max(maxUploadBytes, maxPackageBytes), files: 1, fields: 0, parts: 2, headerPairs: 100 } });
  // Any other body is the file itself, left unread here: the handler streams it (req.raw).
  scope.addContentTypeParser('*', (_req, _payload, done) => done(null));

  /** Uploads in progress per caller (app id, or the operator), on this instance. */
  const inProgress = new Map<string, number>();

  async function spooled(req: FastifyRequest, limit: number): Promise<Spooled> {
    const dir = services.files.spoolDir;
    if (req.isMultipart()) {
      let part;
      try {
        part = await req.file({ limits: { fileSize: limit, files: 1, fields: 0, parts: 2, headerPairs: 100 } });
      } catch (err) {
        throw malformed(err);
      }
      if (!part) throw new TimbrelError('invalid_parameter', 'the multipart body has no file part', 'file');
      try {
        return await spool(part.file, dir, limit, () => part.file.truncated);
      } catch (err) {
        throw malformed(err);
      }
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) throw new TimbrelError('body_too_large', `the body is over the limit of ${limit} bytes`);
    const file = await spool(req.raw, dir, limit, undefined, 'body');
    if (file.size === 0) {
      await file.remove();
      throw new TimbrelError('invalid_parameter', 'the body must be the file', 'body');
    }
    return file;
  }

  /**
   * Stores an upload of one of `kinds` and records it with `attach` in one transaction. A file that was
   * not already stored is removed again if anything after storing it fails.
   */
  async function store(req: FastifyRequest, kinds: FileKind[], attach?: (trx: Transaction<DB>, ref: string) => Promise<unknown>) {
    // Packages (archives timbrel does not read) have a limit of their own; pictures, audio and video share one.
    const limit = kinds.includes('package') ? maxPackageBytes : maxUploadBytes;
    const who = req.principal!.kind === 'app' ? req.principal!.app.id : '';
    const busy = inProgress.get(who) ?? 0;
    if (busy >= services.config.maxConcurrentUploads) {
      throw new TimbrelError('rate_limited', `at most ${services.config.maxConcurrentUploads} uploads at once; wait for one to finish`);
    }
    inProgress.set(who, busy + 1);
    try {
      const file = await spooled(req, limit);
      let contentType: string | undefined;
      try {
        contentType = await sniff(file.head, kinds);
      } catch (err) {
        await file.remove();
        throw err;
      }
      if (!contentType) {
        await file.remove();
        throw new TimbrelError('unsupported_file_type', `the file is not a ${kinds.map((k) => KIND_NAMES[k]).join(', or ')} file (checked by its bytes)`);
      }
      const { id, size } = file;
      // A file no row records yet is this upload's to remove if the rest fails.
      const fresh = !(await repo.files.byId(id));
      await services.files.putSpooled(file, contentType);
      const ref = `${STORED_PREFIX}${id}`;
      try {
        await repo.transaction(async (trx) => {
          await repo.files.insert({ id, contentType: contentType!, size, createdAt: services.now() }, trx);
          // The app that uploaded the file may name it by its stored: reference (nobody else learns it opens anything).
          if (req.principal!.kind === 'app') await repo.files.grant(trx, id, req.principal!.app.id);
          await attach?.(trx, ref);
        });
      } catch (err) {
        if (fresh && !(await repo.files.byId(id).catch(() => true))) await services.files.remove(id);
        throw err;
      }
      return { ref, contentType, size, url: services.urls.resolve(ref) };
    } finally {
      const left = (inProgress.get(who) ?? 1) - 1;
      if (left > 0) inProgress.set(who, left);
      else inProgress.delete(who);
    }
  }

  /**
   * The asset an upload attaches to, read and written under its row lock in the upload's transaction
   * (TimbreStore.changeIn): a PATCH acknowledged while the file was arriving is kept, not written back.
   */
  const attachTo = <T extends Timbre | DigitalHuman | Anchor>(
    req: FastifyRequest,
    what: 'timbre' | 'digital human' | 'anchor',
    change: (trx: Transaction<DB>, id: string, owners: string[] | undefined, fn: (current: T) => T) => Promise<T | undefined>,
    apply: (current: T, ref: string) => T,
  ) => {
    const p: Principal = req.principal!;
    const id = normalizeId((req.params as { id: string }).id);
    const notFound = () =>
      new TimbrelError(what === 'timbre' ? 'timbre_not_found' : what === 'anchor' ? 'anchor_not_found' : 'digital_human_not_found', `no such ${what}`);
    let updated: T | undefined;
    return {
      /** Refuses early (before the bytes are read) what the transaction would refuse anyway. */
      async precheck(find: (id: string, owners?: string[]) => Promise<T | undefined>) {
        const seen = id && (await find(id, readableOwners(p)));
        if (!seen) throw notFound();
        assertWritable(p, seen.owner, what);
        checkIfMatch(services, req.headers['if-match'], seen);
      },
      attach: async (trx: Transaction<DB>, ref: string) => {
        updated = await change(trx, id!, readableOwners(p), (current) => {
          assertWritable(p, current.owner, what);
          checkIfMatch(services, req.headers['if-match'], current);
          return { ...apply(current, ref), updatedAt: services.now() };
        });
        if (!updated) throw notFound();
      },
      updated: () => updated!,
    };
  };

  const uploadSchema = (summary: string, tags: string[], ...params: string[]) => ({
    tags,
    summary: `${summary}. Body: the file (any Content-Type), or multipart/form-data with one file part.`,
    ...(params.length ? { params: Type.Object(Object.fromEntries(params.map((k) => [k, Type.String({ maxLength: 128 })]))) } : {}),
    response: problems(400, 401, 403, 404, 412, 413, 415, 429),
  });

  const answerTimbre = async (reply: FastifyReply, t: Timbre) => {
    reply.header('etag', entityTag(services, t));
    return presentTimbre(services, t, await ownerNames(services, [t.owner]));
  };
  const answerDigitalHuman = async (reply: FastifyReply, d: DigitalHuman) => {
    reply.header('etag', entityTag(services, d));
    return presentDigitalHuman(services, d, await ownerNames(services, [d.owner]), (await repo.anchors.ofLooks([d]))[0]);
  };

  scope.post(
    '/v1/files',
    {
      schema: {
        ...uploadSchema('Store a file to reference as stored:<sha256>', ['files']),
        response: { 201: StoredFileOut, ...problems(400, 401, 413, 415, 429) },
      },
    },
    async (req, reply) => {
      const stored = await store(req, Object.keys(ACCEPTED) as FileKind[]);
      reply.code(201);
      return stored;
    },
  );

  for (const [field, kind] of [
    ['sample', 'audio'],
    ['image', 'image'],
  ] as const) {
    scope.put(
      `/v1/timbres/:id/${field}`,
      { schema: uploadSchema(`Upload a timbre's ${field} (If-Match: only onto the version read)`, ['timbres'], 'id') },
      async (req, reply) => {
        const target = attachTo<Timbre>(
          req,
          'timbre',
          (trx, id, owners, fn) => repo.timbres.changeIn(trx, id, owners, fn),
          (t, ref) => ({ ...t, [field]: ref }),
        );
        await target.precheck((id, owners) => repo.timbres.byId(id, owners));
        await store(req, [kind], target.attach);
        return answerTimbre(reply, target.updated());
      },
    );
  }

  scope.put(
    '/v1/timbres/:id/language-samples/:language',
    { schema: uploadSchema("Upload a timbre's sample for one of its languages (If-Match: only onto the version read)", ['timbres'], 'id', 'language') },
    async (req, reply) => {
      const { language } = req.params as { language: string };
      const notSpoken = () =>
        new TimbrelError('invalid_parameter', `${JSON.stringify(language.slice(0, 64))} is not one of the timbre's languages`, 'language');
      const target = attachTo<Timbre>(
        req,
        'timbre',
        (trx, id, owners, fn) => repo.timbres.changeIn(trx, id, owners, fn),
        (t, ref) => {
          if (!t.languages.includes(language)) throw notSpoken();
          return { ...t, languageSamples: { ...t.languageSamples, [language]: ref } };
        },
      );
      await target.precheck(async (id, owners) => {
        const t = await repo.timbres.byId(id, owners);
        if (t && !t.languages.includes(language)) throw notSpoken();
        return t;
      });
      await store(req, ['audio'], target.attach);
      return answerTimbre(reply, target.updated());
    },
  );

  const DIGITAL_HUMAN_FILES = [
    ['header-image', 'headerImage', 'image'],
    ['pose-image', 'poseImage', 'image'],
    ['clothes-image', 'clothesImage', 'image'],
    ['cover-image', 'coverImage', 'image'],
    ['render-package', 'renderPackage', 'package'],
    ['frame-fill-package', 'frameFillPackage', 'package'],
  ] as const;
  for (const [path, field, kind] of DIGITAL_HUMAN_FILES) {
    const what = path.replace(/-/g, ' ');
    const summary =
      kind === 'package'
        ? `Upload a digital human's ${what} (any archive, up to TIMBREL_MAX_PACKAGE_BYTES; If-Match: only onto the version read)`
        : `Upload a digital human's ${what} (If-Match: only onto the version read)`;
    scope.put(`/v1/digital-humans/:id/${path}`, { schema: uploadSchema(summary, ['digital humans'], 'id') }, async (req, reply) => {
      const target = attachTo<DigitalHuman>(
        req,
        'digital human',
        (trx, id, owners, fn) => repo.digitalHumans.changeIn(trx, id, owners, fn),
        (d, ref) => ({ ...d, [field]: ref }),
      );
      await target.precheck((id, owners) => repo.digitalHumans.byId(id, owners));
      await store(req, [kind], target.attach);
      return answerDigitalHuman(reply, target.updated());
    });
  }

  scope.put(
    '/v1/anchors/:id/header-image',
    { schema: uploadSchema("Upload an anchor's header image (If-Match: only onto the version read)", ['anchors'], 'id') },
    async (req, reply) => {
      const target = attachTo<Anchor>(
        req,
        'anchor',
        (trx, id, owners, fn) => repo.anchors.changeIn(trx, id, owners, fn),
        (a, ref) => ({ ...a, headerImage: ref }),
      );
      await target.precheck((id, owners) => repo.anchors.byId(id, owners));
      await store(req, ['image'], target.attach);
      const a = target.updated();
      reply.header('etag', entityTag(services, a));
      return presentAnchor(services, a, await ownerNames(services, [a.owner]));
    },
  );

  scope.put(
    '/v1/digital-humans/:id/actions/:code/preview-video',
    { schema: uploadSchema("Upload an action's preview video (If-Match: only onto the version read)", ['digital humans'], 'id', 'code') },
    async (req, reply) => {
      const { code } = req.params as { code: string };
      const noAction = () => new TimbrelError('not_found', `the digital human has no action ${JSON.stringify(code)}`);
      const target = attachTo<DigitalHuman>(
        req,
        'digital human',
        (trx, id, owners, fn) => repo.digitalHumans.changeIn(trx, id, owners, fn),
        (d, ref) => {
          if (!d.actions.some((a) => a.code === code)) throw noAction();
          return { ...d, actions: d.actions.map((a) => (a.code === code ? { ...a, previewVideo: ref } : a)) };
        },
      );
      await target.precheck(async (id, owners) => {
        const d = await repo.digitalHumans.byId(id, owners);
        if (d && !d.actions.some((a) => a.code === code)) throw noAction();
        return d;
      });
      await store(req, ['video'], target.attach);
      return answerDigitalHuman(reply, target.updated());
    },
  );
};
