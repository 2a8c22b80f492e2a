// What the benchmark prints: each engine's figures, and the engines side by side.
import { ROUNDS, ROUND_SECONDS, f, log } from './lib.mjs';

export function report(figures) {
  const t = figures.throughput;
  log('');
  log(
    `timbrel benchmark — ${figures.rows.toLocaleString('en')} public timbres, ${figures.engine}, Node ${process.version}, load: ${ROUNDS} alternating ${ROUND_SECONDS} s rounds per server`,
  );
  log('');
  log(
    `CLI import            ${figures.import.rows.toLocaleString('en')} rows in ${f(figures.import.seconds)} s = ${figures.import.rowsPerSecond.toLocaleString('en')} rows/s; peak RSS ${figures.import.peakRssMB} MB`,
  );
  const perRound = (x) => x.rounds.map((n) => n.toLocaleString('en')).join(', ');
  log(
    `GetTimbreList signed  ${Math.round(t.timbrel.rps).toLocaleString('en')} req/s, p50 ${t.timbrel.p50} ms, p99 ${t.timbrel.p99} ms, ${f(t.timbrel.cpuUsPerRequest, 1)} µs server CPU/request (50 connections; medians of ${ROUNDS} rounds: ${perRound(t.timbrel)})`,
  );
  log(
    `bare node:http        ${Math.round(t.bareNodeHttp.rps).toLocaleString('en')} req/s, p50 ${t.bareNodeHttp.p50} ms, p99 ${t.bareNodeHttp.p99} ms, ${f(t.bareNodeHttp.cpuUsPerRequest, 1)} µs server CPU/request (same ${t.responseBytes}-byte JSON; rounds: ${perRound(t.bareNodeHttp)})`,
  );
  log(`  ratio               ${f(t.ratio)}; round by round ${t.roundRatios.map((r) => f(r)).join(', ')}`);
  if (t.nginx)
    log(
      `nginx, same bytes     ${Math.round(t.nginx.rps).toLocaleString('en')} req/s, ${f(t.nginx.cpuUsPerRequest, 1)} µs worker CPU/request; bare node:http ÷ nginx ${f(t.nginx.bareRatio)}, timbrel ÷ nginx ${f(t.nginx.ratio)} (the machine's physical limit)`,
    );
  for (const [kind, label] of [
    ['zegoRandom', 'GetTimbreList random'],
    ['ivhRandom', 'describetimbre random'],
    ['nativeList', '/v1/timbres app key'],
  ]) {
    const x = t[kind];
    log(
      `${label.padEnd(22)}${Math.round(x.rps).toLocaleString('en')} req/s, p99 ${x.p99} ms, ${f(x.cpuUsPerRequest, 1)} µs server CPU/request; ÷ bare ${f(x.ratio)} (a different page on every request)`,
    );
  }
  for (const [name, label, x] of [
    ['ElevenLabs', '/v2/voices', t.elevenlabs],
    ['HeyGen', 'group looks', t.heygen],
  ]) {
    if (!x) continue;
    log(
      `${`${name} ${label}`.padEnd(22)}cached ${Math.round(x.cached.rps).toLocaleString('en')} req/s, ${f(x.cached.cpuUsPerRequest, 1)} µs CPU/request, ÷ bare ${f(x.cached.ratio)} (bare answers the same ${x.bytes.toLocaleString('en')} bytes); random ${Math.round(x.random.rps).toLocaleString('en')} req/s, ÷ bare ${f(x.random.ratio)} (${name === 'HeyGen' ? "a random presenter's looks" : 'a random library page by number'})`,
    );
  }
  log(
    `GetTimbreList p50     Offset 0: ${f(figures.zegoDeepOffset.p50FirstMs, 3)} ms, Offset ${Math.min(999_980, figures.rows - 20).toLocaleString('en')}: ${f(figures.zegoDeepOffset.p50DeepMs, 3)} ms, ratio ${f(figures.zegoDeepOffset.ratio)}`,
  );
  log(
    `  distinct pages      near Offset 0: ${f(figures.zegoDeepOffsetUncached.p50FirstMs, 3)} ms, near Offset ${Math.min(999_980, figures.rows - 20).toLocaleString('en')}: ${f(figures.zegoDeepOffsetUncached.p50DeepMs, 3)} ms, ratio ${f(figures.zegoDeepOffsetUncached.ratio)} (no page-cache hits)`,
  );
  log(
    `describetimbre p50    page 1: ${f(figures.ivhLastPage.p50FirstMs, 3)} ms, last page: ${f(figures.ivhLastPage.p50LastMs, 3)} ms, ratio ${f(figures.ivhLastPage.ratio)}`,
  );
  log(
    `  distinct pages      first pages: ${f(figures.ivhLastPageUncached.p50FirstMs, 3)} ms, last pages: ${f(figures.ivhLastPageUncached.p50LastMs, 3)} ms, ratio ${f(figures.ivhLastPageUncached.ratio)} (no page-cache hits)`,
  );
  if (figures.anchors) {
    log(
      `anchors import        ${figures.lookImport.anchors.toLocaleString('en')} anchors + ${figures.lookImport.looks.toLocaleString('en')} looks in ${f(figures.lookImport.seconds, 1)} s`,
    );
    for (const path of ['getanchor', 'getimagebyanchor']) {
      const x = figures.anchors[path];
      log(
        `${`${path} p50`.padEnd(22)}page 1: ${f(x.p50FirstMs, 3)} ms, last page: ${f(x.p50LastMs, 3)} ms, ratio ${f(x.ratio)}; distinct pages ${f(x.uncached.p50FirstMs, 3)} / ${f(x.uncached.p50LastMs, 3)} ms, ratio ${f(x.uncached.ratio)}`,
      );
    }
  }
  const st = figures.startup;
  log(
    `start-up              listening ${f(st.listenMs, 0)} ms after spawn; first deep answer (Offset ${Math.min(999_980, figures.rows - 20).toLocaleString('en')}) ${f(st.firstDeepMs, 0)} ms after listening; /healthz meanwhile: ${st.probes} answers, slowest ${f(st.probeMaxMs, 1)} ms`,
  );
  const w = figures.writesBesideReaders;
  log(
    `reader, deep pages    p50 / p99 / max ${f(w.quiet.p50, 2)} / ${f(w.quiet.p99, 2)} / ${f(w.quiet.max, 1)} ms alone; ${f(w.writing.p50, 2)} / ${f(w.writing.p99, 2)} / ${f(w.writing.max, 1)} ms with one write a second through /v1; p99 ratio ${f(w.writing.p99 / w.quiet.p99)}`,
  );
  log(
    `another instance      reader p50 / p99 / max ${f(w.elsewhere.p50, 2)} / ${f(w.elsewhere.p99, 2)} / ${f(w.elsewhere.max, 1)} ms with one write a second through a second server on the same store; its write → visible here at the deepest offset in ${f(w.visibleElsewhereMs, 1)} ms (median of 5, max ${f(w.visibleElsewhereMaxMs, 1)})`,
  );
  const ib = w.importBeside;
  log(
    `beside a CLI import   reader p50 / p99 / max ${f(ib.p50, 2)} / ${f(ib.p99, 2)} / ${f(ib.max, 1)} ms over ${f(ib.seconds, 1)} s while \`timbrel import\` added ${ib.rows.toLocaleString('en')} timbres (${ib.rowsPerSecond.toLocaleString('en')} rows/s) and ${ib.writes} writes went through /v1 (each waited for the import's write lock: p50 ${f(ib.writeP50, 0)} ms, max ${f(ib.writeMax, 0)} ms)`,
  );
  log(`write → visible       at the deepest offset in ${f(w.visibleMs, 1)} ms (median of 5, max ${f(w.visibleMaxMs, 1)})`);
  log(
    `/v1 q + 2 filters     p50 ${f(figures.nativeSearch.p50Ms, 1)} ms, p99 ${f(figures.nativeSearch.p99Ms, 1)} ms over ${figures.nativeSearch.samples} distinct searches`,
  );
  log(
    `/v1 cursor paging     walked ${figures.nativeCursor.pages.toLocaleString('en')} pages of 100 in ${f(figures.nativeCursor.walkSeconds, 1)} s; p50 first page ${f(figures.nativeCursor.p50FirstMs, 3)} ms, last page ${f(figures.nativeCursor.p50LastMs, 3)} ms, ratio ${f(figures.nativeCursor.ratio)}`,
  );
  const bn = figures.nativeByName;
  log(
    `/v1 by name, q=voice  walked ${bn.pages.toLocaleString('en')} pages of 100 at ${f(bn.pagesPerSecond, 0)} pages/s; p50 of its first pages ${f(bn.p50FirstMs, 3)} ms, of its last ${f(bn.p50LastMs, 3)} ms, ratio ${f(bn.ratio)}`,
  );
  log(`server peak RSS       ${figures.serverPeakRssMB} MB; RSS/peak MB after each phase: ${figures.rssSteps.join(', ')}`);
}

/** The same figures, one column per engine. */
export function sideBySide(rs) {
  const rows = [
    ['CLI import rows/s', (r) => r.import.rowsPerSecond.toLocaleString('en')],
    ['load average at the start', (r) => f(r.loadAverage)],
    ['CLI import seconds', (r) => f(r.import.seconds, 1)],
    ['CLI import peak RSS MB', (r) => r.import.peakRssMB],
    ['start-up → first deep answer ms', (r) => f(r.startup.firstDeepMs, 0)],
    ['  slowest /healthz meanwhile ms', (r) => f(r.startup.probeMaxMs, 1)],
    ['GetTimbreList req/s', (r) => Math.round(r.throughput.timbrel.rps).toLocaleString('en')],
    ['  ÷ bare node:http', (r) => f(r.throughput.ratio)],
    ['  ÷ nginx', (r) => (r.throughput.nginx ? f(r.throughput.nginx.ratio) : '-')],
    ['bare node:http ÷ nginx', (r) => (r.throughput.nginx ? f(r.throughput.nginx.bareRatio) : '-')],
    ['  server CPU µs/request', (r) => f(r.throughput.timbrel.cpuUsPerRequest, 1)],
    ['GetTimbreList random ÷ bare', (r) => f(r.throughput.zegoRandom.ratio)],
    ['describetimbre random ÷ bare', (r) => f(r.throughput.ivhRandom.ratio)],
    ['/v1/timbres app key ÷ bare', (r) => f(r.throughput.nativeList.ratio)],
    ['ElevenLabs cached/random ÷ bare', (r) => `${f(r.throughput.elevenlabs.cached.ratio)} / ${f(r.throughput.elevenlabs.random.ratio)}`],
    ['HeyGen cached/random ÷ bare', (r) => (r.throughput.heygen ? `${f(r.throughput.heygen.cached.ratio)} / ${f(r.throughput.heygen.random.ratio)}` : '-')],
    ['GetTimbreList deep ÷ first p50', (r) => f(r.zegoDeepOffset.ratio)],
    ['  distinct pages', (r) => f(r.zegoDeepOffsetUncached.ratio)],
    ['describetimbre last ÷ first p50', (r) => f(r.ivhLastPage.ratio)],
    ['  distinct pages', (r) => f(r.ivhLastPageUncached.ratio)],
    ['getanchor last ÷ first p50', (r) => (r.anchors ? f(r.anchors.getanchor.ratio) : '-')],
    ['  distinct pages', (r) => (r.anchors ? f(r.anchors.getanchor.uncached.ratio) : '-')],
    ['getimagebyanchor last ÷ first p50', (r) => (r.anchors ? f(r.anchors.getimagebyanchor.ratio) : '-')],
    ['  distinct pages', (r) => (r.anchors ? f(r.anchors.getimagebyanchor.uncached.ratio) : '-')],
    ['reader p99 ms alone / 1 write/s', (r) => `${f(r.writesBesideReaders.quiet.p99, 1)} / ${f(r.writesBesideReaders.writing.p99, 1)}`],
    ['reader max ms alone / 1 write/s', (r) => `${f(r.writesBesideReaders.quiet.max, 1)} / ${f(r.writesBesideReaders.writing.max, 1)}`],
    ['reader p99 / max ms, other instance writing', (r) => `${f(r.writesBesideReaders.elsewhere.p99, 1)} / ${f(r.writesBesideReaders.elsewhere.max, 1)}`],
    ['reader p99 / max ms beside import', (r) => `${f(r.writesBesideReaders.importBeside.p99, 1)} / ${f(r.writesBesideReaders.importBeside.max, 1)}`],
    [
      '  /v1 write p50 / max ms meanwhile',
      (r) => `${f(r.writesBesideReaders.importBeside.writeP50, 0)} / ${f(r.writesBesideReaders.importBeside.writeMax, 0)}`,
    ],
    ['write → visible, deepest ms', (r) => f(r.writesBesideReaders.visibleMs, 1)],
    ['  from another instance, max ms', (r) => f(r.writesBesideReaders.visibleElsewhereMaxMs, 1)],
    ['/v1 q + 2 filters p50 / p99 ms', (r) => `${f(r.nativeSearch.p50Ms, 1)} / ${f(r.nativeSearch.p99Ms, 1)}`],
    ['/v1 cursor last ÷ first p50', (r) => f(r.nativeCursor.ratio)],
    ['/v1 by name (q=voice) pages/s', (r) => f(r.nativeByName.pagesPerSecond, 0)],
    ['  last ÷ first p50', (r) => f(r.nativeByName.ratio)],
    ['server peak RSS MB', (r) => r.serverPeakRssMB],
  ];
  log('');
  const size = (n) => (n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n.toLocaleString('en'));
  log(`${'side by side'.padEnd(34)}${rs.map((r) => ` ${r.engine} ${size(r.rows)}`.padStart(18)).join('')}`);
  for (const [label, get] of rows) log(`${label.padEnd(34)}${rs.map((r) => String(get(r)).padStart(18)).join('')}`);
  // How each engine's import time grows from the smallest size to each larger one.
  for (const engine of new Set(rs.map((r) => r.engine))) {
    const mine = rs.filter((r) => r.engine === engine);
    for (const r of mine.slice(1)) {
      log(
        `${engine} import ${size(r.rows)} time ÷ ${size(mine[0].rows)} time: ${f(r.import.seconds / mine[0].import.seconds)} (rows ×${f(r.rows / mine[0].rows, 1)})`,
      );
    }
  }
}
