import { useEffect, useState } from 'preact/hooks';
import { ANCHOR_TAGS, AVATAR_TYPES, GENDERS } from '../../../src/core/types.js';
import { data, v1, type Anchor, type DigitalHuman } from '../api.js';
import { Catalog, mayWrite, OwnerFilter, StatusFilter, type Changed } from '../catalog.js';
import { DrawerButton, Field, Form, guarded, Options, PageHead, say, Thumb, UploadField } from '../ui.js';
import { Lifecycle, query } from './shared.js';

const facts = (a: Anchor) => `${a.code} · ${a.avatarType} · ${a.gender} · ${a.tag} · ${a.owner ?? 'public'}${a.status === 'retired' ? ' · retired' : ''}`;

export function AnchorsView(props: { code: string }) {
  const [reload, setReload] = useState(0);
  return (
    <>
      <PageHead title="Anchors">
        <DrawerButton
          label="New anchor"
          primary
          form={(close) => (
            <Form
              class="stack"
              run={async (v) => {
                const a = await data(
                  v1().POST('/v1/anchors', {
                    body: {
                      code: v.code,
                      name: v.name,
                      avatarType: v.type as Anchor['avatarType'],
                      gender: v.gender as Anchor['gender'],
                      tag: v.tag as Anchor['tag'],
                    },
                  }),
                );
                say(`Created ${a.name}.`);
                close();
                setReload((n) => n + 1);
              }}
            >
              <Field label="Code">
                <input name="code" required size={12} maxLength={128} />
              </Field>
              <Field label="Name">
                <input name="name" required />
              </Field>
              <Field label="Type of the new anchor">
                <select name="type">
                  <Options values={AVATAR_TYPES} />
                </select>
              </Field>
              <Field label="Gender of the new anchor">
                <select name="gender">
                  <Options values={['neutral', 'female', 'male']} />
                </select>
              </Field>
              <Field label="Tag of the new anchor">
                <select name="tag">
                  <Options values={ANCHOR_TAGS} />
                </select>
              </Field>
              <button class="primary" type="submit">
                Create anchor
              </button>
            </Form>
          )}
        />
      </PageHead>
      <p class="meta">A presenter and its looks: every digital human whose anchor code is the anchor’s code.</p>
      <Catalog<Anchor>
        label="Anchors"
        attr="data-anchor"
        reload={reload}
        fetchPage={(q) => data(v1().GET('/v1/anchors', { params: { query: query<'/v1/anchors'>(q) } }))}
        filters={
          <>
            <Field label="Search">
              <input type="search" name="q" placeholder="name or code" value={props.code} />
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
            <Field label="Gender">
              <select name="gender">
                <Options values={GENDERS} any="any" />
              </select>
            </Field>
            <Field label="Tag">
              <select name="tag">
                <Options values={ANCHOR_TAGS} any="any" />
              </select>
            </Field>
            <OwnerFilter />
            <StatusFilter />
          </>
        }
        picture={(a) => a.headerImage}
        meta={facts}
        columns={[
          { head: 'Code', cell: (a) => a.code },
          { head: 'Type', cell: (a) => a.avatarType },
          { head: 'Gender', cell: (a) => a.gender },
          { head: 'Tag', cell: (a) => a.tag },
          { head: 'Owner', cell: (a) => a.owner ?? 'public' },
        ]}
        empty="No anchors match."
        detail={(a, changed) => <AnchorDetail a={a} changed={changed} />}
      />
    </>
  );
}

function AnchorDetail({ a, changed }: { a: Anchor; changed: Changed<Anchor> }) {
  const [looks, setLooks] = useState<DigitalHuman[] | undefined>();
  const path = { params: { path: { id: a.id } } };
  useEffect(() => void guarded(async () => setLooks((await data(v1().GET('/v1/anchors/{id}/digital-humans', path))).items)), [a.id]);
  const writable = mayWrite(a.owner);
  const again = () => guarded(async () => changed(await data(v1().GET('/v1/anchors/{id}', path))));
  return (
    <div class="detail" data-anchor-detail={a.id}>
      <div class="row tight">
        <Thumb src={a.headerImage} name={a.name} id={a.id} size="big" />
        <div class="meta">{facts(a)}</div>
      </div>
      {writable && a.status === 'active' && (
        <div class="row">
          <UploadField
            label="Picture"
            aria={`Upload picture for ${a.name}`}
            accept="image/*"
            path={`/v1/anchors/${encodeURIComponent(a.id)}/header-image`}
            done={again}
          />
        </div>
      )}
      <h3>Looks of {a.name}</h3>
      {looks && (
        <ul class="looks" aria-label={`Looks of ${a.name}`}>
          {looks.length ? (
            looks.map((d) => (
              <li key={d.id} data-look={d.id}>
                <Thumb src={d.headerImage} name={d.name} id={d.id} />
                {d.name}
                <span class="meta">
                  {' '}
                  {[d.clothesName, d.poseName, d.resolution].filter(Boolean).join(' · ')} · {d.actions.length} action{d.actions.length === 1 ? '' : 's'}
                </span>
              </li>
            ))
          ) : (
            <li>No looks yet: create a digital human with this anchor code.</li>
          )}
        </ul>
      )}
      {writable && (
        <Lifecycle
          name={a.name}
          status={a.status}
          retire={() => v1().POST('/v1/anchors/{id}/retire', { ...path, body: {} })}
          restore={() => v1().POST('/v1/anchors/{id}/restore', path)}
          changed={() => changed(null)}
          warning="It leaves the anchor lists; its looks stay."
        />
      )}
    </div>
  );
}
