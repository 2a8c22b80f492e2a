/**
 * Query validation as ElevenLabs' API (FastAPI with pydantic v2) answers it: one 422 entry per bad
 * parameter, in parameter order, with pydantic's type, message, raw input and context (docs/dialects/elevenlabs.md).
 * An empty value counts as absent; a single-valued parameter sent twice takes its last value.
 */
import type { Query } from '../vendor.js';

export interface Param {
  name: string;
  kind: 'str' | 'int' | 'bool' | 'enum' | 'list';
  min?: number;
  max?: number;
  values?: string[];
  maxItems?: number;
}

interface Issue {
  type: string;
  loc: ['query', string];
  msg: string;
  input: string | string[];
  ctx?: Record<string, unknown>;
}

const TRUE = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE = new Set(['false', '0', 'no', 'off', 'f', 'n']);

/** pydantic's wording of a set of literals: `'a', 'b' or 'c'`. */
const literals = (values: string[]) => {
  const q = values.map((v) => `'${v}'`);
  return q.length === 1 ? q[0] : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
};

export class Validation {
  private readonly issues: { at: number; issue: Issue }[] = [];
  private readonly order: string[];
  private readonly values = new Map<string, string | number | boolean | string[]>();
  private readonly raw = new Map<string, string>();
  private readonly bad = new Set<string>();

  constructor(params: Param[], query: Query) {
    this.order = params.map((p) => p.name);
    for (const p of params) {
      const given = query[p.name];
      const all = (given === undefined ? [] : Array.isArray(given) ? given : [given]).filter((x) => x !== '');
      if (!all.length) continue;
      if (p.kind === 'list') {
        if (p.maxItems !== undefined && all.length > p.maxItems) {
          this.fail(p.name, {
            type: 'too_long',
            msg: `List should have at most ${p.maxItems} items after validation, not ${all.length}`,
            input: all,
            ctx: { field_type: 'List', max_length: p.maxItems, actual_length: all.length },
          });
        } else this.values.set(p.name, all);
        continue;
      }
      const input = all[all.length - 1];
      this.raw.set(p.name, input);
      if (p.kind === 'str') this.values.set(p.name, input);
      else if (p.kind === 'bool') {
        const l = input.toLowerCase();
        if (TRUE.has(l)) this.values.set(p.name, true);
        else if (FALSE.has(l)) this.values.set(p.name, false);
        else this.fail(p.name, { type: 'bool_parsing', msg: 'Input should be a valid boolean, unable to interpret input', input });
      } else if (p.kind === 'enum') {
        if (p.values!.includes(input)) this.values.set(p.name, input);
        else this.fail(p.name, { type: 'literal_error', msg: `Input should be ${literals(p.values!)}`, input, ctx: { expected: literals(p.values!) } });
      } else {
        const trimmed = input.trim();
        if (!/^[+-]?[0-9]+$/.test(trimmed)) {
          this.fail(p.name, { type: 'int_parsing', msg: 'Input should be a valid integer, unable to parse string as an integer', input });
          continue;
        }
        const n = Number(trimmed);
        if (p.min !== undefined && n < p.min)
          this.fail(p.name, { type: 'greater_than_equal', msg: `Input should be greater than or equal to ${p.min}`, input, ctx: { ge: p.min } });
        else if (p.max !== undefined && n > p.max)
          this.fail(p.name, { type: 'less_than_equal', msg: `Input should be less than or equal to ${p.max}`, input, ctx: { le: p.max } });
        else this.values.set(p.name, n);
      }
    }
  }

  private fail(name: string, issue: Omit<Issue, 'loc'>): void {
    this.bad.add(name);
    const { type, msg, input, ctx } = issue;
    this.issues.push({ at: this.order.indexOf(name), issue: { type, loc: ['query', name], msg, input, ...(ctx ? { ctx } : {}) } });
  }

  /** The refused parameters' entries, in parameter order. */
  get errors(): Issue[] {
    return [...this.issues].sort((a, b) => a.at - b.at).map((x) => x.issue);
  }

  /** Whether a parameter was refused. */
  failed(name: string): boolean {
    return this.bad.has(name);
  }

  /** A bound that depends on another parameter (the library's page depth): refused past `max`. */
  atMost(name: string, max: number): void {
    const n = this.values.get(name);
    if (typeof n === 'number' && n > max) {
      this.values.delete(name);
      this.fail(name, { type: 'less_than_equal', msg: `Input should be less than or equal to ${max}`, input: this.raw.get(name)!, ctx: { le: max } });
    }
  }

  /** The accepted values, in parameter order: what an answer depends on (its cache key). */
  key(): string {
    return JSON.stringify(this.order.filter((n) => this.values.has(n)).map((n) => [n, this.values.get(n)]));
  }

  str(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  int(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }

  bool(name: string): boolean | undefined {
    const v = this.values.get(name);
    return typeof v === 'boolean' ? v : undefined;
  }

  list(name: string): string[] | undefined {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : undefined;
  }
}
