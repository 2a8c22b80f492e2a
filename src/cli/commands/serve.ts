import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../config.js';
import { SQLITE_FILE } from '../../store/index.js';
import { startServer } from '../../server.js';
import { ensureDemo } from '../../demo.js';
import type { App } from '../../core/types.js';
import type { Command } from 'commander';
import { banner } from '../shared.js';

/** How often a server started by npm looks whether npm is still there. */
const ORPHAN_CHECK_MS = 500;

/** `timbrel serve`. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP service')
    .option('--port <port>', 'port to listen on (TIMBREL_PORT, default 8080)')
    .option('--host <host>', 'address to bind (TIMBREL_HOST, default 127.0.0.1)')
    .option('--demo', 'seed the demo catalog and app on first start, and print credentials and signed curls')
    .action(async (opts: { port?: string; host?: string; demo?: boolean }) => {
      const config = loadConfig(process.env, { port: opts.port, host: opts.host });
      const fresh = !config.databaseUrl && !existsSync(join(config.dataDir, SQLITE_FILE));
      let demoApp: App | undefined;
      let demoKey: string | undefined;
      let adminToken: string | undefined;
      const running = await startServer(config, async (services) => {
        adminToken = await services.access.ensureAdminToken();
        if (opts.demo) ({ app: demoApp, apiKey: demoKey } = await ensureDemo(services));
      });
      // Standard error: standard output carries the JSON log lines, which log shippers read line by line.
      process.stderr.write(`${banner(running.url, config, demoApp, adminToken, fresh, demoKey)}\n`);
      // Under `npm start`, npm does not pass a SIGTERM it gets on to the server: a server whose parent went
      // away (npm stopped) stops itself as it would on SIGTERM, rather than living on without it.
      if (process.env.npm_lifecycle_event !== undefined) {
        const parent = process.ppid;
        setInterval(() => {
          if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
        }, ORPHAN_CHECK_MS).unref();
      }
    });
}
