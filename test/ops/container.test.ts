/**
 * The Dockerfile and the compose files, checked as far as a machine without a Docker engine allows
 * (docs/deployment.md, "Containers", says what is not): the runtime image holds the built service only and
 * runs as a non-root user; the compiled service imports nothing the production install drops; the health
 * check, run exactly as the image runs it, passes against `serve` configured as the image configures it and
 * fails once it stops; the compose files parse, name only settings timbrel has, and their nginx site is
 * valid to nginx itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { BIN } from '../processes.js';

const run = promisify(execFile);
const dockerfile = readFileSync('Dockerfile', 'utf8').replace(/\\\n\s*/g, ' ');
const instructions = dockerfile.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
const final = instructions.slice(instructions.map((l) => l.startsWith('FROM ')).lastIndexOf(true));
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

test('the runtime stage: the built service and its production dependencies only, as a non-root user', () => {
  const copied = final.filter((l) => l.startsWith('COPY ')).map((l) => l.split(/\s+/).at(-2)!.replace('/app/', ''));
  assert.deepEqual(copied.sort(), ['LICENSE', 'bin', 'demo', 'dist', 'node_modules', 'package.json'].sort());
  for (const path of copied) assert.ok(existsSync(path), `${path} exists after the build`);
  assert.ok(
    final.some((l) => /^USER node$/.test(l.trim())),
    'runs as node (uid 1000)',
  );
  assert.ok(
    final.findIndex((l) => l.startsWith('USER ')) > final.findIndex((l) => l.includes('chown node:node /data')),
    'the data directory is the user\u2019s',
  );
  assert.match(dockerfile, /npm prune --omit=dev/);
  assert.match(readFileSync('.dockerignore', 'utf8'), /^node_modules$/m);
});

test('the compiled service imports nothing that `npm prune --omit=dev` removes', () => {
  const allowed = new Set([...Object.keys(pkg.dependencies), ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const seen = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.js') && !path.startsWith('dist/console')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/(?<![\w'"$.])(?:from|import\()\s*['"]([^'"./\s][^'"\s]*)['"]/g)) {
          const spec = m[1].startsWith('@') ? m[1].split('/').slice(0, 2).join('/') : m[1].split('/')[0];
          seen.add(spec);
        }
      }
    }
  };
  // A module specifier has no spaces; `from` inside a string (`'from must be …'`) is no import.
  walk('dist');
  const extra = [...seen].filter((s) => !allowed.has(s));
  assert.deepEqual(extra, [], 'imports outside the production dependencies');
  assert.ok(seen.has('fastify') && seen.has('better-sqlite3'), 'the scan sees the imports');
});

test('the HEALTHCHECK, run as the image runs it, passes against serve as the image configures it, and fails once it stops', async () => {
  const line = final.find((l) => l.startsWith('HEALTHCHECK '))!;
  const argv = JSON.parse(line.slice(line.indexOf('CMD') + 3).trim()) as string[];
  const envLine = final.find((l) => l.startsWith('ENV '))!;
  const imageEnv = Object.fromEntries([...envLine.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
  assert.equal(imageEnv.TIMBREL_HOST, '0.0.0.0', 'listens beyond the container');
  const dir = mkdtempSync(join(tmpdir(), 'timbrel-image-'));
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const env = { ...process.env, ...imageEnv, TIMBREL_DATA_DIR: dir, TIMBREL_PORT: port };
  const server = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    for (let i = 0; ; i++) {
      const ok = await run(argv[0] === 'node' ? process.execPath : argv[0], argv.slice(1), { env }).then(
        () => true,
        () => false,
      );
      if (ok) break;
      assert.ok(i < 100, 'the health check passes once the server listens');
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  await assert.rejects(run(process.execPath, argv.slice(1), { env }), 'fails when nothing answers');
});

/** Every setting the configuration table names (a row's first cell may name several). */
const SETTINGS = new Set(
  [...readFileSync('docs/configuration.md', 'utf8').matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((n) => n[1])),
);

for (const file of ['deploy/compose.yaml', 'deploy/compose.scale.yaml']) {
  test(`${file}: parses, builds this repository, names only settings timbrel has, healthy dependencies first`, () => {
    const doc = parse(readFileSync(file, 'utf8'));
    const services = doc.services as Record<string, any>;
    const timbrels = Object.entries(services).filter(([, s]) => s.image === 'timbrel:latest');
    assert.ok(timbrels.length >= 1);
    for (const [name, s] of timbrels) {
      assert.equal(s.build, '..', `${name} builds the repository root`);
      for (const key of Object.keys(s.environment ?? {})) assert.ok(SETTINGS.has(key), `${name}: ${key} is a setting of docs/configuration.md`);
      for (const dep of Object.keys(s.depends_on ?? {})) assert.ok(services[dep], `${name} depends on ${dep}, which is defined`);
      assert.ok(
        ['TIMBREL_ADMIN_TOKEN', 'TIMBREL_SECRET_KEY'].every((k) => String(s.environment[k]).includes(':?')),
        `${name}: the token and the key must be given, never defaulted`,
      );
    }
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const host = String(v).split(':')[0];
        if (host.startsWith('./')) assert.ok(existsSync(join('deploy', host)), `${name} mounts ${host}, which exists`);
      }
    }
  });
}

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
test(
  'the compose nginx site is valid to nginx (instance names resolved to this machine)',
  { skip: !NGINX && 'nginx is not installed (apt-get install nginx-light)' },
  () => {
    const prefix = mkdtempSync(join(tmpdir(), 'timbrel-nginx-'));
    try {
      mkdirSync(join(prefix, 'logs'));
      writeFileSync(
        join(prefix, 'site.conf'),
        readFileSync('deploy/nginx/compose.conf', 'utf8')
          .replace(/timbrel-\d:8080/g, '127.0.0.1:8080')
          .replace('listen 8080;', 'listen 127.0.0.1:18089;'),
      );
      writeFileSync(
        join(prefix, 'nginx.conf'),
        `pid ${prefix}/nginx.pid;\nerror_log ${prefix}/logs/error.log warn;\nevents {}\nhttp {\n  client_body_temp_path ${prefix}/body;\n  proxy_temp_path ${prefix}/proxy;\n  fastcgi_temp_path ${prefix}/fastcgi;\n  uwsgi_temp_path ${prefix}/uwsgi;\n  scgi_temp_path ${prefix}/scgi;\n  include ${prefix}/site.conf;\n}\n`,
      );
      execFileSync(NGINX!, ['-t', '-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: 'pipe' });
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  },
);
