/**
 * What a hostile tenant or client tries beside a hostile vendor (docs/gateway.md, "Security"): naming
 * another tenant's stored file by its hash, spreading failed keys behind a trusted proxy, and spelling
 * the key-in-path form so that the log keeps the key.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { harness, keyedApps, loggedApp, nativeFixture, v1, type Harness } from '../helpers.js';
import { testEngines } from '../engines.js';
import { injectRequest, type buildApp } from '../../src/app.js';

const PNG = readFileSync('demo/assets/amber.png');

for (const engine of await testEngines()) {
  describe(`stored files are capabilities (${engine})`, () => {
    let h: Harness;
    let admin: string;
    let alphaKey: string;
    let betaKey: string;
    before(async () => {
      ({ h, admin, alphaKey, betaKey } = await nativeFixture(engine));
    });
    after(() => h.close());

    const upload = async (token: string, bytes: Buffer) => {
      const res = await h.inject({
        method: 'POST',
        url: '/v1/files',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
        payload: bytes,
      });
      assert.equal(res.statusCode, 201, res.body);
      return (JSON.parse(res.body) as { ref: string }).ref;
    };
    const importOne = (token: string, record: object) =>
      h.inject({
        method: 'POST',
        url: '/v1/import',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
        payload: `${JSON.stringify(record)}\n`,
      });

    test("an app naming another tenant's private file by its hash gets the missing-file answer, over the API and the import", async () => {
      const secret = await upload(betaKey, Buffer.concat([PNG, Buffer.from('beta private')]));
      const made = await v1(h, 'POST', '/v1/timbres', betaKey, { key: 'beta_pic', name: 'Beta pic', image: secret });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const missing = `stored:${'0'.repeat(64)}`;
      const stolen = await v1(h, 'POST', '/v1/timbres', alphaKey, { key: 'stolen', name: 'Stolen', image: secret });
      const absent = await v1(h, 'POST', '/v1/timbres', alphaKey, { key: 'absent', name: 'Absent', image: missing });
      assert.equal(stolen.status, 400);
      assert.deepEqual({ ...stolen.body, instance: undefined }, { ...absent.body, instance: undefined }, 'the same answer as a file that does not exist');
      // A patch of its own timbre, and a digital human's picture: the same.
      const own = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
      assert.equal((await v1(h, 'PATCH', `/v1/timbres/${own}`, alphaKey, { image: secret })).status, 400);
      assert.equal((await v1(h, 'PATCH', '/v1/digital-humans/22222222-2222-4222-8222-222222222222', alphaKey, { headerImage: secret })).status, 400);
      // The import: the same words as for a file that is not there.
      const imp = await importOne(alphaKey, { kind: 'timbre', key: 'stolen2', name: 'Stolen', image: secret });
      const impMissing = await importOne(alphaKey, { kind: 'timbre', key: 'stolen3', name: 'Absent', image: missing });
      assert.equal(imp.statusCode, 400);
      assert.equal(JSON.parse(imp.body).detail.replace(secret, 'REF'), JSON.parse(impMissing.body).detail.replace(missing, 'REF'));
      const mine = (await v1(h, 'GET', '/v1/timbres?owner=mine&limit=100', alphaKey)).body.items.map((t: { key: string }) => t.key);
      assert.ok(!mine.includes('stolen') && !mine.includes('stolen2'), mine.join(', '));
    });

    test('an app names files it uploaded and files the public catalog shows; the operator names any', async () => {
      const mine = await upload(alphaKey, Buffer.concat([PNG, Buffer.from('alpha own')]));
      assert.equal((await v1(h, 'POST', '/v1/timbres', alphaKey, { key: 'alpha_pic', name: 'Alpha pic', image: mine })).status, 201);
      const shown = await upload(admin, Buffer.concat([PNG, Buffer.from('public')]));
      assert.equal((await v1(h, 'POST', '/v1/timbres', admin, { key: 'public_pic', name: 'Public pic', image: shown })).status, 201);
      assert.equal((await v1(h, 'POST', '/v1/timbres', betaKey, { key: 'beta_public_pic', name: 'Reuses the public picture', image: shown })).status, 201);
      const betas = await upload(betaKey, Buffer.concat([PNG, Buffer.from('beta second')]));
      assert.equal((await v1(h, 'POST', '/v1/timbres', admin, { owner: 'alpha', key: 'given', name: 'Given by the operator', image: betas })).status, 201);
    });
  });
}

describe('behind a trusted proxy, failed keys are counted per client in every dialect', () => {
  let h: Harness;
  let key: string;
  before(async () => {
    h = await harness({ TIMBREL_TRUST_PROXY: '127.0.0.1', TIMBREL_AUTH_FAILURES_PER_MINUTE: '5' });
    ({ key } = await keyedApps(h));
  });
  after(() => h.close());

  const DIALECTS = [
    { name: 'ElevenLabs', url: '/elevenlabs/v1/voices', auth: (k: string) => ({ 'xi-api-key': k }) },
    { name: 'OpenAI', url: '/openai/v1/audio/voices', auth: (k: string) => ({ authorization: `Bearer ${k}` }) },
    { name: 'HeyGen', url: '/heygen/v2/voices', auth: (k: string) => ({ 'x-api-key': k }) },
  ];
  for (const d of DIALECTS) {
    test(`${d.name}: 25 bad keys from one client never make another client's valid key 429`, async () => {
      h.clock.ms += 61_000;
      const call = (client: string, k: string) =>
        h.inject({ method: 'GET', url: d.url, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client, ...d.auth(k) } });
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push((await call('203.0.113.1', `tbk_wrong${i}`)).statusCode);
      assert.equal(statuses.at(-1), 429, 'the client sending bad keys is throttled');
      assert.equal((await call('203.0.113.1', key)).statusCode, 429, 'even with a right key, until the minute ends');
      assert.equal((await call('203.0.113.2', key)).statusCode, 200, 'another client behind the same proxy is not');
    });
  }
});

describe('API keys never reach the log, whatever the spelling of the key-in-path form', () => {
  let h: Harness;
  let key: string;
  let lines: string[];
  let logged: Awaited<ReturnType<typeof buildApp>>;
  before(async () => {
    h = await harness();
    ({ key } = await keyedApps(h));
    ({ app: logged, lines } = await loggedApp(h));
  });
  after(async () => {
    await logged.close();
    await h.close();
  });

  test('double slashes, another case, dot segments, encoded slashes and a wrong key: every line masks it', async () => {
    const secret = key.slice('tbk_'.length);
    const wrong = 'tbk_not-a-real-key-but-secret-all-the-same';
    const paths = [
      `/openai/key/${key}/v1/models`,
      `//openai/key/${key}/v1/models`,
      `/OpenAI/key/${key}/v1/models`,
      `/openai//key/${key}/v1/models`,
      `/openai/KEY/${key}/v1/models`,
      `/openai/./key/${key}/v1/models`,
      `/openai/x/../key/${key}/v1/models`,
      `/openai/key/${encodeURIComponent(key)}/v1/models`,
      `/openai/key/${key.replace('_', '%5F')}/v1/models`,
      `/openai/key/${wrong}/v1/models`,
      `/key/${key}/v1/models`,
    ];
    for (const url of paths) await injectRequest(logged, { method: 'GET', url });
    await new Promise((r) => setTimeout(r, 50));
    const text = lines.join('\n');
    assert.ok(lines.length >= paths.length, `${lines.length} lines`);
    assert.ok(!text.includes(secret), 'the key is in no line');
    assert.ok(!text.includes(wrong.slice(4)), 'a wrong key is in no line either');
  });
});
