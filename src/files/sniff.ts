import { TimbrelError } from '../core/errors.js';
import { fileTypeFromBuffer } from 'file-type';

/** What timbrel stores, by kind, and the content type it serves each with. Checked by the bytes, never by name. */
export const ACCEPTED: Record<'image' | 'audio' | 'video', Record<string, string>> = {
  image: { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' },
  audio: { wav: 'audio/wav', mp3: 'audio/mpeg', ogg: 'audio/ogg', opus: 'audio/ogg', flac: 'audio/flac' },
  video: { mp4: 'video/mp4', webm: 'video/webm' },
};

/**
 * `package`: an archive in a vendor's format that timbrel does not read (a render or frame-fill package,
 * docs/domain.md): any bytes, served as the type they show (application/zip, …) or application/octet-stream.
 */
export type FileKind = keyof typeof ACCEPTED | 'package';

export const PACKAGE_TYPE = 'application/octet-stream';

/** The served content type of `bytes` when they are a file of one of `kinds`, else undefined. */
export async function sniff(bytes: Uint8Array, kinds: FileKind[] = ['image', 'audio', 'video']): Promise<string | undefined> {
  let found: Awaited<ReturnType<typeof fileTypeFromBuffer>>;
  try {
    found = await fileTypeFromBuffer(bytes);
  } catch {
    if (kinds.includes('package')) return PACKAGE_TYPE;
    // The bytes end before the structure they start says (a truncated ZIP, say): not a file timbrel takes.
    throw new TimbrelError('invalid_parameter', 'the file is truncated or malformed (its bytes end before its own structure does)', 'file');
  }
  if (kinds.includes('package')) return found?.mime.startsWith('application/') ? found.mime : PACKAGE_TYPE;
  if (!found) return undefined;
  for (const kind of kinds) {
    const type = ACCEPTED[kind as keyof typeof ACCEPTED][found.ext];
    if (type) return type;
  }
  return undefined;
}
