import { TimbrelError } from '../core/errors.js';
import { fileTypeFromBuffer } from 'file-type';

/** What timbrel stores, by kind, and the content type it serves each with. Checked by the bytes, never by name. */
export const ACCEPTED: Record<'image' | 'audio' | 'video', Record<string, string>> = {
  image: { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' },
  audio: { wav: 'audio/wav', mp3: 'audio/mpeg', ogg: 'audio/ogg', opus: 'audio/ogg', flac: 'audio/flac' },
  video: { mp4: 'video/mp4', webm: 'video/webm' },
};

export type FileKind = keyof typeof ACCEPTED;

/** The served content type of `bytes` when they are a file of one of `kinds`, else undefined. */
export async function sniff(bytes: Uint8Array, kinds: FileKind[] = ['image', 'audio', 'video']): Promise<string | undefined> {
  let found: Awaited<ReturnType<typeof fileTypeFromBuffer>>;
  try {
    found = await fileTypeFromBuffer(bytes);
  } catch {
    // The bytes end before the structure they start says (a truncated ZIP, say): not a file timbrel takes.
    throw new TimbrelError('invalid_parameter', 'the file is truncated or malformed (its bytes end before its own structure does)', 'file');
  }
  if (!found) return undefined;
  for (const kind of kinds) {
    const type = ACCEPTED[kind][found.ext];
    if (type) return type;
  }
  return undefined;
}
