/**
 * The web console at /console/: static files built into dist/console (scripts/build-console.mjs). Nothing
 * is loaded from elsewhere; the page's scripts and styles come from here only (a strict CSP), while
 * pictures, samples and videos may come from wherever the catalog points (presigned S3 URLs, CDNs).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

const ROOT = fileURLToPath(new URL('../dist/console/', import.meta.url));
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src * data: blob:; media-src * blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export async function consoleRoutes(app: FastifyInstance): Promise<void> {
  app.get('/console', (_req, reply) => reply.redirect('/console/'));
  if (!existsSync(ROOT)) {
    app.get('/console/', (_req, reply) => reply.code(503).type('text/plain').send('The console is not built: run `npm run build`.'));
    return;
  }
  await app.register(fastifyStatic, {
    root: ROOT,
    prefix: '/console/',
    setHeaders: (res) => {
      res.setHeader('content-security-policy', CSP);
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
    },
  });
}
