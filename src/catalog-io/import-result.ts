/** What an import wrote, and the error that stops one with what it had committed. */
export interface ImportResult {
  /** Anchors written, with those made for digital humans whose anchorCode named none. */
  anchors: number;
  timbres: number;
  digitalHumans: number;
  bindings: number;
  files: number;
  /** Records skipped because they would take another owner's row or key (never moved). */
  skipped: number;
  /** What was skipped, where: the first MAX_REPORTED of them. */
  conflicts: string[];
}

/** Conflicts an import reports one by one; past this it only counts them. */
export const MAX_REPORTED = 100;

export class ImportError extends Error {
  constructor(
    readonly where: string,
    message: string,
    readonly committed: ImportResult,
  ) {
    super(`${where}: ${message}`);
  }
}

/** An import that has written nothing yet. */
export const emptyResult = (): ImportResult => ({ anchors: 0, timbres: 0, digitalHumans: 0, bindings: 0, files: 0, skipped: 0, conflicts: [] });
