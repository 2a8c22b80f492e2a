/**
 * GET /v1/export: the catalog in the import format, streamed. The operator's is every record, exactly what
 * `timbrel export` writes; an app's holds its own private records only (never the public catalog's or
 * another app's); no token, no export.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { nativeFixture, type Harness } from '../helpers.js';
import { exportCatalog } from '../../src/catalog-io/export.js';

let h: Harness;
let admin: string;
let alphaKey: string;
const get = (token?: string) => h.inject({ method: 'GET', url: '/v1/export', headers: token ? { authorization: `Bearer ${token}` } : {} });

before(async () => {
  ({ h, admin, alphaKey } = await nativeFixture('sqlite'));
});
after(() => h.close());

test("the operator's export is every record, as `timbrel export` writes it", async () => {
  const res = await get(admin);
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/x-ndjson/);
  assert.match(String(res.headers['content-disposition']), /^attachment; filename="timbrel-catalog-\d{8}T\d{6}\.ndjson"$/);
  const expected: string[] = [];
  for await (const r of exportCatalog(h.services)) expected.push(JSON.stringify(r));
  assert.deepEqual(res.body.trim().split('\n'), expected);
  assert.ok(expected.length > 30);
});

test("an app's export holds its own records only", async () => {
  const res = await get(alphaKey);
  assert.equal(res.statusCode, 200);
  const records = res.body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.ok(records.length >= 3, `${records.length} records`);
  assert.ok(
    records.every((r) => r.owner === 'alpha'),
    JSON.stringify(records.map((r) => [r.kind, r.owner])),
  );
  assert.deepEqual([...new Set(records.map((r) => r.kind))].sort(), ['anchor', 'binding', 'digitalHuman', 'timbre']);
});

test('no token, no export', async () => {
  assert.equal((await get()).statusCode, 401);
  assert.equal((await get('tbk_not-a-key')).statusCode, 401);
});
