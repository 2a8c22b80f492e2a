/**
 * A dialect's rendering of a catalog page, kept as UTF-8 JSON for as long as the page object itself is
 * cached by the store (the same object is handed out until the change token moves) and the signed file
 * URLs in it stay the same (they change once per URL bucket, see files/signing.ts).
 */
export class Rendered {
  /** The page's JSON as UTF-8, encoded once: every answer that carries the page writes these bytes as they are. */
  readonly bytes: Buffer;
  constructor(json: string) {
    this.bytes = Buffer.from(json, 'utf8');
  }
}

const memo = new WeakMap<object, Map<string, { epoch: number; rendered: Rendered }>>();

export function renderOnce(source: object, tag: string, epoch: number, render: () => unknown): Rendered {
  let byTag = memo.get(source);
  const hit = byTag?.get(tag);
  if (hit && hit.epoch === epoch) return hit.rendered;
  const rendered = new Rendered(JSON.stringify(render()));
  if (!byTag) memo.set(source, (byTag = new Map()));
  byTag.set(tag, { epoch, rendered });
  return rendered;
}

/**
 * An answer's body: text, or text around a cached page's bytes. node:http writes the three parts in one
 * `writev` (../vendor.ts), so a page is neither copied into a new string nor encoded to UTF-8 again per
 * answer (that was ~4% of the server's time on a cached 20-timbre page).
 */
export type JsonBody = string | { head: string; page: Buffer; tail: string };

/** `before` + the JSON of `data` + `after`. */
export function wrapJson(before: string, data: unknown, after: string): JsonBody {
  return data instanceof Rendered ? { head: before, page: data.bytes, tail: after } : `${before}${JSON.stringify(data)}${after}`;
}
