/**
 * Person and organization names in free chat text, found by a small averaged-perceptron BIO tagger
 * trained on WNUT17 and the Broad Twitter Corpus, with word clusters from GloVe vectors (see
 * README.md next to this file). Pure and synchronous; the model loads lazily.
 *
 * Chat conventions, applied after tagging:
 *  - an @handle, #hashtag, URL or email is never returned as (part of) a name: `@janedoe` is a
 *    handle, which the pattern detectors own, not a person name;
 *  - a possessive is left out ("Jane's deck" → "Jane"), as are punctuation and emoji at the edges;
 *  - chat interjections and stretched words ("lmao", "Welp", "Awwww", "hahaha") are trimmed off;
 *  - a trailing pronoun "I" is not part of a name ("Emily I can't believe" → "Emily");
 *  - a lone lowercase word that is one of the most common English words ("god", "max") is not a name,
 *    nor is such a word starting a sentence before an object ("Bill me later", "Will you send it?");
 *  - a lone demonym or place word ("Canadian", "Poland") is not a person.
 */
import {
  firstNameTier,
  LEX_DEMONYM,
  LEX_FAMOUS,
  LEX_HUMAN_NAME,
  LEX_NAME_PART,
  LEX_PLACE,
  wordTier,
} from "./lexicon.ts";
import { loadModel } from "./model.ts";
import { decode, type Scorer, spansFromTags } from "./tagger.ts";
import { type Token, tokenize } from "./tokenize.ts";

export type NameKind = "person" | "organization";

export interface NameSpan {
  kind: NameKind;
  /** text === input.slice(start, end) */
  text: string;
  start: number;
  end: number;
}

const KIND: Record<string, NameKind | undefined> = { PER: "person", ORG: "organization" };
const NOT_NAME_PART = /^(?:[@#]|https?:|www\.)|@/;
const EDGE_JUNK = /^(?:['’´](?:s|S)?|[^\p{L}\p{N}]+)$/u;
/** Chat interjections and slang that get capitalized at the start of a message but are no names. */
const INTERJECTIONS = new Set(
  (
    "aw aww awe bruh brah bro bros bruv dude dudes yo ya yup yep yeah yea nah nope naw lol lols lmao lmfao " +
    "rofl omg omfg wtf wth smh tbh imo imho idk ikr btw fyi asap thx tnx pls plz ugh ugh meh hmm hm " +
    "welp whoa woah wow yay yass yas hurray hooray oops oof ew eww haha hahaha hehe hihi jaja lulz xd " +
    "fam sis bae babe hun cutie sweetie buddy mate guys gal gurl girl boi bish ok okay okey np gg " +
    "rip ily ilysm bday congrats gratz cheers"
  ).split(" "),
);
/** A letter repeated three times ("Aaawww", "sooo") or laughter ("hahaha", "jajaja"). */
const STRETCHED = /(\p{L})\1\1|^(?:[hj][ae]){2,}h?$|^(?:ha|he|ja|je|lo)+l?$/iu;

/** Words after a sentence-initial "Will", "May", "Bill", "Mark" that show it is a verb there. */
const VERB_OBJECTS = new Set(
  "me my you your it its us our them their him his her the a an this that these those we they i".split(" "),
);

/** A word, or (group 1) punctuation that starts a new sentence. */
const WORD = /([.!?:;\n])|[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu;
const STARTS_UPPER = /^\p{Lu}/u;
const LETTER_RUN = /\p{L}{2,}/gu;
const NAME_BITS = LEX_NAME_PART | LEX_HUMAN_NAME;

/**
 * Whether a word the lexicon knows is likely a name: a popular first name ("mark", "emma"), or a
 * name from the lists that is not also an everyday English word. The lists are generous ("can",
 * "you" and "great" are rare first names in them), so name bits alone say little.
 */
export function likelyName(bits: number): boolean {
  const tier = firstNameTier(bits);
  if (tier >= 1 && tier <= 4) return true;
  return wordTier(bits) === 0 && (tier > 0 || (bits & NAME_BITS) !== 0);
}

/**
 * Cheap pre-filter for detectNames: false only when no word in the text could start a name. A word
 * could when it is capitalized (except an everyday English word opening a sentence, where capitals
 * say nothing: "Can you send the deck?"), or when it is likely a name even in lowercase ("wow emma
 * and kaite…" still passes). Callers may skip the tagger for text that fails it; on WNUT17 dev
 * that misses one person and one organization the tagger finds, and three false persons.
 */
export function mayContainName(text: string): boolean {
  const lexicon = loadModel().lexicon;
  let sentenceStart = true;
  for (const m of text.matchAll(WORD)) {
    if (m[1]) {
      sentenceStart = true;
      continue;
    }
    const word = m[0];
    const opens = sentenceStart;
    sentenceStart = false;
    const lower = word.toLowerCase();
    if (lower === word) {
      // Each letter run on its own: "emma's", "jean-luc".
      for (const part of word.matchAll(LETTER_RUN)) {
        const bits = lexicon.get(part[0]);
        if (bits !== undefined && likelyName(bits)) return true;
      }
      continue;
    }
    if (!STARTS_UPPER.test(word)) continue; // "iPhone", "3D": no capital where a name's would be
    if (!opens) return true;
    const bits = lexicon.get(lower.replace(/['’]s$/u, ""));
    if (bits === undefined || wordTier(bits) === 0 || likelyName(bits)) return true;
  }
  return false;
}

export function detectNames(text: string): NameSpan[] {
  return detectNamesWith(loadModel(), text);
}

/** detectNames with an explicit model (training and evaluation of candidate models). */
export function detectNamesWith(model: Scorer, text: string): NameSpan[] {
  const out: NameSpan[] = [];
  // Tag line by line: a message's lines are separate sentences for casing purposes.
  let lineStart = 0;
  while (lineStart <= text.length) {
    let nl = text.indexOf("\n", lineStart);
    if (nl < 0) nl = text.length;
    if (nl > lineStart) detectInLine(model, text, tokenize(text.slice(lineStart, nl)), lineStart, out);
    lineStart = nl + 1;
  }
  return out;
}

function isEdgeJunk(word: string): boolean {
  if (EDGE_JUNK.test(word)) return true;
  return INTERJECTIONS.has(word.toLowerCase()) || STRETCHED.test(word);
}

function detectInLine(model: Scorer, text: string, tokens: Token[], offset: number, out: NameSpan[]): void {
  if (tokens.length === 0) return;
  const words = new Array<string>(tokens.length);
  for (let i = 0; i < tokens.length; i++) words[i] = (tokens[i] as Token).text;
  const tags = decode(words, model);
  for (const span of spansFromTags(tags)) {
    const kind = KIND[span.kind];
    if (!kind) continue;
    let first = span.first;
    let last = span.last;
    while (first <= last && isEdgeJunk(words[first] as string)) first++;
    while (last >= first && isEdgeJunk(words[last] as string)) last--;
    if (kind === "person" && last > first && words[last] === "I") last--;
    if (first > last) continue;
    let ok = true;
    for (let i = first; i <= last; i++) if (NOT_NAME_PART.test(words[i] as string)) ok = false;
    if (!ok) continue;
    if (kind === "person" && first === last && !plausibleSingleName(words, first, model)) continue;
    const start = offset + (tokens[first] as Token).start;
    const end = offset + (tokens[last] as Token).end;
    out.push({ kind, text: text.slice(start, end), start, end });
  }
}

/** Whether a one-word person span survives the lexicon rules. */
function plausibleSingleName(words: readonly string[], i: number, model: Scorer): boolean {
  const word = words[i] as string;
  const lower = word.toLowerCase();
  const bits = model.lexicon.get(lower) ?? 0;
  const tier = wordTier(bits);
  const common = tier >= 1 && tier <= 2;
  // "god", "max": everyday words written lowercase.
  if (common && word === lower) return false;
  // "Bill me later", "Will you send it?", "Mark my words": a sentence-initial everyday word
  // followed by an object pronoun or determiner is used as a verb.
  const sentenceStart = i === 0 || /^[.!?:;"“(]+$/u.test(words[i - 1] as string);
  if (common && sentenceStart && VERB_OBJECTS.has(words[i + 1] ?? "")) return false;
  // "Canadian", "Poland": a demonym or place word alone.
  if (bits & (LEX_DEMONYM | LEX_PLACE) && !(bits & (LEX_FAMOUS | LEX_NAME_PART))) return false;
  return true;
}
