// The catalog scenario's reads: the first deep answer after start-up, deep offsets by vendor, anchors,
// and the native API's search and cursor paging.
import http from 'node:http';
import { SAMPLES, median, pct, LOOKS, ANCHORS } from '../lib.mjs';

/** Start-up → first deep answer, and the sanity of the deep page. */
export async function startup(ctx) {
  const { rows: ROWS, figures, base, zegoUrl, post, deepBody, spawnedAt, listeningAt } = ctx;
  // Start-up → first deep answer: the server's first GetTimbreList at Offset 999,980, sent as soon as it
  // listens (its deep-offset index is taken now), while a second connection asks /healthz every 5 ms: the
  // slowest of those answers is what the index costs everybody else meanwhile.
  {
    const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const probe = () =>
      new Promise((resolve, reject) => {
        const t0 = performance.now();
        http.get(`${base}/healthz`, { agent: probeAgent }, (res) => res.resume().on('end', () => resolve(performance.now() - t0))).on('error', reject);
      });
    let answered = false;
    const probes = [];
    const prober = (async () => {
      while (!answered) {
        probes.push(await probe());
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const t0 = performance.now();
    const first = await post(zegoUrl('GetTimbreList'), deepBody);
    const firstDeepMs = performance.now() - t0;
    answered = true;
    await prober;
    probeAgent.destroy();
    if (first.status !== 200 || JSON.parse(first.body).Code !== 0) throw new Error(`unexpected first deep answer: ${first.body.slice(0, 300)}`);
    figures.startup = {
      listenMs: listeningAt - spawnedAt,
      firstDeepMs,
      sinceSpawnMs: performance.now() - spawnedAt,
      probes: probes.length,
      probeMaxMs: Math.max(0, ...probes),
    };
  }
  // Sanity: the deep page is the right page.
  const deep = JSON.parse((await post(zegoUrl('GetTimbreList'), deepBody)).body);
  if (deep.Code !== 0 || deep.Data.Total !== ROWS || deep.Data.Timbres.length !== 20) {
    throw new Error(`unexpected deep page: ${JSON.stringify(deep).slice(0, 300)}`);
  }
}

/** Deep pages against first pages, the same page each time and a different page each time. */
export async function deepOffsets(ctx) {
  const { rows: ROWS, figures, zegoUrl, ivhUrl, post, latencyPair, deepBody, firstBody } = ctx;
  // ---- 3. deep offsets ---------------------------------------------------------------------------------
  {
    const url = zegoUrl('GetTimbreList');
    const r = await latencyPair({ url, body: firstBody }, { url, body: deepBody });
    figures.zegoDeepOffset = { p50FirstMs: r.a, p50DeepMs: r.b, ratio: r.b / r.a };
    // Every request a different page: Offsets 0, 20, 40, … against 999,980, 999,960, … (no cache hits).
    const cold = await latencyPair(
      { url, body: (i) => JSON.stringify({ Offset: i * 20, Limit: 20 }) },
      { url, body: (i) => JSON.stringify({ Offset: Math.max(0, Math.min(ROWS - 20, 999_980) - i * 20), Limit: 20 }) },
    );
    figures.zegoDeepOffsetUncached = { p50FirstMs: cold.a, p50DeepMs: cold.b, ratio: cold.b / cold.a };
  }
  {
    const url = ivhUrl('describetimbre');
    const lastPage = Math.ceil(ROWS / 100);
    const first = JSON.stringify({ Header: {}, Payload: { PageIndex: 1, PageSize: 100 } });
    const last = JSON.stringify({ Header: {}, Payload: { PageIndex: lastPage, PageSize: 100 } });
    const check = JSON.parse((await post(url, last)).body);
    if (check.Header.Code !== 0 || check.Payload.TimbreAssets.length === 0) throw new Error(`unexpected last page: ${JSON.stringify(check).slice(0, 300)}`);
    const r = await latencyPair({ url, body: first }, { url, body: last });
    figures.ivhLastPage = { p50FirstMs: r.a, p50LastMs: r.b, ratio: r.b / r.a };
    const page = (n) => JSON.stringify({ Header: {}, Payload: { PageIndex: n, PageSize: 100 } });
    const cold = await latencyPair({ url, body: (i) => page(1 + i) }, { url, body: (i) => page(Math.max(1, lastPage - i)) });
    figures.ivhLastPageUncached = { p50FirstMs: cold.a, p50LastMs: cold.b, ratio: cold.b / cold.a };
  }
}

/** getanchor over the presenters and getimagebyanchor over their looks. */
export async function anchorPages(ctx) {
  const { figures, ivhUrl, post, latencyPair, noteRss } = ctx;
  // Anchors: getanchor over the presenters and getimagebyanchor over their looks, last page ÷
  // first page (PageSize 100), the same page each time and a different page each time.
  if (LOOKS > 0) {
    const pages = async (path, count, payload, listed) => {
      const url = ivhUrl(path);
      const last = Math.ceil(count / 100);
      const body = (n) => JSON.stringify({ Header: {}, Payload: { ...payload, PageIndex: n, PageSize: 100 } });
      const check = JSON.parse((await post(url, body(last))).body);
      if (check.Header.Code !== 0 || check.Payload.Total !== count || check.Payload[listed].length === 0)
        throw new Error(`unexpected last ${path} page: ${JSON.stringify(check).slice(0, 300)}`);
      const r = await latencyPair({ url, body: body(1) }, { url, body: body(last) });
      const cold = await latencyPair({ url, body: (i) => body(1 + i) }, { url, body: (i) => body(Math.max(1, last - i)) });
      return { p50FirstMs: r.a, p50LastMs: r.b, ratio: r.b / r.a, uncached: { p50FirstMs: cold.a, p50LastMs: cold.b, ratio: cold.b / cold.a } };
    };
    figures.anchors = {
      getanchor: await pages('getanchor', ANCHORS, { VirtualmanTypeCode: 'real_man_3d' }, 'Virtualmans'),
      getimagebyanchor: await pages('getimagebyanchor', LOOKS, { VirtualmanTypeCode: 'real_man_3d' }, 'Virtualmans'),
    };
  }
  noteRss('deep offsets');
}

/** The native API: search with filters, and cursor paging. */
export async function nativeApi(ctx) {
  const { rows: ROWS, figures, adminToken, base, request, noteRss } = ctx;
  const get = (url) => request('GET', url, { authorization: `Bearer ${adminToken}` });
  {
    // q + two filters, each request a different name (no two alike, so nothing is served from a cache).
    const search = (i) =>
      `${base}/v1/timbres?q=${encodeURIComponent(`voice ${(i * 7919) % ROWS}`)}&gender=${i % 2 ? 'male' : 'female'}&language=en-US&limit=20`;
    const check = JSON.parse((await get(search(1))).body);
    if (!check.items || check.items.length < 1) throw new Error(`unexpected search answer: ${JSON.stringify(check).slice(0, 300)}`);
    const times = [];
    for (let i = 0; i < 5; i++) await get(search(SAMPLES + i));
    const n = Math.min(SAMPLES, 200);
    for (let i = 0; i < n; i++) times.push((await get(search(i))).ms);
    figures.nativeSearch = { samples: n, p50Ms: median(times), p99Ms: pct(times, 0.99) };
    noteRss('searches');

    // Walk every page with limit=100 to the last cursor, then time the first page against the last.
    let cursor = null;
    let last = null;
    let pages = 0;
    const walkStart = performance.now();
    for (;;) {
      const page = JSON.parse((await get(`${base}/v1/timbres?limit=100${cursor ? `&cursor=${cursor}` : ''}`)).body);
      pages++;
      if (!page.nextCursor) break;
      last = cursor = page.nextCursor;
    }
    const walkSeconds = (performance.now() - walkStart) / 1000;
    const first = `${base}/v1/timbres?limit=100`;
    const lastUrl = `${base}/v1/timbres?limit=100&cursor=${last}`;
    const ta = [],
      tb = [];
    for (let i = 0; i < SAMPLES; i++) {
      ta.push((await get(first)).ms);
      tb.push((await get(lastUrl)).ms);
    }
    figures.nativeCursor = { pages, walkSeconds, p50FirstMs: median(ta), p50LastMs: median(tb), ratio: median(tb) / median(ta) };
    noteRss('cursor walk');

    // By name (the console's sort), with a text match every row has: BY_NAME_PAGES pages of 100 walked
    // from the start (a cursor deep into the list), then its first page timed against the last reached.
    const BY_NAME_PAGES = Math.min(2000, Math.ceil(ROWS / 100));
    const byName = (c) => `${base}/v1/timbres?sort=name&q=voice&limit=100${c ? `&cursor=${c}` : ''}`;
    // Every page of the walk is a different one (no page-cache hit): its first 100 pages' p50 against its last 100's.
    let nameCursor = null;
    const nameTimes = [];
    const nameStart = performance.now();
    while (nameTimes.length < BY_NAME_PAGES) {
      const r = await get(byName(nameCursor));
      const page = JSON.parse(r.body);
      if (!page.items) throw new Error(`unexpected by-name page: ${JSON.stringify(page).slice(0, 300)}`);
      nameTimes.push(r.ms);
      if (!page.nextCursor) break;
      nameCursor = page.nextCursor;
    }
    const nameSeconds = (performance.now() - nameStart) / 1000;
    const edge = Math.max(1, Math.min(100, Math.floor(nameTimes.length / 4)));
    const firstPages = median(nameTimes.slice(0, edge));
    const lastPages = median(nameTimes.slice(-edge));
    figures.nativeByName = {
      pages: nameTimes.length,
      pagesPerSecond: nameTimes.length / nameSeconds,
      p50FirstMs: firstPages,
      p50LastMs: lastPages,
      ratio: lastPages / firstPages,
    };
    noteRss('by-name walk');
  }
}
