/**
 * Operations: liveness and readiness, Prometheus metrics counted by dialect, operation and code (with
 * rate-limit rejections), and logs that never carry a credential, whatever a request holds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { injectRequest, type buildApp } from '../../src/app.js';
import { harness, ivh, ivhQuery, loggedApp, seedTwoApps, zegoQuery, type Harness } from '../helpers.js';
import type { App } from '../../src/core/types.js';

describe('operations endpoints and logs', () => {
  let h: Harness;
  let alpha: App;
  let lines: string[];
  let logged: Awaited<ReturnType<typeof buildApp>>;

  before(async () => {
    h = await harness();
    ({ alpha } = await seedTwoApps(h));
    // A second HTTP service on the same services, logging everything (debug) into `lines`.
    ({ app: logged, lines } = await loggedApp(h));
  });
  after(async () => {
    await logged.close();
    await h.close();
  });

  test('/healthz is alive; /readyz checks the database and the file store', async () => {
    assert.deepEqual(JSON.parse((await h.inject({ method: 'GET', url: '/healthz' })).body), { status: 'ok' });
    const ready = await h.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(JSON.parse(ready.body), { status: 'ready', checks: { database: 'ok', files: 'ok' } });
  });

  test('/metrics counts requests by dialect, operation and code, their latency, and rate-limit rejections', async () => {
    const zego = (action: string) => h.inject({ method: 'POST', url: `/?Action=${action}&${zegoQuery(alpha, h.clock.ms)}`, payload: '{}' });
    await zego('GetTimbreList');
    await zego('GetTimbreList');
    await zego('NoSuchAction');
    assert.equal((await ivh(h, alpha, 'describetimbre', { PageIndex: 1, PageSize: 10 })).json.Header.Code, 0);
    await h.inject({ method: 'GET', url: '/v1/timbres' });
    await h.services.apps.setRateLimit('alpha', 1);
    h.clock.ms += 1000;
    await zego('GetTimbreList');
    const limited = JSON.parse((await zego('GetTimbreList')).body);
    assert.notEqual(limited.Code, 0);

    const text = (await h.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    assert.equal(value('timbrel_requests_total{dialect="zego",operation="GetTimbreList",code="0"}'), 3);
    assert.equal(value(`timbrel_requests_total{dialect="zego",operation="GetTimbreList",code="${limited.Code}"}`), 1);
    assert.ok(/timbrel_requests_total\{dialect="zego",operation="unsupported",code="\d+"\} 1/.test(text), 'an unknown action is one label, not its name');
    assert.equal(value('timbrel_requests_total{dialect="ivh",operation="describetimbre",code="0"}'), 1);
    assert.equal(value('timbrel_requests_total{dialect="native",operation="GET /v1/timbres",code="401"}'), 1);
    assert.equal(value('timbrel_rate_limit_rejections_total{app="alpha"}'), 1);
    assert.equal(value('timbrel_request_duration_seconds_count{dialect="zego",operation="GetTimbreList"}'), 4);
    await h.services.apps.setRateLimit('alpha', 1000);
  });

  test('logs carry no credential: bearer tokens, signatures, secrets, access tokens', async () => {
    const key = (await h.services.access.createKey(alpha)).text;
    const zq = zegoQuery(alpha, h.clock.ms, { Signature: 'f'.repeat(32) });
    await injectRequest(logged, { method: 'POST', url: `/?Action=GetTimbreList&${zq}`, payload: '{}' });
    await injectRequest(logged, { method: 'POST', url: `/?Action=GetTimbreList&${zegoQuery(alpha, h.clock.ms)}`, payload: '{}' });
    const iq = ivhQuery(alpha, h.clock.ms);
    await injectRequest(logged, {
      method: 'POST',
      url: `/v2/ivh/crmserver/customerassetservice/describetimbre?${iq}`,
      payload: '{"Header":{},"Payload":{"PageIndex":1,"PageSize":10}}',
    });
    await injectRequest(logged, { method: 'GET', url: '/v1/timbres', headers: { authorization: `Bearer ${key}` } });
    await injectRequest(logged, { method: 'GET', url: '/v1/timbres', headers: { authorization: 'Bearer tbk_not_a_real_key_but_secret_looking' } });
    // The second fence: a field that should never be logged is censored if it is.
    logged.log.info(
      { req: { headers: { authorization: `Bearer ${key}` } }, ServerSecret: alpha.zegoServerSecret, app: { accesstoken: alpha.ivhAccessToken } },
      'mistake',
    );
    assert.ok(lines.length >= 6, `log lines written (${lines.length})`);
    const all = lines.join('\n');
    const ivhSignature = new URLSearchParams(iq).get('signature')!;
    const zegoSig = new URLSearchParams(zegoQuery(alpha, h.clock.ms)).get('Signature')!;
    for (const secret of [key, alpha.zegoServerSecret, alpha.ivhAccessToken, ivhSignature, zegoSig, 'f'.repeat(32), 'tbk_not_a_real_key_but_secret_looking']) {
      assert.ok(!all.includes(secret), `a log line holds ${secret.slice(0, 6)}…`);
    }
    assert.match(all, /\[redacted\]/);
    assert.match(all, /"dialect":"zego"/, 'the request lines are there');
  });
});
