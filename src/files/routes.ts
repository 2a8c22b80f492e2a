/**
 * GET/HEAD /files/<id>?expires=…&signature=… — the bytes of a stored file, for a URL that timbrel
 * signed and that has not expired. Single byte ranges are honoured (audio and video players ask for them).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../services.js';
import { problem } from '../problem.js';

export const fileRoutes: FastifyPluginAsync<{ services: Services }> = async (scope, { services }) => {
  scope.route({
    method: ['GET', 'HEAD'],
    url: '/files/:id',
    handler: async (req, reply) => {
      const { id } = req.params as { id: string };
      const { expires, signature } = req.query as Record<string, unknown>;
      const verdict = services.signer.verify(id, expires, signature, services.now());
      if (verdict === 'invalid') return problem(reply, 403, 'url_signature_invalid', 'This file URL is not signed by this service or was altered.');
      if (verdict === 'expired') return problem(reply, 403, 'url_expired', 'This file URL has expired; ask the API for a fresh one.');
      const meta = await services.repo.files.byId(id);
      const size = meta && (await services.files.size(id));
      if (!meta || size === undefined) return problem(reply, 404, 'file_not_found', 'No such file.');

      const remaining = Number(expires) - Math.floor(services.now() / 1000);
      reply
        .header('content-type', meta.contentType)
        .header('accept-ranges', 'bytes')
        .header('cache-control', `private, max-age=${Math.max(0, remaining)}`)
        .header('etag', `"${id}"`)
        .header('x-content-type-options', 'nosniff');

      const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
      let start = 0;
      let end = size - 1;
      if (range && (range[1] || range[2])) {
        if (range[1]) {
          start = Number(range[1]);
          end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
        } else {
          start = Math.max(0, size - Number(range[2]));
        }
        if (start > end || start >= size) {
          return reply.code(416).header('content-range', `bytes */${size}`).send();
        }
        reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`);
      }
      reply.header('content-length', end - start + 1);
      if (req.method === 'HEAD' || size === 0) return reply.send();
      return reply.send(await services.files.read(id, { start, end }));
    },
  });
};
