/**
 * The SDK as a user installs it: `npm pack` of packages/client, unpacked into a fresh TypeScript project
 * (its dependencies beside it, as npm would put them), type-checks an import of both entry points under
 * every module resolution a project may use: node10 (through typesVersions), node16 and bundler. The
 * package is ESM only, which its README says; node16 therefore needs "type": "module".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

test('npm pack of the SDK installs into a fresh TypeScript project and type-checks under node10, node16 and bundler resolution', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'timbrel-sdk-pack-'));
  try {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: join(ROOT, 'packages/client') });
    const packed = JSON.parse(stdout)[0] as { filename: string; files: { path: string }[] };
    const files = packed.files.map((f) => f.path);
    for (const f of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/native.js', 'dist/native.d.ts'])
      assert.ok(files.includes(f), `the package holds ${f}`);
    const project = join(dir, 'project');
    const installed = join(project, 'node_modules/@timbrel/client');
    mkdirSync(installed, { recursive: true });
    await run('tar', ['xzf', join(dir, packed.filename), '-C', installed, '--strip-components=1']);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    for (const dep of [...Object.keys(manifest.dependencies ?? {}), 'openapi-typescript-helpers']) {
      cpSync(join(ROOT, 'node_modules', dep), join(project, 'node_modules', dep), { recursive: true });
    }
    writeFileSync(join(project, 'package.json'), '{"type":"module","private":true}\n');
    writeFileSync(
      join(project, 'use.ts'),
      [
        "import { TimbrelClient, type Timbre } from '@timbrel/client/native';",
        "import { TimbrelClientError, ZegoClient, IvhClient } from '@timbrel/client';",
        'export const clients = [TimbrelClient, ZegoClient, IvhClient, TimbrelClientError];',
        'export const name = (t: Timbre): string => t.name;',
        '// A typed upload: the route is checked against the document, its path parameters and its answer typed.',
        "export const sample = (c: TimbrelClient, id: string, bytes: Uint8Array): Promise<string> => c.upload('/v1/timbres/{id}/sample', { id }, bytes).then((t) => t.key);",
        '// @ts-expect-error: a route that takes no file',
        "export const wrong = (c: TimbrelClient, id: string, bytes: Uint8Array) => c.upload('/v1/timbres/{id}', { id }, bytes);",
        "export const pkg = (c: TimbrelClient, id: string, file: Blob) => c.upload('/v1/digital-humans/{id}/render-package', { id }, file, { ifMatch: '\"tag\"' }).then((d) => d.renderPackage);",
        '',
      ].join('\n'),
    );
    const tsc = join(ROOT, 'node_modules/.bin/tsc');
    for (const [resolution, module] of [
      ['node10', 'commonjs'],
      ['node16', 'node16'],
      ['bundler', 'esnext'],
    ]) {
      const result = await run(
        tsc,
        ['--noEmit', '--strict', '--moduleResolution', resolution, '--module', module, '--target', 'es2022', '--lib', 'es2022,dom', 'use.ts'],
        { cwd: project },
      ).then(
        () => '',
        (e: { stdout: string }) => e.stdout,
      );
      assert.equal(result, '', `moduleResolution ${resolution}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
