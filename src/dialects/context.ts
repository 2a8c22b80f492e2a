import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TimbrelError } from '../core/errors.js';
import { asTimbrelError } from './body.js';

/** What a request log line says about a dialect request (never a secret or a signature). */
export interface RequestTag {
  dialect: string;
  op?: string;
  app?: string;
  code?: number | string;
}

declare module 'fastify' {
  interface FastifyRequest {
    timbrel?: RequestTag;
  }
}

export function tag(req: FastifyRequest, dialect: string): RequestTag {
  req.timbrel = { dialect };
  return req.timbrel;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * A vendor scope reads its body raw, whatever the Content-Type (vendor clients differ), up to the
 * configured limit, and parses it itself so that a bad body gets the dialect's own answer.
 */
export function rawBodies(scope: FastifyInstance, bodyLimit: number): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
}

/** Logs unexpected failures with their stack (server side only) and returns what the client may see. */
export function clientError(req: FastifyRequest, err: unknown): TimbrelError {
  const e = asTimbrelError(err);
  if (e.code === 'internal' || e.code === 'busy') req.log.error({ err }, 'request failed');
  return e;
}

export function sendJson(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type(JSON_TYPE).send(body);
}
