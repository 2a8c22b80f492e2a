/**
 * Uploads through /v1: a real WAV and PNG round-trip byte-exact through their signed URLs, raw or
 * multipart; a renamed executable and an oversize file are refused and leave nothing behind; an expired or
 * tampered URL is refused; another app's asset is 404.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Harness, PUBLIC_URL, nativeFixture } from '../helpers.js';
import { testEngines } from '../engines.js';

const WAV = readFileSync('demo/assets/tone-low.wav');
const PNG = readFileSync('demo/assets/amber.png');
const EXE = readFileSync(process.execPath).subarray(0, 4096); // an ELF binary's head, renamed as a sample

for (const engine of await testEngines())
  describe(`/v1 uploads (${engine})`, () => {
    let h: Harness;
    let alphaKey: string;
    let betaKey: string;
    const ALPHA_T = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
    const BETA_T = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

    const put = async (url: string, token: string, payload: Buffer, contentType = 'application/octet-stream') => {
      const res = await h.inject({ method: 'PUT', url, headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload });
      return { status: res.statusCode, body: JSON.parse(res.body) };
    };
    const multipart = (name: string, bytes: Buffer) => {
      const boundary = '----timbrel-test-boundary';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return { body, contentType: `multipart/form-data; boundary=${boundary}` };
    };
    /** Fetches a signed URL through the app (the URL is on PUBLIC_URL, served by the same routes). */
    const fetchUrl = (url: string) => h.inject({ method: 'GET', url: url.slice(PUBLIC_URL.length) });
    const storedFiles = () => readdirSync(join(h.dir, 'files'), { recursive: true }).filter((f) => String(f).length > 60).length;
    const fileRows = async () => (await h.services.repo.db.selectFrom('files').select('id').execute()).length;

    before(async () => {
      ({ h, alphaKey, betaKey } = await nativeFixture(engine, { TIMBREL_MAX_UPLOAD_BYTES: String(64 * 1024) }));
    });
    after(() => h.close());

    test("a WAV as a timbre's sample (raw body) and a PNG as its picture (multipart) round-trip byte-exact", async () => {
      const wav = await put(`/v1/timbres/${ALPHA_T}/sample`, alphaKey, WAV, 'audio/wav');
      assert.equal(wav.status, 200);
      assert.ok(wav.body.sample.startsWith(`${PUBLIC_URL}/files/`));
      const m = multipart('picture.png', PNG);
      const png = await put(`/v1/timbres/${ALPHA_T}/image`, alphaKey, m.body, m.contentType);
      assert.equal(png.status, 200);
      const audio = await fetchUrl(png.body.sample);
      assert.equal(audio.statusCode, 200);
      assert.equal(audio.headers['content-type'], 'audio/wav');
      assert.ok(Buffer.from(audio.rawPayload).equals(WAV), 'WAV bytes are the same');
      const picture = await fetchUrl(png.body.image);
      assert.equal(picture.headers['content-type'], 'image/png');
      assert.ok(Buffer.from(picture.rawPayload).equals(PNG), 'PNG bytes are the same');
    });

    test('POST /v1/files stores a file to reference; a timbre then takes it as stored:<sha256>', async () => {
      const res = await h.inject({
        method: 'POST',
        url: '/v1/files',
        headers: { authorization: `Bearer ${alphaKey}`, 'content-type': 'image/png' },
        payload: PNG,
      });
      assert.equal(res.statusCode, 201);
      const file = JSON.parse(res.body);
      assert.match(file.ref, /^stored:[0-9a-f]{64}$/);
      assert.equal(file.contentType, 'image/png');
      assert.equal(file.size, PNG.length);
      const made = await h.inject({
        method: 'POST',
        url: '/v1/timbres',
        headers: { authorization: `Bearer ${alphaKey}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ key: 'with_pic', name: 'With picture', image: file.ref }),
      });
      assert.equal(made.statusCode, 201);
      assert.ok(Buffer.from((await fetchUrl(JSON.parse(made.body).image)).rawPayload).equals(PNG));
    });

    test('a renamed executable is refused (415) and nothing is stored', async () => {
      const files = storedFiles();
      const rows = await fileRows();
      const res = await put(`/v1/timbres/${ALPHA_T}/sample`, alphaKey, EXE, 'audio/wav');
      assert.equal(res.status, 415);
      assert.deepEqual(res.body, {
        type: 'about:blank',
        title: 'Unsupported Media Type',
        status: 415,
        code: 'unsupported_file_type',
        detail: 'the file is not a WAV, MP3, OGG/Opus or FLAC file (checked by its bytes)',
      });
      const m = multipart('voice.wav', EXE);
      assert.equal((await put(`/v1/timbres/${ALPHA_T}/sample`, alphaKey, m.body, m.contentType)).status, 415);
      assert.equal((await put(`/v1/timbres/${ALPHA_T}/image`, alphaKey, WAV, 'image/png')).status, 415, 'a WAV is not a picture');
      assert.equal(storedFiles(), files);
      assert.equal(await fileRows(), rows);
    });

    test('an oversize upload is refused (413), raw or multipart, and nothing is stored', async () => {
      const files = storedFiles();
      const rows = await fileRows();
      const big = Buffer.concat([WAV, Buffer.alloc(70 * 1024)]);
      const raw = await put(`/v1/timbres/${ALPHA_T}/sample`, alphaKey, big, 'audio/wav');
      assert.equal(raw.status, 413);
      assert.deepEqual(raw.body, {
        type: 'about:blank',
        title: 'Content Too Large',
        status: 413,
        code: 'body_too_large',
        detail: `the body is over the limit of ${64 * 1024} bytes`,
      });
      const m = multipart('big.wav', big);
      const multi = await put(`/v1/timbres/${ALPHA_T}/sample`, alphaKey, m.body, m.contentType);
      assert.equal(multi.status, 413);
      assert.equal(storedFiles(), files);
      assert.equal(await fileRows(), rows);
    });

    test("another app's timbre is 404; a public one is 403; no token is 401", async () => {
      assert.equal((await put(`/v1/timbres/${BETA_T}/sample`, alphaKey, WAV)).status, 404);
      assert.equal((await put(`/v1/timbres/${ALPHA_T}/sample`, betaKey, WAV)).status, 404);
      const pub = (await h.services.repo.timbres.search({ owners: [''], status: ['active'], sort: 'catalog', limit: 1 })).rows[0];
      assert.equal((await put(`/v1/timbres/${pub.id}/image`, alphaKey, PNG)).status, 403);
      const res = await h.inject({ method: 'PUT', url: `/v1/timbres/${ALPHA_T}/sample`, headers: { 'content-type': 'audio/wav' }, payload: WAV });
      assert.equal(res.statusCode, 401);
    });

    test("a digital human's picture and an action's preview video; an unknown action is 404", async () => {
      const dh = '22222222-2222-4222-8222-222222222222';
      const res = await put(`/v1/digital-humans/${dh}/header-image`, alphaKey, PNG, 'image/png');
      assert.equal(res.status, 200);
      assert.ok(Buffer.from((await fetchUrl(res.body.headerImage)).rawPayload).equals(PNG));
      await h.inject({
        method: 'PATCH',
        url: `/v1/digital-humans/${dh}`,
        headers: { authorization: `Bearer ${alphaKey}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ actions: [{ code: 'wave' }] }),
      });
      // The smallest valid WebM: an EBML header with the webm doctype.
      const webm = Buffer.from('1a45dfa39f4286810142f7810142f2810442f381084282847765626d42878104428581021853806701000000000000', 'hex');
      const video = await put(`/v1/digital-humans/${dh}/actions/wave/preview-video`, alphaKey, webm, 'video/webm');
      assert.equal(video.status, 200, JSON.stringify(video.body));
      assert.ok(video.body.actions[0].previewVideo.startsWith(`${PUBLIC_URL}/files/`));
      assert.equal((await put(`/v1/digital-humans/${dh}/actions/jump/preview-video`, alphaKey, webm, 'video/webm')).status, 404);
    });

    test("a sample per language: uploaded for one of the timbre's languages, byte-exact through its signed URL; another language is 400", async () => {
      const patch = await h.inject({
        method: 'PATCH',
        url: `/v1/timbres/${ALPHA_T}`,
        headers: { authorization: `Bearer ${alphaKey}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ languages: ['en-US', 'ja-JP'] }),
      });
      assert.equal(patch.statusCode, 200, patch.body);
      const res = await put(`/v1/timbres/${ALPHA_T}/language-samples/ja-JP`, alphaKey, WAV, 'audio/wav');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body.languageSamples), ['ja-JP']);
      assert.ok(Buffer.from((await fetchUrl(res.body.languageSamples['ja-JP'])).rawPayload).equals(WAV));
      const other = await put(`/v1/timbres/${ALPHA_T}/language-samples/de-DE`, alphaKey, WAV, 'audio/wav');
      assert.deepEqual([other.status, other.body.detail], [400, '"de-DE" is not one of the timbre\'s languages']);
      assert.equal((await put(`/v1/timbres/${ALPHA_T}/language-samples/ja-JP`, alphaKey, PNG, 'image/png')).status, 415, 'audio only');
      assert.equal((await put(`/v1/timbres/${BETA_T}/language-samples/ja-JP`, alphaKey, WAV, 'audio/wav')).status, 404);
    });

    test('a tampered or expired URL of an upload is refused', async () => {
      const t = JSON.parse((await h.inject({ method: 'GET', url: `/v1/timbres/${ALPHA_T}`, headers: { authorization: `Bearer ${alphaKey}` } })).body);
      const tampered = t.sample.replace(/signature=./, (m: string) => m.slice(0, -1) + (m.endsWith('A') ? 'B' : 'A'));
      assert.equal((await fetchUrl(tampered)).statusCode, 403);
      h.clock.ms += 3 * 86_400_000;
      const expired = await fetchUrl(t.sample);
      assert.equal(expired.statusCode, 403);
      assert.equal(JSON.parse(expired.body).code, 'url_expired');
    });
  });
