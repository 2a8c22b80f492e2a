/**
 * A dialect's rendering of a catalog page, kept as JSON (text and UTF-8 bytes) for as long as the page
 * object itself is cached by the store (the same object is handed out until the change token moves) and
 * the signed file URLs in it stay the same (they change once per URL bucket, see files/signing.ts).
 */
export class Rendered {
  #bytes?: Buffer;
  constructor(readonly json: string) {}
  /** The JSON as UTF-8, encoded once per rendering: a hot page is copied into answers, not re-encoded. */
  get bytes(): Buffer {
    return (this.#bytes ??= Buffer.from(this.json));
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

/** `before` + the JSON of `data` + `after`; a rendering's bytes are copied rather than encoded again. */
export function wrapJson(before: string, data: unknown, after: string): string | Buffer {
  if (!(data instanceof Rendered)) return `${before}${JSON.stringify(data)}${after}`;
  return Buffer.concat([Buffer.from(before), data.bytes, Buffer.from(after)]);
}
