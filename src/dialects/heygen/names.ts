const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** HeyGen names a voice's language (`English`), not its tag; `Multilingual` past one language. */
export function languageName(languages: string[]): string {
  const primaries = [...new Set(languages.map((l) => l.split('-')[0].toLowerCase()))];
  if (!primaries.length) return '';
  if (primaries.length > 1) return 'Multilingual';
  try {
    return languageNames.of(primaries[0]) ?? primaries[0];
  } catch {
    return primaries[0];
  }
}

/** English language names → primary subtags (HeyGen names languages; its filters and voices say `English`). */
const LANGUAGE_CODES = (() => {
  const out = new Map<string, string>();
  for (let a = 97; a <= 122; a++)
    for (let b = 97; b <= 122; b++) {
      const code = String.fromCharCode(a, b);
      const name = languageNames.of(code);
      if (name && name !== code) out.set(name.toLowerCase(), code);
    }
  return out;
})();

/** The primary subtag of a language HeyGen names (`English` → `en`); undefined for one it does not know. */
export const languageCode = (name: string): string | undefined => LANGUAGE_CODES.get(name.trim().toLowerCase());
