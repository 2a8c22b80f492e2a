/**
 * Shutdown when standard output's reader is gone (`timbrel serve | head -3`, a log shipper that died):
 * SIGTERM still ends the process promptly. sonic-boom's synchronous exit-time flush retried a write
 * that failed with EPIPE forever (measured: still running 10 s after SIGTERM, spinning on write(1)). And
 * `npm start` stopped by SIGTERM: npm does not pass the signal on, so its server must notice by itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { BIN } from '../processes.js';

test('SIGTERM ends `serve` within seconds after the reader of its standard output has gone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'timbrel-pipe-'));
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env: { ...process.env, TIMBREL_DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    // Read until the banner (standard error) names the URL, then close the log reader's end (standard
    // output), as `serve | head -3` does.
    let seen = '';
    for await (const chunk of proc.stderr) {
      seen += chunk;
      if (/serving on (http:\/\/\S+)/.test(seen)) break;
    }
    const url = /serving on (http:\/\/\S+)/.exec(seen)![1];
    proc.stderr.resume();
    proc.stdout.destroy();
    // Requests whose log lines wait in the buffered destination for the exit-time flush.
    for (let i = 0; i < 5; i++) assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const exited = once(proc, 'exit');
    const sent = performance.now();
    proc.kill('SIGTERM');
    const ended = await Promise.race([exited.then(() => 'exited'), new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
    assert.equal(ended, 'exited', 'the process ended after SIGTERM');
    assert.ok(performance.now() - sent < 10_000);
  } finally {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`npm start` stopped with SIGTERM stops its server too (npm does not pass the signal on)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'timbrel-npm-start-'));
  const npm = spawn('npm', ['start', '--silent', '--', '--port', '0'], { env: { ...process.env, TIMBREL_DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let seen = '';
    for await (const chunk of npm.stderr) {
      seen += chunk;
      if (/serving on (http:\/\/\S+)/.test(seen)) break;
    }
    npm.stderr.resume();
    npm.stdout.resume();
    const url = /serving on (http:\/\/\S+)/.exec(seen)![1];
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    npm.kill('SIGTERM');
    await once(npm, 'exit');
    let answering = true;
    for (let i = 0; i < 100 && answering; i++) {
      await new Promise((r) => setTimeout(r, 100));
      answering = await fetch(`${url}/healthz`).then(
        () => true,
        () => false,
      );
    }
    assert.equal(answering, false, 'the server stopped within 10 s of npm');
  } finally {
    npm.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
