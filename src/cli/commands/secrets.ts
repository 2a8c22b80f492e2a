import { TimbrelError } from '../../core/errors.js';
import type { Command } from 'commander';
import { out, withServices } from '../shared.js';

/** `timbrel secrets`. */
export function register(program: Command): void {
  program
    .command('secrets')
    .description("apps' signing secrets at rest (TIMBREL_SECRET_KEY)")
    .command('reencrypt')
    .description('seal every app secret and the file-URL signing key under the current TIMBREL_SECRET_KEY (after setting or rotating it)')
    .action(async () => {
      await withServices(async (s) => {
        if (!s.repo.box.encrypting) throw new TimbrelError('invalid_parameter', 'TIMBREL_SECRET_KEY is not set: there is no key to encrypt under');
        const n = await s.repo.reencryptSecrets(s.now());
        out(`re-encrypted the secrets of ${n} app(s) and the file-URL signing key under the current key; previous keys can now be removed`);
      });
    });

  program
    .command('admin-token')
    .description('the operator token of the /v1 API')
    .requiredOption('--rotate', 'make a new token (the old one stops working) and print it once')
    .action(async () => {
      out(await withServices((s) => s.access.rotateAdminToken(), { create: true }));
    });
}
