/**
 * A dialect's rendering of a catalog page, kept as JSON text for as long as the page object itself is
 * cached by the store (the same object is handed out until the change token moves) and the signed file
 * URLs in it stay the same (they change once per URL bucket, see files/signing.ts).
 */
export class Rendered {
  constructor(readonly json: string) {}
}

const memo = new WeakMap<object, Map<string, { epoch: number; json: string }>>();

export function renderOnce(source: object, tag: string, epoch: number, render: () => unknown): Rendered {
  let byTag = memo.get(source);
  const hit = byTag?.get(tag);
  if (hit && hit.epoch === epoch) return new Rendered(hit.json);
  const json = JSON.stringify(render());
  if (!byTag) memo.set(source, (byTag = new Map()));
  byTag.set(tag, { epoch, json });
  return new Rendered(json);
}

/** JSON text of a value, reusing a rendering when there is one. */
export const jsonOf = (data: unknown): string => (data instanceof Rendered ? data.json : JSON.stringify(data));
