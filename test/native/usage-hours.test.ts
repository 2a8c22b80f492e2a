/**
 * Usage that lasts: an app's requests counted into hourly buckets in the store, summed across instances
 * sharing the database, kept through a restart, pruned past 90 days, on both engines.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { openServices, type Services } from '../../src/services.js';
import { buildApp, injectRequest } from '../../src/app.js';
import { harness, keyedApps, v1, type Harness } from '../helpers.js';
import { testEngines } from '../engines.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 7, 10, 30);

for (const engine of await testEngines()) {
  describe(`usage in hourly buckets (${engine})`, () => {
    let h: Harness;
    let key: string;
    let admin: string;
    let second: { services: Services; app: Awaited<ReturnType<typeof buildApp>> };

    before(async () => {
      h = await harness({}, T0, engine);
      ({ key, admin } = await keyedApps(h));
      // A second instance on the same database (its own process in production; its own services here).
      const config = loadConfig({ TIMBREL_DATA_DIR: h.dir, ...(engine === 'postgres' ? { DATABASE_URL: h.services.config.databaseUrl } : {}) });
      const services = await openServices(config, { now: () => h.clock.ms });
      second = { services, app: await buildApp(services) };
    });
    after(async () => {
      await second?.app.close();
      await second?.services.close();
      await h?.close();
    });

    const voices = (on: 'first' | 'second') =>
      (on === 'first' ? h.inject : (o: Parameters<Harness['inject']>[0]) => injectRequest(second.app, o))({
        method: 'GET',
        url: '/openai/v1/audio/voices',
        headers: { authorization: `Bearer ${key}` },
      });
    const hours = async (query = '') => (await v1(h, 'GET', `/v1/apps/alpha/usage/hours${query}`, admin)).body;

    test('requests on two instances land in one bucket, by dialect and outcome', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await voices('first')).statusCode, 200);
      for (let i = 0; i < 2; i++) assert.equal((await voices('second')).statusCode, 200);
      await second.services.usage.flush();
      const u = await hours();
      const openai = u.hours.filter((r: { dialect: string }) => r.dialect === 'openai');
      assert.deepEqual(openai, [
        { hour: new Date(Math.floor(T0 / HOUR) * HOUR).toISOString(), dialect: 'openai', via: 'served', outcome: 'ok', requests: 5, characters: 0, bytes: 0 },
      ]);
      assert.equal(u.totals.requests >= 5, true);
    });

    test('a refused key counts nothing for the app; an app’s failures count as failed', async () => {
      const before = (await hours()).totals;
      await h.inject({ method: 'GET', url: '/openai/v1/audio/voices?legacy=maybe', headers: { authorization: `Bearer ${key}` } });
      await h.inject({ method: 'GET', url: '/openai/v1/audio/voices', headers: { authorization: 'Bearer tbk_not_a_key' } });
      const after = (await hours()).totals;
      assert.equal(after.requests - before.requests, 1);
      assert.equal(after.failed - before.failed, 1);
    });

    test('the next hour is a bucket of its own; a window answers only its hours', async () => {
      h.clock.ms = T0 + HOUR;
      await voices('first');
      const u = await hours(`?from=${new Date(T0 + HOUR).toISOString()}&to=${new Date(T0 + 2 * HOUR).toISOString()}`);
      assert.deepEqual(
        u.hours.map((r: { hour: string; requests: number }) => [r.hour, r.requests]),
        [[new Date(Math.floor((T0 + HOUR) / HOUR) * HOUR).toISOString(), 1]],
      );
      const bad = await v1(h, 'GET', `/v1/apps/alpha/usage/hours?from=${new Date(T0).toISOString()}&to=${new Date(T0 - HOUR).toISOString()}`, admin);
      assert.equal(bad.status, 400);
    });

    test('counts survive the instance that made them, and buckets past 90 days are pruned', async () => {
      await voices('second');
      await second.app.close();
      await second.services.close();
      const config = loadConfig({ TIMBREL_DATA_DIR: h.dir, ...(engine === 'postgres' ? { DATABASE_URL: h.services.config.databaseUrl } : {}) });
      const services = await openServices(config, { now: () => h.clock.ms });
      second = { services, app: await buildApp(services) };
      const u = await hours(`?from=${new Date(T0 + HOUR).toISOString()}&to=${new Date(T0 + 2 * HOUR).toISOString()}`);
      assert.equal(u.totals.requests, 2, 'the closed instance flushed its count');
      // 91 days later: a new request, a flush, and the old buckets are gone.
      h.clock.ms = T0 + 91 * 24 * HOUR;
      const restarted = await openServices(
        loadConfig({ TIMBREL_DATA_DIR: h.dir, ...(engine === 'postgres' ? { DATABASE_URL: h.services.config.databaseUrl } : {}) }),
        {
          now: () => h.clock.ms,
        },
      );
      await restarted.usage.flush();
      await restarted.close();
      const old = await h.services.repo.usage.hours((await h.services.apps.named('alpha')).id, 0, T0 + 2 * HOUR);
      assert.deepEqual(old, []);
    });
  });
}
