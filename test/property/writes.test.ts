/**
 * fast-check over the native API's writes, on both engines: every numeric field with values around and
 * past its range (Infinity by 1e309, NaN-like text, 2^31, 2^53, 2^63), and upload bodies (raw bytes,
 * multipart with odd boundaries, extra parts, truncation, absurd headers). Never a 5xx, never a stack;
 * an accepted number is stored as sent and reads back on both engines.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { nativeFixture, v1, type Harness } from '../helpers.js';
import { testEngines } from '../engines.js';

const PNG = readFileSync('demo/assets/amber.png');
const ALPHA_DH = '22222222-2222-4222-8222-222222222222';
const ALPHA_T = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

/** Numbers as JSON text, so that 1e309 (Infinity once parsed) and -0 reach the server as a client sends them. */
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.constantFrom(
    '1e309',
    '-1e309',
    '1e300',
    '2147483647',
    '2147483648',
    '-2147483648',
    '-2147483649',
    '9007199254740993',
    '9223372036854775808',
    '0.5',
    '-0',
    '1E2',
    '"5"',
    'null',
    'true',
    '[]',
    '{}',
  ),
);

const INT32 = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v <= 2 ** 31 - 1;

for (const engine of await testEngines())
  describe(`fuzzing the native writes (${engine})`, () => {
    let h: Harness;
    let alphaKey: string;
    let admin: string;

    before(async () => {
      ({ h, alphaKey, admin } = await nativeFixture(engine, { TIMBREL_MAX_UPLOAD_BYTES: String(256 * 1024) }));
      await h.services.apps.setRateLimit('alpha', 1_000_000);
    });
    after(() => h.close());

    const raw = async (method: string, url: string, token: string, body: string | Buffer, contentType = 'application/json') => {
      const res = await h.inject({ method: method as 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload: body });
      assert.ok(res.statusCode < 500, `${method} ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      assert.ok(!/\bat .+\(.+:\d+:\d+\)/.test(res.body), 'no stack trace');
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
    };

    test('sortOrder of a binding, a timbre and a digital human: in range stored exactly, out of range 400, never a 5xx', async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(numberText, async (text) => {
          // -0 is stored (and read back) as 0.
          const parsed = JSON.parse(text) === 0 ? 0 : JSON.parse(text);
          const ok = INT32(parsed);
          const bind = await raw('PUT', `/v1/digital-humans/${ALPHA_DH}/timbres/${ALPHA_T}`, alphaKey, `{"sortOrder":${text}}`);
          assert.equal(bind.status, ok ? 200 : 400, text);
          if (ok) assert.equal(bind.body.items.find((b: { timbre: { id: string } }) => b.timbre.id === ALPHA_T).sortOrder, parsed);
          const made = await raw('POST', '/v1/timbres', alphaKey, `{"key":"num_${engine}_${n++}","name":"n","sortOrder":${text}}`);
          assert.equal(made.status, ok ? 201 : 400, text);
          if (ok) assert.equal((await v1(h, 'GET', `/v1/timbres/${made.body.id}`, alphaKey)).body.sortOrder, parsed);
          const dh = await raw('PATCH', `/v1/digital-humans/${ALPHA_DH}`, alphaKey, `{"sortOrder":${text}}`);
          assert.equal(dh.status, ok ? 200 : 400, text);
        }),
        { numRuns: 120 },
      );
      // The binding list still answers for everyone afterwards (an Infinity stored once broke it for all).
      assert.equal((await v1(h, 'GET', `/v1/digital-humans/${ALPHA_DH}/timbres`, admin)).status, 200);
    });

    test('originZoom, limit and other numbers: never a 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(numberText, fc.constantFrom('originZoom', 'limit'), async (text, field) => {
          if (field === 'originZoom') {
            const r = await raw('PATCH', `/v1/digital-humans/${ALPHA_DH}`, alphaKey, `{"originZoom":${text}}`);
            const v = JSON.parse(text);
            assert.equal(r.status, typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1000 ? 200 : 400, text);
          } else {
            await raw('GET', `/v1/timbres?limit=${encodeURIComponent(text)}`, alphaKey, '');
          }
        }),
        { numRuns: 80 },
      );
    });

    test("an app's numbers (rateLimit, ZEGO AppId, a rotation's graceSeconds): in range taken, else 400, never a 5xx", async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(numberText, fc.constantFrom('rateLimit', 'zegoAppId', 'graceSeconds'), async (text, field) => {
          const v = JSON.parse(text) === 0 ? 0 : JSON.parse(text);
          const inRange = (min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
          if (field === 'graceSeconds') {
            const r = await raw('POST', '/v1/apps/beta/rotate', admin, `{"dialect":"ivh","graceSeconds":${text}}`);
            assert.equal(r.status, inRange(0, 2_592_000) ? 200 : 400, text);
          } else {
            const r = await raw('POST', '/v1/apps', admin, `{"name":"fz-${engine}-${n++}","${field}":${text}}`);
            // A fuzzed AppId may be taken already (409); every other answer is the range's.
            if (r.status !== 409)
              assert.equal(r.status, field === 'rateLimit' ? (inRange(1, 1_000_000) ? 201 : 400) : inRange(1, 4_294_967_295) ? 201 : 400, text);
            if (r.status === 201) assert.equal(field === 'rateLimit' ? r.body.app.rateLimit : r.body.app.zego.AppId, v);
          }
        }),
        { numRuns: 90 },
      );
    });

    test('upload bodies, raw or multipart, whole or broken: never a 5xx, and a refusal stores nothing', async () => {
      const files = async () => (await h.services.repo.db.selectFrom('files').select('id').execute()).length;
      const boundary = fc.oneof(
        fc.string({ minLength: 1, maxLength: 80 }).filter((b) => !/[\r\n";]/.test(b)),
        fc.constant('x'.repeat(2000)),
        fc.constant(''),
      );
      const part = fc.record({
        name: fc.constantFrom('file', 'other', ''),
        filename: fc.option(fc.constantFrom('a.png', 'b.bin', '"quoted"', '../../etc/passwd'), { nil: undefined }),
        bytes: fc.oneof(
          fc.constant(PNG),
          fc.uint8Array({ maxLength: 2048 }).map((u) => Buffer.from(u)),
          fc.constant(PNG.subarray(0, 40)),
        ),
      });
      const body = fc.oneof(
        fc.uint8Array({ maxLength: 4096 }).map((u) => ({ contentType: 'application/octet-stream', payload: Buffer.from(u) })),
        fc
          .record({ b: boundary, parts: fc.array(part, { maxLength: 3 }), cut: fc.option(fc.nat(), { nil: undefined }), close: fc.boolean() })
          .map(({ b, parts, cut, close }) => {
            const text = Buffer.concat([
              ...parts.map((p) =>
                Buffer.concat([
                  Buffer.from(
                    `--${b}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}\r\n\r\n`,
                  ),
                  p.bytes,
                  Buffer.from('\r\n'),
                ]),
              ),
              Buffer.from(close ? `--${b}--\r\n` : ''),
            ]);
            return {
              contentType: `multipart/form-data${b ? `; boundary=${b}` : ''}`,
              payload: cut === undefined ? text : text.subarray(0, cut % (text.length + 1)),
            };
          }),
      );
      await fc.assert(
        fc.asyncProperty(
          body,
          fc.constantFrom('/v1/files', `/v1/timbres/${ALPHA_T}/image`, `/v1/digital-humans/${ALPHA_DH}/header-image`),
          async ({ contentType, payload }, url) => {
            const before = await files();
            const r = await raw(url === '/v1/files' ? 'POST' : 'PUT', url, alphaKey, payload, contentType);
            if (r.status >= 400) assert.equal(await files(), before, 'a refused upload stores nothing');
            else assert.ok([200, 201].includes(r.status));
          },
        ),
        { numRuns: 150 },
      );
    });
  });
