// The benchmark's targets, as data: which figure of which scenario, and the bound it should keep. The run
// prints each against what it measured; it never fails on them (a timed result depends on the machine: the
// figures that matter are ratios against a baseline measured in the same run).
import { f, log } from './lib.mjs';

/**
 * `of`: the scenario whose results hold the figure ('catalog': once per engine and size; 'unpaged',
 * 'gateway': once). `figure` answers undefined where the run left that part out (no looks, no nginx).
 */
export const TARGETS = [
  { name: 'CLI import rows/s', of: 'catalog', figure: (r) => r.import.rowsPerSecond, atLeast: 50_000 },
  { name: 'CLI import peak RSS MB', of: 'catalog', figure: (r) => r.import.peakRssMB, atMost: 300 },
  { name: 'GetTimbreList ÷ bare node:http', of: 'catalog', figure: (r) => r.throughput.ratio, atLeast: 0.8 },
  { name: 'GetTimbreList random ÷ bare', of: 'catalog', figure: (r) => r.throughput.zegoRandom.ratio, atLeast: 0.5 },
  { name: 'describetimbre random ÷ bare', of: 'catalog', figure: (r) => r.throughput.ivhRandom.ratio, atLeast: 0.5 },
  { name: '/v1/timbres app key ÷ bare', of: 'catalog', figure: (r) => r.throughput.nativeList.ratio, atLeast: 0.3 },
  { name: 'ElevenLabs /v2/voices cached ÷ bare', of: 'catalog', figure: (r) => r.throughput.elevenlabs.cached.ratio, atLeast: 0.5 },
  { name: 'HeyGen group looks cached ÷ bare', of: 'catalog', figure: (r) => r.throughput.heygen?.cached.ratio, atLeast: 0.5 },
  { name: 'GetTimbreList deep ÷ first p50', of: 'catalog', figure: (r) => r.zegoDeepOffset.ratio, atMost: 2 },
  { name: 'describetimbre last ÷ first p50', of: 'catalog', figure: (r) => r.ivhLastPage.ratio, atMost: 2 },
  { name: 'getanchor last ÷ first p50', of: 'catalog', figure: (r) => r.anchors?.getanchor.ratio, atMost: 2 },
  { name: 'getimagebyanchor last ÷ first p50', of: 'catalog', figure: (r) => r.anchors?.getimagebyanchor.ratio, atMost: 2 },
  { name: 'start-up → first deep answer ms', of: 'catalog', figure: (r) => r.startup.firstDeepMs, atMost: 1000 },
  { name: 'deep reader p99 ms, 1 write/s', of: 'catalog', figure: (r) => r.writesBesideReaders.writing.p99, atMost: 20 },
  { name: 'write → visible, deepest ms', of: 'catalog', figure: (r) => r.writesBesideReaders.visibleMs, atMost: 100 },
  { name: "deep reader max ms, another instance's 1 write/s", of: 'catalog', figure: (r) => r.writesBesideReaders.elsewhere?.max, atMost: 20 },
  { name: 'deep reader max ms, beside a CLI import', of: 'catalog', figure: (r) => r.writesBesideReaders.importBeside.max, atMost: 20 },
  { name: 'write → visible on another instance, max ms', of: 'catalog', figure: (r) => r.writesBesideReaders.visibleElsewhereMaxMs, atMost: 1000 },
  { name: '/v1 q + 2 filters p99 ms', of: 'catalog', figure: (r) => r.nativeSearch.p99Ms, atMost: 20 },
  { name: '/v1 cursor last ÷ first p50', of: 'catalog', figure: (r) => r.nativeCursor.ratio, atMost: 2 },
  { name: '/v1 by name (q=voice) last ÷ first p50', of: 'catalog', figure: (r) => r.nativeByName.ratio, atMost: 2 },
  { name: 'server peak RSS MB', of: 'catalog', figure: (r) => r.serverPeakRssMB, atMost: 300 },
  ...['OpenAI voices', 'ElevenLabs /v1/voices', 'HeyGen voices', 'HeyGen avatars'].map((label) => ({
    name: `${label} ÷ bare`,
    of: 'unpaged',
    figure: (u) => u.find((x) => x.label === label)?.ratio,
    atLeast: 0.5,
  })),
  { name: 'sync rows/s (ZEGO)', of: 'gateway', figure: (g) => g.sync.rowsPerSecond, atLeast: 2000 },
  { name: 'TTS first byte, ms timbrel adds (p50)', of: 'gateway', figure: (g) => g.speech?.firstByte.addedP50Ms, atMost: 5 },
];

/** Whether `value` keeps the target's bound. */
export const kept = (t, value) => (t.atLeast !== undefined ? value >= t.atLeast : value <= t.atMost);

/** Each target beside what the run measured (a column per engine and size for the catalog's). */
export function printTargets({ results, unpaged, gateway }) {
  const columns = [
    ...results.map((r) => ({ of: 'catalog', label: `${r.engine} ${r.rows.toLocaleString('en')}`, value: r })),
    ...(unpaged ? [{ of: 'unpaged', label: 'unpaged', value: unpaged }] : []),
    ...(gateway ? [{ of: 'gateway', label: 'gateway', value: gateway }] : []),
  ];
  log('');
  log(`${'targets'.padEnd(40)}${'bound'.padStart(10)}  measured`);
  let missed = 0;
  for (const t of TARGETS) {
    const cells = columns
      .filter((c) => c.of === t.of)
      .flatMap((c) => {
        const value = t.figure(c.value);
        if (value === undefined) return [];
        if (!kept(t, value)) missed++;
        return [`${c.label}: ${value >= 100 ? Math.round(value).toLocaleString('en') : f(value)}${kept(t, value) ? '' : ' (missed)'}`];
      });
    if (cells.length) log(`${t.name.padEnd(40)}${`${t.atLeast !== undefined ? '≥' : '≤'} ${t.atLeast ?? t.atMost}`.padStart(10)}  ${cells.join('; ')}`);
  }
  log(`${missed ? `${missed} figure(s) missed their target` : 'every figure kept its target'} on this run (figures, not a pass or fail: docs/benchmarks.md)`);
}
