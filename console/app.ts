/**
 * timbrel's web console: a single page over the native /v1 API, served at /console/. No framework and
 * nothing loaded from elsewhere. Text from the catalog only ever enters the page as text nodes.
 */

import { TimbrelClientError, withRetries } from '@timbrel/client/native';

type Json = Record<string, any>;

const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;
const statusBox = document.getElementById('status')!;

const session = {
  get token() {
    return sessionStorage.getItem('timbrel.token') ?? '';
  },
  get operator() {
    return sessionStorage.getItem('timbrel.operator') === '1';
  },
  set(token: string, operator: boolean) {
    sessionStorage.setItem('timbrel.token', token);
    sessionStorage.setItem('timbrel.operator', operator ? '1' : '0');
  },
  clear() {
    sessionStorage.removeItem('timbrel.token');
    sessionStorage.removeItem('timbrel.operator');
  },
};

// ---- DOM helpers ------------------------------------------------------------------------------------------

type Child = Node | string | null | undefined | false;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, any> = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k in el && typeof v !== 'string') (el as any)[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** A short message in the corner: the newest two stay, each for a few seconds; a new page clears them. */
function say(message: string, error = false) {
  const p = h('p', { class: error ? 'error' : '' }, message);
  statusBox.append(p);
  while (statusBox.childElementCount > 2) statusBox.firstElementChild!.remove();
  setTimeout(() => p.remove(), error ? 8000 : 3000);
}

/** A form whose submit runs `run` without reloading the page; a failure is shown, not thrown. */
function submitForm(attrs: Record<string, any>, run: () => Promise<unknown>, ...children: (Child | Child[])[]): HTMLFormElement {
  return h('form', { ...attrs, onsubmit: (e: Event) => (e.preventDefault(), void guarded(run)) }, ...children);
}

function field(label: string, input: HTMLElement) {
  return h('label', {}, label, input);
}

// ---- API --------------------------------------------------------------------------------------------------

/**
 * One /v1 call, through the SDK's retries: signed in with an app's key, the console's calls count against
 * the app's per-second limit, so a 429 (nothing was done) is retried after a growing, jittered pause.
 */
function api(method: string, path: string, body?: unknown, token = session.token): Promise<any> {
  return withRetries('native', {}, method === 'GET', async (signal) => {
    const res = await fetch(path, {
      method,
      // x-timbrel-client: the events of what the console changes say `console`.
      headers: { authorization: `Bearer ${token}`, 'x-timbrel-client': 'console', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal,
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new TimbrelClientError('native', json?.code ?? res.status, json?.detail ?? json?.title ?? res.statusText, res.status);
    return json;
  });
}

/** Downloads the caller's export (GET /v1/export: NDJSON, the import format) as a file. */
async function downloadExport() {
  const res = await withRetries('native', {}, true, async (signal) => {
    const r = await fetch('/v1/export', { headers: { authorization: `Bearer ${session.token}` }, signal });
    if (!r.ok) throw new TimbrelClientError('native', r.status, r.statusText, r.status);
    return r;
  });
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'timbrel.ndjson';
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  say(`Exported ${name}.`);
}

/** Uploads a file with a progress bar (XMLHttpRequest: fetch has no upload progress); a 429 is retried. */
function upload(path: string, file: File, progress: HTMLProgressElement): Promise<Json> {
  // No per-attempt timeout: a large file on a slow link takes as long as it takes.
  return withRetries('native', { timeoutMs: 2 ** 31 - 1 }, false, () => uploadOnce(path, file, progress));
}

function uploadOnce(path: string, file: File, progress: HTMLProgressElement): Promise<Json> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', path);
    xhr.setRequestHeader('authorization', `Bearer ${session.token}`);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) progress.value = e.loaded / e.total;
    };
    xhr.onload = () => {
      const json = xhr.responseText ? JSON.parse(xhr.responseText) : {};
      if (xhr.status >= 200 && xhr.status < 300) resolve(json);
      else reject(new TimbrelClientError('native', json.code ?? xhr.status, json.detail ?? 'upload failed', xhr.status));
    };
    xhr.onerror = () => reject(new TimbrelClientError('native', 'network', 'the upload did not reach the server', 0));
    xhr.send(file);
  });
}

async function guarded(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (err) {
    say(err instanceof TimbrelClientError ? err.detail : err instanceof Error ? err.message : String(err), true);
    if (err instanceof TimbrelClientError && err.status === 401) signOut();
  }
}

// ---- routing ----------------------------------------------------------------------------------------------

const views: Record<string, () => Promise<void>> = {
  '#/timbres': timbresView,
  '#/digital-humans': digitalHumansView,
  '#/anchors': anchorsView,
  '#/apps': appsView,
  '#/try': tryView,
};

async function route() {
  if (!session.token) return signInView();
  nav.hidden = false;
  for (const a of nav.querySelectorAll<HTMLElement>('[data-operator]')) a.hidden = !session.operator;
  // A view's own parameters follow a '?' (#/anchors?code=ava).
  const path = location.hash.split('?')[0];
  const hash = views[path] ? path : '#/timbres';
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === hash) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  main.replaceChildren();
  statusBox.replaceChildren();
  await guarded(views[hash]);
  main.focus();
}

function signOut() {
  session.clear();
  // Changing the hash routes (hashchange); routing here as well drew the sign-in page twice, and a token
  // typed between the two was lost.
  if (location.hash && location.hash !== '#') location.hash = '';
  else void route();
}

document.getElementById('signout')!.addEventListener('click', signOut);
window.addEventListener('hashchange', () => void route());

// ---- sign in ----------------------------------------------------------------------------------------------

async function signInView() {
  nav.hidden = true;
  const token = h('input', { type: 'password', name: 'token', required: true, autocomplete: 'current-password', size: 44 });
  const form = h(
    'form',
    {
      class: 'row',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          await api('GET', '/v1/timbres?limit=1', undefined, token.value);
          let operator = true;
          try {
            await api('GET', '/v1/apps', undefined, token.value);
          } catch (err) {
            if (err instanceof TimbrelClientError && err.status === 403) operator = false;
            else throw err;
          }
          session.set(token.value, operator);
          // A new hash routes by itself (hashchange); the same one does not.
          if (location.hash !== '#/timbres') location.hash = '#/timbres';
          else await route();
        } catch (err) {
          say(
            err instanceof TimbrelClientError && err.status === 401
              ? 'That token is not valid.'
              : err instanceof TimbrelClientError
                ? err.detail
                : String((err as Error).message),
            true,
          );
        }
      },
    },
    field('Operator token or API key', token),
    h('button', { class: 'primary', type: 'submit' }, 'Sign in'),
  );
  main.replaceChildren(
    h('h1', {}, 'Sign in'),
    h('p', {}, 'The operator token is printed by `timbrel serve` on first start; an app key comes from `timbrel keys create`.'),
    form,
  );
  token.focus();
}

// ---- timbres ----------------------------------------------------------------------------------------------

/** A Retire button: confirms, then DELETE `path` (the asset leaves every list and both vendor dialects). */
function retireButton(name: string, path: string, refresh: () => void) {
  return h(
    'button',
    {
      type: 'button',
      class: 'danger',
      onclick: () =>
        guarded(async () => {
          if (!confirm(`Retire “${name}”? It leaves every list and both vendor dialects.`)) return;
          await api('DELETE', path);
          say('Retired.');
          refresh();
        }),
    },
    'Retire',
  );
}

/** A Restore button: POST `path`/restore brings a retired asset back into every list. */
function restoreButton(name: string, path: string, refresh: () => void) {
  return h(
    'button',
    { type: 'button', onclick: () => guarded(async () => (await api('POST', `${path}/restore`), say(`Restored ${name}.`), refresh())) },
    `Restore ${name}`,
  );
}

/** An inline editor of some text fields of an asset: PATCH `path` with them. */
function assetEditor(path: string, fields: [label: string, key: string, value: string][], refresh: () => void): HTMLElement {
  const inputs = fields.map(([label, key, value]) => [key, field(label, h('input', { value, required: key === 'name' }))] as const);
  return h(
    'li',
    { class: 'card' },
    submitForm(
      {},
      async () => {
        await api('PATCH', path, Object.fromEntries(inputs.map(([key, label]) => [key, label.querySelector('input')!.value])));
        say('Saved.');
        refresh();
      },
      ...inputs.map(([, label]) => label),
      h('div', { class: 'row' }, h('button', { class: 'primary', type: 'submit' }, 'Save'), h('button', { type: 'button', onclick: refresh }, 'Cancel')),
    ),
  );
}

/** Whether the signed-in caller may change an asset of `owner` (null: public): the operator any, an app its own. */
const mayWrite = (owner: string | null) => session.operator || owner !== null;

function timbreCard(t: Json, refresh: () => void): HTMLElement {
  const path = `/v1/timbres/${encodeURIComponent(t.id)}`;
  const progress = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': `Upload progress for ${t.name}` });
  const writable = mayWrite(t.owner ?? null);
  const card: HTMLElement = h(
    'li',
    { class: 'card', 'data-timbre': t.id },
    h(
      'header',
      {},
      t.image ? h('img', { class: 'thumb', src: t.image, alt: '' }) : h('span', { class: 'thumb' }),
      h(
        'div',
        {},
        h('strong', {}, t.name),
        h(
          'div',
          { class: 'meta' },
          `${t.gender} · ${(t.languages ?? []).join(', ') || 'no language'} · ${t.timbreType} · ${t.owner ?? 'public'}${t.status === 'retired' ? ' · retired' : ''}`,
        ),
      ),
    ),
    t.description ? h('div', {}, t.description) : '',
    h('div', { class: 'meta' }, `key ${t.key} · id ${t.id}`),
    t.sample
      ? h('audio', { controls: true, preload: 'metadata', src: t.sample, 'aria-label': `Sample of ${t.name}` })
      : h('div', { class: 'meta' }, 'no sample'),
    // A sample per language, for voices that speak several.
    ...Object.entries((t.languageSamples ?? {}) as Record<string, string>).map(([tag, url]) =>
      h(
        'div',
        { class: 'row', 'data-language-sample': tag },
        h('span', { class: 'meta' }, tag),
        h('audio', { controls: true, preload: 'metadata', src: url, 'aria-label': `Sample of ${t.name} in ${tag}` }),
      ),
    ),
    writable
      ? h(
          'div',
          { class: 'row' },
          field('Sample', uploadInput(`Upload sample for ${t.name}`, 'audio/*', `${path}/sample`, progress, refresh)),
          field('Picture', uploadInput(`Upload picture for ${t.name}`, 'image/*', `${path}/image`, progress, refresh)),
        )
      : '',
    writable && (t.languages ?? []).length > 1
      ? h(
          'div',
          { class: 'row' },
          ...(t.languages as string[]).map((tag) =>
            field(
              `${tag} sample`,
              uploadInput(`Upload ${tag} sample for ${t.name}`, 'audio/*', `${path}/language-samples/${encodeURIComponent(tag)}`, progress, refresh),
            ),
          ),
        )
      : '',
    progress,
    writable && t.status === 'active'
      ? h(
          'div',
          { class: 'row' },
          h(
            'button',
            {
              type: 'button',
              onclick: () =>
                card.replaceWith(
                  assetEditor(
                    path,
                    [
                      ['Name', 'name', t.name],
                      ['Description', 'description', t.description ?? ''],
                    ],
                    refresh,
                  ),
                ),
            },
            'Edit',
          ),
          retireButton(t.name, path, refresh),
        )
      : writable
        ? restoreButton(t.name, path, refresh)
        : '',
  );
  return card;
}

const option = (value: string, label = value) => h('option', { value }, label);
const options = (values: string[], any?: string) => [...(any !== undefined ? [option('', any)] : []), ...values.map((v) => option(v))];
const AVATAR_TYPES = [
  'real_man_2d',
  'real_man_3d',
  'half_realistic_3d',
  'cartoon_3d',
  'small_sample_2d',
  'small_sample_general_2d',
  'small_sample_4k_2d',
  'small_sample_photo_2d',
];
const GENDERS = ['female', 'male', 'neutral'];

/** Whose assets a list shows: every one the caller sees, the public catalog, or the private ones (an app's own). */
const ownerFilter = () =>
  h(
    'select',
    { name: 'owner' },
    option('', 'all'),
    option('public', 'public'),
    session.operator ? option('private', 'apps\u2019 private') : option('mine', 'mine'),
  );

interface CatalogList {
  /** The filters' form (role search): its named inputs are the list's query parameters. */
  search: HTMLFormElement;
  count: HTMLElement;
  list: HTMLElement;
  more: HTMLButtonElement;
  load(reset: boolean): Promise<void>;
}

/**
 * A paged catalog list over a /v1 list route: the filters as a search form (every named input a query
 * parameter, empty ones left out), a sort, "N of M" (the total counted on the first page), and "Load more"
 * following the cursor. Large catalogs stay fast: one page of 24 at a time, never the whole list.
 */
function catalogList(
  route: string,
  label: string,
  attr: string,
  filters: HTMLElement[],
  card: (item: Json, refresh: () => void) => HTMLElement,
  empty: string,
): CatalogList {
  const sort = h('select', { name: 'sort' }, option('catalog', 'catalog order'), option('name', 'name'), option('-createdAt', 'newest'));
  const list = h('ul', { class: 'cards', 'aria-label': label });
  const count = h('p', { class: 'meta', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  let cursor: string | undefined;
  let total = 0;
  const self: CatalogList = {
    search: submitForm(
      { class: 'row', role: 'search', 'aria-label': `Search ${label.toLowerCase()}` },
      () => self.load(true),
      ...filters,
      field('Sort', sort),
      h('button', { type: 'submit' }, 'Search'),
    ),
    count,
    list,
    more,
    async load(reset: boolean) {
      const params = new URLSearchParams({ limit: '24' });
      for (const [k, v] of new FormData(self.search)) if (typeof v === 'string' && v.trim()) params.append(k, v.trim());
      if (reset) params.set('total', 'true');
      else if (cursor) params.set('cursor', cursor);
      const page = await api('GET', `${route}?${params}`);
      if (reset) {
        list.replaceChildren();
        total = page.total ?? 0;
      }
      for (const item of page.items) list.append(card(item, () => void guarded(() => self.load(true))));
      if (!page.items.length && reset) list.append(h('li', {}, empty));
      count.textContent = `${list.querySelectorAll(`[${attr}]`).length.toLocaleString('en')} of ${total.toLocaleString('en')}`;
      cursor = page.nextCursor ?? undefined;
      more.hidden = !cursor;
    },
  };
  more.addEventListener('click', () => void guarded(() => self.load(false)));
  return self;
}

async function timbresView() {
  const catalog = catalogList(
    '/v1/timbres',
    'Timbres',
    'data-timbre',
    [
      field('Search', h('input', { type: 'search', name: 'q', placeholder: 'words in name, description, tags' })),
      field('Gender', h('select', { name: 'gender' }, ...options(GENDERS, 'any'))),
      field('Language', h('input', { name: 'language', placeholder: 'e.g. en-US', size: 8 })),
      field('Type', h('select', { name: 'timbreType' }, ...options(['Boutique', 'SampleBasic', 'SampleFast'], 'any'))),
      field('Tag', h('input', { name: 'tag', size: 8 })),
      field('Emotion', h('input', { name: 'emotion', size: 8 })),
      field('For avatars', h('select', { name: 'avatarType' }, ...options(AVATAR_TYPES, 'any'))),
      field('Owner', ownerFilter()),
      field('Status', h('select', { name: 'status' }, option('active'), option('retired'))),
    ],
    timbreCard,
    'No timbres match.',
  );

  const key = h('input', { name: 'key', required: true, size: 12 });
  const name = h('input', { name: 'name', required: true });
  const description = h('input', { name: 'description' });
  const newGender = h('select', {}, ...options(GENDERS));
  const create = submitForm(
    { class: 'row' },
    async () => {
      const t = await api('POST', '/v1/timbres', { key: key.value, name: name.value, description: description.value, gender: newGender.value });
      say(`Created ${t.name}.`);
      create.reset();
      await catalog.load(true);
    },
    field('Key', key),
    field('Name', name),
    field('Description', description),
    field('Gender of the new timbre', newGender),
    h('button', { class: 'primary', type: 'submit' }, 'Create timbre'),
  );

  const exporter = h(
    'p',
    { class: 'row' },
    h(
      'button',
      { type: 'button', onclick: () => void guarded(downloadExport) },
      session.operator ? 'Export the catalog (NDJSON)' : 'Export my catalog (NDJSON)',
    ),
    h(
      'span',
      { class: 'meta' },
      session.operator
        ? 'Anchors, digital humans, timbres and bindings in the import format; `timbrel import` reads it back (`timbrel backup` also keeps apps, keys and files).'
        : 'Your private anchors, digital humans, timbres and bindings, in the import format.',
    ),
  );
  const importProgress = h('span', { class: 'meta', 'aria-live': 'polite' });
  const importer = h(
    'p',
    { class: 'row' },
    field(
      session.operator ? 'Import NDJSON records' : 'Import my records (NDJSON)',
      h('input', {
        type: 'file',
        accept: '.ndjson,.jsonl,application/x-ndjson,text/plain',
        onchange: (e: Event) =>
          guarded(async () => {
            const file = (e.target as HTMLInputElement).files?.[0];
            if (!file) return;
            importProgress.textContent = `Importing ${file.name}…`;
            const res = await fetch('/v1/import', {
              method: 'POST',
              headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/x-ndjson' },
              body: file,
            });
            const json = await res.json().catch(() => ({}));
            importProgress.textContent = '';
            if (!res.ok) throw new TimbrelClientError('native', json.code ?? res.status, json.detail ?? res.statusText, res.status);
            say(
              `Imported ${json.anchors} anchors, ${json.digitalHumans} digital humans, ${json.timbres} timbres, ${json.bindings} bindings${json.skipped ? `; skipped ${json.skipped}` : ''}.`,
            );
            await catalog.load(true);
          }),
      }),
    ),
    importProgress,
  );
  main.append(
    h('h1', {}, 'Timbres'),
    exporter,
    importer,
    catalog.search,
    ...(session.operator ? [h('h2', {}, 'New public timbre')] : [h('h2', {}, 'New timbre')]),
    create,
    h('h2', {}, 'Catalog'),
    catalog.count,
    catalog.list,
    catalog.more,
  );
  await catalog.load(true);
}

// ---- digital humans ---------------------------------------------------------------------------------------

function uploadInput(label: string, accept: string, path: string, progress: HTMLProgressElement, done: () => void) {
  return h('input', {
    type: 'file',
    accept,
    'aria-label': label,
    onchange: (e: Event) =>
      guarded(async () => {
        const file = (e.target as HTMLInputElement).files?.[0];
        if (!file) return;
        progress.hidden = false;
        await upload(path, file, progress);
        say('Uploaded.');
        done();
      }),
  });
}

function digitalHumanCard(d: Json, detail: HTMLElement, refresh: () => void): HTMLElement {
  const base = `/v1/digital-humans/${encodeURIComponent(d.id)}`;
  const progress = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': `Upload progress for ${d.name}` });
  const writable = mayWrite(d.owner ?? null) && d.status === 'active';
  const card: HTMLElement = h(
    'li',
    { class: 'card', 'data-digital-human': d.id },
    h(
      'header',
      {},
      d.headerImage ? h('img', { class: 'thumb', src: d.headerImage, alt: '' }) : h('span', { class: 'thumb' }),
      h(
        'div',
        {},
        h('strong', {}, d.name),
        h(
          'div',
          { class: 'meta' },
          `${[d.clothesName, d.poseName, d.resolution].filter(Boolean).join(' · ') || 'no look details'} · ${d.avatarType || ''} · ${d.owner ?? 'public'}${d.status === 'retired' ? ' · retired' : ''}`,
        ),
      ),
    ),
    d.anchor
      ? h(
          'div',
          { class: 'meta', 'data-anchor': d.anchor.id },
          'Anchor: ',
          h('a', { href: `#/anchors?code=${encodeURIComponent(d.anchor.code)}` }, d.anchor.name),
          d.anchor.status === 'retired' ? ' (retired)' : '',
        )
      : d.anchorCode
        ? h('div', { class: 'meta' }, `Anchor code ${d.anchorCode}`)
        : '',
    ...(d.actions ?? []).map((a: Json) =>
      h(
        'figure',
        {},
        a.previewVideo ? h('video', { controls: true, preload: 'metadata', src: a.previewVideo, 'aria-label': `Preview of ${a.code}` }) : '',
        h(
          'figcaption',
          { class: 'meta' },
          a.name || a.code,
          ' ',
          writable
            ? field(
                `Preview video for ${a.code}`,
                uploadInput(
                  `Upload preview video for ${a.code} of ${d.name}`,
                  'video/*',
                  `${base}/actions/${encodeURIComponent(a.code)}/preview-video`,
                  progress,
                  refresh,
                ),
              )
            : '',
        ),
      ),
    ),
    writable ? field('Picture', uploadInput(`Upload picture for ${d.name}`, 'image/*', `${base}/header-image`, progress, refresh)) : '',
    progress,
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', onclick: () => void guarded(() => showBindings(d, detail)) }, `Timbres of ${d.name}`),
      writable
        ? h(
            'button',
            {
              type: 'button',
              onclick: () =>
                card.replaceWith(
                  assetEditor(
                    base,
                    [
                      ['Name', 'name', d.name],
                      ['Anchor code', 'anchorCode', d.anchorCode ?? ''],
                    ],
                    refresh,
                  ),
                ),
            },
            'Edit',
          )
        : '',
      writable ? retireButton(d.name, base, refresh) : '',
      mayWrite(d.owner ?? null) && d.status === 'retired' ? restoreButton(d.name, base, refresh) : '',
    ),
  );
  return card;
}

async function digitalHumansView() {
  const detail = h('section', { 'aria-label': 'Bindings' });
  const catalog = catalogList(
    '/v1/digital-humans',
    'Digital humans',
    'data-digital-human',
    [
      field('Search', h('input', { type: 'search', name: 'q', placeholder: 'name, anchor code, clothes, pose' })),
      field('Type', h('select', { name: 'avatarType' }, ...options(AVATAR_TYPES, 'any'))),
      field('Anchor', h('input', { name: 'anchorCode', placeholder: 'anchor code', size: 10 })),
      field('Owner', ownerFilter()),
      field('Status', h('select', { name: 'status' }, option('active'), option('retired'))),
    ],
    (d, refresh) => digitalHumanCard(d, detail, refresh),
    'No digital humans match.',
  );
  const name = h('input', { name: 'name', required: true });
  const anchorCode = h('input', { name: 'anchorCode', size: 12 });
  const actions = h('input', { name: 'actions', placeholder: 'wave, nod', size: 12 });
  const create = submitForm(
    { class: 'row' },
    async () => {
      const codes = actions.value
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      const d = await api('POST', '/v1/digital-humans', { name: name.value, anchorCode: anchorCode.value, actions: codes.map((code) => ({ code })) });
      say(`Created ${d.name}.`);
      create.reset();
      await catalog.load(true);
    },
    field('Name', name),
    field('Anchor code', anchorCode),
    field('Action codes', actions),
    h('button', { class: 'primary', type: 'submit' }, 'Create digital human'),
  );
  main.append(
    h('h1', {}, 'Digital humans'),
    catalog.search,
    h('h2', {}, 'New digital human'),
    create,
    h('h2', {}, 'Catalog'),
    catalog.count,
    catalog.list,
    catalog.more,
    detail,
  );
  await catalog.load(true);
}

/**
 * A digital human's bound timbres: the caller's own bindings in order (move, make default, unbind), the
 * others' (public) below, and a picker that finds a timbre to bind by its name (or takes an id).
 */
async function showBindings(d: Json, detail: HTMLElement) {
  const path = `/v1/digital-humans/${encodeURIComponent(d.id)}/timbres`;
  // The operator's bindings are public and join public timbres to public digital humans.
  const canBind = !session.operator || d.owner === null;
  const render = async () => {
    const { items } = await api('GET', path);
    const mine = items.filter((b: Json) => (session.operator ? b.owner === null : b.owner !== null));
    const order = mine.map((b: Json) => b.timbre.id);
    const currentDefault = mine.find((b: Json) => b.isDefault)?.timbre.id ?? null;
    const reorder = (ids: string[], def: string | null) =>
      guarded(async () => (await api('PUT', path, { order: ids, default: def }), say('Saved.'), await render()));
    const ol = h('ol', { class: 'bindings' });
    mine.forEach((b: Json, i: number) => {
      const swap = (j: number) => {
        const ids = [...order];
        [ids[i], ids[j]] = [ids[j], ids[i]];
        void reorder(ids, currentDefault);
      };
      ol.append(
        h(
          'li',
          { 'data-bound': b.timbre.id },
          h('strong', {}, b.timbre.name),
          b.isDefault ? ' (default) ' : ' ',
          h('button', { type: 'button', class: 'link', disabled: i === 0, 'aria-label': `Move ${b.timbre.name} up`, onclick: () => swap(i - 1) }, '↑'),
          h(
            'button',
            { type: 'button', class: 'link', disabled: i === mine.length - 1, 'aria-label': `Move ${b.timbre.name} down`, onclick: () => swap(i + 1) },
            '↓',
          ),
          h('button', { type: 'button', class: 'link', disabled: b.isDefault, onclick: () => void reorder(order, b.timbre.id) }, 'Make default'),
          h(
            'button',
            {
              type: 'button',
              class: 'link danger',
              onclick: () => void guarded(async () => (await api('DELETE', `${path}/${encodeURIComponent(b.timbre.id)}`), await render())),
            },
            'Unbind',
          ),
        ),
      );
    });
    const others = items.filter((b: Json) => !mine.includes(b));
    detail.replaceChildren(
      h('h2', {}, `Timbres of ${d.name}`),
      mine.length ? ol : h('p', {}, canBind ? 'None bound yet.' : 'The operator binds public timbres to public digital humans only.'),
      others.length ? h('p', { class: 'meta' }, `Also bound by others: ${others.map((b: Json) => b.timbre.name).join(', ')}`) : '',
      canBind ? timbrePicker(new Set(order), async (id) => (await api('PUT', `${path}/${encodeURIComponent(id)}`, {}), say('Bound.'), await render())) : '',
    );
  };
  await render();
  detail.scrollIntoView({ block: 'start' });
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Finds timbres by name as you type (a search of the whole catalog, 8 at a time), each with a Bind button. */
function timbrePicker(bound: Set<string>, bind: (id: string) => Promise<unknown>): HTMLElement {
  const input = h('input', { type: 'search', name: 'find', placeholder: 'a name, or a timbre id', autocomplete: 'off', size: 30 });
  const results = h('ul', { class: 'looks', 'aria-label': 'Timbres found', 'aria-live': 'polite' });
  let asked = 0;
  const find = async () => {
    const text = input.value.trim();
    const mine = ++asked;
    if (!text) return results.replaceChildren();
    const params = new URLSearchParams({ limit: '8', q: text });
    if (session.operator) params.set('owner', 'public');
    const found: Json[] = UUID.test(text)
      ? [await api('GET', `/v1/timbres/${encodeURIComponent(text)}`).catch(() => undefined)].filter(Boolean)
      : (await api('GET', `/v1/timbres?${params}`)).items;
    if (mine !== asked) return; // an older answer that arrived after a newer one
    results.replaceChildren(
      ...(found.length
        ? found.map((t) =>
            h(
              'li',
              { 'data-found': t.id },
              h('strong', {}, t.name),
              h('span', { class: 'meta' }, ` ${t.key} · ${t.owner ?? 'public'}`),
              bound.has(t.id)
                ? h('span', { class: 'meta' }, ' (bound)')
                : h('button', { type: 'button', class: 'link', onclick: () => void guarded(() => bind(t.id)) }, `Bind ${t.name}`),
            ),
          )
        : [h('li', { class: 'meta' }, 'No timbre matches.')]),
    );
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void guarded(find), 200);
  });
  return submitForm({ class: 'picker' }, find, field('Find a timbre to bind', input), results);
}

// ---- anchors ----------------------------------------------------------------------------------------------

/** An anchor's card: picture, name, code, facts, its looks on demand, and (when the caller may) retire or restore. */
function anchorCard(a: Json, refresh: () => void): HTMLElement {
  const base = `/v1/anchors/${encodeURIComponent(a.id)}`;
  const looks = h('ul', { class: 'looks', 'aria-label': `Looks of ${a.name}`, hidden: true });
  const writable = mayWrite(a.owner ?? null);
  return h(
    'li',
    { class: 'card', 'data-anchor': a.id },
    h(
      'header',
      {},
      a.headerImage ? h('img', { class: 'thumb', src: a.headerImage, alt: '' }) : h('span', { class: 'thumb' }),
      h(
        'div',
        {},
        h('strong', {}, a.name),
        h(
          'div',
          { class: 'meta' },
          `${a.code} · ${a.avatarType} · ${a.gender} · ${a.tag} · ${a.owner ?? 'public'}${a.status === 'retired' ? ' · retired' : ''}`,
        ),
      ),
    ),
    looks,
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          'aria-expanded': 'false',
          onclick: (e: Event) =>
            guarded(async () => {
              const button = e.currentTarget as HTMLButtonElement;
              if (!looks.hidden) {
                looks.hidden = true;
                button.setAttribute('aria-expanded', 'false');
                return;
              }
              const { items } = await api('GET', `${base}/digital-humans`);
              looks.replaceChildren(
                ...(items.length
                  ? items.map((d: Json) =>
                      h(
                        'li',
                        { 'data-look': d.id },
                        d.headerImage ? h('img', { class: 'thumb', src: d.headerImage, alt: '' }) : '',
                        ` ${d.name}`,
                        h(
                          'span',
                          { class: 'meta' },
                          ` ${[d.clothesName, d.poseName, d.resolution].filter(Boolean).join(' · ')} · ${d.actions.length} action${d.actions.length === 1 ? '' : 's'}`,
                        ),
                      ),
                    )
                  : [h('li', {}, 'No looks yet: create a digital human with this anchor code.')]),
              );
              looks.hidden = false;
              button.setAttribute('aria-expanded', 'true');
            }),
        },
        `Looks of ${a.name}`,
      ),
      writable
        ? h(
            'button',
            {
              type: 'button',
              class: a.status === 'active' ? 'danger' : '',
              onclick: () =>
                guarded(async () => {
                  if (a.status === 'active' && !confirm(`Retire “${a.name}”? It leaves the anchor lists; its looks stay.`)) return;
                  await api('POST', `${base}/${a.status === 'active' ? 'retire' : 'restore'}`, a.status === 'active' ? {} : undefined);
                  say(a.status === 'active' ? 'Retired.' : 'Restored.');
                  refresh();
                }),
            },
            a.status === 'active' ? 'Retire' : 'Restore',
          )
        : '',
    ),
  );
}

async function anchorsView() {
  const code = new URLSearchParams(location.hash.split('?')[1] ?? '').get('code') ?? '';
  const catalog = catalogList(
    '/v1/anchors',
    'Anchors',
    'data-anchor',
    [
      field('Search', h('input', { type: 'search', name: 'q', placeholder: 'name or code', value: code })),
      field('Type', h('select', { name: 'avatarType' }, ...options(AVATAR_TYPES, 'any'))),
      field('Gender', h('select', { name: 'gender' }, ...options(GENDERS, 'any'))),
      field('Tag', h('select', { name: 'tag' }, ...options(['Basic', 'Standard', 'Advanced'], 'any'))),
      field('Owner', ownerFilter()),
      field('Status', h('select', { name: 'status' }, option('active'), option('retired'))),
    ],
    anchorCard,
    'No anchors match.',
  );

  const newCode = h('input', { name: 'code', required: true, size: 12, maxlength: 128 });
  const name = h('input', { name: 'name', required: true });
  const newType = h('select', { name: 'type' }, ...options(AVATAR_TYPES));
  const gender = h('select', { name: 'gender' }, ...options(['neutral', 'female', 'male']));
  const tag = h('select', { name: 'tag' }, ...options(['Basic', 'Standard', 'Advanced']));
  const create = submitForm(
    { class: 'row' },
    async () => {
      const a = await api('POST', '/v1/anchors', { code: newCode.value, name: name.value, avatarType: newType.value, gender: gender.value, tag: tag.value });
      say(`Created ${a.name}.`);
      create.reset();
      await catalog.load(true);
    },
    field('Code', newCode),
    field('Name', name),
    field('Type of the new anchor', newType),
    field('Gender of the new anchor', gender),
    field('Tag of the new anchor', tag),
    h('button', { class: 'primary', type: 'submit' }, 'Create anchor'),
  );

  main.append(
    h('h1', {}, 'Anchors'),
    h('p', { class: 'meta' }, "A presenter and its looks: every digital human whose anchor code is the anchor's code."),
    catalog.search,
    h('h2', {}, 'New anchor'),
    create,
    h('h2', {}, 'Catalog'),
    catalog.count,
    catalog.list,
    catalog.more,
  );
  await catalog.load(true);
}

// ---- apps -------------------------------------------------------------------------------------------------

function copyButton(label: string, text: string) {
  return h(
    'button',
    {
      type: 'button',
      onclick: () =>
        void navigator.clipboard.writeText(text).then(
          () => say(`${label} copied.`),
          () => say('Copy failed: select the text instead.', true),
        ),
    },
    `Copy ${label}`,
  );
}

function credentialsPanel(c: Json): HTMLElement {
  const line = (label: string, value: string) =>
    h('div', { class: 'row' }, h('span', {}, `${label}: `), h('code', { class: 'secret' }, value), copyButton(label, value));
  return h(
    'section',
    { class: 'card', 'aria-label': `Credentials of ${c.name}` },
    h('h2', {}, `Credentials of ${c.name} — shown this once`),
    line('ZEGO AppId', String(c.zego.AppId)),
    line('ZEGO ServerSecret', c.zego.ServerSecret),
    line('IVH appkey', c.ivh.appkey),
    line('IVH accesstoken', c.ivh.accesstoken),
    h('div', { class: 'row' }, h('strong', {}, 'ZEGO curl'), copyButton('ZEGO curl', c.curl.zego)),
    h('pre', {}, c.curl.zego),
    h('div', { class: 'row' }, h('strong', {}, 'IVH curl'), copyButton('IVH curl', c.curl.ivh)),
    h('pre', {}, c.curl.ivh),
  );
}

async function appsView() {
  const shown = h('div', {});
  const table = h('tbody', {});
  const render = async () => {
    const { items } = await api('GET', '/v1/apps');
    table.replaceChildren(
      ...items.map((a: Json) => {
        const limit = h('input', { type: 'number', min: 1, value: a.rateLimit, size: 6, 'aria-label': `Rate limit of ${a.name}` });
        const rotate = (dialect: 'zego' | 'ivh') =>
          h(
            'button',
            {
              type: 'button',
              onclick: () =>
                guarded(async () => {
                  if (!confirm(`Rotate ${a.name}'s ${dialect.toUpperCase()} secret? The old one keeps working for 24 h.`)) return;
                  const r = await api('POST', `/v1/apps/${encodeURIComponent(a.name)}/rotate`, { dialect });
                  shown.replaceChildren(credentialsPanel(r.credentials));
                  await render();
                }),
            },
            `Rotate ${dialect.toUpperCase()}`,
          );
        return h(
          'tr',
          { 'data-app': a.name },
          h('td', {}, h('strong', {}, a.name), h('div', { class: 'meta' }, a.status)),
          h('td', {}, `ZEGO AppId ${a.zego.AppId}`, h('div', { class: 'meta' }, `IVH appkey ${a.ivh.appkey}`)),
          h(
            'td',
            {},
            submitForm(
              { class: 'row' },
              async () => (
                await api('PATCH', `/v1/apps/${encodeURIComponent(a.name)}`, { rateLimit: Number(limit.value) }),
                say('Rate limit saved.'),
                await render()
              ),
              limit,
              h('button', { type: 'submit' }, 'Set limit'),
            ),
          ),
          h('td', {}, h('div', { class: 'row' }, rotate('zego'), rotate('ivh'))),
          h(
            'td',
            {},
            h(
              'div',
              { class: 'row' },
              h(
                'button',
                {
                  type: 'button',
                  class: a.status === 'active' ? 'danger' : '',
                  onclick: () =>
                    guarded(async () => {
                      const next = a.status === 'active' ? 'disabled' : 'active';
                      if (next === 'disabled' && !confirm(`Disable ${a.name}? Its calls are refused in every dialect until it is enabled again.`)) return;
                      await api('PATCH', `/v1/apps/${encodeURIComponent(a.name)}`, { status: next });
                      say(next === 'active' ? `${a.name} enabled.` : `${a.name} disabled.`);
                      await render();
                    }),
                },
                a.status === 'active' ? 'Disable' : 'Enable',
              ),
              h('button', { type: 'button', onclick: () => void guarded(() => keysPanel(a.name, shown)) }, `API keys of ${a.name}`),
              h('button', { type: 'button', onclick: () => void guarded(() => usagePanel(a.name, shown)) }, `Usage of ${a.name}`),
              h('button', { type: 'button', onclick: () => void guarded(() => upstreamsPanel(a.name, shown)) }, `Upstreams of ${a.name}`),
              h('button', { type: 'button', onclick: () => void guarded(() => webhooksPanel(a.name, shown)) }, `Webhooks of ${a.name}`),
            ),
          ),
        );
      }),
    );
  };
  // The server's rule (APP_NAME). Browsers compile `pattern` with the `v` flag, where a `-` in a class
  // must be escaped: unescaped, Chromium drops the pattern and checks nothing.
  const name = h('input', {
    name: 'name',
    required: true,
    pattern: '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}',
    title: 'letters, digits, . _ and -, starting with a letter or digit; at most 64',
  });
  const rate = h('input', { name: 'rateLimit', type: 'number', min: 1, placeholder: 'default', size: 8 });
  const create = submitForm(
    { class: 'row' },
    async () => {
      const r = await api('POST', '/v1/apps', { name: name.value, ...(rate.value ? { rateLimit: Number(rate.value) } : {}) });
      shown.replaceChildren(credentialsPanel(r.credentials));
      create.reset();
      await render();
    },
    field('App name', name),
    field('Requests per second', rate),
    h('button', { class: 'primary', type: 'submit' }, 'Create app'),
  );
  main.append(
    h('h1', {}, 'Apps'),
    create,
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', onclick: () => void guarded(() => upstreamsPanel(undefined, shown)) }, "Operator's upstreams"),
      h('button', { type: 'button', onclick: () => void guarded(() => webhooksPanel(undefined, shown)) }, "Operator's webhooks"),
    ),
    shown,
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'App'), h('th', {}, 'Identifiers'), h('th', {}, 'Rate limit'), h('th', {}, 'Secrets'), h('th', {}, 'Access'))),
      table,
    ),
  );
  await render();
}

interface DialectView {
  name: string;
  label: string;
  auth: string;
  baseUrl: string;
  example: string;
}
let dialectList: Promise<DialectView[]> | undefined;
/** The dialects the server speaks (labels, base URLs), asked once a session. */
function dialects(): Promise<DialectView[]> {
  return (dialectList ??= api('GET', '/v1/dialects').then(
    (r: { items: DialectView[] }) => r.items,
    (err: unknown) => {
      dialectList = undefined;
      throw err;
    },
  ));
}

/** An app's requests on this instance since it started, by dialect and outcome. */
async function usagePanel(appName: string, into: HTMLElement) {
  const u = await api('GET', `/v1/apps/${encodeURIComponent(appName)}/usage`);
  const names = Object.fromEntries((await dialects()).map((d) => [d.name, d.label]));
  into.replaceChildren(
    h(
      'section',
      { 'aria-label': `Usage of ${appName}` },
      h('h2', {}, `Usage of ${appName}`),
      h(
        'p',
        { class: 'meta' },
        `On this instance since ${u.since.replace('T', ' ').slice(0, 19)} UTC (with several instances, Prometheus sums timbrel_app_requests_total across them).`,
      ),
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Dialect'), h('th', {}, 'Answered'), h('th', {}, 'Failed'))),
        h(
          'tbody',
          {},
          ...Object.entries(u.requests as Record<string, { ok: number; failed: number }>).map(([d, c]) =>
            h('tr', { 'data-usage': d }, h('td', {}, names[d] ?? d), h('td', {}, c.ok.toLocaleString('en')), h('td', {}, c.failed.toLocaleString('en'))),
          ),
        ),
      ),
      h('p', {}, `Refused over its limit: ${u.rateLimited.toLocaleString('en')}`),
    ),
  );
}

/**
 * An app's own accounts at the vendors: calls timbrel does not serve are relayed there, and Sync pulls the
 * catalog from them. Secrets are write-only here (a read shows their last four characters).
 */
/** What each upstream dialect is called and what it needs. */
const UPSTREAM_KINDS = {
  zego: {
    name: 'ZEGO',
    url: 'https://aigc-digitalhuman-api.zegotech.cn',
    account: ['appId', 'AppId at ZEGO'],
    secret: ['serverSecret', 'ServerSecret at ZEGO'],
  },
  ivh: {
    name: 'Tencent IVH',
    url: 'https://gw.tvs.qq.com',
    account: ['appkey', 'appkey at Tencent'],
    secret: ['accesstoken', 'accesstoken at Tencent'],
  },
  elevenlabs: { name: 'ElevenLabs', url: 'https://api.elevenlabs.io', account: undefined, secret: ['apiKey', 'API key at ElevenLabs'] },
  openai: { name: 'OpenAI-compatible', url: 'https://api.openai.com', account: undefined, secret: ['apiKey', 'API key of the speech server'] },
  heygen: { name: 'HeyGen', url: 'https://api.heygen.com', account: undefined, secret: ['apiKey', 'API key at HeyGen'] },
} as const;
type UpstreamKind = keyof typeof UPSTREAM_KINDS;

/** An app's upstreams, or the operator's (`appName` undefined: every app without its own relays through these). */
async function upstreamsPanel(appName: string | undefined, into: HTMLElement) {
  const base = appName === undefined ? '/v1/upstreams' : `/v1/apps/${encodeURIComponent(appName)}/upstreams`;
  const whose = appName === undefined ? "the operator's" : `${appName}'s`;
  const render = async () => {
    const { items } = await api('GET', base);
    const byDialect = new Map<string, Json>(items.map((u: Json) => [u.dialect, u]));
    const form = (dialect: UpstreamKind) => {
      const kind = UPSTREAM_KINDS[dialect];
      const u = byDialect.get(dialect);
      const url = h('input', { name: 'url', type: 'url', placeholder: kind.url, value: u?.url ?? '', size: 36 });
      const account = kind.account
        ? h('input', {
            name: 'account',
            required: true,
            value: u ? String(u[kind.account[0]]) : '',
            ...(dialect === 'zego' ? { type: 'number', min: 1 } : {}),
          })
        : undefined;
      const secret = h('input', {
        name: 'secret',
        type: 'password',
        required: !u,
        autocomplete: 'off',
        placeholder: u ? `unchanged unless typed (${u[kind.secret[0]]})` : '',
      });
      const rate = h('input', { name: 'rateLimit', type: 'number', min: 1, value: u?.rateLimit ?? 10, size: 6 });
      const last = u?.lastSync;
      return h(
        'section',
        { 'data-upstream': dialect },
        h('h3', {}, kind.name),
        u
          ? h(
              'p',
              { class: 'meta' },
              `${u.url} · ${last ? `last sync ${last.outcome} at ${new Date(last.startedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC: ${last.created} created, ${last.updated} updated, ${last.retired} retired, ${last.conflicts} conflicts${last.error ? ` (${last.error})` : ''}` : 'never synced'}`,
            )
          : h('p', { class: 'meta' }, 'Not set: calls timbrel does not serve are not relayed.'),
        submitForm(
          { class: 'row' },
          async () => {
            const body: Json = { ...(url.value ? { url: url.value } : {}), rateLimit: Number(rate.value) };
            if (account && kind.account) body[kind.account[0]] = dialect === 'zego' ? Number(account.value) : account.value;
            if (secret.value) body[kind.secret[0]] = secret.value;
            await api('PUT', `${base}/${dialect}`, body);
            say(`${kind.name} upstream saved.`);
            await render();
          },
          field('Base URL', url),
          ...(account && kind.account ? [field(kind.account[1], account)] : []),
          field(kind.secret[1], secret),
          field('Sync requests per second', rate),
          h('button', { class: 'primary', type: 'submit' }, `Save ${kind.name} upstream`),
        ),
        u
          ? h(
              'div',
              { class: 'row' },
              h(
                'button',
                {
                  type: 'button',
                  onclick: () =>
                    guarded(async () => {
                      say(`Syncing ${whose} ${kind.name} upstream…`);
                      const r = await api('POST', `${base}/${dialect}/sync?wait=true`);
                      say(r.outcome === 'completed' ? `Synced: ${r.created} created, ${r.updated} updated, ${r.retired} retired.` : `Sync failed: ${r.error}`);
                      await render();
                    }),
                },
                `Sync ${kind.name} now`,
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  onclick: () =>
                    guarded(async () => {
                      if (!confirm(`Remove ${whose} ${kind.name} upstream? Calls timbrel does not serve are no longer relayed there; synced rows stay.`))
                        return;
                      await api('DELETE', `${base}/${dialect}`);
                      say('Removed.');
                      await render();
                    }),
                },
                `Remove ${kind.name} upstream`,
              ),
            )
          : '',
      );
    };
    const title = appName === undefined ? "Operator's upstreams" : `Upstreams of ${appName}`;
    into.replaceChildren(h('section', { 'aria-label': title }, h('h2', {}, title), ...(Object.keys(UPSTREAM_KINDS) as UpstreamKind[]).map(form)));
  };
  await render();
}

/** An app's API keys for the native API: list (never the keys themselves), create (shown once), revoke. */
async function keysPanel(appName: string, into: HTMLElement) {
  const base = `/v1/apps/${encodeURIComponent(appName)}/keys`;
  const shownKey = h('div', {});
  const render = async () => {
    const { items } = await api('GET', base);
    const label = h('input', { name: 'label', required: true, maxlength: 64, placeholder: 'e.g. backend' });
    into.replaceChildren(
      h(
        'section',
        { 'aria-label': `API keys of ${appName}` },
        h('h2', {}, `API keys of ${appName}`),
        shownKey,
        items.length
          ? h(
              'ul',
              { class: 'looks' },
              ...items.map((k: Json) =>
                h(
                  'li',
                  { 'data-key': k.id },
                  h('strong', {}, k.name),
                  h('span', { class: 'meta' }, ` created ${k.createdAt.slice(0, 10)}${k.revokedAt ? ` · revoked ${k.revokedAt.slice(0, 10)}` : ''}`),
                  k.revokedAt
                    ? ''
                    : h(
                        'button',
                        {
                          type: 'button',
                          class: 'link danger',
                          onclick: () =>
                            guarded(async () => {
                              if (!confirm(`Revoke the key “${k.name}” of ${appName}? Calls with it fail at once.`)) return;
                              await api('DELETE', `${base}/${encodeURIComponent(k.id)}`);
                              say('Revoked.');
                              await render();
                            }),
                        },
                        `Revoke ${k.name}`,
                      ),
                ),
              ),
            )
          : h('p', {}, 'No API keys yet.'),
        submitForm(
          { class: 'row' },
          async () => {
            const made = await api('POST', base, { name: label.value });
            await render();
            const origin = location.origin;
            const curl = `curl -H 'xi-api-key: ${made.key}' '${origin}/elevenlabs/v2/voices?page_size=5'`;
            shownKey.replaceChildren(
              h('p', {}, 'The new key, shown this once: ', h('code', { class: 'secret' }, made.key), ' ', copyButton('Copy key', made.key)),
              h(
                'ul',
                { class: 'meta', 'aria-label': 'Where the key works' },
                // Every dialect an API key opens, as the server describes them (GET /v1/dialects).
                ...(await dialects())
                  .filter((d) => !d.auth.includes('signature'))
                  .map((d) => h('li', {}, `${d.label}: base URL `, h('code', {}, d.baseUrl.replace(/^https?:\/\/[^/]+/, origin)), ` (${d.auth})`)),
              ),
              h('div', { class: 'row' }, h('strong', {}, 'ElevenLabs curl'), copyButton('ElevenLabs curl', curl)),
              h('pre', {}, curl),
            );
          },
          field('Key name', label),
          h('button', { class: 'primary', type: 'submit' }, 'Create key'),
        ),
      ),
    );
  };
  await render();
}

/**
 * Webhook endpoints of an app (or the operator's, of every event): add one (its signing secret shown once),
 * send a test event, see its deliveries and redeliver one, rotate the secret, disable, enable, remove.
 */
async function webhooksPanel(appName: string | undefined, into: HTMLElement) {
  const title = appName === undefined ? "Operator's webhooks" : `Webhooks of ${appName}`;
  const shownSecret = h('div', {});
  const deliveriesOf = async (w: Json, box: HTMLElement) => {
    const { items } = await api('GET', `/v1/webhooks/${encodeURIComponent(w.id)}/deliveries?limit=20`);
    box.replaceChildren(
      items.length
        ? h(
            'table',
            { 'aria-label': `Deliveries to ${w.url}` },
            h(
              'thead',
              {},
              h('tr', {}, h('th', {}, 'Event'), h('th', {}, 'Status'), h('th', {}, 'Attempts'), h('th', {}, 'Answer'), h('th', {}, 'When'), h('th', {}, '')),
            ),
            h(
              'tbody',
              {},
              ...items.map((d: Json) =>
                h(
                  'tr',
                  { 'data-delivery': d.id },
                  h('td', {}, d.eventType, h('div', { class: 'meta' }, d.eventId)),
                  h('td', {}, d.status, d.redeliveryOf ? h('div', { class: 'meta' }, 'redelivery') : ''),
                  h('td', {}, String(d.attempts)),
                  h(
                    'td',
                    {},
                    d.lastStatus === null ? (d.lastError ?? '—') : `HTTP ${d.lastStatus}`,
                    d.lastDurationMs === null ? '' : h('div', { class: 'meta' }, `${d.lastDurationMs} ms`),
                  ),
                  h('td', {}, d.updatedAt.slice(0, 19).replace('T', ' ')),
                  h(
                    'td',
                    {},
                    h(
                      'button',
                      {
                        type: 'button',
                        onclick: () =>
                          guarded(async () => {
                            await api('POST', `/v1/webhooks/${encodeURIComponent(w.id)}/deliveries/${encodeURIComponent(d.id)}/redeliver`);
                            say('Redelivery queued.');
                            await deliveriesOf(w, box);
                          }),
                      },
                      'Redeliver',
                    ),
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'meta' }, 'No deliveries yet.'),
      h('button', { type: 'button', class: 'link', onclick: () => void guarded(() => deliveriesOf(w, box)) }, 'Refresh deliveries'),
    );
  };
  const render = async () => {
    const { items } = await api('GET', '/v1/webhooks');
    const mine = items.filter((w: Json) => w.app === (appName ?? null));
    const url = h('input', { name: 'url', type: 'url', required: true, placeholder: 'https://example.com/timbrel-events', size: 40 });
    const types = h('input', { name: 'types', placeholder: 'every event, or e.g. timbre.*, binding.updated', size: 32 });
    const description = h('input', { name: 'description', maxlength: 256 });
    into.replaceChildren(
      h(
        'section',
        { 'aria-label': title },
        h('h2', {}, title),
        h(
          'p',
          { class: 'meta' },
          appName === undefined
            ? 'Every event of the catalog, signed (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).'
            : `The public catalog's events and ${appName}'s own, signed (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).`,
        ),
        shownSecret,
        mine.length
          ? h(
              'ul',
              { class: 'looks' },
              ...mine.map((w: Json) => {
                const box = h('div', {});
                const post = (path: string, done: string) =>
                  guarded(async () => {
                    const r = await api('POST', `/v1/webhooks/${encodeURIComponent(w.id)}${path}`);
                    if (r?.secret)
                      shownSecret.replaceChildren(
                        h(
                          'p',
                          {},
                          `The new secret of ${w.url}, shown this once (the old one signs too until ${r.previousSecretValidUntil.slice(0, 16)}): `,
                          h('code', { class: 'secret' }, r.secret),
                          ' ',
                          copyButton('Copy secret', r.secret),
                        ),
                      );
                    say(done);
                    await deliveriesOf(w, box);
                  });
                return h(
                  'li',
                  { 'data-webhook': w.id },
                  h('strong', {}, w.url),
                  h(
                    'div',
                    { class: 'meta' },
                    `${w.status}${w.disabledReason ? ` (${w.disabledReason})` : ''} · ${w.types.length ? w.types.join(', ') : 'every event'}${w.failingSince ? ` · failing since ${w.failingSince.slice(0, 16).replace('T', ' ')}` : ''}${w.description ? ` · ${w.description}` : ''}`,
                  ),
                  h(
                    'div',
                    { class: 'row' },
                    h('button', { type: 'button', onclick: () => void post('/test', 'Test event sent.') }, 'Send a test event'),
                    h('button', { type: 'button', onclick: () => void guarded(() => deliveriesOf(w, box)) }, 'Deliveries'),
                    h(
                      'button',
                      {
                        type: 'button',
                        onclick: () => {
                          if (confirm(`Rotate the signing secret of ${w.url}? The old one keeps signing for 24 h.`))
                            void post('/rotate-secret', 'Secret rotated.');
                        },
                      },
                      'Rotate secret',
                    ),
                    h(
                      'button',
                      {
                        type: 'button',
                        onclick: () =>
                          guarded(async () => {
                            await api('PATCH', `/v1/webhooks/${encodeURIComponent(w.id)}`, { status: w.status === 'enabled' ? 'disabled' : 'enabled' });
                            say(w.status === 'enabled' ? 'Disabled.' : 'Enabled: deliveries go on from where they stopped.');
                            await render();
                          }),
                      },
                      w.status === 'enabled' ? 'Disable' : 'Enable',
                    ),
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'danger',
                        onclick: () =>
                          guarded(async () => {
                            if (!confirm(`Remove the endpoint ${w.url}? Its deliveries stop.`)) return;
                            await api('DELETE', `/v1/webhooks/${encodeURIComponent(w.id)}`);
                            say('Removed.');
                            await render();
                          }),
                      },
                      'Remove',
                    ),
                  ),
                  box,
                );
              }),
            )
          : h('p', {}, 'No webhook endpoints yet.'),
        submitForm(
          { class: 'row' },
          async () => {
            const list = types.value
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean);
            const made = await api('POST', '/v1/webhooks', {
              url: url.value,
              ...(description.value ? { description: description.value } : {}),
              ...(list.length ? { types: list } : {}),
              ...(appName === undefined ? {} : { app: appName }),
            });
            await render();
            shownSecret.replaceChildren(
              h(
                'p',
                {},
                `The signing secret of ${made.url}, shown this once: `,
                h('code', { class: 'secret' }, made.secret),
                ' ',
                copyButton('Copy secret', made.secret),
              ),
            );
          },
          field('Endpoint URL', url),
          field('Event types', types),
          field('Description', description),
          h('button', { class: 'primary', type: 'submit' }, 'Add endpoint'),
        ),
      ),
    );
  };
  await render();
}

// ---- try it -----------------------------------------------------------------------------------------------

const OPERATIONS = {
  zego: { GetTimbreList: { Offset: 0, Limit: 20 }, GetDigitalHumanList: { Offset: 0, Limit: 20 }, DescribeMetaHumanModel: {} },
  ivh: {
    describetimbre: { PageIndex: 1, PageSize: 10 },
    describesmallsampleimage: { PageIndex: 1, PageSize: 10 },
    getimagetimbre: { VirtualmanKey: '' },
    getanchor: { VirtualmanTypeCode: 'real_man_2d', PageIndex: 1, PageSize: 10 },
    getimagebyanchor: { VirtualmanTypeCode: 'real_man_2d', PageIndex: 1, PageSize: 10 },
  },
} as const;

/** A message as it went over the wire: its first line, headers, a blank line, the body. */
const wireText = (first: string, headers: Record<string, string>, body: string) =>
  `${first}\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n\n${body}`;

async function tryView() {
  const { items } = await api('GET', '/v1/apps');
  const app = h('select', { name: 'app' }, ...items.map((a: Json) => h('option', { value: a.name }, a.name)));
  const dialect = h('select', { name: 'dialect' }, h('option', { value: 'zego' }, 'ZEGO'), h('option', { value: 'ivh' }, 'Tencent IVH'));
  const operation = h('select', { name: 'operation' });
  const body = h('textarea', { name: 'body', 'aria-label': 'Body (JSON)' });
  const fillOperations = () => {
    const ops = OPERATIONS[dialect.value as 'zego' | 'ivh'];
    operation.replaceChildren(...Object.keys(ops).map((o) => h('option', { value: o }, o)));
    fillBody();
  };
  const fillBody = () => {
    const ops = OPERATIONS[dialect.value as 'zego' | 'ivh'] as Record<string, unknown>;
    body.value = JSON.stringify(ops[operation.value] ?? {}, null, 2);
  };
  dialect.addEventListener('change', fillOperations);
  operation.addEventListener('change', fillBody);
  fillOperations();
  const request = h('pre', { 'aria-label': 'Wire request' });
  const response = h('pre', { 'aria-label': 'Wire response' });
  const form = submitForm(
    {},
    async () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.value || '{}');
      } catch {
        throw new Error('The body is not valid JSON.');
      }
      const r = await api('POST', `/v1/apps/${encodeURIComponent(app.value)}/try`, { dialect: dialect.value, operation: operation.value, body: parsed });
      request.textContent = wireText(`${r.request.method} ${r.request.url}`, r.request.headers, r.request.body);
      let pretty = r.response.body;
      try {
        pretty = JSON.stringify(JSON.parse(r.response.body), null, 2);
      } catch {
        // not JSON: as it came
      }
      response.textContent = wireText(`HTTP ${r.response.status}`, r.response.headers, pretty);
    },
    h('div', { class: 'row' }, field('App', app), field('Dialect', dialect), field('Operation', operation)),
    body,
    h('div', { class: 'row' }, h('button', { class: 'primary', type: 'submit' }, 'Send signed request')),
  );
  main.append(
    h('h1', {}, 'Try it'),
    h(
      'p',
      {},
      "A vendor request signed with the app's secret (on the server; the secret never reaches this page), sent to this service. What went over the wire:",
    ),
    items.length ? form : h('p', {}, 'Create an app first.'),
    h('h2', {}, 'Request'),
    request,
    h('h2', {}, 'Response'),
    response,
  );
}

void route();
