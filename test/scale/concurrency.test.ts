/**
 * Concurrent writers over real HTTP, on both engines: every acknowledged write is there afterwards, in 20
 * rounds of each race. Before the writes took row locks, PostgreSQL lost 70 of 146 concurrent
 * binds and 40 of 60 PATCHed fields, and an upload racing a PATCH wrote the PATCH back on both engines.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { nativeFixture, importRecords, type Harness } from '../helpers.js';
import { testEngines } from '../engines.js';
import { zegoSignature } from '../../src/dialects/zego/signature.js';

const ROUNDS = 20;
const PNG = readFileSync('demo/assets/amber.png');
const ALPHA_DH = '22222222-2222-4222-8222-222222222222';

for (const engine of await testEngines())
  describe(`concurrent writers over HTTP (${engine})`, () => {
    let h: Harness;
    let base: string;
    let admin: string;
    let alphaKey: string;
    let betaKey: string;

    const call = async (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, etag: res.headers.get('etag') };
    };

    before(async () => {
      ({ h, admin, alphaKey, betaKey } = await nativeFixture(engine, { TIMBREL_DB_POOL_SIZE: '10' }));
      // The races, not the apps' request limits, are under test.
      for (const app of ['alpha', 'beta']) await h.services.apps.setRateLimit(app, 1_000_000);
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    });
    after(() => h.close());

    const newTimbre = async (token: string, key: string) => {
      const made = await call('POST', '/v1/timbres', token, { key, name: key });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      return made.body.id as string;
    };

    test('16 concurrent binds to one digital human: every acknowledged bind is kept', async () => {
      let acknowledged = 0;
      let lost = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const dh = (await call('POST', '/v1/digital-humans', alphaKey, { name: `binds ${round}` })).body.id as string;
        const ids = await Promise.all(Array.from({ length: 16 }, (_, i) => newTimbre(alphaKey, `bind_${round}_${i}`)));
        const answers = await Promise.all(
          ids.map((id, i) => call('PUT', `/v1/digital-humans/${dh}/timbres/${id}`, alphaKey, { sortOrder: i, isDefault: i === 7 })),
        );
        const ok = ids.filter((_, i) => answers[i].status === 200);
        for (const a of answers) assert.ok(a.status === 200 || a.status === 503, `bind answered ${a.status}: ${JSON.stringify(a.body)}`);
        acknowledged += ok.length;
        const bound = new Set((await call('GET', `/v1/digital-humans/${dh}/timbres`, alphaKey)).body.items.map((b: { timbre: { id: string } }) => b.timbre.id));
        lost += ok.filter((id) => !bound.has(id)).length;
      }
      assert.equal(lost, 0, `${lost} of ${acknowledged} acknowledged binds lost`);
      assert.ok(acknowledged >= ROUNDS * 16 * 0.9, `only ${acknowledged} binds acknowledged`);
    });

    test('concurrent PATCHes of different fields of one timbre: every change is kept', async () => {
      let reverted = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const id = await newTimbre(alphaKey, `patch_${round}`);
        const changes = [
          { name: `name ${round}` },
          { description: `description ${round}` },
          { age: `age ${round}` },
          { accent: `accent ${round}` },
          { tags: [`tag${round}`] },
        ];
        const answers = await Promise.all(changes.map((c) => call('PATCH', `/v1/timbres/${id}`, alphaKey, c)));
        const stored = (await call('GET', `/v1/timbres/${id}`, alphaKey)).body;
        changes.forEach((c, i) => {
          if (answers[i].status !== 200) return;
          for (const [k, v] of Object.entries(c)) if (JSON.stringify(stored[k]) !== JSON.stringify(v)) reverted++;
        });
        assert.ok(
          answers.every((a) => a.status === 200),
          JSON.stringify(answers.map((a) => a.status)),
        );
      }
      assert.equal(reverted, 0, `${reverted} acknowledged field changes reverted`);
    });

    test('If-Match: of two writers holding one ETag, one wins and the other gets 412', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await newTimbre(alphaKey, `ifmatch_${round}`);
        const { etag } = await call('GET', `/v1/timbres/${id}`, alphaKey);
        assert.ok(etag && !etag.startsWith('W/'), `a strong ETag: ${etag}`);
        const answers = await Promise.all(['first', 'second'].map((n) => call('PATCH', `/v1/timbres/${id}`, alphaKey, { name: n }, { 'if-match': etag! })));
        assert.deepEqual(answers.map((a) => a.status).sort(), [200, 412]);
        const winner = answers.find((a) => a.status === 200)!;
        const loser = answers.find((a) => a.status === 412)!;
        assert.equal(loser.body.code, 'precondition_failed');
        const now = await call('GET', `/v1/timbres/${id}`, alphaKey);
        assert.equal(now.body.name, winner.body.name);
        assert.equal(now.etag, winner.etag);
      }
    });

    test("If-Match on bindings: two binders holding one binding list's ETag, one wins and the other gets 412", async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const dh = (await call('POST', '/v1/digital-humans', alphaKey, { name: `ifmatch binds ${round}` })).body.id as string;
        const [a, b] = await Promise.all([0, 1].map((i) => newTimbre(alphaKey, `ifmatch_bind_${round}_${i}`)));
        const { etag } = await call('GET', `/v1/digital-humans/${dh}/timbres`, alphaKey);
        assert.ok(etag && !etag.startsWith('W/'));
        const answers = await Promise.all([a, b].map((id) => call('PUT', `/v1/digital-humans/${dh}/timbres/${id}`, alphaKey, {}, { 'if-match': etag! })));
        assert.deepEqual(answers.map((x) => x.status).sort(), [200, 412]);
        const now = await call('GET', `/v1/digital-humans/${dh}/timbres`, alphaKey);
        assert.equal(now.body.items.length, 1);
        assert.equal(now.etag, answers.find((x) => x.status === 200)!.etag);
        // The tag of the list just read lets the next change through.
        assert.equal(
          (await call('DELETE', `/v1/digital-humans/${dh}/timbres/${now.body.items[0].timbre.id}`, alphaKey, undefined, { 'if-match': now.etag! })).status,
          200,
        );
      }
    });

    test('an upload racing a PATCH of the same timbre: both are kept', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await newTimbre(alphaKey, `upload_${round}`);
        // The picture's bytes arrive in two parts; the PATCH is acknowledged between them.
        const upload = slowUpload(`${base}/v1/timbres/${id}/image`, alphaKey, PNG, 'image/png');
        await upload.firstPartSent;
        const patched = await call('PATCH', `/v1/timbres/${id}`, alphaKey, { name: `patched ${round}` });
        assert.equal(patched.status, 200);
        upload.finish();
        const uploaded = await upload.answer;
        assert.equal(uploaded.status, 200, uploaded.body);
        const stored = (await call('GET', `/v1/timbres/${id}`, alphaKey)).body;
        assert.equal(stored.name, `patched ${round}`, 'the acknowledged PATCH survived the upload');
        assert.match(stored.image, /\/files\/[0-9a-f]{64}\?/, 'the upload is attached');
      }
    });

    test("two owners creating one explicit id at once: one 201, one 409, and the row is the winner's", async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = `cccccccc-cccc-4ccc-8ccc-${String(round).padStart(12, '0')}`;
        const answers = await Promise.all(
          ['alpha', 'beta'].map((owner) => call('POST', '/v1/timbres', admin, { id, owner, key: `same_id_${round}`, name: owner })),
        );
        assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409], JSON.stringify(answers.map((a) => a.body)));
        const winner = answers.find((a) => a.status === 201)!.body.owner;
        const key = winner === 'alpha' ? alphaKey : betaKey;
        const other = winner === 'alpha' ? betaKey : alphaKey;
        assert.equal((await call('GET', `/v1/timbres/${id}`, key)).body.owner, winner);
        assert.equal((await call('GET', `/v1/timbres/${id}`, other)).status, 404);
      }
    });

    test('an app may not give ids; ids it gets are random, so another app cannot probe or take them', async () => {
      const given = await call('POST', '/v1/timbres', alphaKey, { id: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd', key: 'mine', name: 'x' });
      assert.equal(given.status, 400);
      assert.equal(given.body.param, 'id');
      // The same key made by two apps: two unrelated random ids.
      const [a, b] = await Promise.all([alphaKey, betaKey].map((k) => call('POST', '/v1/timbres', k, { key: 'shared_key', name: 'x' })));
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      assert.notEqual(a.body.id, b.body.id);
      assert.equal(a.body.id[14], '4', 'a version-4 (random) UUID');
    });

    test('a private key racing a public one of the same key: never both, in 20 rounds', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const key = `contested_${round}`;
        const [mine, pub] = await Promise.all([
          call('POST', '/v1/timbres', alphaKey, { key, name: 'private' }),
          call('POST', '/v1/timbres', admin, { key, name: 'public' }),
        ]);
        assert.deepEqual([mine.status, pub.status].sort(), [201, 409], JSON.stringify([mine.body, pub.body]));
      }
    });

    test('two secret rotations at once: both new secrets verify (one current, one in its grace period)', async () => {
      const verifies = async (appId: number, secret: string) => {
        const ts = String(Math.floor(Date.now() / 1000));
        const nonce = 'c0ffee0123456789';
        const q = `Action=GetTimbreList&AppId=${appId}&SignatureNonce=${nonce}&Timestamp=${ts}&SignatureVersion=2.0&Signature=${zegoSignature(appId, nonce, secret, ts)}`;
        const res = await fetch(`${base}/?${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        return (await res.json()).Code === 0;
      };
      for (let round = 0; round < ROUNDS; round++) {
        const answers = await Promise.all([0, 1].map(() => call('POST', '/v1/apps/beta/rotate', admin, { dialect: 'zego', graceSeconds: 3600 })));
        assert.deepEqual(
          answers.map((a) => a.status),
          [200, 200],
        );
        for (const a of answers)
          assert.ok(
            await verifies(a.body.credentials.zego.AppId, a.body.credentials.zego.ServerSecret),
            `round ${round}: an acknowledged new secret does not verify`,
          );
      }
    });

    test('anchors: concurrent PATCHes of different fields and a header-image upload are all kept', async () => {
      let reverted = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const made = await call('POST', '/v1/anchors', alphaKey, { code: `race_${round}`, name: 'race', avatarType: 'real_man_2d' });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        const id = made.body.id as string;
        const changes = [{ name: `name ${round}` }, { gender: 'female' }, { tag: 'Advanced' }, { sortOrder: round + 1 }, { avatarType: 'real_man_3d' }];
        const upload = fetch(`${base}/v1/anchors/${id}/header-image`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${alphaKey}`, 'content-type': 'image/png' },
          body: PNG,
        });
        const answers = await Promise.all(changes.map((c) => call('PATCH', `/v1/anchors/${id}`, alphaKey, c)));
        assert.equal((await upload).status, 200);
        const stored = (await call('GET', `/v1/anchors/${id}`, alphaKey)).body;
        changes.forEach((c, i) => {
          assert.equal(answers[i].status, 200, JSON.stringify(answers[i].body));
          for (const [k, v] of Object.entries(c)) if (stored[k] !== v) reverted++;
        });
        if (!stored.headerImage) reverted++;
      }
      assert.equal(reverted, 0, `${reverted} acknowledged anchor changes were written back`);
    });

    test('anchors: one code claimed at once by an app, the operator and a look of the app: one anchor, every look resolves', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const code = `claimed_${round}`;
        const [mine, pub, look] = await Promise.all([
          call('POST', '/v1/anchors', alphaKey, { code, name: 'private', avatarType: 'real_man_2d' }),
          call('POST', '/v1/anchors', admin, { code, name: 'public', avatarType: 'real_man_2d' }),
          call('POST', '/v1/digital-humans', alphaKey, { name: `look ${round}`, anchorCode: code }),
        ]);
        assert.equal(look.status, 201, JSON.stringify(look.body));
        // The app's anchor and the public one exclude each other; the look made neither twice.
        assert.ok([mine.status, pub.status].filter((s) => s === 201).length <= 1, JSON.stringify([mine.body, pub.body]));
        for (const a of [mine, pub]) assert.ok(a.status === 201 || a.status === 409, `${a.status}: ${JSON.stringify(a.body)}`);
        const holders = await h.services.repo.db.selectFrom('anchors').select(['owner', 'id']).where('code', '=', code).execute();
        assert.equal(holders.length, 1, `round ${round}: ${JSON.stringify(holders)}`);
        const seen = (await call('GET', `/v1/digital-humans/${look.body.id}`, alphaKey)).body;
        assert.equal(seen.anchor?.id, holders[0].id, 'the look resolves to the one anchor of its code');
      }
    });

    test('anchors: a delete racing a new look of its code: never a look whose code resolves to nothing', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const code = `doomed_${round}`;
        const made = await call('POST', '/v1/anchors', alphaKey, { code, name: 'doomed', avatarType: 'real_man_2d' });
        const [removed, look] = await Promise.all([
          call('DELETE', `/v1/anchors/${made.body.id}`, alphaKey),
          call('POST', '/v1/digital-humans', alphaKey, { name: `look ${round}`, anchorCode: code }),
        ]);
        assert.equal(look.status, 201, JSON.stringify(look.body));
        assert.ok(removed.status === 204 || removed.status === 409, `${removed.status}: ${JSON.stringify(removed.body)}`);
        const anchor = (await call('GET', `/v1/digital-humans/${look.body.id}`, alphaKey)).body.anchor;
        assert.ok(anchor && anchor.code === code, `round ${round}: the look's code resolves (delete answered ${removed.status})`);
      }
    });

    test('an import beside API writes: both land whole, in 20 rounds', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const id = await newTimbre(alphaKey, `beside_import_${round}`);
        const records = Array.from({ length: 500 }, (_, i) => ({ kind: 'timbre', key: `imported_${round}_${i}`, name: `Imported${round} ${i}`, sortOrder: i }));
        const importing = importRecords(h.services, records);
        const writes: Promise<{ status: number; body: any }>[] = [];
        for (let i = 0; i < 10; i++) {
          writes.push(call('PATCH', `/v1/timbres/${id}`, alphaKey, { description: `write ${i}` }));
          writes.push(call('PUT', `/v1/digital-humans/${ALPHA_DH}/timbres/${id}`, alphaKey, { sortOrder: i }));
          writes.push(call('POST', '/v1/timbres', alphaKey, { key: `beside_${round}_${i}`, name: 'beside' }));
        }
        const [result, answers] = await Promise.all([importing, Promise.all(writes)]);
        assert.equal(result.timbres, 500);
        assert.ok(
          answers.every((a) => a.status === 200 || a.status === 201),
          JSON.stringify(answers.map((a) => a.status)),
        );
        const listed = await call('GET', `/v1/timbres?owner=public&q=Imported${round}&total=true&limit=1`, admin);
        assert.equal(listed.body.total, 500);
        const stored = (await call('GET', `/v1/timbres/${id}`, alphaKey)).body;
        assert.match(stored.description, /^write \d+$/);
        const bound = (await call('GET', `/v1/digital-humans/${ALPHA_DH}/timbres`, alphaKey)).body.items;
        assert.ok(bound.some((b: { timbre: { id: string } }) => b.timbre.id === id));
        for (const made of answers.filter((a) => a.status === 201)) assert.equal((await call('GET', `/v1/timbres/${made.body.id}`, alphaKey)).status, 200);
      }
    });
  });

/** A PUT whose body is sent in two parts: the caller says when the second goes. */
function slowUpload(url: string, token: string, bytes: Buffer, contentType: string) {
  let finish!: () => void;
  let firstPartSent!: () => void;
  const sent = new Promise<void>((r) => (firstPartSent = r));
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      url,
      { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': bytes.length } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    const half = Math.floor(bytes.length / 2);
    req.write(bytes.subarray(0, half), () => setTimeout(firstPartSent, 30));
    finish = () => req.end(bytes.subarray(half));
  });
  return { answer, firstPartSent: sent, finish: () => finish() };
}
