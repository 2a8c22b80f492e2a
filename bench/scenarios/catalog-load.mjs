// The catalog scenario's throughput: timbrel against a bare node:http server (and nginx) answering the same
// bytes, in alternating rounds.
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { ROUNDS, median, LOOKS, ANCHORS, cannon, summary, startBare, startNginx } from '../lib.mjs';

/** Throughput against a bare Node http server, in alternating rounds (see below). */
export async function throughput(ctx) {
  const { rows: ROWS, figures, appKey, server, base, PORT, zegoUrl, ivhUrl, request, post, noteRss, firstBody } = ctx;
  // ---- 4. throughput against a bare Node http server ----------------------------------------------------
  // The load generator shares the machine with the server, and the machine's speed drifts from one run to
  // the next: the two servers are loaded in alternating rounds (both are up; an idle one costs nothing)
  // and the medians compared. Each server's CPU time per request (user + system, from /proc) is printed too.
  const firstPage = (await post(zegoUrl('GetTimbreList'), firstBody)).body;
  const BARE_PORT = PORT + 1;
  // The new dialects' cached pages: the same page every time; the bare server answers their bytes too.
  const elevenlabsPath = '/elevenlabs/v2/voices?page_size=20';
  const heygenPath = '/heygen/v2/avatar_group/host_0/avatars';
  const keyed = (header) => ({ method: 'GET', headers: { [header]: appKey } });
  const fetchOk = async (path, header) => {
    const res = await request('GET', `${base}${path}`, { [header]: appKey });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${res.body.slice(0, 300)}`);
    return res.body;
  };
  const bareBodies = { '/': firstPage, [elevenlabsPath.split('?')[0]]: await fetchOk(elevenlabsPath, 'xi-api-key') };
  if (LOOKS > 0) bareBodies[heygenPath] = await fetchOk(heygenPath, 'x-api-key');
  const bare = await startBare(BARE_PORT, bareBodies);
  // nginx (when installed) answering the same bytes: the physical limit of this machine's loopback HTTP,
  // beside which bare node:http is itself a ratio. One worker process, as timbrel runs one.
  const nginx = await startNginx(BARE_PORT + 1, firstPage);
  // Pseudo-random pages, the same sequence in every run.
  const spread = (i, n) => (i * 2654435761) % n;
  const lastOffset = Math.min(ROWS - 20, 1_000_000);
  const varied = {
    zegoRandom: () => ({ url: zegoUrl('GetTimbreList'), vary: (i) => ({ body: JSON.stringify({ Offset: spread(i, lastOffset), Limit: 20 }) }) }),
    ivhRandom: () => ({
      url: ivhUrl('describetimbre'),
      vary: (i) => ({ body: JSON.stringify({ Header: {}, Payload: { PageIndex: 1 + spread(i, Math.ceil(ROWS / 20)), PageSize: 20 } }) }),
    }),
    nativeList: () => ({
      url: `${base}/v1/timbres?limit=20`,
      // An app's key; a first page, a filter, or a page after a cursor.
      vary: (i) => ({ path: nativePaths[i % nativePaths.length] }),
      shape: { method: 'GET', headers: { authorization: `Bearer ${appKey}` } },
    }),
  };
  // ElevenLabs' library by page number and HeyGen's groups by code: a different page every request.
  varied.elevenlabsRandom = () => ({
    url: `${base}/elevenlabs/v1/shared-voices?page_size=20`,
    vary: (i) => ({ path: `/elevenlabs/v1/shared-voices?page_size=20&page=${spread(i, Math.floor(lastOffset / 20))}` }),
    shape: keyed('xi-api-key'),
  });
  if (LOOKS > 0)
    varied.heygenRandom = () => ({
      url: `${base}${heygenPath}`,
      vary: (i) => ({ path: `/heygen/v2/avatar_group/host_${spread(i, ANCHORS)}/avatars` }),
      shape: keyed('x-api-key'),
    });
  const nativePaths = ['/v1/timbres?limit=20', '/v1/timbres?limit=20&gender=male', '/v1/timbres?limit=20&owner=public&timbreType=Boutique'];
  // Cursors of the catalog order, 30 pages apart from the start.
  for (let i = 0, cursor = null; i < 30 * 30; i++) {
    const page = JSON.parse(
      (await request('GET', `${base}/v1/timbres?limit=20${cursor ? `&cursor=${cursor}` : ''}`, { authorization: `Bearer ${appKey}` })).body,
    );
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
    if (i % 30 === 29) nativePaths.push(`/v1/timbres?limit=20&cursor=${cursor}`);
  }
  const zegoShape = { method: 'POST', body: firstBody, headers: { 'content-type': 'application/json' } };
  const kinds = ['zegoRandom', 'ivhRandom', 'nativeList', 'elevenlabsRandom', ...(LOOKS > 0 ? ['heygenRandom'] : [])];
  const rounds = {
    timbrel: [],
    bare: [],
    nginx: [],
    elevenlabs: [],
    elevenlabsBare: [],
    heygen: [],
    heygenBare: [],
    ...Object.fromEntries(kinds.map((k) => [k, []])),
  };
  for (let i = 0; i < ROUNDS; i++) {
    // A fresh signature each round: a signed URL is good for ±600 s.
    rounds.timbrel.push(await cannon(zegoUrl('GetTimbreList'), server.pid, undefined, zegoShape));
    rounds.bare.push(await cannon(`http://127.0.0.1:${BARE_PORT}/`, bare.pid, undefined, zegoShape));
    if (nginx) rounds.nginx.push(await cannon(`http://127.0.0.1:${nginx.port}/`, nginx.workerPid, undefined, zegoShape));
    rounds.elevenlabs.push(await cannon(`${base}${elevenlabsPath}`, server.pid, undefined, keyed('xi-api-key')));
    rounds.elevenlabsBare.push(await cannon(`http://127.0.0.1:${BARE_PORT}${elevenlabsPath}`, bare.pid, undefined, keyed('xi-api-key')));
    if (LOOKS > 0) {
      rounds.heygen.push(await cannon(`${base}${heygenPath}`, server.pid, undefined, keyed('x-api-key')));
      rounds.heygenBare.push(await cannon(`http://127.0.0.1:${BARE_PORT}${heygenPath}`, bare.pid, undefined, keyed('x-api-key')));
    }
    for (const kind of kinds) {
      const v = varied[kind]();
      rounds[kind].push(await cannon(v.url, server.pid, v.vary, v.shape ?? zegoShape));
    }
  }
  bare.kill();
  nginx?.stop();
  noteRss('load');
  const rss = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024;
  server.kill('SIGTERM');
  await once(server, 'exit');
  const timbrel = summary(rounds.timbrel);
  const baseline = summary(rounds.bare);

  figures.throughput = {
    responseBytes: Buffer.byteLength(firstPage),
    timbrel: timbrel,
    bareNodeHttp: baseline,
    ratio: timbrel.rps / baseline.rps,
    roundRatios: rounds.timbrel.map((r, i) => r.rps / rounds.bare[i].rps),
  };
  if (nginx)
    figures.throughput.nginx = {
      ...summary(rounds.nginx),
      bareRatio: median(rounds.bare.map((r, i) => r.rps / rounds.nginx[i].rps)),
      ratio: median(rounds.timbrel.map((r, i) => r.rps / rounds.nginx[i].rps)),
    };
  // Each varied load against the bare server's round beside it.
  for (const kind of ['zegoRandom', 'ivhRandom', 'nativeList']) {
    figures.throughput[kind] = { ...summary(rounds[kind]), ratio: median(rounds[kind].map((r, i) => r.rps / rounds.bare[i].rps)) };
  }
  // The new dialects: each against the bare server answering its cached page's bytes.
  const against = (rs, bases) => ({ ...summary(rs), ratio: median(rs.map((r, i) => r.rps / bases[i].rps)) });
  figures.throughput.elevenlabs = {
    bytes: Buffer.byteLength(bareBodies[elevenlabsPath.split('?')[0]]),
    cached: against(rounds.elevenlabs, rounds.elevenlabsBare),
    random: against(rounds.elevenlabsRandom, rounds.elevenlabsBare),
  };
  if (LOOKS > 0)
    figures.throughput.heygen = {
      bytes: Buffer.byteLength(bareBodies[heygenPath]),
      cached: against(rounds.heygen, rounds.heygenBare),
      random: against(rounds.heygenRandom, rounds.heygenBare),
    };
  figures.serverPeakRssMB = Math.round(rss);
}
