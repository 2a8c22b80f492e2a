import { useState } from 'preact/hooks';
import { GENDERS, AVATAR_TYPES, TIMBRE_TYPES } from '../../../src/core/types.js';
import { data, raw, session, TimbrelClientError, v1, type Timbre } from '../api.js';
import { Catalog, Editor, mayWrite, OwnerFilter, StatusFilter, type Changed } from '../catalog.js';
import { DrawerButton, Field, Form, guarded, Md, Options, PageHead, Sample, say, Thumb, UploadField, Waveform } from '../ui.js';
import { Lifecycle, query } from './shared.js';

const path = (t: { id: string }) => `/v1/timbres/${encodeURIComponent(t.id)}`;
const facts = (t: Timbre) =>
  `${t.gender} · ${t.languages.join(', ') || 'no language'} · ${t.timbreType} · ${t.owner ?? 'public'}${t.status === 'retired' ? ' · retired' : ''}`;

export function TimbresView() {
  const [reload, setReload] = useState(0);
  return (
    <>
      <PageHead title="Timbres">
        <DrawerButton
          label={session.operator ? 'New public timbre' : 'New timbre'}
          primary
          form={(close) => (
            <NewTimbre
              created={() => {
                close();
                setReload((n) => n + 1);
              }}
            />
          )}
        />
        <DrawerButton label="Export and import" form={(close) => <ExportImport imported={() => (close(), setReload((n) => n + 1))} />} />
      </PageHead>
      <Catalog<Timbre>
        label="Timbres"
        attr="data-timbre"
        reload={reload}
        fetchPage={(q) => data(v1().GET('/v1/timbres', { params: { query: query<'/v1/timbres'>(q) } }))}
        filters={
          <>
            <Field label="Search">
              <input type="search" name="q" placeholder="words in name, description, tags" />
            </Field>
          </>
        }
        more={
          <>
            <Field label="Gender">
              <select name="gender">
                <Options values={GENDERS} any="any" />
              </select>
            </Field>
            <Field label="Language">
              <input name="language" placeholder="e.g. en-US" size={8} />
            </Field>
            <Field label="Type">
              <select name="timbreType">
                <Options values={TIMBRE_TYPES} any="any" />
              </select>
            </Field>
            <Field label="Tag">
              <input name="tag" size={8} />
            </Field>
            <Field label="Emotion">
              <input name="emotion" size={8} />
            </Field>
            <Field label="For avatars">
              <select name="avatarType">
                <Options values={AVATAR_TYPES} any="any" />
              </select>
            </Field>
            <OwnerFilter />
            <StatusFilter />
          </>
        }
        picture={(t) => t.image}
        meta={facts}
        extra={(t) => (t.sample ? <Sample src={t.sample} label={`Sample of ${t.name}`} /> : <div class="meta">no sample</div>)}
        columns={[
          { head: 'Gender', cell: (t) => t.gender },
          { head: 'Languages', cell: (t) => t.languages.join(', ') },
          { head: 'Type', cell: (t) => t.timbreType },
          { head: 'Owner', cell: (t) => t.owner ?? 'public' },
          { head: 'Sample', cell: (t) => (t.sample ? <Sample src={t.sample} label={`Sample of ${t.name}`} /> : '—') },
        ]}
        empty="No timbres match."
        detail={(t, changed) => <TimbreDetail t={t} changed={changed} />}
      />
    </>
  );
}

function TimbreDetail({ t, changed }: { t: Timbre; changed: Changed<Timbre> }) {
  const writable = mayWrite(t.owner);
  const again = () => guarded(async () => changed(await data(v1().GET('/v1/timbres/{id}', { params: { path: { id: t.id } } }))));
  return (
    <div class="detail" data-timbre-detail={t.id}>
      <div class="row tight">
        <Thumb src={t.image} name={t.name} id={t.id} size="big" />
        <div>
          <div class="meta">{facts(t)}</div>
          <div class="meta">
            key <code>{t.key}</code> · id <code>{t.id}</code>
          </div>
        </div>
      </div>
      {t.description && (
        <p>
          <Md text={t.description} />
        </p>
      )}
      <h3>Samples</h3>
      {t.sample ? (
        <>
          <Sample src={t.sample} label={`Sample of ${t.name}`} />
          <Waveform src={t.sample} label={`the sample of ${t.name}`} />
        </>
      ) : (
        <p class="meta">No sample yet.</p>
      )}
      {Object.entries(t.languageSamples ?? {}).map(([tag, url]) => (
        <div key={tag} class="row tight" data-language-sample={tag}>
          <span class="meta">{tag}</span>
          <Sample src={url} label={`Sample of ${t.name} in ${tag}`} />
        </div>
      ))}
      {writable && (
        <div class="row">
          <UploadField label="Sample" aria={`Upload sample for ${t.name}`} accept="audio/*" path={`${path(t)}/sample`} done={again} />
          <UploadField label="Picture" aria={`Upload picture for ${t.name}`} accept="image/*" path={`${path(t)}/image`} done={again} />
          {t.languages.length > 1 &&
            t.languages.map((tag) => (
              <UploadField
                key={tag}
                label={`${tag} sample`}
                aria={`Upload ${tag} sample for ${t.name}`}
                accept="audio/*"
                path={`${path(t)}/language-samples/${encodeURIComponent(tag)}`}
                done={again}
              />
            ))}
        </div>
      )}
      {writable && t.status === 'active' && (
        <>
          <h3>Edit</h3>
          <Editor
            fields={[
              ['Name', 'name', t.name],
              ['Description', 'description', t.description ?? ''],
            ]}
            save={async (values) => {
              changed(await data(v1().PATCH('/v1/timbres/{id}', { params: { path: { id: t.id } }, body: values })));
              say('Saved.');
            }}
          />
        </>
      )}
      {writable && (
        <Lifecycle
          name={t.name}
          status={t.status}
          retire={() => v1().DELETE('/v1/timbres/{id}', { params: { path: { id: t.id } }, body: {} })}
          restore={() => v1().POST('/v1/timbres/{id}/restore', { params: { path: { id: t.id } } })}
          changed={() => changed(null)}
          warning="It leaves every list and every vendor dialect."
        />
      )}
    </div>
  );
}

function NewTimbre({ created }: { created: () => void }) {
  return (
    <Form
      class="stack"
      run={async (v) => {
        const t = await data(
          v1().POST('/v1/timbres', { body: { key: v.key, name: v.name, description: v.description, gender: v.gender as Timbre['gender'] } }),
        );
        say(`Created ${t.name}.`);
        created();
      }}
    >
      <Field label="Key">
        <input name="key" required size={12} />
      </Field>
      <Field label="Name">
        <input name="name" required />
      </Field>
      <Field label="Description">
        <input name="description" />
      </Field>
      <Field label="Gender of the new timbre">
        <select name="gender">
          <Options values={GENDERS} />
        </select>
      </Field>
      <button class="primary" type="submit">
        Create timbre
      </button>
    </Form>
  );
}

function ExportImport({ imported }: { imported: () => void }) {
  const [importing, setImporting] = useState('');
  return (
    <div class="stack">
      <div class="row">
        <button type="button" onClick={() => void guarded(downloadExport)}>
          {session.operator ? 'Export the catalog (NDJSON)' : 'Export my catalog (NDJSON)'}
        </button>
        <span class="meta">
          <Md
            text={
              session.operator
                ? 'Anchors, digital humans, timbres and bindings in the import format; `timbrel import` reads it back (`timbrel backup` also keeps apps, keys and files).'
                : 'Your private anchors, digital humans, timbres and bindings, in the import format.'
            }
          />
        </span>
      </div>
      <div class="row">
        <Field label={session.operator ? 'Import NDJSON records' : 'Import my records (NDJSON)'}>
          <input
            type="file"
            accept=".ndjson,.jsonl,application/x-ndjson,text/plain"
            onChange={(e) => {
              const input = e.currentTarget;
              const file = input.files?.[0];
              if (!file) return;
              setImporting(`Importing ${file.name}…`);
              void guarded(async () => {
                const r = (await (await raw('POST', '/v1/import', file, 'application/x-ndjson')).json()) as Record<string, number>;
                say(
                  `Imported ${r.anchors} anchors, ${r.digitalHumans} digital humans, ${r.timbres} timbres, ${r.bindings} bindings${r.skipped ? `; skipped ${r.skipped}` : ''}.`,
                );
                imported();
              }).finally(() => {
                setImporting('');
                input.value = '';
              });
            }}
          />
        </Field>
        <span class="meta" aria-live="polite">
          {importing}
        </span>
      </div>
    </div>
  );
}

/** Downloads the caller's export (GET /v1/export: NDJSON, the import format) as a file. */
async function downloadExport() {
  const res = await raw('GET', '/v1/export').catch((err: unknown) => {
    throw err instanceof TimbrelClientError ? err : new Error(String(err));
  });
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'timbrel.ndjson';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  say(`Exported ${name}.`);
}
