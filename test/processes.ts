/** timbrel as users run it: the real binary (node bin/timbrel.js, from the built dist/) in a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(process.cwd(), 'bin/timbrel.js');

export interface Served {
  proc: ChildProcess;
  url: string;
  /** Everything it printed so far (standard output and error). */
  output: () => string;
  /** What it printed on standard output alone (the JSON log lines). */
  stdout: () => string;
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
    // The banner goes to standard error (standard output carries the JSON log lines only).
    const seen = (d: Buffer) => {
      output += d;
      const m = /serving on (http:\/\/[^\s]+)/.exec(output);
      if (m && (!args.includes('--demo') || output.includes('describetimbre'))) {
        clearTimeout(timer);
        resolve({ proc, url: m[1], output: () => output, stdout: () => stdout, exited });
      }
    };
    let stdout = '';
    proc.stdout!.on('data', (d: Buffer) => {
      stdout += d;
      seen(d);
    });
    proc.stderr!.on('data', seen);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${output}`));
    });
  });
}
