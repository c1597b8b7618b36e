// A topic profile is plain data: the relevance scorer compiles it once, so a server (or a fork) can
// follow another topic by swapping the data, without touching the scorer.
//
// Term syntax, shared by every list below:
// - Matching is case-insensitive and runs on normalised text (NFKC, zero-width characters removed,
//   runs of spaces and hyphens folded into one space), so "pig-butchering" also finds "pig butchering".
// - A term written in a script without spaces between words (Han, Hangul, Thai, Khmer, Lao, Burmese,
//   kana) is matched as a substring: Korean particles and Thai/Khmer words attach to it directly.
// - Any other term must stand as a whole word; a trailing `*` lets the word continue, so "scam*"
//   matches "scams", "scammers" and "scamming" (but "scam" alone would not match "scams").

/** Terms that share one label in reasons: the country of an adjacent place, the kind of an entity. */
export interface LabelledTerms {
  label: string;
  terms: readonly string[];
}

export interface TopicProfile {
  id: string;
  name: string;
  /** How reasons name the anchor region: "'scam' appears but no Cambodia anchor". */
  anchorName: string;
  /** Places that tie an item to the topic's region (country, cities, border towns). */
  anchors: readonly string[];
  /** Terms specific to the industry: "scam compound", "pig-butchering", 诈骗园区. Strong signals. */
  industry: readonly string[];
  /** Generic words for scams and trafficking: topical only near an anchor. Weak signals. */
  scamWords: readonly string[];
  /** Developments worth following (release, raid, repatriation …): they raise the score of a topical
   *  item but never make an item topical on their own. */
  actions: readonly string[];
  /** Named people and companies so tied to the topic that they are a strong signal by themselves. */
  entities: readonly LabelledTerms[];
  /** The same industry in neighbouring countries: off by default, on with `includeAdjacent`. */
  adjacent: readonly LabelledTerms[];
  /** Confusers (tourism, garment, border clashes …) that lower the score when no industry term occurs. */
  negatives: readonly string[];
  /**
   * Phrases in which a term means something else ("bunga kamboja" is the frangipani flower, 工业园区 an industrial
   * park): matched like any term, they count for nothing and hide the terms inside them.
   */
  masks?: readonly string[];
}
