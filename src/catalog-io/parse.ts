/**
 * Turns one catalog record into a validated value, without touching the store: this runs in the parse
 * worker (src/catalog-io/parse-worker.ts) beside the writer, or in-process for small sources. What needs
 * the store — owner names to app ids, local files, ids found by key — is resolved by the importer.
 */
import { TimbrelError } from '../core/errors.js';
import { normalizeId, stableId } from '../core/ids.js';
import { ANCHOR_TAGS, AVATAR_TYPES, DRIVER_TYPES, GENDERS, PUBLIC_OWNER, TIMBRE_TYPES, type Anchor, type DigitalHuman, type Timbre } from '../core/types.js';
import { isExternalUrl } from '../files/urls.js';
import { timbreValues, type AssetKind, type AssetOf, type TimbreValues } from '../store/index.js';
import { bool, instant, int, kindOf, num, oneOf, optStr, owner, str, strList, type Rec } from './records.js';

export type Parsed =
  /** A timbre: `t.owner` is a placeholder and file fields are as written, until the importer resolves them. */
  | { kind: 'timbre'; where: string; ownerName: string | null; idGiven: boolean; t: Timbre }
  | { kind: 'digitalHuman'; where: string; ownerName: string | null; d: DigitalHuman }
  | { kind: 'anchor'; where: string; ownerName: string | null; idGiven: boolean; a: Anchor }
  | { kind: 'binding'; where: string; ownerName: string | null; digitalHuman: string; timbre: string; sortOrder: number; isDefault: boolean }
  | { kind: 'error'; where: string; message: string };

/**
 * A record as the importer takes it. A timbre comes as its row values (src/store/rows.ts), built where it
 * was parsed so that the writer only binds them; their owner is a placeholder until the importer resolves
 * `ownerName`, and `files` says whether a file field needs the store (a local path or a stored: ref).
 */
export type ImportRecord =
  { kind: 'timbre'; where: string; ownerName: string | null; idGiven: boolean; files: boolean; row: TimbreValues } | Exclude<Parsed, { kind: 'timbre' }>;

/** A file field that the importer must resolve against the store: a local path or a stored: ref. */
const needsStore = (v: string | null) => v !== null && !isExternalUrl(v);

export function forImport(p: Parsed): ImportRecord {
  if (p.kind !== 'timbre') return p;
  const { t } = p;
  return {
    kind: 'timbre',
    where: p.where,
    ownerName: p.ownerName,
    idGiven: p.idGiven,
    files: needsStore(t.image) || needsStore(t.sample) || Object.values(t.languageSamples).some(needsStore),
    row: timbreValues(t),
  };
}

/** Validates a record; a bad one becomes `{kind: 'error'}` with the message the import reports. */
export function parseRecord(where: string, record: unknown, now: number): Parsed {
  try {
    if (record instanceof TimbrelError) throw record;
    const kind = kindOf(record);
    const r = record as Rec;
    if (kind !== 'binding') return PARSE[kind](where, r, now);
    return {
      kind,
      where,
      ownerName: owner(r),
      digitalHuman: str(r, 'digitalHuman', { required: true, max: 64 }),
      timbre: str(r, 'timbre', { required: true, max: 128 }),
      sortOrder: int(r, 'sortOrder', 0),
      isDefault: bool(r, 'isDefault', false),
    };
  } catch (err) {
    return { kind: 'error', where, message: (err as Error).message };
  }
}

/** One record of a known kind, for a single write (the native API); a bad one throws invalid_parameter. */
export function parseOne<K extends AssetKind>(kind: K, record: Rec, now: number): Extract<Parsed, { kind: K }> {
  const p = parseRecord('body', { ...record, kind }, now);
  if (p.kind === 'error') throw new TimbrelError('invalid_parameter', p.message);
  return p as Extract<Parsed, { kind: K }>;
}

const VALUE_OF = { timbre: 't', digitalHuman: 'd', anchor: 'a' } as const;

/**
 * A stored asset with the fields of a PATCH body applied, validated as a whole record (a bad one throws
 * invalid_parameter); its id, owner, status, successor and creation stay as stored.
 */
export function patched<K extends AssetKind>(kind: K, current: AssetOf<K>, body: Rec, now: number): AssetOf<K> {
  const parsed = parseOne(kind, { ...current, owner: null, ...body, id: current.id }, now) as unknown as Record<string, AssetOf<K>>;
  return { ...parsed[VALUE_OF[kind]], owner: current.owner, status: current.status, replacedBy: current.replacedBy, createdAt: current.createdAt };
}

/** The fields every asset has about its place and life: status, successor, order, times. */
function lifecycle(r: Rec, now: number) {
  return {
    status: oneOf(r, 'status', ['active', 'retired'] as const, 'active'),
    replacedBy: optStr(r, 'replacedBy', 64),
    sortOrder: int(r, 'sortOrder', 0),
    createdAt: instant(r, 'createdAt') ?? now,
    updatedAt: now,
  };
}

function parseTimbre(where: string, r: Rec, now: number): Parsed {
  const ownerName = owner(r);
  const key = str(r, 'key', { required: true, max: 128 });
  const givenId = optStr(r, 'id', 64);
  // Derived from the owner's name, not its internal id, so that two instances agree on a file's ids.
  const id = givenId === null ? stableId('timbre', ownerName ?? '', key) : normalizeId(givenId);
  if (id === undefined) throw new TimbrelError('invalid_parameter', 'id must be a UUID');
  const t: Timbre = {
    id,
    owner: PUBLIC_OWNER,
    key,
    name: str(r, 'name', { required: true, max: 256 }),
    description: str(r, 'description', { max: 2048 }),
    gender: oneOf(r, 'gender', GENDERS, 'neutral'),
    languages: strList(r, 'languages'),
    emotions: strList(r, 'emotions'),
    timbreType: oneOf(r, 'timbreType', TIMBRE_TYPES, 'Boutique'),
    supportedAvatarTypes: strList(r, 'supportedAvatarTypes', AVATAR_TYPES),
    driverTypes: strList(r, 'driverTypes', DRIVER_TYPES),
    expiresAt: instant(r, 'expiresAt'),
    image: optStr(r, 'image'),
    sample: optStr(r, 'sample'),
    languageSamples: {},
    tags: strList(r, 'tags'),
    age: str(r, 'age', { max: 64 }),
    accent: str(r, 'accent', { max: 64 }),
    useCases: strList(r, 'useCases'),
    ...lifecycle(r, now),
  };
  t.languageSamples = languageSamples(r, t.languages);
  return { kind: 'timbre', where, ownerName, idGiven: givenId !== null, t };
}

/** `languageSamples`: an object of at most 32 language tags (each one of the timbre's `languages`) → a file. */
function languageSamples(r: Rec, languages: string[]): Record<string, string> {
  const v = r.languageSamples;
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v))
    throw new TimbrelError('invalid_parameter', 'languageSamples must be an object of language tag → sample', 'languageSamples');
  const entries = Object.entries(v as Rec);
  if (entries.length > 32) throw new TimbrelError('invalid_parameter', 'languageSamples may hold at most 32 languages', 'languageSamples');
  const out: Record<string, string> = {};
  for (const [tag] of entries) {
    if (!languages.includes(tag))
      throw new TimbrelError(
        'invalid_parameter',
        `languageSamples: ${JSON.stringify(tag.slice(0, 64))} is not one of the timbre's languages`,
        'languageSamples',
      );
    const file = optStr(v as Rec, tag);
    if (file !== null) out[tag] = file;
  }
  return out;
}

function parseDigitalHuman(where: string, r: Rec, now: number): Parsed {
  const ownerName = owner(r);
  const givenId = optStr(r, 'id', 64);
  const name = str(r, 'name', { required: true, max: 256 });
  const anchorCode = str(r, 'anchorCode', { max: 128 });
  const clothesName = str(r, 'clothesName', { max: 128 });
  const poseName = str(r, 'poseName', { max: 128 });
  const id = givenId === null ? stableId('digitalHuman', ownerName ?? '', name, anchorCode, clothesName, poseName) : normalizeId(givenId);
  if (!id) throw new TimbrelError('invalid_parameter', 'id must be a UUID (with dashes or as 32 hex)');
  const rawActions = r.actions ?? [];
  if (!Array.isArray(rawActions) || rawActions.length > 100) throw new TimbrelError('invalid_parameter', 'actions must be an array of at most 100 items');
  const actions = rawActions.map((a) => {
    if (typeof a !== 'object' || a === null || Array.isArray(a))
      throw new TimbrelError('invalid_parameter', 'actions items must be objects {code, name, previewVideo}');
    return {
      code: str(a as Rec, 'code', { required: true, max: 128 }),
      name: str(a as Rec, 'name', { max: 128 }),
      previewVideo: optStr(a as Rec, 'previewVideo'),
    };
  });
  if (new Set(actions.map((a) => a.code)).size !== actions.length) throw new TimbrelError('invalid_parameter', 'actions must not name one code twice');
  const d: DigitalHuman = {
    id,
    owner: PUBLIC_OWNER,
    name,
    anchorCode,
    clothesName,
    poseName,
    resolution: str(r, 'resolution', { max: 32 }),
    avatarType: oneOf(r, 'avatarType', AVATAR_TYPES, 'real_man_2d'),
    headerImage: optStr(r, 'headerImage'),
    poseImage: optStr(r, 'poseImage'),
    clothesImage: optStr(r, 'clothesImage'),
    actions,
    driverTypes: strList(r, 'driverTypes', DRIVER_TYPES),
    backgroundChangeable: bool(r, 'backgroundChangeable', false),
    originZoom: num(r, 'originZoom', 1, 0, 1000),
    effectiveAt: instant(r, 'effectiveAt'),
    expiresAt: instant(r, 'expiresAt'),
    extraParams: extraParams(r),
    coverImage: optStr(r, 'coverImage'),
    renderPackage: optStr(r, 'renderPackage'),
    smallImageMode: bool(r, 'smallImageMode', false),
    frameFillPackage: optStr(r, 'frameFillPackage'),
    ...lifecycle(r, now),
  };
  return { kind: 'digitalHuman', where, ownerName, d };
}

/** IVH's SupportAnchorExtraParams, kept verbatim: a JSON array of objects of at most 64 KiB. */
function extraParams(r: Rec): Record<string, unknown>[] {
  const v = r.extraParams;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((o) => typeof o === 'object' && o !== null && !Array.isArray(o))) {
    throw new TimbrelError('invalid_parameter', 'extraParams must be an array of objects', 'extraParams');
  }
  const text = JSON.stringify(v);
  if (Buffer.byteLength(text) > 65_536) throw new TimbrelError('invalid_parameter', 'extraParams must be at most 64 KiB as JSON', 'extraParams');
  if (text.includes('\\u0000')) throw new TimbrelError('invalid_parameter', 'extraParams must not contain NUL characters', 'extraParams');
  return v as Record<string, unknown>[];
}

function parseAnchor(where: string, r: Rec, now: number): Parsed {
  const ownerName = owner(r);
  const code = str(r, 'code', { required: true, max: 128 });
  const givenId = optStr(r, 'id', 64);
  const id = givenId === null ? stableId('anchor', ownerName ?? '', code) : normalizeId(givenId);
  if (!id) throw new TimbrelError('invalid_parameter', 'id must be a UUID (with dashes or as 32 hex)');
  const a: Anchor = {
    id,
    owner: PUBLIC_OWNER,
    code,
    name: str(r, 'name', { required: true, max: 256 }),
    gender: oneOf(r, 'gender', GENDERS, 'neutral'),
    tag: oneOf(r, 'tag', ANCHOR_TAGS, 'Basic'),
    headerImage: optStr(r, 'headerImage'),
    avatarType: oneOf(r, 'avatarType', AVATAR_TYPES, 'real_man_2d'),
    ...lifecycle(r, now),
  };
  if (r.avatarType === undefined || r.avatarType === null) throw new TimbrelError('invalid_parameter', 'avatarType is required', 'avatarType');
  return { kind: 'anchor', where, ownerName, idGiven: givenId !== null, a };
}

/** Each kind's parser (the store's ASSET_KINDS describes the rest of a kind). */
const PARSE: Record<AssetKind, (where: string, r: Rec, now: number) => Parsed> = {
  timbre: parseTimbre,
  digitalHuman: parseDigitalHuman,
  anchor: parseAnchor,
};
