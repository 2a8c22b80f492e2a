/**
 * /v1/openapi.json, as a live server serves it, linted by Redocly's CLI with its recommended ruleset: no
 * error and no warning. And what the lint cannot see: errors are declared as they are served
 * (application/problem+json), every operation may answer 401, 429 and 503, ETag'd reads declare 304, and the
 * upload routes declare the file as their body.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { harness, v1, type Harness } from '../helpers.js';

const run = promisify(execFile);
let h: Harness;
let doc: any;

before(async () => {
  h = await harness();
  doc = (await v1(h, 'GET', '/v1/openapi.json', undefined)).body;
});
after(() => h.close());

test('Redocly CLI (recommended ruleset): 0 errors, 0 warnings', async () => {
  const file = join(h.dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(doc));
  const out = await run(join(process.cwd(), 'node_modules/.bin/redocly'), ['lint', file, '--format=json', '--extends=recommended'], {
    maxBuffer: 32 << 20,
  }).catch((e: { stdout: string; stderr: string }) => e);
  const report = JSON.parse(out.stdout);
  const problems = report.problems.map((p: any) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
  assert.deepEqual(problems, []);
  assert.equal(report.totals.errors, 0);
  assert.equal(report.totals.warnings, 0);
});

test('every operation: a unique operationId, described responses, problem+json errors, 401/429/503', () => {
  const ids = new Set<string>();
  let operations = 0;
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      operations++;
      assert.ok(op.operationId && !ids.has(op.operationId), `${method} ${path}: operationId ${op.operationId}`);
      ids.add(op.operationId);
      for (const status of ['401', '429', '503']) assert.ok(op.responses[status], `${method} ${path} declares ${status}`);
      for (const [status, res] of Object.entries<any>(op.responses)) {
        assert.notEqual(res.description, 'Default Response', `${method} ${path} ${status}`);
        if (Number(status) >= 400) assert.deepEqual(Object.keys(res.content), ['application/problem+json'], `${method} ${path} ${status}`);
      }
      if (method === 'get' && op.responses['200']) assert.ok(op.responses['304'], `${method} ${path} declares 304`);
    }
  }
  assert.ok(operations >= 40, `${operations} operations`);
});

test('the main schemas carry an example, valid against the schema (Redocly checks it above)', () => {
  for (const name of ['Timbre', 'Anchor', 'Problem']) assert.ok(doc.components.schemas[name].examples?.length, `${name} has an example`);
});

test('upload routes declare the file as their body (raw bytes or one multipart part) and answer the asset', () => {
  for (const [path, schema] of [
    ['/v1/timbres/{id}/sample', 'Timbre'],
    ['/v1/digital-humans/{id}/render-package', 'DigitalHuman'],
    ['/v1/anchors/{id}/header-image', 'Anchor'],
  ]) {
    const op = doc.paths[path].put;
    assert.deepEqual(Object.keys(op.requestBody.content).sort(), ['application/octet-stream', 'multipart/form-data'], path);
    assert.equal(op.responses['200'].content['application/json'].schema.$ref, `#/components/schemas/${schema}`, path);
  }
  assert.ok(doc.paths['/v1/files'].post.requestBody);
});

test('the 429 and 503 it declares are what a client gets: problem+json with Retry-After', async () => {
  const app = await h.services.apps.create({ name: 'limited', rateLimit: 1 });
  const key = (await h.services.access.createKey(app)).text;
  let limited;
  for (let i = 0; i < 5 && !limited; i++) {
    const r = await v1(h, 'GET', '/v1/timbres', key);
    if (r.status === 429) limited = r;
  }
  assert.ok(limited, 'a 429 within 5 calls at 1/s');
  assert.match(String(limited.headers['content-type']), /^application\/problem\+json/);
  assert.equal(limited.headers['retry-after'], '1');
});
