/**
 * An app's use, plotted: requests an hour stacked by dialect, the failed ones on top, from the hourly
 * buckets the store keeps (summed across instances, kept 90 days), with the speech figures when there are
 * any; the same figures as a table for whoever cannot see the plot.
 */
import { useEffect, useState } from 'preact/hooks';
import { data, dialects, v1, type DialectView, type UsageHours } from '../api.js';
import { guarded } from '../ui.js';

const HOUR = 3_600_000;
const RANGES = { '24 hours': 24, '7 days': 24 * 7, '30 days': 24 * 30 } as const;
type Range = keyof typeof RANGES;
const COLORS = ['zego', 'ivh', 'elevenlabs', 'openai', 'heygen', 'mistral', 'native'];
const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function UsagePanel({ app }: { app: string }) {
  const [range, setRange] = useState<Range>('24 hours');
  const [usage, setUsage] = useState<UsageHours | undefined>();
  const [labels, setLabels] = useState<DialectView[]>([]);
  const [limited, setLimited] = useState<number | undefined>();
  useEffect(() => {
    void guarded(async () => {
      const to = Math.ceil(Date.now() / HOUR) * HOUR;
      const from = to - RANGES[range] * HOUR;
      const [u, d, instance] = await Promise.all([
        data(
          v1().GET('/v1/apps/{name}/usage/hours', {
            params: { path: { name: app }, query: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } },
          }),
        ),
        dialects(),
        data(v1().GET('/v1/apps/{name}/usage', { params: { path: { name: app } } })),
      ]);
      setUsage(u);
      setLabels(d);
      setLimited(instance.rateLimited);
    });
  }, [app, range]);

  const names = Object.fromEntries(labels.map((d) => [d.name, d.label]));
  return (
    <section aria-labelledby="usage-h" class="panel" data-panel="usage">
      <div class="row between">
        <h2 id="usage-h">Usage of {app}</h2>
        <div class="toggle" role="group" aria-label="Usage over">
          {(Object.keys(RANGES) as Range[]).map((r) => (
            <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
      </div>
      {usage && <Plot usage={usage} names={names} />}
      {limited !== undefined && <p class="meta">Refused over its per-second limit on this instance since it started: {limited.toLocaleString('en')}</p>}
    </section>
  );
}

function Plot({ usage, names }: { usage: UsageHours; names: Record<string, string> }) {
  const from = Date.parse(usage.from);
  const to = Date.parse(usage.to);
  const n = Math.max(1, Math.round((to - from) / HOUR));
  // Per hour: ok requests by dialect, failed requests, characters.
  const ok: Record<string, number>[] = Array.from({ length: n }, () => ({}));
  const failed = new Array<number>(n).fill(0);
  const chars = new Array<number>(n).fill(0);
  const byDialect: Record<string, { ok: number; failed: number; relayed: number; characters: number }> = {};
  for (const h of usage.hours) {
    const i = Math.floor((Date.parse(h.hour) - from) / HOUR);
    const d = (byDialect[h.dialect] ??= { ok: 0, failed: 0, relayed: 0, characters: 0 });
    d[h.outcome] += h.requests;
    if (h.via !== 'served') d.relayed += h.requests;
    d.characters += h.characters;
    if (i < 0 || i >= n) continue;
    if (h.outcome === 'ok') ok[i][h.dialect] = (ok[i][h.dialect] ?? 0) + h.requests;
    else failed[i] += h.requests;
    chars[i] += h.characters;
  }
  const totals = ok.map((o, i) => Object.values(o).reduce((a, b) => a + b, 0) + failed[i]);
  const top = Math.max(1, ...totals);
  const topChars = Math.max(1, ...chars);
  const W = 10;
  const H = 100;
  const dialectsSeen = Object.keys(byDialect).sort((a, b) => COLORS.indexOf(a) - COLORS.indexOf(b));
  const summary = `${usage.totals.requests.toLocaleString('en')} requests (${usage.totals.failed.toLocaleString('en')} failed) from ${when(from)} to ${when(to)} UTC`;
  return (
    <>
      <p class="meta">{summary}</p>
      {usage.totals.requests === 0 ? (
        <p class="empty-plot meta">No requests in this time.</p>
      ) : (
        <>
          <svg class="plot" viewBox={`0 0 ${n * W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`Requests an hour: ${summary}`}>
            <line class="axis" x1={0} x2={n * W} y1={H} y2={H} />
            {ok.map((o, i) => {
              let y = H;
              const bars = dialectsSeen
                .filter((d) => o[d])
                .map((d) => {
                  const h = (o[d] / top) * (H - 4);
                  y -= h;
                  return (
                    <rect key={d} class={`d-${COLORS.includes(d) ? d : 'other'}`} x={i * W + 1} width={W - 2} y={y} height={h}>
                      <title>{`${when(from + i * HOUR)} UTC · ${names[d] ?? d}: ${o[d]} answered`}</title>
                    </rect>
                  );
                });
              const fh = (failed[i] / top) * (H - 4);
              return (
                <g key={i}>
                  {bars}
                  {failed[i] > 0 && (
                    <rect class="failed" x={i * W + 1} width={W - 2} y={y - fh} height={fh}>
                      <title>{`${when(from + i * HOUR)} UTC · ${failed[i]} failed`}</title>
                    </rect>
                  )}
                </g>
              );
            })}
          </svg>
          <div class="row between meta axis-labels" aria-hidden="true">
            <span>{when(from)}</span>
            <span>max {top.toLocaleString('en')} an hour</span>
            <span>{when(to)} UTC</span>
          </div>
        </>
      )}
      <ul class="legend" aria-label="Dialects">
        {dialectsSeen.map((d) => (
          <li key={d}>
            <span class={`swatch d-${COLORS.includes(d) ? d : 'other'}`} aria-hidden="true" />
            {names[d] ?? d}
          </li>
        ))}
        {usage.totals.failed > 0 && (
          <li>
            <span class="swatch failed" aria-hidden="true" />
            failed
          </li>
        )}
      </ul>
      {usage.totals.characters > 0 && (
        <>
          <h3>Speech</h3>
          <p class="meta">
            {usage.totals.characters.toLocaleString('en')} characters sent to be spoken; {usage.totals.bytes.toLocaleString('en')} bytes of vendors’ answers
            relayed
          </p>
          <svg class="plot small" viewBox={`0 0 ${n * W} 40`} preserveAspectRatio="none" role="img" aria-label="Characters spoken an hour">
            {chars.map((c, i) =>
              c ? (
                <rect key={i} class="chars" x={i * W + 1} width={W - 2} y={40 - (c / topChars) * 38} height={(c / topChars) * 38}>
                  <title>{`${when(from + i * HOUR)} UTC · ${c} characters`}</title>
                </rect>
              ) : null,
            )}
          </svg>
        </>
      )}
      <div class="scroll">
        <table aria-label="Usage by dialect">
          <thead>
            <tr>
              <th scope="col">Dialect</th>
              <th scope="col">Answered</th>
              <th scope="col">Failed</th>
              <th scope="col">Relayed</th>
              <th scope="col">Characters</th>
            </tr>
          </thead>
          <tbody>
            {dialectsSeen.length === 0 && (
              <tr>
                <td colSpan={5}>No requests in this time.</td>
              </tr>
            )}
            {dialectsSeen.map((d) => (
              <tr key={d} data-usage={d}>
                <td>{names[d] ?? d}</td>
                <td>{byDialect[d].ok.toLocaleString('en')}</td>
                <td>{byDialect[d].failed.toLocaleString('en')}</td>
                <td>{byDialect[d].relayed.toLocaleString('en')}</td>
                <td>{byDialect[d].characters.toLocaleString('en')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
