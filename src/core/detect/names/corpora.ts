/**
 * Which annotated data the name tagger is trained and evaluated on, as paths relative to the shared
 * data folder (`../shared/data` beside the repository). `#2/2` is the second half of a file in file
 * order (see readConll). The Broad Twitter Corpus split is its authors': test = section F,
 * dev = the second half of section H, train = the rest.
 */
export const TRAINING_SETS = [
  "wnut17/train.conll",
  "btc/a.conll",
  "btc/b.conll",
  "btc/e.conll",
  "btc/g.conll",
  "btc/h.conll#1/2",
] as const;

/** None of these is trained on; changes are chosen by their average person F1, not by one of them. */
export const EVALUATION_SETS = ["wnut17/dev.conll", "btc/f.conll", "btc/h.conll#2/2"] as const;
