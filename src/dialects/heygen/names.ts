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
