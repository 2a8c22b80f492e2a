/**
 * The finishing of /v1/openapi.json (linted clean by Redocly's recommended ruleset, test/native/openapi.test.ts):
 * an operationId for every operation, a description for every response, errors as application/problem+json
 * (what they are served as), the answers every /v1 route can give (401 without a valid token, 429 over the
 * app's limit, 503 while the store is out of reach, 304 for a GET whose ETag the client holds), and the
 * request body of the upload routes, which read their body as a stream and so declare none to Fastify.
 */

type Json = Record<string, any>;

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const camel = (s: string) => s.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * A stable operationId from the method and the path: GET /v1/timbres → getTimbres, PUT
 * /v1/digital-humans/{id}/timbres/{timbreId} → putDigitalHumansByIdTimbresByTimbreId.
 */
export function operationIdOf(method: string, url: string): string {
  const parts = url
    .replace(/^\/v1\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => (p.startsWith(':') ? `By${cap(camel(p.slice(1)))}` : p.startsWith('{') ? `By${cap(camel(p.slice(1, -1)))}` : cap(camel(p))));
  return `${method.toLowerCase()}${parts.join('')}`;
}

/** @fastify/swagger's per-route transform: the operationId. */
export function transformRoute({ schema, url, route }: { schema: Json; url: string; route: { method: string | string[] } }) {
  const method = Array.isArray(route.method) ? route.method[0] : route.method;
  return { schema: schema ? { ...schema, operationId: schema.operationId ?? operationIdOf(method, url) } : schema, url };
}

const DESCRIPTIONS: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content: done',
  304: 'Not Modified: the If-None-Match ETag is current',
  400: 'Bad Request: a parameter or the body is invalid (problem+json, `param` names it)',
  401: 'Unauthorized: no valid Bearer token',
  403: 'Forbidden: visible, but not the caller\u2019s to change (or the operator\u2019s only)',
  404: 'Not Found: no such resource, or another app\u2019s',
  409: 'Conflict: an id, key or code that is taken, or an anchor that still has looks',
  412: 'Precondition Failed: If-Match names another version',
  413: 'Content Too Large: the body is over the limit',
  415: 'Unsupported Media Type: the file is not of an accepted kind (checked by its bytes)',
  429: 'Too Many Requests: over the app\u2019s per-second limit (Retry-After, RateLimit-Policy and RateLimit headers), or too many failed sign-ins',
  503: 'Service Unavailable: the store is busy or out of reach; try again after Retry-After',
};

const PROBLEM = { $ref: '#/components/schemas/Problem' };
const problemResponse = (status: string) => ({ description: DESCRIPTIONS[status] ?? 'Error', content: { 'application/problem+json': { schema: PROBLEM } } });

/** The body of an upload route: the file itself, or multipart/form-data with one file part. */
const UPLOAD_BODY = {
  required: true,
  description: 'The file: the raw bytes (any Content-Type; the kind is checked by the bytes), or multipart/form-data with one file part.',
  content: {
    'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
    'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } },
  },
};

/** What an upload route answers: the asset the file was attached to, by the path's resource. */
function uploadAnswer(path: string): Json {
  const ref = path.startsWith('/v1/timbres/') ? 'Timbre' : path.startsWith('/v1/anchors/') ? 'Anchor' : 'DigitalHuman';
  return {
    description: `OK: the ${ref === 'DigitalHuman' ? 'digital human' : ref.toLowerCase()} with the file attached (its ETag in the header)`,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
  };
}

const UPLOAD_PATH =
  /^\/v1\/(timbres\/\{id\}\/(sample|image|language-samples\/\{language\})|digital-humans\/\{id\}\/([a-z-]+-image|[a-z-]+-package|actions\/\{code\}\/preview-video)|anchors\/\{id\}\/header-image|files)$/;

/** @fastify/swagger's transformObject: the document-wide finishing described above. */
export function transformDocument({ openapiObject }: { openapiObject: Json }): Json {
  for (const [path, item] of Object.entries<Json>(openapiObject.paths ?? {})) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      const upload = UPLOAD_PATH.test(path) && (method === 'put' || method === 'post');
      if (path === '/v1/import' && method === 'post') {
        op.requestBody = {
          required: true,
          description: 'NDJSON records, one a line (docs/catalog-format.md)',
          content: { 'application/x-ndjson': { schema: { type: 'string' } } },
        };
      }
      if (upload) {
        op.requestBody = UPLOAD_BODY;
        if (method === 'put') op.responses['200'] = uploadAnswer(path);
      }
      for (const [status, res] of Object.entries<Json>(op.responses)) {
        if (Number(status) >= 400) {
          op.responses[status] = problemResponse(status);
          continue;
        }
        if (!res.description || res.description === 'Default Response') res.description = DESCRIPTIONS[status] ?? 'OK';
      }
      for (const status of ['401', '429', '503']) op.responses[status] ??= problemResponse(status);
      if (method === 'get' && op.responses['200']) op.responses['304'] ??= { description: DESCRIPTIONS[304] };
    }
  }
  return openapiObject;
}
