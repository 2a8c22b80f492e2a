/**
 * The native API's schemas (TypeBox → JSON Schema): they validate requests, serialize responses and are
 * the source of /v1/openapi.json.
 */
import { Type, type Static, type TProperties, type TSchema } from 'typebox';
import { ANCHOR_TAGS, AVATAR_TYPES, DRIVER_TYPES, GENDERS, TIMBRE_TYPES } from '../../core/types.js';

const Enum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const StrList = (max = 256) => Type.Array(Type.String({ maxLength: max }), { maxItems: 100 });
const Instant = Type.String({ format: 'date-time', description: 'ISO 8601' });
const AssetIn = Type.Union([Type.String({ maxLength: 4096, description: 'an http(s) URL, or stored:<sha256> of an uploaded file' }), Type.Null()]);
const AssetOut = Type.Union([Type.String({ description: 'an external URL, or a signed URL of a stored file (expires)' }), Type.Null()]);
/** A sample per language: language tag (one of the timbre's `languages`) → file. */
const LanguageSamplesIn = Type.Record(Type.String({ maxLength: 256 }), Type.String({ maxLength: 4096 }), {
  maxProperties: 32,
  description: "a sample per language: each key one of the timbre's languages, each value an http(s) URL or stored:<sha256>; replaces the whole map",
});
const LanguageSamplesOut = Type.Record(Type.String(), Type.String(), {
  description: 'a sample per language: language tag → an external URL or a signed URL of a stored file (expires)',
});

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'stable machine code' }),
    detail: Type.String(),
  },
  {
    $id: 'Problem',
    additionalProperties: true,
    examples: [
      {
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        code: 'conflict',
        detail: 'key "female_1" already belongs to timbre 1c6e0b52-3f7a-4d5e-9b21-8f4a6c2d7e01',
        param: 'key',
      },
    ],
  },
);

export const Id = Type.String({ description: 'UUID, dashed or as 32 hex', maxLength: 64 });

/** Every sortOrder is a 32-bit integer, on both engines (src/catalog-io/records.ts: the same range). */
export const SORT_ORDER_MIN = -2147483648;
export const SORT_ORDER_MAX = 2147483647;
const SortOrder = Type.Integer({ minimum: SORT_ORDER_MIN, maximum: SORT_ORDER_MAX, description: 'place in the list order (ascending), a 32-bit integer' });

export const TimbreFields = {
  key: Type.String({ minLength: 1, maxLength: 128, description: "the owner's unique key (a vendor voice code)" }),
  name: Type.String({ minLength: 1, maxLength: 256 }),
  description: Type.String({ maxLength: 2048 }),
  gender: Enum(GENDERS),
  languages: StrList(),
  emotions: StrList(),
  timbreType: Enum(TIMBRE_TYPES),
  supportedAvatarTypes: Type.Array(Enum(AVATAR_TYPES), { maxItems: 100 }),
  driverTypes: Type.Array(Enum(DRIVER_TYPES), { maxItems: 100 }),
  tags: StrList(),
  age: Type.String({ maxLength: 64 }),
  accent: Type.String({ maxLength: 64 }),
  useCases: StrList(),
  sortOrder: SortOrder,
};

export const TimbreCreate = Type.Object(
  {
    ...Object.fromEntries(Object.entries(TimbreFields).map(([k, v]) => [k, k === 'key' || k === 'name' ? v : Type.Optional(v as TSchema)])),
    id: Type.Optional(Id),
    owner: Type.Optional(
      Type.Union([Type.String({ maxLength: 64 }), Type.Null()], { description: 'operator only: an app name, or null for the public catalog' }),
    ),
    image: Type.Optional(AssetIn),
    sample: Type.Optional(AssetIn),
    languageSamples: Type.Optional(LanguageSamplesIn),
    expiresAt: Type.Optional(Type.Union([Instant, Type.Null()])),
  } as TProperties,
  { additionalProperties: false },
);

export const TimbrePatch = Type.Object(
  {
    ...Object.fromEntries(Object.entries(TimbreFields).map(([k, v]) => [k, Type.Optional(v as TSchema)])),
    image: Type.Optional(AssetIn),
    sample: Type.Optional(AssetIn),
    languageSamples: Type.Optional(LanguageSamplesIn),
    expiresAt: Type.Optional(Type.Union([Instant, Type.Null()])),
  } as TProperties,
  { additionalProperties: false, minProperties: 1 },
);

const Multi = (description: string) =>
  Type.Optional(
    Type.Union([Type.String({ maxLength: 1024 }), Type.Array(Type.String({ maxLength: 256 }), { maxItems: 50 })], {
      description: `${description}; several values: repeat the parameter or separate with commas`,
    }),
  );

/** What every stored asset says about its life: status, successor, times. */
const Lifecycle = {
  status: Enum(['active', 'retired'] as const),
  replacedBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Instant,
  updatedAt: Instant,
};

export const Timbre = Type.Object(
  {
    id: Type.String(),
    owner: Type.Union([Type.String({ description: 'the owning app' }), Type.Null()], { description: 'null: the public catalog' }),
    ...TimbreFields,
    image: AssetOut,
    sample: AssetOut,
    languageSamples: LanguageSamplesOut,
    expiresAt: Type.Union([Instant, Type.Null()]),
    ...Lifecycle,
  },
  {
    $id: 'Timbre',
    examples: [
      {
        id: '1c6e0b52-3f7a-4d5e-9b21-8f4a6c2d7e01',
        owner: null,
        key: 'female_1',
        name: 'female voice 1',
        description: 'Natural and graceful',
        gender: 'female',
        languages: ['zh-CN', 'en-US'],
        emotions: [],
        timbreType: 'Boutique',
        supportedAvatarTypes: ['real_man_2d'],
        driverTypes: ['Text'],
        tags: ['calm'],
        age: '',
        accent: '',
        useCases: [],
        sortOrder: 1,
        image: 'https://catalog.example.com/files/5c95…?expires=1796115600&signature=…',
        sample: 'https://catalog.example.com/files/8a1d…?expires=1796115600&signature=…',
        languageSamples: { 'en-US': 'https://catalog.example.com/files/3e0b…?expires=1796115600&signature=…' },
        expiresAt: null,
        status: 'active',
        replacedBy: null,
        createdAt: '2026-11-30T08:52:07.244Z',
        updatedAt: '2026-11-30T08:52:07.244Z',
      },
    ],
  },
);
export type TimbreDto = Static<typeof Timbre>;

/** The parameters of every list besides its filters: owner, status, sort and paging. */
const ListParams = {
  owner: Multi('public, private, mine (an app), or an app name (operator)'),
  status: Multi('active (default), retired'),
  sort: Type.Optional(Enum(['catalog', 'name', '-createdAt'] as const, "catalog (default): the vendor dialects' order")),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 2048, description: 'from nextCursor; bound to the filters it was made with' })),
  total: Type.Optional(Type.Boolean({ description: 'also count every match' })),
};

/** A page of a list of `ref`. */
const ListOf = (ref: string) =>
  Type.Object({
    items: Type.Array(Type.Ref(ref)),
    hasMore: Type.Boolean(),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
    total: Type.Optional(Type.Integer()),
  });

export const TimbreQuery = Type.Object(
  {
    ...ListParams,
    gender: Multi('male, female, neutral'),
    language: Multi('a language tag, e.g. en-US'),
    tag: Multi('a tag'),
    emotion: Multi('an emotion'),
    timbreType: Multi('Boutique, SampleBasic, SampleFast'),
    avatarType: Multi('a digital-human type the timbre supports'),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'words in name, description or tags (case and accents ignored)' })),
  },
  { additionalProperties: false },
);
export type TimbreQueryT = Static<typeof TimbreQuery>;

export const TimbreList = ListOf('Timbre');

export const IdParams = Type.Object({ id: Id });

export const RetireBody = Type.Union([Type.Object({ replacedBy: Type.Optional(Type.Union([Id, Type.Null()])) }, { additionalProperties: false }), Type.Null()]);

export const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, Type.Ref('Problem')]));

// ---- digital humans -----------------------------------------------------------------------------------

const ActionIn = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 128, description: 'the action tag clients send (unique within the digital human)' }),
    name: Type.Optional(Type.String({ maxLength: 128, description: "a display name (IVH ActionName); '' = the code" })),
    previewVideo: Type.Optional(AssetIn),
  },
  { additionalProperties: false },
);
const ExtraParams = Type.Array(Type.Object({}, { additionalProperties: true }), {
  maxItems: 1000,
  description: 'IVH SupportAnchorExtraParams (3D clothes-colour parameters): a JSON array of objects of at most 64 KiB, kept verbatim',
});

export const DigitalHumanFields = {
  name: Type.String({ minLength: 1, maxLength: 256 }),
  anchorCode: Type.String({ maxLength: 128 }),
  clothesName: Type.String({ maxLength: 128 }),
  poseName: Type.String({ maxLength: 128 }),
  resolution: Type.String({ maxLength: 32 }),
  avatarType: Enum(AVATAR_TYPES),
  driverTypes: Type.Array(Enum(DRIVER_TYPES), { maxItems: 100 }),
  backgroundChangeable: Type.Boolean(),
  originZoom: Type.Number({ minimum: 0, maximum: 1000 }),
  extraParams: ExtraParams,
  smallImageMode: Type.Boolean({ description: 'ZEGO IsSupportSmallImageMode: true only with a renderPackage' }),
  sortOrder: SortOrder,
};

const DigitalHumanInputs = {
  coverImage: Type.Optional(AssetIn),
  renderPackage: Type.Optional(AssetIn),
  frameFillPackage: Type.Optional(AssetIn),
  headerImage: Type.Optional(AssetIn),
  poseImage: Type.Optional(AssetIn),
  clothesImage: Type.Optional(AssetIn),
  actions: Type.Optional(Type.Array(ActionIn, { maxItems: 100 })),
  effectiveAt: Type.Optional(Type.Union([Instant, Type.Null()])),
  expiresAt: Type.Optional(Type.Union([Instant, Type.Null()])),
};

export const DigitalHumanCreate = Type.Object(
  {
    ...Object.fromEntries(Object.entries(DigitalHumanFields).map(([k, v]) => [k, k === 'name' ? v : Type.Optional(v as TSchema)])),
    ...DigitalHumanInputs,
    id: Type.Optional(Id),
    owner: Type.Optional(
      Type.Union([Type.String({ maxLength: 64 }), Type.Null()], { description: 'operator only: an app name, or null for the public catalog' }),
    ),
  } as TProperties,
  { additionalProperties: false },
);

export const DigitalHumanPatch = Type.Object(
  { ...Object.fromEntries(Object.entries(DigitalHumanFields).map(([k, v]) => [k, Type.Optional(v as TSchema)])), ...DigitalHumanInputs } as TProperties,
  { additionalProperties: false, minProperties: 1 },
);

export const DigitalHuman = Type.Object(
  {
    id: Type.String(),
    owner: Type.Union([Type.String(), Type.Null()], { description: 'null: the public catalog' }),
    ...DigitalHumanFields,
    headerImage: AssetOut,
    poseImage: AssetOut,
    clothesImage: AssetOut,
    coverImage: AssetOut,
    renderPackage: AssetOut,
    frameFillPackage: AssetOut,
    actions: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), previewVideo: AssetOut })),
    anchor: Type.Union(
      [Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), status: Enum(['active', 'retired'] as const) }), Type.Null()],
      {
        description: 'the anchor (presenter) this look belongs to, by anchorCode; null when it has none',
      },
    ),
    effectiveAt: Type.Union([Instant, Type.Null()]),
    expiresAt: Type.Union([Instant, Type.Null()]),
    ...Lifecycle,
  },
  { $id: 'DigitalHuman' },
);
export type DigitalHumanDto = Static<typeof DigitalHuman>;

export const DigitalHumanQuery = Type.Object(
  {
    ...ListParams,
    avatarType: Multi('an avatar type'),
    anchorCode: Multi("an anchor's code: its looks"),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'text in name, anchorCode, clothesName or poseName' })),
  },
  { additionalProperties: false },
);
export type DigitalHumanQueryT = Static<typeof DigitalHumanQuery>;

export const DigitalHumanList = ListOf('DigitalHuman');

// ---- anchors ------------------------------------------------------------------------------------------

export const AnchorFields = {
  code: Type.String({ minLength: 1, maxLength: 128, description: 'unique among the anchors one app sees; looks name it as anchorCode' }),
  name: Type.String({ minLength: 1, maxLength: 256 }),
  gender: Enum(GENDERS),
  tag: Enum(ANCHOR_TAGS, 'IVH Tag: Basic, Standard or Advanced'),
  avatarType: Enum(AVATAR_TYPES),
  sortOrder: SortOrder,
};

export const AnchorCreate = Type.Object(
  {
    ...Object.fromEntries(Object.entries(AnchorFields).map(([k, v]) => [k, ['code', 'name', 'avatarType'].includes(k) ? v : Type.Optional(v as TSchema)])),
    headerImage: Type.Optional(AssetIn),
    id: Type.Optional(Id),
    owner: Type.Optional(
      Type.Union([Type.String({ maxLength: 64 }), Type.Null()], { description: 'operator only: an app name, or null for the public catalog' }),
    ),
  } as TProperties,
  { additionalProperties: false },
);

export const AnchorPatch = Type.Object(
  {
    ...Object.fromEntries(
      Object.entries(AnchorFields)
        .filter(([k]) => k !== 'code')
        .map(([k, v]) => [k, Type.Optional(v as TSchema)]),
    ),
    headerImage: Type.Optional(AssetIn),
  } as TProperties,
  { additionalProperties: false, minProperties: 1 },
);

export const Anchor = Type.Object(
  {
    id: Type.String(),
    owner: Type.Union([Type.String(), Type.Null()], { description: 'null: the public catalog' }),
    ...AnchorFields,
    headerImage: AssetOut,
    ...Lifecycle,
  },
  {
    $id: 'Anchor',
    examples: [
      {
        id: '3f0c1e2d-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
        owner: null,
        code: 'ava',
        name: 'Ava',
        gender: 'female',
        tag: 'Standard',
        avatarType: 'real_man_2d',
        sortOrder: 1,
        headerImage: 'https://catalog.example.com/files/6690…?expires=1796115600&signature=…',
        status: 'active',
        replacedBy: null,
        createdAt: '2026-11-30T08:52:07.244Z',
        updatedAt: '2026-11-30T08:52:07.244Z',
      },
    ],
  },
);
export type AnchorDto = Static<typeof Anchor>;

export const AnchorQuery = Type.Object(
  {
    ...ListParams,
    avatarType: Multi('an avatar type'),
    gender: Multi('male, female, neutral'),
    tag: Multi('Basic, Standard, Advanced'),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'text in name or code' })),
  },
  { additionalProperties: false },
);
export type AnchorQueryT = Static<typeof AnchorQuery>;

export const AnchorList = ListOf('Anchor');

// ---- bindings -----------------------------------------------------------------------------------------

export const BoundTimbre = Type.Object({
  owner: Type.Union([Type.String(), Type.Null()], { description: "whose binding: null is the operator's (public)" }),
  sortOrder: Type.Integer(),
  isDefault: Type.Boolean(),
  timbre: Type.Ref('Timbre'),
});

export const BindingList = Type.Object({ items: Type.Array(BoundTimbre) });

export const BindParams = Type.Object({ id: Id, timbreId: Id });

export const BindBody = Type.Union([
  Type.Object({ sortOrder: Type.Optional(SortOrder), isDefault: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
  Type.Null(),
]);

export const ReorderBody = Type.Object(
  {
    order: Type.Array(Id, { maxItems: 1000, description: "the caller's bound timbre ids in their new order: all of them" }),
    default: Type.Optional(Type.Union([Id, Type.Null()], { description: 'the default timbre (one of order), or null for none' })),
  },
  { additionalProperties: false },
);
