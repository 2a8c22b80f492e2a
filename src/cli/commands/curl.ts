import { DEMO_APP } from '../../demo.js';
import { ivhCurl, zegoCurl } from '../../signing-examples.js';
import type { Command } from 'commander';
import { out, withServices } from '../shared.js';

/** `timbrel curl`. */
export function register(program: Command): void {
  program
    .command('curl')
    .description('print a freshly signed curl for an app (to try a dialect by hand)')
    .argument('<dialect>', 'zego or ivh')
    .option('--app <name>', 'app name', DEMO_APP)
    .option('--url <url>', 'the server to call (default TIMBREL_PUBLIC_URL, or http://127.0.0.1:<port>)')
    .option('--port <port>', 'the local port the server listens on, when it is not the configured one')
    .action(async (dialect: string, o: { app: string; url?: string; port?: string }) => {
      if (dialect !== 'zego' && dialect !== 'ivh') throw new Error(`<dialect> must be zego or ivh, got ${JSON.stringify(dialect)}`);
      if (o.url !== undefined && o.port !== undefined) throw new Error('give --url or --port, not both');
      if (o.url !== undefined && !/^https?:\/\/[^/\s]+/.test(o.url)) throw new Error(`--url must be an http(s) URL, got ${JSON.stringify(o.url)}`);
      if (o.port !== undefined && (!/^\d+$/.test(o.port) || Number(o.port) < 1 || Number(o.port) > 65535))
        throw new Error(`--port must be an integer in [1, 65535], got ${JSON.stringify(o.port)}`);
      await withServices(async (s, config) => {
        const app = await s.apps.byName(o.app);
        if (!app) throw new Error(`no app named ${o.app}`);
        const base = o.url !== undefined ? o.url.replace(/\/+$/, '') : o.port !== undefined ? `http://127.0.0.1:${o.port}` : config.publicUrl;
        if (dialect === 'zego') out(zegoCurl(base, app, 'GetTimbreList', { Offset: 0, Limit: 20 }));
        else out(ivhCurl(base, app, 'describetimbre', { PageIndex: 1, PageSize: 10 }));
      });
    });
}
