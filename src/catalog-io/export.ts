import { PUBLIC_OWNER } from '../core/types.js';
import { anchorFromRow, digitalHumanFromRow, timbreFromRow } from '../store/index.js';
import type { Services } from '../services.js';

/**
 * The whole catalog as catalog-format records (anchors, digital humans, timbres, then bindings, so that a
 * re-import finds what each look and binding names). Ids are kept; stored files stay `stored:<sha256>` references.
 */
export async function* exportCatalog(services: Services, onlyOwner?: string): AsyncGenerator<Record<string, unknown>> {
  const names = new Map((await services.apps.list()).map((a) => [a.id, a.name]));
  const ownerName = (owner: string) => (owner === PUBLIC_OWNER ? null : (names.get(owner) ?? null));
  const repo = services.repo;
  // One owner's records only (an app exporting its own), or every record.
  const mine = <R extends { owner: string }>(rows: R[]) => (onlyOwner === undefined ? rows : rows.filter((r) => r.owner === onlyOwner));
  for await (const rows of repo.scan('anchors')) {
    for (const row of mine(rows)) {
      const { owner, createdAt, updatedAt, ...a } = anchorFromRow(row);
      yield { kind: 'anchor', ...a, owner: ownerName(owner), createdAt: new Date(createdAt).toISOString() };
      void updatedAt;
    }
  }
  for await (const rows of repo.scan('digital_humans')) {
    for (const row of mine(rows)) {
      const { owner, createdAt, updatedAt, ...d } = digitalHumanFromRow(row);
      yield { kind: 'digitalHuman', ...d, owner: ownerName(owner), createdAt: new Date(createdAt).toISOString() };
      void updatedAt;
    }
  }
  for await (const rows of repo.scan('timbres')) {
    for (const row of mine(rows)) {
      const { owner, createdAt, updatedAt, ...t } = timbreFromRow(row);
      yield { kind: 'timbre', ...t, owner: ownerName(owner), createdAt: new Date(createdAt).toISOString() };
      void updatedAt;
    }
  }
  for await (const rows of repo.scan('bindings')) {
    for (const b of mine(rows)) {
      yield {
        kind: 'binding',
        owner: ownerName(b.owner),
        digitalHuman: b.digital_human_id,
        timbre: b.timbre_id,
        sortOrder: Number(b.sort_order),
        isDefault: Boolean(Number(b.is_default)),
      };
    }
  }
}
