/**
 * The CLI's words agree with the README and the docs: every command and option the CLI has is in the
 * README's synopsis, and every command and option the README's synopsis and the docs' `timbrel …` lines
 * name exists (a renamed or removed option in one place fails here). Every command's `--help` answers, free
 * of control characters, and the CLI's description names every dialect of the registry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { program } from '../../src/cli/main.js';
import { DIALECTS } from '../../src/dialects/registry.js';
import { BIN } from '../processes.js';

const run = promisify(execFile);

/** Every command of the tree with its path (`apps upstream set`), leaves and groups alike. */
function commands(c: Command, path: string[] = []): { path: string; command: Command }[] {
  return c.commands.flatMap((sub) => [{ path: [...path, sub.name()].join(' '), command: sub }, ...commands(sub, [...path, sub.name()])]);
}

const longFlags = (c: Command) => c.options.map((o) => o.long).filter((f): f is string => f !== undefined && f !== '--help');

/**
 * The commands a `timbrel …` text names: its words walked down the command tree (`apps upstream set`),
 * words like `set|list|remove` taken each, a part after ` | ` read from the top or, when it names no top
 * command, under the first part's (`webhooks list … | remove ID`). Each with the flags its part shows.
 */
function named(root: Command, text: string): { path: string; flags: string[] }[] {
  const out: { path: string; flags: string[] }[] = [];
  let group: Command | undefined;
  // ` | ` between alternatives, not inside brackets (`[--url URL | --port N]`).
  const parts: string[] = [''];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (depth === 0 && text.startsWith(' | ', i)) {
      parts.push('');
      i += 2;
    } else parts[parts.length - 1] += ch;
  }
  for (const part of parts) {
    const words = part.trim().split(/\s+/);
    const flags = [...part.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]);
    const top = root.commands.find((c) => c.name() === words[0].split('|')[0]);
    let at: Command[] = top ? [root] : group ? [group] : [root];
    if (top) group = top;
    let path: string[][] = [[]];
    for (const word of words) {
      const names = word.split('|');
      const next = at.flatMap((c) => c.commands.filter((s) => names.includes(s.name())));
      if (!next.length) break;
      path = path.flatMap((p) => names.filter((n) => at.some((c) => c.commands.some((s) => s.name() === n))).map((n) => [...p, n]));
      at = next;
    }
    const prefix = top ? [] : group && group !== root ? [group.name()] : [];
    for (const p of path) if (p.length) out.push({ path: [...(prefix.length && p[0] !== prefix[0] ? prefix : []), ...p].join(' '), flags });
  }
  return out;
}

/** The README's synopsis block: its `node bin/timbrel.js …` lines. */
function synopsis(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const lines: string[] = [];
  for (const l of readme.split('\n')) {
    if (l.startsWith('node bin/timbrel.js ')) lines.push(l.slice('node bin/timbrel.js '.length).replace(/\s+\(.*\)\s*$/, ''));
    // A line of spaces then options goes on the line before it.
    else if (lines.length && /^\s{8,}\[/.test(l)) lines[lines.length - 1] += ` ${l.trim()}`;
  }
  return lines;
}

test('every command and option of the CLI is in the README, and every one the README and the docs name exists', async () => {
  const root = program();
  const all = commands(root);
  const leaves = all.filter((c) => c.command.commands.length === 0);
  const lines = synopsis();
  assert.ok(lines.length > 15, 'the README has its synopsis');
  const documented = lines.flatMap((l) => named(root, l));
  const byPath = new Map<string, Set<string>>();
  for (const d of documented) {
    const flags = byPath.get(d.path) ?? new Set();
    d.flags.forEach((f) => flags.add(f));
    byPath.set(d.path, flags);
  }
  for (const { path, command } of leaves) {
    assert.ok(byPath.has(path), `\`timbrel ${path}\` is not in the README's synopsis`);
    for (const flag of longFlags(command)) assert.ok(byPath.get(path)!.has(flag), `\`timbrel ${path} ${flag}\` is not in the README's synopsis`);
  }
  // Every command and option the docs show exists (code lines and inline code naming `timbrel …`).
  const docs = [
    'README.md',
    ...readdirSync('docs')
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  let checked = 0;
  for (const file of docs) {
    const text = readFileSync(file, 'utf8');
    const mentions = [...text.matchAll(/(?:node bin\/timbrel\.js|`timbrel) ([a-z][a-z-]*(?: [a-z|][a-z|-]*)*)([^`\n]*)/g)];
    for (const m of mentions) {
      const words = m[1];
      const top = root.commands.find((c) => c.name() === words.split(' ')[0].split('|')[0]);
      if (!top) continue;
      for (const d of named(root, `${words}${m[2]}`.split(/[`(]/)[0])) {
        const command = all.find((c) => c.path === d.path)?.command;
        assert.ok(command, `${file}: \`timbrel ${d.path}\` is no command`);
        const known = new Set([...longFlags(command), '--help', ...command.commands.flatMap(longFlags)]);
        for (const flag of d.flags) assert.ok(known.has(flag), `${file}: \`timbrel ${d.path}\` has no option ${flag} (${m[0].trim()})`);
        checked++;
      }
    }
  }
  assert.ok(checked > 40, `the docs name commands (${checked} checked)`);
});

test('every command answers --help without control characters; the description names every dialect', async () => {
  const root = program();
  const help = (await run(process.execPath, [BIN, '--help'])).stdout;
  for (const d of DIALECTS) assert.ok(help.replace(/\s+/g, ' ').includes(d.label), `--help names ${d.label}`);
  for (const { path } of commands(root)) {
    const { stdout } = await run(process.execPath, [BIN, ...path.split(' '), '--help']);
    assert.match(stdout, new RegExp(`^Usage: timbrel ${path}`), path);
    assert.doesNotMatch(stdout, /[\u0000-\u0009\u000b-\u001f\u007f]/, `${path} --help: control characters`);
  }
});
