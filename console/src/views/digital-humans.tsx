import { useEffect, useRef, useState } from 'preact/hooks';
import { AVATAR_TYPES } from '../../../src/core/types.js';
import { data, session, v1, type Binding, type DigitalHuman, type Timbre } from '../api.js';
import { Catalog, Editor, mayWrite, OwnerFilter, StatusFilter, type Changed } from '../catalog.js';
import { DrawerButton, Field, Form, guarded, Options, PageHead, say, Thumb, UploadField } from '../ui.js';
import { Lifecycle, query } from './shared.js';

const base = (d: { id: string }) => `/v1/digital-humans/${encodeURIComponent(d.id)}`;
const look = (d: DigitalHuman) => [d.clothesName, d.poseName, d.resolution].filter(Boolean).join(' · ') || 'no look details';
const facts = (d: DigitalHuman) => `${look(d)} · ${d.avatarType || ''} · ${d.owner ?? 'public'}${d.status === 'retired' ? ' · retired' : ''}`;

export function DigitalHumansView() {
  const [reload, setReload] = useState(0);
  return (
    <>
      <PageHead title="Digital humans">
        <DrawerButton
          label="New digital human"
          primary
          form={(close) => (
            <Form
              class="stack"
              run={async (v) => {
                const codes = v.actions
                  .split(',')
                  .map((c) => c.trim())
                  .filter(Boolean);
                const d = await data(
                  v1().POST('/v1/digital-humans', { body: { name: v.name, anchorCode: v.anchorCode, actions: codes.map((code) => ({ code })) } }),
                );
                say(`Created ${d.name}.`);
                close();
                setReload((n) => n + 1);
              }}
            >
              <Field label="Name">
                <input name="name" required />
              </Field>
              <Field label="Anchor code">
                <input name="anchorCode" size={12} />
              </Field>
              <Field label="Action codes">
                <input name="actions" placeholder="wave, nod" size={12} />
              </Field>
              <button class="primary" type="submit">
                Create digital human
              </button>
            </Form>
          )}
        />
      </PageHead>
      <Catalog<DigitalHuman>
        label="Digital humans"
        attr="data-digital-human"
        reload={reload}
        fetchPage={(q) => data(v1().GET('/v1/digital-humans', { params: { query: query<'/v1/digital-humans'>(q) } }))}
        filters={
          <>
            <Field label="Search">
              <input type="search" name="q" placeholder="name, anchor code, clothes, pose" />
            </Field>
          </>
        }
        more={
          <>
            <Field label="Type">
              <select name="avatarType">
                <Options values={AVATAR_TYPES} any="any" />
              </select>
            </Field>
            <Field label="Anchor">
              <input name="anchorCode" placeholder="anchor code" size={10} />
            </Field>
            <OwnerFilter />
            <StatusFilter />
          </>
        }
        picture={(d) => d.headerImage}
        meta={facts}
        extra={(d) => <AnchorLine d={d} />}
        columns={[
          { head: 'Look', cell: look },
          { head: 'Type', cell: (d) => d.avatarType },
          { head: 'Anchor', cell: (d) => <AnchorLine d={d} /> },
          { head: 'Actions', cell: (d) => d.actions.map((a) => a.code).join(', ') },
          { head: 'Owner', cell: (d) => d.owner ?? 'public' },
        ]}
        empty="No digital humans match."
        detail={(d, changed) => <DigitalHumanDetail d={d} changed={changed} />}
      />
    </>
  );
}

function AnchorLine({ d }: { d: DigitalHuman }) {
  if (d.anchor)
    return (
      <div class="meta" data-anchor-of={d.anchor.id}>
        Anchor: <a href={`#/anchors?code=${encodeURIComponent(d.anchor.code)}`}>{d.anchor.name}</a>
        {d.anchor.status === 'retired' ? ' (retired)' : ''}
      </div>
    );
  return d.anchorCode ? <div class="meta">Anchor code {d.anchorCode}</div> : null;
}

function DigitalHumanDetail({ d, changed }: { d: DigitalHuman; changed: Changed<DigitalHuman> }) {
  const writable = mayWrite(d.owner) && d.status === 'active';
  const again = () => guarded(async () => changed(await data(v1().GET('/v1/digital-humans/{id}', { params: { path: { id: d.id } } }))));
  return (
    <div class="detail" data-digital-human-detail={d.id}>
      <div class="row tight">
        <Thumb src={d.headerImage} name={d.name} id={d.id} size="big" />
        <div>
          <div class="meta">{facts(d)}</div>
          <div class="meta">
            id <code>{d.id}</code>
          </div>
          <AnchorLine d={d} />
        </div>
      </div>
      {writable && (
        <div class="row">
          <UploadField label="Picture" aria={`Upload picture for ${d.name}`} accept="image/*" path={`${base(d)}/header-image`} done={again} />
        </div>
      )}
      <h3>Actions</h3>
      {d.actions.length ? (
        <ul class="actions">
          {d.actions.map((a) => (
            <li key={a.code} data-action={a.code}>
              <strong>{a.name || a.code}</strong>
              {a.previewVideo ? (
                <video controls preload="metadata" src={a.previewVideo} aria-label={`Preview of ${a.code}`} />
              ) : (
                <span class="meta"> no preview yet</span>
              )}
              {writable && (
                <UploadField
                  label={`Preview video for ${a.code}`}
                  aria={`Upload preview video for ${a.code} of ${d.name}`}
                  accept="video/*"
                  path={`${base(d)}/actions/${encodeURIComponent(a.code)}/preview-video`}
                  done={again}
                />
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p class="meta">No actions.</p>
      )}
      <Bindings d={d} />
      {writable && (
        <>
          <h3>Edit</h3>
          <Editor
            fields={[
              ['Name', 'name', d.name],
              ['Anchor code', 'anchorCode', d.anchorCode ?? ''],
            ]}
            save={async (values) => {
              changed(await data(v1().PATCH('/v1/digital-humans/{id}', { params: { path: { id: d.id } }, body: values })));
              say('Saved.');
            }}
          />
        </>
      )}
      {mayWrite(d.owner) && (
        <Lifecycle
          name={d.name}
          status={d.status}
          retire={() => v1().DELETE('/v1/digital-humans/{id}', { params: { path: { id: d.id } }, body: {} })}
          restore={() => v1().POST('/v1/digital-humans/{id}/restore', { params: { path: { id: d.id } } })}
          changed={() => changed(null)}
          warning="It leaves every list and every vendor dialect."
        />
      )}
    </div>
  );
}

/**
 * A digital human's bound timbres: the caller's own bindings in order (move, make default, unbind), the
 * others' (public) below, and a picker that finds a timbre to bind by its name (or takes an id).
 */
function Bindings({ d }: { d: DigitalHuman }) {
  const [items, setItems] = useState<Binding[] | undefined>();
  const id = { params: { path: { id: d.id } } };
  const read = () => guarded(async () => setItems((await data(v1().GET('/v1/digital-humans/{id}/timbres', id))).items));
  useEffect(() => void read(), [d.id]);
  // The operator's bindings are public and join public timbres to public digital humans.
  const canBind = !session.operator || d.owner === null;
  if (!items) return <h3>Timbres of {d.name}</h3>;
  const mine = items.filter((b) => (session.operator ? b.owner === null : b.owner !== null));
  const order = mine.map((b) => b.timbre.id);
  const currentDefault = mine.find((b) => b.isDefault)?.timbre.id ?? null;
  const save = (ids: string[], def: string | null) =>
    guarded(async () => {
      await v1().PUT('/v1/digital-humans/{id}/timbres', { ...id, body: { order: ids, default: def } });
      say('Saved.');
      await read();
    });
  const swap = (i: number, j: number) => {
    const ids = [...order];
    [ids[i], ids[j]] = [ids[j], ids[i]];
    void save(ids, currentDefault);
  };
  const others = items.filter((b) => !mine.includes(b));
  return (
    <section aria-label={`Timbres of ${d.name}`}>
      <h3>Timbres of {d.name}</h3>
      {mine.length ? (
        <ol class="bindings">
          {mine.map((b, i) => (
            <li key={b.timbre.id} data-bound={b.timbre.id}>
              <strong>{b.timbre.name}</strong>
              {b.isDefault ? ' (default) ' : ' '}
              <button type="button" class="link" disabled={i === 0} aria-label={`Move ${b.timbre.name} up`} onClick={() => swap(i, i - 1)}>
                ↑
              </button>
              <button type="button" class="link" disabled={i === mine.length - 1} aria-label={`Move ${b.timbre.name} down`} onClick={() => swap(i, i + 1)}>
                ↓
              </button>
              <button type="button" class="link" disabled={b.isDefault} onClick={() => void save(order, b.timbre.id)}>
                Make default
              </button>
              <button
                type="button"
                class="link danger"
                onClick={() =>
                  void guarded(async () => {
                    await v1().DELETE('/v1/digital-humans/{id}/timbres/{timbreId}', { params: { path: { id: d.id, timbreId: b.timbre.id } } });
                    await read();
                  })
                }
              >
                Unbind
              </button>
            </li>
          ))}
        </ol>
      ) : (
        <p>{canBind ? 'None bound yet.' : 'The operator binds public timbres to public digital humans only.'}</p>
      )}
      {others.length > 0 && <p class="meta">Also bound by others: {others.map((b) => b.timbre.name).join(', ')}</p>}
      {canBind && (
        <TimbrePicker
          bound={new Set(order)}
          bind={async (timbreId) => {
            await v1().PUT('/v1/digital-humans/{id}/timbres/{timbreId}', { params: { path: { id: d.id, timbreId } }, body: {} });
            say('Bound.');
            await read();
          }}
        />
      )}
    </section>
  );
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Finds timbres by name as you type (a search of the whole catalog, 8 at a time), each with a Bind button. */
function TimbrePicker(props: { bound: Set<string>; bind: (id: string) => Promise<unknown> }) {
  const [found, setFound] = useState<Timbre[] | undefined>();
  const asked = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const find = async (text: string) => {
    const mine = ++asked.current;
    if (!text) return setFound(undefined);
    const list = UUID.test(text)
      ? [await data(v1().GET('/v1/timbres/{id}', { params: { path: { id: text } } })).catch(() => undefined)].filter((t): t is Timbre => !!t)
      : (await data(v1().GET('/v1/timbres', { params: { query: { limit: 8, q: text, ...(session.operator ? { owner: 'public' as const } : {}) } } }))).items;
    if (mine === asked.current) setFound(list); // not an older answer that arrived after a newer one
  };
  return (
    <form
      class="picker"
      onSubmit={(e) => {
        e.preventDefault();
        const input = e.currentTarget.elements.namedItem('find') as HTMLInputElement;
        void guarded(() => find(input.value.trim()));
      }}
    >
      <Field label="Find a timbre to bind">
        <input
          type="search"
          name="find"
          placeholder="a name, or a timbre id"
          autocomplete="off"
          onInput={(e) => {
            const text = e.currentTarget.value.trim();
            clearTimeout(timer.current);
            timer.current = setTimeout(() => void guarded(() => find(text)), 200);
          }}
        />
      </Field>
      <ul class="looks" aria-label="Timbres found" aria-live="polite">
        {found?.length === 0 && <li class="meta">No timbre matches.</li>}
        {found?.map((t) => (
          <li key={t.id} data-found={t.id}>
            <strong>{t.name}</strong>
            <span class="meta">
              {' '}
              {t.key} · {t.owner ?? 'public'}
            </span>
            {props.bound.has(t.id) ? (
              <span class="meta"> (bound)</span>
            ) : (
              <button type="button" class="link" onClick={() => void guarded(() => props.bind(t.id))}>
                Bind {t.name}
              </button>
            )}
          </li>
        ))}
      </ul>
    </form>
  );
}
