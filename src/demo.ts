import { fileURLToPath } from 'node:url';
import type { App } from './core/types.js';
import type { Services } from './services.js';
import { CatalogImporter, openCatalogFile } from './catalog-io/import.js';

export const DEMO_APP = 'demo';
export const DEMO_CATALOG = fileURLToPath(new URL('../demo/catalog.json', import.meta.url));

/** Seeds the demo catalog once: the demo app, then demo/catalog.json. Returns the demo app. */
export async function ensureDemo(services: Services): Promise<{ app: App; seeded: boolean }> {
  const existing = await services.apps.byName(DEMO_APP);
  if (existing) return { app: existing, seeded: false };
  const app = await services.apps.create({ name: DEMO_APP });
  await new CatalogImporter(services).run(openCatalogFile(DEMO_CATALOG));
  return { app, seeded: true };
}
