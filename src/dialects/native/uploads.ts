/**
 * Uploads: a timbre's sample and picture, a digital human's pictures and action preview videos, or a
 * loose file (POST /v1/files) to reference as stored:<sha256>. The body is the file itself (any
 * Content-Type) or multipart/form-data with one file part. The type is checked by the bytes, the size by
 * TIMBREL_MAX_UPLOAD_BYTES; a refused or failed upload leaves nothing behind.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { TimbrelError } from '../../core/errors.js';
import type { Principal } from '../../core/access.js';
import type { DigitalHuman, Timbre } from '../../core/types.js';
import { ACCEPTED, sniff, type FileKind } from '../../files/sniff.js';
import { STORED_PREFIX } from '../../files/urls.js';
import { fileIdOf } from '../../files/store.js';
import type { Services } from '../../services.js';
import type { Db } from '../../store/repository.js';
import { assertWritable, ownerNames, visibleDigitalHuman, visibleTimbre } from './common.js';
import { presentDigitalHuman, presentTimbre } from './present.js';
import { problems } from './schemas.js';
import { Type } from 'typebox';

const KIND_NAMES: Record<FileKind, string> = { image: 'PNG, JPEG or WebP', audio: 'WAV, MP3, OGG/Opus or FLAC', video: 'MP4 or WebM' };

const StoredFileOut = Type.Object({
  ref: Type.String({ description: 'stored:<sha256>: use it in image, sample, headerImage … fields' }),
  contentType: Type.String(),
  size: Type.Integer(),
  url: Type.String({ description: 'a signed URL of the file (expires)' }),
});

export const uploadRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  const { repo } = services;
  const limit = services.config.maxUploadBytes;
  scope.removeAllContentTypeParsers();
  await scope.register(multipart, { limits: { fileSize: limit, files: 1, fields: 0, parts: 2 } });
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, (_req, body, done) => done(null, body));

  async function bytesOf(req: FastifyRequest): Promise<Buffer> {
    if (req.isMultipart()) {
      const part = await req.file();
      if (!part) throw new TimbrelError('invalid_parameter', 'the multipart body has no file part', 'file');
      const bytes = await part.toBuffer();
      if (part.file.truncated) throw new TimbrelError('body_too_large', `the file is over the limit of ${limit} bytes`);
      return bytes;
    }
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new TimbrelError('invalid_parameter', 'the body must be the file', 'body');
    return req.body;
  }

  /**
   * Stores an upload of one of `kinds` and records it with `attach` in one transaction. A file that was
   * not already stored is removed again if anything after storing it fails.
   */
  async function store(req: FastifyRequest, kinds: FileKind[], attach?: (db: Db, ref: string) => Promise<void>) {
    const bytes = await bytesOf(req);
    const contentType = await sniff(bytes, kinds);
    if (!contentType) {
      throw new TimbrelError('unsupported_file_type', `the file is not a ${kinds.map((k) => KIND_NAMES[k]).join(', or ')} file (checked by its bytes)`);
    }
    // A file no row records yet is this upload's to remove if the rest fails.
    const fresh = !(await repo.fileById(fileIdOf(bytes)));
    const id = await services.files.put(bytes, contentType);
    const ref = `${STORED_PREFIX}${id}`;
    try {
      await repo.transaction(async (trx) => {
        await repo.insertFile({ id, contentType, size: bytes.length, createdAt: services.now() }, trx);
        await attach?.(trx, ref);
      });
    } catch (err) {
      if (fresh) await services.files.remove(id);
      throw err;
    }
    return { ref, contentType, size: bytes.length, url: services.urls.resolve(ref) };
  }

  const writableTimbre = async (p: Principal, rawId: string): Promise<Timbre> => {
    const t = await visibleTimbre(services, p, rawId);
    assertWritable(p, t.owner, 'timbre');
    return t;
  };
  const writableDigitalHuman = async (p: Principal, rawId: string): Promise<DigitalHuman> => {
    const d = await visibleDigitalHuman(services, p, rawId);
    assertWritable(p, d.owner, 'digital human');
    return d;
  };

  const uploadSchema = (summary: string, tags: string[], ...params: string[]) => ({
    tags,
    summary: `${summary}. Body: the file (any Content-Type), or multipart/form-data with one file part.`,
    ...(params.length ? { params: Type.Object(Object.fromEntries(params.map((k) => [k, Type.String({ maxLength: 128 })]))) } : {}),
    response: problems(400, 401, 403, 404, 413, 415),
  });

  scope.post('/v1/files', { bodyLimit: limit, schema: { ...uploadSchema('Store a file to reference as stored:<sha256>', ['files']), response: { 201: StoredFileOut, ...problems(400, 401, 413, 415) } } }, async (req, reply) => {
    const stored = await store(req, Object.keys(ACCEPTED) as FileKind[]);
    reply.code(201);
    return stored;
  });

  for (const [field, kind] of [['sample', 'audio'], ['image', 'image']] as const) {
    scope.put(`/v1/timbres/:id/${field}`, { bodyLimit: limit, schema: uploadSchema(`Upload a timbre's ${field}`, ['timbres'], 'id') }, async (req) => {
      const t = await writableTimbre(req.principal!, (req.params as { id: string }).id);
      let updated: Timbre = t;
      await store(req, [kind], async (db, ref) => {
        updated = { ...t, [field]: ref, updatedAt: services.now() };
        await repo.upsertTimbres(db, [updated]);
      });
      return presentTimbre(services, updated, await ownerNames(services, [t.owner]));
    });
  }

  for (const [path, field] of [['header-image', 'headerImage'], ['pose-image', 'poseImage'], ['clothes-image', 'clothesImage']] as const) {
    scope.put(`/v1/digital-humans/:id/${path}`, { bodyLimit: limit, schema: uploadSchema(`Upload a digital human's ${path.replace('-', ' ')}`, ['digital humans'], 'id') }, async (req) => {
      const d = await writableDigitalHuman(req.principal!, (req.params as { id: string }).id);
      let updated: DigitalHuman = d;
      await store(req, ['image'], async (db, ref) => {
        updated = { ...d, [field]: ref, updatedAt: services.now() };
        await repo.upsertDigitalHumans(db, [updated]);
      });
      return presentDigitalHuman(services, updated, await ownerNames(services, [d.owner]));
    });
  }

  scope.put('/v1/digital-humans/:id/actions/:code/preview-video', { bodyLimit: limit, schema: uploadSchema("Upload an action's preview video", ['digital humans'], 'id', 'code') }, async (req) => {
    const params = req.params as { id: string; code: string };
    const d = await writableDigitalHuman(req.principal!, params.id);
    if (!d.actions.some((a) => a.code === params.code)) throw new TimbrelError('not_found', `the digital human has no action ${JSON.stringify(params.code)}`);
    let updated: DigitalHuman = d;
    await store(req, ['video'], async (db, ref) => {
      updated = { ...d, actions: d.actions.map((a) => (a.code === params.code ? { ...a, previewVideo: ref } : a)), updatedAt: services.now() };
      await repo.upsertDigitalHumans(db, [updated]);
    });
    return presentDigitalHuman(services, updated, await ownerNames(services, [d.owner]));
  });
};
