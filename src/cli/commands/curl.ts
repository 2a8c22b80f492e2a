import { DEMO_APP } from '../../demo.js';
import { ivhCurl, zegoCurl } from '../../signing-examples.js';
import { DIALECTS } from '../../dialects/registry.js';
import type { Command } from 'commander';
import { out, withServices } from '../shared.js';

const NAMES = DIALECTS.map((d) => d.name);

/** A shell word: single-quoted unless plain. */
const sh = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** `timbrel curl`. */
export function register(program: Command): void {
  program
    .command('curl')
    .description('print a curl that answers as pasted, for an app and a dialect: signed with its secret (zego, ivh) or with an API key')
    .argument('<dialect>', NAMES.join(', '))
    .option('--app <name>', 'app name', DEMO_APP)
    .option('--key <key>', 'the app’s API key, for the key dialects and native (default: a new key named curl is made)')
    .option('--url <url>', 'the server to call (default TIMBREL_PUBLIC_URL, or http://127.0.0.1:<port>)')
    .option('--port <port>', 'the local port the server listens on, when it is not the configured one')
    .action(async (dialect: string, o: { app: string; key?: string; url?: string; port?: string }) => {
      const d = DIALECTS.find((x) => x.name === dialect);
      if (!d) throw new Error(`<dialect> must be one of ${NAMES.join(', ')}, got ${JSON.stringify(dialect)}`);
      if (o.url !== undefined && o.port !== undefined) throw new Error('give --url or --port, not both');
      if (o.url !== undefined && !/^https?:\/\/[^/\s]+/.test(o.url)) throw new Error(`--url must be an http(s) URL, got ${JSON.stringify(o.url)}`);
      if (o.port !== undefined && (!/^\d+$/.test(o.port) || Number(o.port) < 1 || Number(o.port) > 65535))
        throw new Error(`--port must be an integer in [1, 65535], got ${JSON.stringify(o.port)}`);
      if (o.key !== undefined && !/^[\x21-\x7e]{1,256}$/.test(o.key)) throw new Error('--key must be printable characters without spaces');
      await withServices(async (s, config) => {
        const app = await s.apps.byName(o.app);
        if (!app) throw new Error(`no app named ${o.app}`);
        const base = o.url !== undefined ? o.url.replace(/\/+$/, '') : o.port !== undefined ? `http://127.0.0.1:${o.port}` : config.publicUrl;
        if (d.curl === 'signed') {
          out(
            d.name === 'zego'
              ? zegoCurl(base, app, 'GetTimbreList', { Offset: 0, Limit: 20 })
              : ivhCurl(base, app, 'describetimbre', { PageIndex: 1, PageSize: 10 }),
          );
          return;
        }
        let key = o.key;
        if (key === undefined) {
          key = (await s.access.createKey(app, 'curl')).text;
          process.stderr.write(
            `(a new API key named curl was made for ${app.name}: \`timbrel keys list --app ${app.name}\` shows it, \`keys revoke\` removes it)\n`,
          );
        }
        out(`curl -sS -H ${sh(d.curl.header(key))} ${sh(`${base}${d.curl.path}`)}`);
      });
    });
}
