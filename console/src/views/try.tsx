/** A vendor request signed with an app's secret on the server, sent to this service: what went over the wire. */
import { useEffect, useState } from 'preact/hooks';
import { data, v1, type App } from '../api.js';
import { Field, Form, guarded } from '../ui.js';

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
type Dialect = keyof typeof OPERATIONS;

/** A message as it went over the wire: its first line, headers, a blank line, the body. */
const wireText = (first: string, headers: Record<string, string>, body: string) =>
  `${first}\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n\n${body}`;

export function TryView() {
  const [apps, setApps] = useState<App[] | undefined>();
  const [dialect, setDialect] = useState<Dialect>('zego');
  const [operation, setOperation] = useState<string>('GetTimbreList');
  const [body, setBody] = useState(JSON.stringify(OPERATIONS.zego.GetTimbreList, null, 2));
  const [wire, setWire] = useState<{ request: string; response: string }>({ request: '', response: '' });
  useEffect(() => void guarded(async () => setApps((await data(v1().GET('/v1/apps'))).items)), []);
  const pick = (d: Dialect, op?: string) => {
    const ops = OPERATIONS[d] as Record<string, unknown>;
    const o = op ?? Object.keys(ops)[0];
    setDialect(d);
    setOperation(o);
    setBody(JSON.stringify(ops[o] ?? {}, null, 2));
  };
  return (
    <>
      <h1 tabIndex={-1}>Try it</h1>
      <p>A vendor request signed with the app’s secret (on the server; the secret never reaches this page), sent to this service. What went over the wire:</p>
      {apps && apps.length === 0 && <p>Create an app first.</p>}
      {apps && apps.length > 0 && (
        <Form
          keep
          class="stack"
          run={async (v) => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(body || '{}');
            } catch {
              throw new Error('The body is not valid JSON.');
            }
            const r = await data(v1().POST('/v1/apps/{name}/try', { params: { path: { name: v.app } }, body: { dialect, operation, body: parsed as never } }));
            let pretty = r.response.body;
            try {
              pretty = JSON.stringify(JSON.parse(r.response.body), null, 2);
            } catch {
              // not JSON: as it came
            }
            setWire({
              request: wireText(`${r.request.method} ${r.request.url}`, r.request.headers, r.request.body),
              response: wireText(`HTTP ${r.response.status}`, r.response.headers, pretty),
            });
          }}
        >
          <div class="row">
            <Field label="App">
              <select name="app">
                {apps.map((a) => (
                  <option key={a.name} value={a.name}>
                    {a.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Dialect">
              <select name="dialect" value={dialect} onChange={(e) => pick(e.currentTarget.value as Dialect)}>
                <option value="zego">ZEGO</option>
                <option value="ivh">Tencent IVH</option>
              </select>
            </Field>
            <Field label="Operation">
              <select name="operation" value={operation} onChange={(e) => pick(dialect, e.currentTarget.value)}>
                {Object.keys(OPERATIONS[dialect]).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <textarea name="body" aria-label="Body (JSON)" value={body} onInput={(e) => setBody(e.currentTarget.value)} />
          <div class="row">
            <button class="primary" type="submit">
              Send signed request
            </button>
          </div>
        </Form>
      )}
      <h2>Request</h2>
      <section aria-label="Wire request">
        <pre>{wire.request}</pre>
      </section>
      <h2>Response</h2>
      <section aria-label="Wire response">
        <pre>{wire.response}</pre>
      </section>
    </>
  );
}
