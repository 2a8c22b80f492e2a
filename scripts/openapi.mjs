// Writes the native API's OpenAPI document (from the built server, no listening socket) to
// packages/client/openapi.json, and the SDK's types generated from it to packages/client/src/schema.ts.
// test/sdk/sdk.test.ts fails when either is out of date: run `npm run sdk:types` after changing /v1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp } from '../dist/app.js';
import { loadConfig } from '../dist/config.js';
import { openServices } from '../dist/services.js';

export async function openapiDocument() {
  const dir = mkdtempSync(join(tmpdir(), 'timbrel-openapi-'));
  const services = await openServices(loadConfig({ TIMBREL_DATA_DIR: dir, TIMBREL_PUBLIC_URL: 'http://localhost:8080' }));
  try {
    const app = await buildApp(services);
    const doc = JSON.parse((await app.inject({ method: 'GET', url: '/v1/openapi.json' })).body);
    await app.close();
    return doc;
  } finally {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function schemaSource(doc) {
  const banner = '// Generated from packages/client/openapi.json by scripts/openapi.mjs (npm run sdk:types). Do not edit.\n';
  return banner + astToString(await openapiTS(doc));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const doc = await openapiDocument();
  writeFileSync('packages/client/openapi.json', `${JSON.stringify(doc, null, 2)}\n`);
  writeFileSync('packages/client/src/schema.ts', await schemaSource(doc));
  console.log('wrote packages/client/openapi.json and packages/client/src/schema.ts');
}
