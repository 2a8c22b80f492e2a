/**
 * One description per kind of catalog asset: its table, how a row becomes the asset, which of its fields
 * are files, the fields a vendor's media arrive in, the scope rule of its key, and its store's writes.
 * Code that handles "any asset" (the sync's writer, the import's lookups, the gateway's reads) asks this
 * table instead of switching on the kind.
 */
import type { Anchor, DigitalHuman, Timbre } from '../core/types.js';
import { scopeConflict } from '../core/scope.js';
import { anchorFiles } from './anchors.js';
import { digitalHumanFiles } from './digital-humans.js';
import { timbreFiles } from './timbres.js';
import { anchorFromRow, digitalHumanFromRow, timbreFromRow } from './rows.js';
import type { Db, Listable } from './sorts.js';
import type { Repository } from './repository.js';
import type { WriteMode } from './bulk-upsert.js';

export type AssetKind = 'timbre' | 'digitalHuman' | 'anchor';
export type AssetOf<K extends AssetKind> = K extends 'timbre' ? Timbre : K extends 'digitalHuman' ? DigitalHuman : Anchor;
export type Asset = Timbre | DigitalHuman | Anchor;

export interface AssetKindInfo<A extends Asset> {
  table: Listable;
  /** The kind's name in messages. */
  noun: string;
  fromRow(row: any): A;
  /** The file references the asset holds (stored files it keeps alive). */
  files(asset: A): string[];
  /** The fields a vendor gives as media URLs (the sync copies them into the file store). */
  media: readonly string[];
  /**
   * The assets among `assets` the scope rule of their key refuses (a private key never shadows a public
   * one, a public key never takes one an app holds), by index, with why. Kinds without a key: none.
   */
  scopeRefusals(repo: Repository, db: Db, assets: A[]): Promise<Map<number, string>>;
  /** Writes assets in bulk; answers the indexes of those not written (an id another owner holds). */
  upsert(repo: Repository, db: Db, assets: A[], mode?: WriteMode): Promise<number[]>;
  /** Changes one asset in a transaction of its own (undefined when not found among `owners`). */
  change(repo: Repository, id: string, owners: string[] | undefined, fn: (current: A) => A | Promise<A>): Promise<A | undefined>;
  byId(repo: Repository, id: string, owners?: string[]): Promise<A | undefined>;
}

/** A scope rule over one text field and who holds each value. */
function keyRule<A extends Timbre | Anchor>(
  noun: string,
  field: 'key' | 'code',
  holders: (repo: Repository, db: Db, values: string[]) => Promise<Map<string, { id: string; owner: string }[]>>,
) {
  return async (repo: Repository, db: Db, assets: A[]): Promise<Map<number, string>> => {
    const value = (a: A) => (a as unknown as Record<string, string>)[field];
    const held = await holders(repo, db, assets.map(value));
    const refused = new Map<number, string>();
    assets.forEach((a, i) => {
      const why = scopeConflict({ noun, field, value: value(a) }, a, held.get(value(a)) ?? []);
      if (why) refused.set(i, why);
    });
    return refused;
  };
}

export const ASSET_KINDS: { [K in AssetKind]: AssetKindInfo<AssetOf<K>> } = {
  timbre: {
    table: 'timbres',
    noun: 'timbre',
    fromRow: timbreFromRow,
    files: timbreFiles,
    media: ['image', 'sample'],
    scopeRefusals: keyRule<Timbre>('timbre', 'key', (repo, db, keys) => repo.timbres.keyHolders(db, keys)),
    upsert: (repo, db, assets, mode) => repo.timbres.upsert(db, assets, mode),
    change: (repo, id, owners, fn) => repo.timbres.change(id, owners, fn),
    byId: (repo, id, owners) => repo.timbres.byId(id, owners),
  },
  digitalHuman: {
    table: 'digital_humans',
    noun: 'digital human',
    fromRow: digitalHumanFromRow,
    files: digitalHumanFiles,
    media: ['headerImage', 'poseImage', 'clothesImage'],
    scopeRefusals: async () => new Map(),
    upsert: async (repo, db, assets, mode) => (await repo.digitalHumans.upsert(db, assets, mode)).skipped.map((s) => s.index),
    change: (repo, id, owners, fn) => repo.digitalHumans.change(id, owners, fn),
    byId: (repo, id, owners) => repo.digitalHumans.byId(id, owners),
  },
  anchor: {
    table: 'anchors',
    noun: 'anchor',
    fromRow: anchorFromRow,
    files: anchorFiles,
    media: ['headerImage'],
    scopeRefusals: keyRule<Anchor>('anchor', 'code', (repo, db, codes) => repo.anchors.codeHolders(db, codes)),
    upsert: (repo, db, assets, mode) => repo.anchors.upsert(db, assets, mode),
    change: (repo, id, owners, fn) => repo.anchors.change(id, owners, fn),
    byId: (repo, id, owners) => repo.anchors.byId(id, owners),
  },
};

/** The description of a kind, typed for code that holds an asset of any kind. */
export const assetKind = (kind: AssetKind): AssetKindInfo<Asset> => ASSET_KINDS[kind] as unknown as AssetKindInfo<Asset>;
