import { fileURLToPath } from 'node:url';
import type { App } from './core/types.js';
import type { Services } from './services.js';
import { CatalogImporter, openCatalogFile } from './catalog-io/import.js';

export const DEMO_APP = 'demo';
export const DEMO_CATALOG = fileURLToPath(new URL('../demo/catalog.json', import.meta.url));

/**
 * Seeds the demo catalog once: the demo app, demo/catalog.json, and an API key for the dialects that take
 * one (its text only when just made: it is stored hashed). Returns the demo app.
 */
export async function ensureDemo(services: Services): Promise<{ app: App; seeded: boolean; apiKey?: string }> {
  const existing = await services.apps.byName(DEMO_APP);
  if (existing) return { app: existing, seeded: false };
  const app = await services.apps.create({ name: DEMO_APP });
  await new CatalogImporter(services).run(openCatalogFile(DEMO_CATALOG));
  const { text } = await services.access.createKey(app, 'demo');
  return { app, seeded: true, apiKey: text };
}
