#!/usr/bin/env node
// Runs the compiled CLI. `npm ci` builds dist/ through the `prepare` script.
import { main } from '../dist/cli/main.js';

main(process.argv).catch((err) => {
  // Control characters (a vendor's text can carry terminal escapes) never reach the terminal.
  const text = String(err && err.message ? err.message : err).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
  process.stderr.write(`timbrel: ${text}\n`);
  process.exit(1);
});
