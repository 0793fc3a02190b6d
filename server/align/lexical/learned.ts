/**
 * A translation table learnt from rows reviewers confirmed (server/learn computes it from counts
 * kept in the store), as the lexical model sees it: one more source of candidate pairs beside
 * CC-CEDICT and the document's own IBM Model 1 table. The model asks once per document, for the
 * document's Chinese words and English terms only, so a large table costs only the lookups.
 */

/** A candidate English term of a Chinese word, with the weight a match earns (multiplied by the term's IDF). */
export interface LearnedCandidate {
  readonly term: string;
  readonly weight: number;
}

export interface LearnedLexicon {
  /**
   * For each of `words` (Chinese words as the model reads them) that the table knows: its candidate
   * terms among `terms` (the document's English terms). A candidate that is also one of the word's
   * dictionary terms gives that pair its weight (the learnt evidence may raise or lower it); others
   * are added. Deterministic for the same table.
   */
  candidates(words: readonly string[], terms: readonly string[]): Promise<ReadonlyMap<string, readonly LearnedCandidate[]>>;
}
