/** What every CLI command shares: terminal output, the services of one command, progress, the banner. */
import { DIALECTS } from '../dialects/registry.js';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { SQLITE_FILE } from '../store/index.js';
import { openServices, type Services } from '../services.js';
import { ivhCurl, zegoCurl } from '../signing-examples.js';
import type { App } from '../core/types.js';

/**
 * Text for a terminal: control characters (escape sequences a vendor's text could carry) become spaces;
 * line breaks and tabs stay. JSON output is unchanged by it (JSON escapes every control character).
 */
export const printable = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
export const out = (s: string) => process.stdout.write(`${printable(s)}\n`);

/**
 * Runs `fn` on the configured store. A command that reads or changes what is stored needs a catalog that
 * exists: on SQLite, a data directory without one (a mistyped TIMBREL_DATA_DIR) is an error instead of a
 * new, empty catalog. Commands that make a catalog's first content (`create`: apps create, import,
 * admin-token) make one, and say so on standard error.
 */
export async function withServices<T>(fn: (s: Services, c: Config) => Promise<T>, opts: { create?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  const fresh = !config.databaseUrl && !existsSync(join(config.dataDir, SQLITE_FILE));
  if (fresh && !opts.create) {
    throw new Error(
      `no timbrel catalog in ${resolve(config.dataDir)} (TIMBREL_DATA_DIR): check the path, or make one with \`timbrel serve\`, \`timbrel apps create\` or \`timbrel import\``,
    );
  }
  const services = await openServices(config);
  if (fresh) process.stderr.write(`timbrel: created a new, empty catalog in ${resolve(config.dataDir)}\n`);
  try {
    return await fn(services, config);
  } finally {
    await services.close();
  }
}

/**
 * Progress of a long command: JSON lines on standard output with --json ({"event":"progress",…}, then
 * {"event":"done",…}); a status line on standard error when that is a terminal; else nothing.
 */
export function progressOutput(json: boolean | undefined) {
  const tty = !json && process.stderr.isTTY;
  return {
    progress(fields: object, line: string) {
      if (json) out(JSON.stringify({ event: 'progress', ...fields }));
      else if (tty) process.stderr.write(`\r\x1b[K  ${line}`);
    },
    done(fields: object) {
      if (json) out(JSON.stringify({ event: 'done', ...fields }));
      else if (tty) process.stderr.write('\r\x1b[K');
    },
    abort() {
      if (tty) process.stderr.write('\n');
    },
  };
}

export function credentials(app: App) {
  return {
    name: app.name,
    zego: { AppId: app.zegoAppId, ServerSecret: app.zegoServerSecret },
    ivh: { appkey: app.ivhAppKey, accesstoken: app.ivhAccessToken },
  };
}

export function banner(url: string, config: Config, app: App | undefined, adminToken: string | undefined, fresh = false, apiKey?: string): string {
  const lines = [`timbrel is serving on ${url}  (data: ${config.dataDir}, public URL: ${config.publicUrl})`];
  // A mistyped TIMBREL_DATA_DIR starts an empty catalog: say so where the operator looks.
  if (fresh) lines.push(`New catalog: nothing was stored in ${resolve(config.dataDir)} before this start.`);
  // The operator token is shown once, at the first start (or when TIMBREL_ADMIN_TOKEN is not set and none
  // is stored); later starts say where to get one rather than point at a token that is not there.
  const signIn = adminToken
    ? "sign in with the operator token below or an app's API key"
    : config.adminToken
      ? "sign in with TIMBREL_ADMIN_TOKEN or an app's API key"
      : "sign in with the operator token printed at the first start (`timbrel admin-token --rotate` makes a new one) or an app's API key";
  lines.push(`Console:  ${config.publicUrl}/console/   (${signIn})`);
  lines.push(`API docs: ${config.publicUrl}/v1/docs   (OpenAPI: ${config.publicUrl}/v1/openapi.json)`);
  if (adminToken) {
    lines.push(
      '',
      'Operator token for the /v1 API (shown once; `timbrel admin-token --rotate` makes a new one):',
      `  ${adminToken}`,
      `  curl -H 'Authorization: Bearer ${adminToken}' '${config.publicUrl}/v1/timbres?limit=5'`,
    );
  }
  if (app) {
    // The dialects an API key opens (every one under a prefix of its own, and /v1), from the registry.
    const keyed = DIALECTS.filter((d) => d.prefix);
    const opens = [...keyed.map((d) => d.label), DIALECTS.find((d) => d.name === 'native')!.label].join(', ');
    lines.push(
      '',
      `Demo app "${app.name}" (rate limit ${app.rateLimit}/s):`,
      `  ZEGO  AppId ${app.zegoAppId}  ServerSecret ${app.zegoServerSecret}`,
      `  IVH   appkey ${app.ivhAppKey}  accesstoken ${app.ivhAccessToken}`,
      apiKey ? `  API key ${apiKey}  (${opens}; shown once)` : `  API key: \`timbrel keys create --app ${app.name}\` makes one (${opens})`,
      `  Base URLs: ${keyed.map((d) => `${d.label} ${d.baseUrl(config.publicUrl)}`).join(', ')}`,
      '',
      'Signed requests to paste (valid 10 min for ZEGO, 5 min for IVH; `node bin/timbrel.js curl zego|ivh` prints fresh ones):',
      '',
      `  ${zegoCurl(config.publicUrl, app, 'GetTimbreList', { DigitalHumanId: '42f97c28-1124-4cb2-800a-44d028497027', Offset: 0, Limit: 20 })}`,
      '',
      `  ${ivhCurl(config.publicUrl, app, 'describetimbre', { PageIndex: 1, PageSize: 10 })}`,
      ...(apiKey ? ['', `  curl -H 'xi-api-key: ${apiKey}' '${config.publicUrl}/elevenlabs/v2/voices?page_size=3'`] : []),
    );
  }
  return lines.join('\n');
}

/** This package's version, from its package.json (two levels up from src/cli and from dist/cli alike). */
export function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
