/**
 * The web console end to end: Debian's Chromium driven by playwright-core against the built console on a
 * real `timbrel serve --demo`. Sign in (by keyboard), search, play a sample (the audio element loads its
 * metadata), create a timbre and upload its sample with the page's file input, bind it to a digital human —
 * and then ZEGO's GetTimbreList for that digital human returns it. Apps: create (credentials shown once),
 * and the "try it" panel's signed request. Screenshots of every page at desktop and phone width go to
 * test-artifacts/console/ (and to docs/screenshots/ with TIMBREL_UPDATE_SCREENSHOTS=1).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ZegoClient } from '@timbrel/client';
import { serve, type Served } from '../processes.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { createRequire } from 'node:module';

const CHROMIUM = '/usr/bin/chromium';
const ADMIN = 'console-e2e-operator-token-0123456789';
const ARTIFACTS = 'test-artifacts/console';
const AVA = '42f97c28-1124-4cb2-800a-44d028497027';
const SCALE_TIMBRES = 100_000;
const SCALE_HUMANS = 2_000;
const run = promisify(execFile);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's checks (WCAG 2.x A and AA, and best practices) on the page as it is: no serious or critical violation. */
async function accessible(page: Page, what: string) {
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(AXE);
  const found = await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`);
  assert.deepEqual(found, [], `${what}: ${JSON.stringify(found, null, 1)}`);
}

/** The elements that reach past the right edge of a 390 px page (for the message of a failed width check). */
const tooWide = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > 391 && getComputedStyle(el).position !== 'fixed')
    .slice(0, 5).map((el) => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right)).join(', ')`);

/** Presses Tab until the focused element satisfies `test` (JavaScript over \`el\`), as a keyboard user would. */
async function tabTo(page: Page, test: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`(() => { const el = document.activeElement; return !!el && (${test}); })()`)) return;
  }
  assert.fail(`Tab never reached ${test}`);
}
if (!existsSync(CHROMIUM)) {
  const msg = 'Chromium is not installed (apt-get install chromium)';
  if (process.env.CI) throw new Error(`${msg}: CI needs it`);
  process.stderr.write(`\n  NOTICE: ${msg}; the console suite is SKIPPED.\n\n`);
}

/**
 * Waits until the media element at `selector` has loaded its metadata (readyState ≥ 1), in the page. A string,
 * not a function: the test runner's transpiler would decorate a function with helpers the page lacks.
 */
async function mediaLoaded(page: Page, selector: string) {
  return (await page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    return new Promise((resolve, reject) => {
      const done = () => resolve({ state: el.readyState, duration: el.duration, videoWidth: el.videoWidth ?? 0 });
      if (el.readyState >= 1) return done();
      el.addEventListener('loadedmetadata', done, { once: true });
      el.addEventListener('error', () => reject(new Error('media error ' + (el.error && el.error.code))), { once: true });
      el.load();
    });
  })()`)) as { state: number; duration: number; videoWidth: number };
}

describe('web console in Chromium', { skip: !existsSync(CHROMIUM) && 'no Chromium' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'timbrel-console-'));
  let server: Served;
  let browser: Browser;
  let page: Page;
  let demo: { appId: number; secret: string };
  let receiver: Server;
  let hookUrl: string;
  const hooks: { headers: Record<string, string>; body: string }[] = [];
  const cspRefusals: string[] = [];

  const shot = async (name: string) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [label, viewport] of [
      ['desktop', { width: 1280, height: 860 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      await page.setViewportSize(viewport);
      // From the top: a full-page capture of a scrolled page draws the sticky navigation where it stood.
      await page.evaluate('scrollTo(0, 0)');
      const file = join(ARTIFACTS, `${name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: label === 'desktop' });
      if (process.env.TIMBREL_UPDATE_SCREENSHOTS) {
        mkdirSync('docs/screenshots', { recursive: true });
        copyFileSync(file, join('docs/screenshots', `${name}-${label}.png`));
      }
    }
    await page.setViewportSize({ width: 1280, height: 860 });
  };

  before(async () => {
    // A catalog at scale beside the demo: 100,000 public timbres and 2,000 public digital humans, after the
    // demo's in the catalog order.
    const scale = join(dir, 'scale.ndjson');
    const lines: string[] = [];
    for (let i = 0; i < SCALE_TIMBRES; i++)
      lines.push(
        JSON.stringify({
          kind: 'timbre',
          key: `scale_${i}`,
          name: `Scale voice ${i}`,
          gender: i % 2 ? 'male' : 'female',
          languages: ['en-US'],
          sortOrder: 1000 + (i % 50),
        }),
      );
    for (let i = 0; i < SCALE_HUMANS; i++)
      lines.push(JSON.stringify({ kind: 'digitalHuman', name: `Scale host ${i}`, anchorCode: `scale_${i % 500}`, sortOrder: 1000 + i }));
    writeFileSync(scale, `${lines.join('\n')}\n`);
    await run(process.execPath, ['bin/timbrel.js', 'import', scale], { env: { ...process.env, TIMBREL_DATA_DIR: join(dir, 'data') } });
    // A webhook receiver of the test's own, which the outbound rules let the server reach.
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        // Webhooks arrive at /hook; anything else is a ZEGO sync asking this server, which refuses its signature.
        if (req.url === '/hook') {
          hooks.push({ headers: req.headers as Record<string, string>, body });
          res.writeHead(204).end();
        } else
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ Code: 100000004, Message: 'signature verification failed', RequestId: 'console-test', Data: null }));
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hookPort = (receiver.address() as AddressInfo).port;
    hookUrl = `http://127.0.0.1:${hookPort}/hook`;
    server = await serve(
      {
        TIMBREL_DATA_DIR: join(dir, 'data'),
        TIMBREL_ADMIN_TOKEN: ADMIN,
        TIMBREL_OUTBOUND_ALLOW_HTTP: `127.0.0.1:${hookPort}`,
        TIMBREL_UPSTREAM_ALLOW_HTTP: `127.0.0.1:${hookPort}`,
        TIMBREL_SYNC_RETRY_SECONDS: '5',
        TIMBREL_OUTBOUND_ALLOW_PRIVATE: '127.0.0.1/32',
      },
      ['--demo'],
    );
    const m = /ZEGO\s+AppId (\d+)\s+ServerSecret (\S+)/.exec(server.output())!;
    demo = { appId: Number(m[1]), secret: m[2] };
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
    // The page's strict CSP (its own scripts and styles only) refuses nothing the console does.
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspRefusals.push(msg.text());
    });
  });
  after(async () => {
    await browser?.close();
    receiver?.close();
    server?.proc.kill('SIGTERM');
    await server?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  test('sign in by keyboard with the operator token', async () => {
    await page.goto(`${server.url}/console/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // By id, not by role: a role query skips hidden elements, so it could not see the bug it checks for.
    assert.equal(await page.locator('#nav').isVisible(), false, 'no navigation before signing in');
    assert.equal(await page.locator('#signout').isVisible(), false, 'no "Sign out" before signing in');
    await shot('sign-in');
    await accessible(page, 'sign in');
    // The token field has focus on arrival; Enter submits.
    await page.keyboard.type(ADMIN);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Timbres' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Apps' }).isVisible(), true, 'the operator sees Apps');
  });

  test('search, and a sample plays in the page', async () => {
    await page.getByLabel('Search', { exact: true }).fill('narrator');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('[data-timbre]', { hasText: 'Calm narrator' }).waitFor();
    const names = await page.locator('[data-timbre] button.title').allTextContents();
    assert.ok(names.length >= 1 && names.every((n) => /narrator/i.test(n)), `only narrators: ${names}`);
    const audio = page.locator('[data-timbre] audio').first();
    await audio.waitFor();
    const loaded = await mediaLoaded(page, '[data-timbre] audio');
    assert.ok(loaded.state >= 1 && loaded.duration > 0, `the audio loaded: ${JSON.stringify(loaded)}`);
    await page.evaluate(`document.querySelector('[data-timbre] audio').play()`);
    // Each sample says how long it is (the player's own clock shows 0:00 for a sample under a second).
    assert.match((await page.locator('[data-timbre] .duration').first().textContent())!, /^0:0\d\.\d$/);
    await shot('timbres');
  });

  test('at catalog scale: totals are counted, a digital human past the first hundred is found by search, a timbre is bound by its name', async () => {
    const totalOf = async (path: string) =>
      ((await (await fetch(`${server.url}${path}?total=true&limit=1`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { total: number }).total;
    await page.getByRole('link', { name: 'Timbres' }).click();
    await page.getByLabel('Search', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const timbres = await totalOf('/v1/timbres');
    assert.ok(timbres > SCALE_TIMBRES, `${timbres} timbres stored`);
    await page.getByText(`24 of ${timbres.toLocaleString('en')}`).waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText(`48 of ${timbres.toLocaleString('en')}`).waitFor();

    await page.getByRole('link', { name: 'Digital humans' }).click();
    await page.getByRole('heading', { name: 'Digital humans', exact: true, level: 1 }).waitFor();
    const humans = await totalOf('/v1/digital-humans');
    await page.getByText(`24 of ${humans.toLocaleString('en')}`).waitFor();
    await page.getByLabel('Search', { exact: true }).fill('Scale host 1999');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('1 of 1').waitFor();
    const host = page.locator('[data-digital-human]', { hasText: 'Scale host 1999' });
    await host.getByRole('button', { name: 'Scale host 1999' }).click();
    const drawer = page.getByRole('dialog', { name: 'Scale host 1999' });
    await drawer.getByRole('heading', { name: 'Timbres of Scale host 1999' }).waitFor();
    await drawer.getByLabel('Find a timbre to bind').fill('Scale voice 77777');
    const found = drawer.locator('[data-found]', { hasText: 'Scale voice 77777' });
    await found.getByRole('button', { name: 'Bind Scale voice 77777' }).click();
    const id = (await found.getAttribute('data-found'))!;
    await drawer.locator(`[data-bound="${id}"]`).waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    // A retired timbre is listed under Status: retired, and restored from there.
    await fetch(`${server.url}/v1/timbres/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } });
    await page.getByRole('link', { name: 'Timbres', exact: true }).click();
    // The page has changed once its own heading is there (the digital humans page has a Search field too).
    await page.getByRole('heading', { name: 'Timbres', exact: true, level: 1 }).waitFor();
    await page.getByLabel('Search', { exact: true }).fill('Scale voice 77777');
    await page.getByLabel('Status').selectOption('retired');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('1 of 1').waitFor();
    await page.locator('[data-timbre]').getByRole('button', { name: 'Scale voice 77777' }).click();
    await page.getByRole('dialog', { name: 'Scale voice 77777' }).getByRole('button', { name: 'Restore Scale voice 77777' }).click();
    await page.getByText('0 of 0').waitFor();
    const back = await (await fetch(`${server.url}/v1/timbres/${id}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
    assert.equal(back.status, 'active');

    // Nothing is wider than a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const link of ['Timbres', 'Digital humans', 'Anchors', 'Apps', 'Try it']) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page
        .locator('main h1')
        .filter({ hasText: link === 'Try it' ? 'Try it' : link })
        .waitFor();
      const width = await page.evaluate('document.documentElement.scrollWidth');
      assert.ok((width as number) <= 390, `the ${link} page is ${width} px wide at 390 px`);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByRole('link', { name: 'Timbres', exact: true }).click();
  });

  test('apps: create shows the credentials once, with a curl per dialect; try it sends a signed request', async () => {
    await page.getByRole('link', { name: 'Apps' }).click();
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
    // The browser checks the name as the server does (a pattern Chromium cannot compile checks nothing).
    const field = page.getByLabel('App name');
    for (const [value, valid] of [
      ['-leading-dash', false],
      ['has space', false],
      ['x'.repeat(65), false],
      ['ok.name_1-2', true],
    ] as const) {
      await field.fill(value);
      assert.equal(await field.evaluate((el: HTMLInputElement) => el.checkValidity()), valid, `${JSON.stringify(value)} valid: ${valid}`);
    }
    await field.fill('console-app');
    await page.getByRole('button', { name: 'Create app' }).click();
    const panel = page.getByRole('region', { name: 'Credentials of console-app' });
    await panel.waitFor();
    assert.match((await panel.textContent()) ?? '', /ServerSecret[\s\S]*curl -s -X POST/);
    await shot('apps');

    // Disable and enable; an API key made here works until it is revoked here.
    const row = page.locator('[data-app="console-app"]');
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Disable' }).click();
    await page.locator('[data-app="console-app"]', { hasText: 'disabled' }).waitFor();
    await page.locator('[data-app="console-app"]').getByRole('button', { name: 'Enable' }).click();
    await page.locator('[data-app="console-app"]').getByRole('button', { name: 'Disable' }).waitFor();
    // The app's own page: usage, upstreams, keys, webhooks.
    await page.locator('[data-app="console-app"]').getByRole('link', { name: 'console-app' }).click();
    await page.getByRole('heading', { name: 'console-app', level: 1 }).waitFor();
    await page.getByLabel('Key name').fill('backend');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shownKey = (await page.locator('code.secret').filter({ hasText: /^tbk_/ }).textContent())!;
    const asKey = () => fetch(`${server.url}/v1/timbres?limit=1`, { headers: { authorization: `Bearer ${shownKey}` } }).then((r) => r.status);
    assert.equal(await asKey(), 200, 'the key shown once works');
    // Where the key works, with an ElevenLabs curl that answers as pasted.
    const works = (await page.getByRole('list', { name: 'Where the key works' }).textContent())!;
    for (const base of ['/elevenlabs', '/openai/v1', '/heygen', '/mistral', '/v1'])
      assert.ok(works.includes(`${new URL(page.url()).origin}${base} `), `${base} in: ${works}`);
    const curl = (await page.locator('pre', { hasText: 'xi-api-key' }).textContent())!;
    const voices = await fetch(/'(http[^']+)'$/.exec(curl)![1], { headers: { 'xi-api-key': shownKey } }).then((r) => r.json());
    assert.ok(Array.isArray(voices.voices) && voices.voices.length > 0, 'the ElevenLabs curl lists voices');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revoke backend' }).click();
    await page.locator('[data-key]', { hasText: 'revoked' }).waitFor();
    assert.equal(await asKey(), 401, 'a revoked key fails at once');
    await page.reload();
    await page.getByRole('heading', { name: 'console-app', level: 1 }).waitFor();
    const native = page.getByRole('region', { name: 'Usage of console-app' }).locator('[data-usage="native"]');
    await native.waitFor();
    assert.match((await native.textContent())!, /native \/v1\s*1\s*0/, 'the one request made with the key');

    // The app's ZEGO account at the vendor: saved (the secret never shown again), then removed.
    const zegoUpstream = page.getByRole('region', { name: 'Upstreams of console-app' }).locator('[data-upstream="zego"]');
    await zegoUpstream.locator('summary').click();
    await zegoUpstream.getByLabel('Base URL').fill('https://zego.example.com');
    await zegoUpstream.getByLabel('AppId at ZEGO').fill('424242');
    await zegoUpstream.getByLabel('ServerSecret at ZEGO').fill('consoleSecretConsoleSecret000042');
    await zegoUpstream.getByRole('button', { name: 'Save ZEGO upstream' }).click();
    await zegoUpstream.getByRole('button', { name: 'Sync ZEGO now' }).waitFor();
    assert.match((await zegoUpstream.textContent())!, /https:\/\/zego\.example\.com · never synced/);
    assert.equal(await zegoUpstream.getByLabel('ServerSecret at ZEGO').inputValue(), '', 'the secret is not shown again');
    const stored = await (await fetch(`${server.url}/v1/apps/console-app/upstreams/zego`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
    assert.deepEqual([stored.appId, stored.serverSecret], [424242, '…0042']);
    page.once('dialog', (d) => void d.accept());
    await zegoUpstream.getByRole('button', { name: 'Remove ZEGO upstream' }).click();
    await zegoUpstream.getByText('not configured').waitFor();
    assert.equal((await fetch(`${server.url}/v1/apps/console-app/upstreams/zego`, { headers: { authorization: `Bearer ${ADMIN}` } })).status, 404);

    // The operator's ElevenLabs account, for every app without its own: the key field only, masked once saved.
    await page.goto(`${server.url}/console/#/operator`);
    const eleven = page.getByRole('region', { name: 'Operator’s upstreams' }).locator('[data-upstream="elevenlabs"]');
    await eleven.locator('summary').click();
    await eleven.getByLabel('API key at ElevenLabs').fill('sk_console_operator_9876');
    await eleven.getByRole('button', { name: 'Save ElevenLabs upstream' }).click();
    await eleven.getByRole('button', { name: 'Sync ElevenLabs now' }).waitFor();
    assert.match((await eleven.textContent())!, /https:\/\/api\.elevenlabs\.io · never synced/);
    const operator = await (await fetch(`${server.url}/v1/upstreams/elevenlabs`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
    assert.deepEqual([operator.url, operator.apiKey], ['https://api.elevenlabs.io', '…9876']);
    const heygen = page.getByRole('region', { name: 'Operator’s upstreams' }).locator('[data-upstream="heygen"]');
    await heygen.locator('summary').click();
    await heygen.getByLabel('API key at HeyGen').fill('hg_console_1');
    await heygen.getByRole('button', { name: 'Save HeyGen upstream' }).click();
    await heygen.getByRole('button', { name: 'Sync HeyGen now' }).waitFor();
    assert.match((await heygen.textContent())!, /https:\/\/api\.heygen\.com · never synced/);

    await page.getByRole('link', { name: 'Try it' }).click();
    // The Apps page (whose fields also match 'App') stays until the route changes: wait for the new page.
    await page.getByRole('heading', { name: 'Try it' }).waitFor();
    await page.getByLabel('App').selectOption('console-app');
    await page.getByRole('button', { name: 'Send signed request' }).click();
    const response = page.getByLabel('Wire response');
    await page.waitForFunction(() => (document.querySelector('[aria-label="Wire response"]')?.textContent ?? '').includes('HTTP'));
    assert.match((await response.textContent())!, /HTTP 200[\s\S]*"Code": 0/);
    assert.match((await page.getByLabel('Wire request').textContent())!, /POST http.*Action=GetTimbreList.*Signature=[0-9a-f]{32}/);
    await shot('try-it');
  });
  test("an app's webhooks: add one (its secret shown once), a signed test event, its deliveries, redeliver, disable, remove", async () => {
    await page.getByRole('link', { name: 'Apps' }).click();
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
    await page.locator('[data-app="demo"]').getByRole('link', { name: 'demo' }).click();
    const panel = page.getByRole('region', { name: 'Webhooks of demo' });
    await panel.getByText('No webhook endpoints yet.').waitFor();
    await panel.getByLabel('Endpoint URL').fill(hookUrl);
    await panel.getByLabel('Event types').fill('timbre.*, binding.updated');
    await panel.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await panel
      .locator('code.secret')
      .filter({ hasText: /^whsec_/ })
      .textContent())!;
    const endpoint = panel.locator('[data-webhook]');
    assert.match((await endpoint.textContent())!, /enabled · timbre\.\*, binding\.updated/);
    // The test event arrives signed with the secret shown (verified by the standardwebhooks package).
    await endpoint.getByRole('button', { name: 'Send a test event' }).click();
    const deadline = Date.now() + 10_000;
    while (!hooks.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(hooks.length, 1, 'the test event was delivered');
    const ping = new Webhook(secret).verify(hooks[0].body, hooks[0].headers) as { type: string };
    assert.equal(ping.type, 'ping');
    // Its delivery is listed, succeeded; redelivered, the receiver gets it again under the same webhook-id.
    const refresh = endpoint.getByRole('button', { name: 'Refresh deliveries' });
    const delivered = endpoint.locator('[data-delivery]', { hasText: 'succeeded' });
    await refresh.waitFor();
    while (!(await delivered.count()) && Date.now() < deadline) await refresh.click();
    assert.match((await delivered.first().textContent())!, /ping[\s\S]*succeeded[\s\S]*HTTP 204/);
    await delivered.first().getByRole('button', { name: 'Redeliver' }).click();
    while (hooks.length < 2 && Date.now() < deadline + 10_000) await new Promise((r) => setTimeout(r, 50));
    assert.equal(hooks[1].headers['webhook-id'], hooks[0].headers['webhook-id'], 'a redelivery keeps its webhook-id');
    await shot('webhooks');
    await endpoint.getByRole('button', { name: 'Disable' }).click();
    await panel.locator('[data-webhook]', { hasText: 'disabled' }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await panel.locator('[data-webhook]').getByRole('button', { name: 'Remove' }).click();
    await panel.getByText('No webhook endpoints yet.').waitFor();
    const left = await (await fetch(`${server.url}/v1/webhooks`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
    assert.deepEqual(left.items, []);
  });

  test('as the demo app (its API key): create a timbre, upload its sample, bind it; ZEGO GetTimbreList returns the binding', async () => {
    const made = await fetch(`${server.url}/v1/apps/demo/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: '{"name":"console"}',
    });
    const { key } = (await made.json()) as { key: string };
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Operator token or API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Timbres' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Apps' }).isVisible(), false, 'an app does not manage apps');
    await page.getByRole('button', { name: 'New timbre' }).click();
    const creating = page.getByRole('dialog', { name: 'New timbre' });
    await creating.getByLabel('Key').fill('console_voice');
    await creating.getByLabel('Name', { exact: true }).fill('Console Voice');
    await creating.getByLabel('Description').fill('made in the console');
    await creating.getByRole('button', { name: 'Create timbre' }).click();
    await creating.waitFor({ state: 'detached' });
    await page.getByText('Created Console Voice.').waitFor();
    const card = page.locator('[data-timbre]', { hasText: 'Console Voice' });
    await card.waitFor();
    const id = (await card.getAttribute('data-timbre'))!;
    await card.getByRole('button', { name: 'Console Voice' }).click();
    const detail = page.getByRole('dialog', { name: 'Console Voice' });
    await detail.getByLabel('Upload sample for Console Voice').setInputFiles('demo/assets/tone-mid.wav');
    await page.getByText('Uploaded.').first().waitFor();
    const uploaded = page.locator(`[data-timbre="${id}"] audio`);
    await uploaded.waitFor();
    assert.match((await uploaded.getAttribute('src'))!, /\/files\/[0-9a-f]{64}\?expires=/);
    // The drawer shows the sample's waveform and length, decoded in the page.
    const wave = detail.getByRole('img', { name: /^Waveform of the sample of Console Voice, 0:\d\d\.\d long$/ });
    await wave.waitFor();
    assert.ok((await wave.locator('rect').count()) > 10, 'the waveform has its bars');
    await shot('timbre-detail');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });

    // The app's export: its own records only, in the import format, as a downloaded file.
    await page.getByRole('button', { name: 'Export and import' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export my catalog (NDJSON)' }).click()]);
    assert.match(download.suggestedFilename(), /^timbrel-demo-\d{8}T\d{6}\.ndjson$/);
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    const records = readFileSync(saved, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(
      records.some((r) => r.kind === 'timbre' && r.key === 'console_voice'),
      'the new timbre is in it',
    );
    assert.ok(
      records.every((r) => r.owner === 'demo'),
      'and nothing but the app\u2019s own',
    );
    // …and imported back through the page, with one more record: updated in place, the new one added.
    const edited = join(dir, 'edited.ndjson');
    writeFileSync(
      edited,
      `${readFileSync(saved, 'utf8').trim()}\n${JSON.stringify({ kind: 'timbre', key: 'imported_in_console', name: 'Imported in the console' })}\n`,
    );
    await page.getByLabel('Import my records (NDJSON)').setInputFiles(edited);
    await page.getByText(/^Imported \d+ anchors, \d+ digital humans, \d+ timbres/).waitFor();
    await page
      .locator('[data-timbre]', { hasText: 'Imported in the console' })
      .first()
      .waitFor({ state: 'attached' })
      .catch(() => undefined);
    const check = await fetch(`${server.url}/v1/timbres?q=console&owner=demo&total=true`, { headers: { authorization: `Bearer ${ADMIN}` } }).then(
      (r) => r.json() as Promise<{ items: { key: string }[] }>,
    );
    assert.ok(
      check.items.some((t) => t.key === 'imported_in_console'),
      'the imported record is stored',
    );
    // A voice of two languages takes a sample for each.
    const brand = page.locator('[data-timbre]', { hasText: 'Brand voice' });
    await brand.waitFor();
    await brand.getByRole('button', { name: 'Brand voice' }).click();
    const brandDetail = page.getByRole('dialog', { name: 'Brand voice' });
    await brandDetail.getByLabel('Upload zh-CN sample for Brand voice').setInputFiles('demo/assets/tone-high.wav');
    const perLanguage = brandDetail.locator('[data-language-sample="zh-CN"] audio');
    await perLanguage.waitFor();
    assert.match((await perLanguage.getAttribute('src'))!, /\/files\/[0-9a-f]{64}\?expires=/);
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: 'Digital humans' }).click();
    await page.getByRole('heading', { name: 'Digital humans' }).waitFor();
    await shot('digital-humans');
    await page.locator(`[data-digital-human="${AVA}"]`).getByRole('button', { name: 'Ava' }).click();
    await page.getByLabel('Find a timbre to bind').fill('Console Voice');
    await page.locator(`[data-found="${id}"]`).getByRole('button', { name: 'Bind Console Voice' }).click();
    await page.locator(`[data-bound="${id}"]`).waitFor();
    // Make it the default, then move it up: the order and default are saved.
    await page.locator(`[data-bound="${id}"]`).getByRole('button', { name: 'Make default' }).click();
    await page
      .locator(`[data-bound="${id}"]`, { hasText: '(default)' })
      .waitFor({ timeout: 5000 })
      .catch(async (err) => {
        const seen = await page.evaluate(`(document.getElementById('status')?.textContent ?? '') + ' | ' + document.querySelector('ol.bindings')?.outerHTML`);
        throw new Error(`${err.message}\n${seen}`);
      });
    await shot('bindings');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    const zego = new ZegoClient({ baseUrl: server.url, appId: demo.appId, serverSecret: demo.secret });
    const { Timbres } = await zego.getTimbreList({ DigitalHumanId: AVA, Offset: 0, Limit: 20 });
    assert.ok(
      Timbres.some((t) => t.TimbreId === id),
      `GetTimbreList(Ava) returns ${id}: ${Timbres.map((t) => t.TimbreId)}`,
    );
  });

  test("as the app: create a digital human, upload its picture and an action's preview video, and watch it", async () => {
    // A real WebM recorded by the browser itself (a canvas stream through MediaRecorder): no video tool needed.
    const webm = Buffer.from(
      (await page.evaluate(`(async () => {
        const c = document.createElement('canvas'); c.width = 64; c.height = 64;
        const g = c.getContext('2d'); let f = 0;
        const timer = setInterval(() => { g.fillStyle = 'hsl(' + (f++ * 40) + ',70%,50%)'; g.fillRect(0, 0, 64, 64); }, 40);
        const rec = new MediaRecorder(c.captureStream(25), { mimeType: 'video/webm' });
        const parts = []; rec.ondataavailable = (e) => parts.push(e.data);
        const stopped = new Promise((r) => (rec.onstop = r));
        rec.start(); await new Promise((r) => setTimeout(r, 600)); rec.stop(); await stopped; clearInterval(timer);
        const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
        let bin = ''; for (const b of bytes) bin += String.fromCharCode(b);
        return btoa(bin);
      })()`)) as string,
      'base64',
    );
    const video = join(dir, 'wave.webm');
    writeFileSync(video, webm);

    await page.getByRole('link', { name: 'Digital humans' }).click();
    await page.getByRole('heading', { name: 'Digital humans', exact: true, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New digital human' }).click();
    const creating = page.getByRole('dialog', { name: 'New digital human' });
    await creating.getByLabel('Name', { exact: true }).fill('Console Host');
    await creating.getByLabel('Anchor code').fill('console_host');
    await creating.getByLabel('Action codes').fill('wave');
    await creating.getByRole('button', { name: 'Create digital human' }).click();
    const card = page.locator('[data-digital-human]', { hasText: 'Console Host' });
    await card.waitFor();
    const id = (await card.getAttribute('data-digital-human'))!;
    await card.getByRole('button', { name: 'Console Host' }).click();
    const detail = page.getByRole('dialog', { name: 'Console Host' });
    await detail.getByLabel('Upload picture for Console Host').setInputFiles('demo/assets/rose.png');
    await page.locator(`[data-digital-human="${id}"] img.thumb`).waitFor();
    await detail.getByLabel('Upload preview video for wave of Console Host').setInputFiles(video);
    await detail.locator('[data-action="wave"] video').waitFor();
    const watched = await mediaLoaded(page, `dialog [data-action="wave"] video`);
    assert.ok(watched.state >= 1 && watched.videoWidth === 64, `the preview video loads: ${JSON.stringify(watched)}`);
    await shot('digital-human-preview');

    await detail.getByLabel('Name', { exact: true }).fill('Console Host 2');
    await detail.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-digital-human]', { hasText: 'Console Host 2' }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('dialog', { name: 'Console Host 2' }).getByRole('button', { name: 'Retire' }).click();
    await page.locator(`[data-digital-human="${id}"]`).waitFor({ state: 'detached' });
  });
  test('anchors: N of M, an anchor shows its looks, a digital human links to its anchor, an anchor is created', async () => {
    await page.getByRole('link', { name: 'Anchors' }).click();
    await page.getByRole('heading', { name: 'Anchors', exact: true, level: 1 }).waitFor();
    // The demo app sees the public anchors and its own (the demo's, and the one its console digital human made).
    const ava = page.locator('[data-anchor]', { hasText: 'Ava' }).first();
    await ava.waitFor();
    const count = await page.locator('main p.meta[aria-live]').textContent();
    const shown = await page.locator('ul.cards > [data-anchor]').count();
    const m = new RegExp(`^${shown} of ([\\d,]+)$`).exec(count ?? '');
    assert.ok(m && Number(m[1].replace(/,/g, '')) > shown, `the count says N of M: ${count}`);
    assert.equal(shown, 24, 'one page of 24');
    await shot('anchors');
    await ava.getByRole('button', { name: 'Ava' }).click();
    const avaDetail = page.getByRole('dialog', { name: 'Ava' });
    await avaDetail.locator('[data-look]').nth(1).waitFor();
    assert.equal(await avaDetail.locator('[data-look]').count(), 2, 'Ava has two looks');
    assert.equal(await avaDetail.getByRole('button', { name: 'Retire' }).count(), 0, 'an app is offered no write on a public anchor');
    await page.keyboard.press('Escape');
    await avaDetail.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'New anchor' }).click();
    const creating = page.getByRole('dialog', { name: 'New anchor' });
    await creating.getByLabel('Code', { exact: true }).fill('console_anchor');
    await creating.getByLabel('Name', { exact: true }).fill('Console Anchor');
    await creating.getByLabel('Type of the new anchor').selectOption('cartoon_3d');
    await creating.getByRole('button', { name: 'Create anchor' }).click();
    await page.locator('[data-anchor]', { hasText: 'Console Anchor' }).waitFor();
    assert.ok((await page.locator('#status p').count()) <= 2, 'toasts do not stack past two');

    await page.getByRole('link', { name: 'Digital humans' }).click();
    await page.getByRole('heading', { name: 'Digital humans', exact: true, level: 1 }).waitFor();
    assert.equal(await page.locator('#status p').count(), 0, 'a new page clears the toasts');
    const look = page.locator('[data-digital-human="42f97c28-1124-4cb2-800a-44d028497027"]');
    await look.getByRole('link', { name: 'Ava' }).click();
    await page.getByRole('heading', { name: 'Anchors' }).waitFor();
    await page.locator('[data-anchor]', { hasText: 'Ava' }).first().waitFor();
    assert.equal(await page.getByRole('searchbox', { name: 'Search' }).inputValue(), 'ava');
  });
  test('by keyboard alone: search, open a timbre and edit it, bind a timbre to a digital human', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Operator token or API key').fill(ADMIN);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Timbres', exact: true, level: 1 }).waitFor();
    // Focus starts at the page's heading; the navigation stays in view (sticky) however far the page scrolls.
    assert.equal(await page.evaluate('document.activeElement.tagName'), 'H1');
    await tabTo(page, `el.name === 'q'`);
    await page.keyboard.type('narrator');
    await page.keyboard.press('Enter');
    await page.getByText('2 of 2').waitFor();
    await tabTo(page, `el.classList.contains('title') && el.textContent === 'Calm narrator'`);
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: 'Calm narrator' });
    await drawer.waitFor();
    await tabTo(page, `el.name === 'description'`);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('A calm voice, edited by keyboard');
    await page.keyboard.press('Enter');
    await page.getByText('Saved.').waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Calm narrator', 'focus returns to what opened the drawer');
    const calmId = (await page.locator('[data-timbre]', { hasText: 'Calm narrator' }).getAttribute('data-timbre'))!;
    const calm = (await (await fetch(`${server.url}/v1/timbres/${calmId}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as {
      description: string;
    };
    assert.equal(calm.description, 'A calm voice, edited by keyboard');
    const header = await page.locator('header.top').boundingBox();
    await page.evaluate('scrollTo(0, document.body.scrollHeight)');
    assert.equal((await page.locator('header.top').boundingBox())?.y, header?.y, 'the navigation stays at the top');

    // Bind: to Lin (a public digital human), the operator binds the public Calm narrator.
    await page.getByRole('link', { name: 'Digital humans' }).click();
    await page.getByRole('heading', { name: 'Digital humans', exact: true, level: 1 }).waitFor();
    await page.locator('[data-digital-human]', { hasText: 'Lin' }).first().waitFor();
    await tabTo(page, `el.classList.contains('title') && el.textContent === 'Lin'`);
    await page.keyboard.press('Enter');
    const lin = page.getByRole('dialog', { name: 'Lin' });
    await lin.getByRole('heading', { name: 'Timbres of Lin' }).waitFor();
    await tabTo(page, `el.name === 'find'`);
    await page.keyboard.type('Calm narrator');
    const found = lin.locator('[data-found]', { hasText: 'Calm narrator' });
    await found.waitFor();
    const timbreId = (await found.getAttribute('data-found'))!;
    await tabTo(page, `el.textContent === 'Bind Calm narrator'`);
    await page.keyboard.press('Enter');
    await lin.locator(`[data-bound="${timbreId}"]`).waitFor();
    await page.keyboard.press('Escape');
  });

  test('cards or a table; the usage plot; each upstream with its last sync, its report and its health', async () => {
    // The table view of the same list, and its rows open the same drawer; the choice is remembered.
    await page.getByRole('link', { name: 'Timbres', exact: true }).click();
    await page.getByRole('heading', { name: 'Timbres', exact: true, level: 1 }).waitFor();
    await page.getByLabel('Search', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: 'Table' }).click();
    await page.locator('tr[data-timbre]').nth(23).waitFor();
    assert.equal(await page.locator('tr[data-timbre]').count(), 24);
    assert.equal(await page.locator('li[data-timbre]').count(), 0);
    await shot('timbres-table');
    await page.locator('tr[data-timbre]').first().locator('button.title').click();
    await page.getByRole('dialog').getByRole('heading', { name: 'Samples' }).waitFor();
    await page.keyboard.press('Escape');
    await page.reload();
    await page.locator('tr[data-timbre]').first().waitFor();
    await page.getByRole('button', { name: 'Cards' }).click();
    await page.locator('li[data-timbre]').first().waitFor();

    // Usage: requests of the demo app in two dialects, one of them failed, plotted by the hour.
    const made = await fetch(`${server.url}/v1/apps/demo/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: '{"name":"usage"}',
    });
    const { key } = (await made.json()) as { key: string };
    const hours = async () =>
      (
        (await (await fetch(`${server.url}/v1/apps/demo/usage/hours`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as {
          hours: { dialect: string; outcome: string; requests: number }[];
        }
      ).hours
        .filter((h) => h.dialect === 'native')
        .reduce((sum, h) => ({ ...sum, [h.outcome]: sum[h.outcome as 'ok' | 'failed'] + h.requests }), { ok: 0, failed: 0 });
    const before = await hours();
    const statuses: number[] = [];
    for (const path of ['/v1/timbres?limit=1', '/v1/timbres?limit=2', '/v1/timbres/00000000-0000-4000-8000-000000000000', '/elevenlabs/v2/voices'])
      statuses.push((await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}`, 'xi-api-key': key } })).status);
    assert.deepEqual(statuses, [200, 200, 404, 200]);
    await page.goto(`${server.url}/console/#/apps/demo`);
    await page.getByRole('heading', { name: 'demo', exact: true, level: 1 }).waitFor();
    const usage = page.locator('[data-panel="usage"]');
    const plot = usage.getByRole('img', { name: /^Requests an hour: \d+ requests \(\d+ failed\)/ });
    await plot.waitFor();
    assert.ok((await plot.locator('rect.d-native').count()) >= 1, 'native requests are plotted');
    assert.ok((await plot.locator('rect.d-elevenlabs').count()) >= 1, 'ElevenLabs requests are plotted');
    assert.ok((await plot.locator('rect.failed').count()) >= 1, 'the failed request is plotted');
    // The table under the plot: what was asked before, two more answered and one more failed.
    const cells = await usage.locator('[data-usage="native"] td').allTextContents();
    assert.deepEqual(cells.slice(0, 3), ['native /v1', String(before.ok + 2), String(before.failed + 1)]);
    await usage.getByRole('button', { name: '7 days' }).click();
    await usage.getByText(/from \d{4}-\d\d-\d\d \d\d:\d\d to/).waitFor();
    await plot.waitFor();

    // An upstream that refuses the app's signature: the sync fails, and the app's page says so.
    const upstream = await fetch(`${server.url}/v1/apps/demo/upstreams/zego`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: hookUrl.replace('/hook', ''), appId: 4242, serverSecret: 'consoleSecretConsoleSecret000042' }),
    });
    assert.equal(upstream.status, 200, await upstream.text());
    await page.reload();
    const zego = page.locator('[data-upstream="zego"]');
    await zego.getByRole('button', { name: 'Sync ZEGO now' }).click();
    await zego.locator('.badge', { hasText: 'failing' }).waitFor({ timeout: 20_000 });
    assert.match((await zego.textContent())!, /last sync failed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    assert.match((await zego.textContent())!, /no relayed calls in 24 h/);
    await zego.getByText('Report of the last sync').click();
    assert.match((await zego.locator('dl.facts').textContent())!, /Pages asked\d+/);
    await shot('app');
    await fetch(`${server.url}/v1/apps/demo/upstreams/zego`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } });
  });

  test('every page: axe-core finds no serious or critical violation, and nothing is wider than a phone', async () => {
    // Each page with what says it has read what it shows.
    const pages: [string, string, string][] = [
      ['#/timbres', 'Timbres', '.card'],
      ['#/digital-humans', 'Digital humans', '.card'],
      ['#/anchors', 'Anchors', '.card'],
      ['#/apps', 'Apps', 'tr[data-app]'],
      ['#/apps/demo', 'demo', '[data-panel="usage"] svg.plot'],
      ['#/operator', 'Operator', '[data-upstream]'],
      ['#/try', 'Try it', 'textarea'],
    ];
    for (const [hash, title, ready] of pages) {
      await page.goto(`${server.url}/console/${hash}`);
      await page.getByRole('heading', { name: title, exact: true, level: 1 }).waitFor();
      await page.locator(ready).first().waitFor();
      await accessible(page, title);
      await page.setViewportSize({ width: 390, height: 844 });
      const width = await page.evaluate('document.documentElement.scrollWidth');
      assert.ok((width as number) <= 390, `${title} is ${width} px wide at 390 px: ${await tooWide(page)}`);
      await page.setViewportSize({ width: 1280, height: 860 });
    }
    // The drawers, with their uploads and bindings, and the "New …" forms.
    for (const [hash, title, item] of [
      ['#/timbres', 'Timbres', 'Brand voice'],
      ['#/digital-humans', 'Digital humans', 'Ava'],
      ['#/anchors', 'Anchors', 'Ava'],
    ] as const) {
      await page.goto(`${server.url}/console/${hash}`);
      await page.getByRole('heading', { name: title, exact: true, level: 1 }).waitFor();
      await page.locator('.card button.title', { hasText: item }).first().click();
      await page.getByRole('dialog', { name: item }).locator('h3').first().waitFor();
      await accessible(page, `${item} in ${title}`);
      await page.setViewportSize({ width: 390, height: 844 });
      const width = await page.evaluate('document.documentElement.scrollWidth');
      assert.ok((width as number) <= 390, `the drawer of ${item} is ${width} px wide at 390 px: ${await tooWide(page)}`);
      await page.setViewportSize({ width: 1280, height: 860 });
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: /^New / }).click();
      await page.getByRole('dialog', { name: /^New / }).waitFor();
      await accessible(page, `New in ${title}`);
      await page.keyboard.press('Escape');
    }
    assert.deepEqual(cspRefusals, [], 'the CSP refused nothing');
  });
});
