import type { FastifyRequest } from 'fastify';
import type { RequestTag } from '../request-log.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the request log line and the metrics say about a request served by Fastify (the native API). */
    timbrel?: RequestTag;
  }
}

export function tag(req: FastifyRequest, dialect: string): RequestTag {
  req.timbrel = { dialect };
  return req.timbrel;
}
