/** timbrel as users run it: the real binary (node bin/timbrel.js, from the built dist/) in a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(process.cwd(), 'bin/timbrel.js');

export interface Served {
  proc: ChildProcess;
  url: string;
  /** Everything it printed so far (standard output and error). */
  output: () => string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** Starts `serve` (a free port unless --port is given) and resolves once it prints its URL. */
export function serve(env: Record<string, string>, args: string[] = []): Promise<Served> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, 'serve', ...(args.includes('--port') ? [] : ['--port', '0']), ...args], {
      env: { ...process.env, TIMBREL_LOG_LEVEL: 'warn', ...env },
    });
    let output = '';
    const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 20_000);
    proc.stdout!.on('data', (d) => {
      output += d;
      const m = /serving on (http:\/\/[^\s]+)/.exec(output);
      if (m && (!args.includes('--demo') || output.includes('describetimbre'))) {
        clearTimeout(timer);
        resolve({ proc, url: m[1], output: () => output, exited });
      }
    });
    proc.stderr!.on('data', (d) => (output += d));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${output}`));
    });
  });
}
