// The unpaged lists, each against a bare server answering the same bytes.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { BIN, ROUNDS, cannon, f, load, log, median, run, startBare, startTimbrel, summary, work } from '../lib.mjs';

/**
 * The unpaged lists (OpenAI's voices, ElevenLabs' legacy /v1/voices, HeyGen's voices and avatars) answer a
 * whole catalog, and refuse one past TIMBREL_UNPAGED_MAX: measured on a small catalog of their own (40
 * voices, 8 presenters with 16 looks and a default voice each, as an app's voice picker sees it), each
 * against the bare server answering the same bytes. SQLite, cached answers.
 */
export async function measureUnpaged() {
  const dataDir = join(work, 'data-unpaged');
  const env = { ...process.env, TIMBREL_DATA_DIR: dataDir };
  log(`\n== unpaged lists, SQLite, 40 voices and 16 looks (load average ${load()}) ==`);
  await run(process.execPath, [BIN, 'apps', 'create', '--name', 'bench', '--rate-limit', '1000000', '--json'], { env });
  const appKey = JSON.parse((await run(process.execPath, [BIN, 'keys', 'create', '--app', 'bench', '--json'], { env })).stdout).key;
  const small = join(work, 'small.ndjson');
  const lines = [];
  for (let i = 0; i < 40; i++)
    lines.push({
      kind: 'timbre',
      key: `voice_${i}`,
      name: `Voice ${i}`,
      description: `A voice for the picker, number ${i}`,
      gender: i % 2 ? 'male' : 'female',
      languages: [['en-US'], ['zh-CN'], ['en-GB', 'fr-FR']][i % 3],
      accent: 'neutral',
      age: 'young',
      useCases: ['narration'],
      sample: `https://cdn.example.com/samples/${i}.wav`,
      sortOrder: i,
    });
  for (let i = 0; i < 8; i++)
    lines.push({
      kind: 'anchor',
      code: `host_${i}`,
      name: `Host ${i}`,
      gender: i % 2 ? 'male' : 'female',
      avatarType: 'real_man_2d',
      headerImage: `https://cdn.example.com/anchors/${i}.png`,
      sortOrder: i,
    });
  const lookId = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  for (let i = 0; i < 16; i++)
    lines.push({
      kind: 'digitalHuman',
      id: lookId(i),
      name: `Host ${i % 8} look ${i}`,
      anchorCode: `host_${i % 8}`,
      avatarType: 'real_man_2d',
      headerImage: `https://cdn.example.com/looks/${i}.png`,
      actions: [{ code: 'wave', previewVideo: `https://cdn.example.com/a/${i}.mp4` }],
      sortOrder: i,
    });
  for (let i = 0; i < 16; i++) lines.push({ kind: 'binding', digitalHuman: lookId(i), timbre: `voice_${i}`, isDefault: true });
  writeFileSync(small, lines.map((l) => JSON.stringify(l)).join('\n'));
  await run(process.execPath, [BIN, 'import', small, '--json'], { env });
  const PORT = 19000 + Math.floor(Math.random() * 1000);
  const { server, base } = await startTimbrel(env, PORT);
  const lists = [
    ['OpenAI voices', '/openai/v1/audio/voices', { authorization: `Bearer ${appKey}` }],
    ['ElevenLabs /v1/voices', '/elevenlabs/v1/voices', { 'xi-api-key': appKey }],
    ['HeyGen voices', '/heygen/v2/voices', { 'x-api-key': appKey }],
    ['HeyGen avatars', '/heygen/v2/avatars', { 'x-api-key': appKey }],
  ];
  const bodies = {};
  for (const [, path, headers] of lists) {
    const res = await fetch(`${base}${path}`, { headers });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    bodies[path] = await res.text();
  }
  bodies['/'] = bodies[lists[0][1]];
  const bare = await startBare(PORT + 1, bodies);
  const rounds = Object.fromEntries(lists.map(([label]) => [label, { timbrel: [], bare: [] }]));
  for (let i = 0; i < ROUNDS; i++) {
    for (const [label, path, headers] of lists) {
      rounds[label].timbrel.push(await cannon(`${base}${path}`, server.pid, undefined, { method: 'GET', headers }));
      rounds[label].bare.push(await cannon(`http://127.0.0.1:${PORT + 1}${path}`, bare.pid, undefined, { method: 'GET', headers }));
    }
  }
  bare.kill();
  server.kill('SIGTERM');
  await once(server, 'exit');
  rmSync(dataDir, { recursive: true, force: true });
  const out = lists.map(([label, path]) => {
    const r = rounds[label];
    return {
      label,
      path,
      bytes: Buffer.byteLength(bodies[path]),
      timbrel: summary(r.timbrel),
      bare: summary(r.bare),
      ratio: median(r.timbrel.map((x, i) => x.rps / r.bare[i].rps)),
    };
  });
  log('');
  for (const x of out) {
    log(
      `${x.label.padEnd(22)}${Math.round(x.timbrel.rps).toLocaleString('en')} req/s, p99 ${x.timbrel.p99} ms, ${f(x.timbrel.cpuUsPerRequest, 1)} µs server CPU/request; bare ${Math.round(x.bare.rps).toLocaleString('en')} req/s; ÷ bare ${f(x.ratio)} (${x.bytes.toLocaleString('en')} bytes, the same answer each time)`,
    );
  }
  return out;
}
