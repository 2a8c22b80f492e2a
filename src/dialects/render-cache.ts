/**
 * A dialect's rendering of a catalog page, kept as JSON text for as long as the page object itself is
 * cached by the store (the same object is handed out until the change token moves) and the signed file
 * URLs in it stay the same (they change once per URL bucket, see files/signing.ts).
 */
export class Rendered {
  constructor(readonly json: string) {}
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
 * `before` + the JSON of `data` + `after`, as text: node:http encodes a string answer once, straight into
 * the socket write (building a Buffer here cost more: pool slices, a new 8 KiB pool every third answer).
 */
export function wrapJson(before: string, data: unknown, after: string): string {
  return `${before}${data instanceof Rendered ? data.json : JSON.stringify(data)}${after}`;
}
