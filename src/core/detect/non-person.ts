/**
 * Names the tagger calls people that are not: places (cities, countries, streets and addresses),
 * events ("DataConf", "Lisbon AI Meetup"), institutions ("Stanford University"), businesses named
 * after a cuisine or country ("Thai Basil"), software ("pandas", "Python"), emoji codes (`:jane:`)
 * and runs of common words ("Sounds Good"). Pure; each check is a few Set lookups per person span.
 *
 * The lists come from npm packages through scripts/derive-places.ts and scripts/derive-software.ts
 * (see README.md in this folder for sources and licences); the files in lists/ load lazily, once.
 * Words of those lists that the name lists call likely names ("Ruby", "Jasmine", "Austin") are
 * left to the tagger: a list of libraries or cities is no evidence against a person named so.
 */
import { readFileSync } from "node:fs";
import { foldText, trimEnd, trimStart } from "../text.ts";
import { likelyName } from "./names/index.ts";
import { firstNameTier, LEX_DEMONYM, LEX_FAMOUS, LEX_PLACE, LEX_TITLE, wordTier } from "./names/lexicon.ts";
import { loadModel } from "./names/model.ts";

export type NotPersonReason =
  | "emoji"
  | "place"
  | "street"
  | "event"
  | "institution"
  | "business"
  | "software"
  | "common-words";

interface Lists {
  places: Set<string>;
  demonyms: Set<string>;
  streetWords: Set<string>;
  streetAbbreviations: Set<string>;
  software: Set<string>;
}

let lists: Lists | null = null;

function load(): Lists {
  if (lists) return lists;
  const read = <T>(file: string): T =>
    JSON.parse(readFileSync(new URL(`./lists/${file}`, import.meta.url), "utf8")) as T;
  const places = read<{
    cities: string[];
    countries: string[];
    demonyms: string[];
    streetTypes: string[];
    streetAbbreviations: string[];
  }>("places.json");
  const software = read<{ terms: string[] }>("software.json");
  lists = {
    places: new Set([...places.cities, ...places.countries]),
    demonyms: new Set(places.demonyms),
    streetWords: new Set(places.streetTypes),
    streetAbbreviations: new Set(places.streetAbbreviations),
    software: new Set(software.terms),
  };
  return lists;
}

/**
 * What an event's name ends with. A closed class of English words, not data: "… Conf",
 * "… Hackathon", "… Meetup", and run together in one word ("KubeCon", "DataConf", "RailsCamp").
 */
const EVENT_WORDS = new Set(
  // Not "con" ("María García con su equipo"), "camp" (Jane Camp), "workshop" or "keynote" (Jane
  // Doe's keynote): words that often follow or end a person's name.
  (
    "conf conference conferences hackathon hackathons hackday meetup meetups summit expo festival " +
    "fest symposium bootcamp forum congress convention"
  ).split(" "),
);
const EVENT_COMPOUND = /^\p{L}+(?:Conf|Con|Camp|Fest|Hack|Summit)$/u;
/** What names an institution wherever it stands: "University of Lisbon", "Imperial College London". */
const INSTITUTION_WORDS = new Set(
  "university universidad universite universita universitat college institute institut academy school polytechnic".split(
    " ",
  ),
);

const SPACES = /\s+/;
const INSTITUTION_OF =
  /\b(?:university|universidad|universit[eéàä]t?|college|institute|institut|academy|school) (?:of|de|di|der|du) $/iu;
const COLON = 58;
/** A word without its possessive and the punctuation around it: "Basil's," → "basil". */
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const notLetterOrDigit = (ch: string): boolean => !LETTER_OR_DIGIT.test(ch);
const stripWord = (w: string): string => {
  const inner = trimEnd(trimStart(w, notLetterOrDigit), notLetterOrDigit);
  return inner.endsWith("'s") || inner.endsWith("’s") ? inner.slice(0, -2) : inner;
};
const EMOJI_CODE_CHAR = /[\p{L}\p{N}_+'-]/u;

/**
 * Why the person span text.slice(start, end) is not a person, or null when nothing says so.
 * `text` is the whole message, so the words around the span count ("123 Main St", "React Conf").
 */
export function notAPerson(text: string, start: number, end: number): NotPersonReason | null {
  const span = text.slice(start, end);
  if (
    (text.charCodeAt(start - 1) === COLON || text.charCodeAt(end) === COLON) &&
    isEmojiCode(text, start, end)
  )
    return "emoji";
  const words: string[] = [];
  for (const raw of span.split(SPACES)) {
    const w = stripWord(foldText(raw));
    if (w) words.push(w);
  }
  const [first, ...rest] = words;
  const last = words[words.length - 1];
  if (first === undefined || last === undefined) return null;
  const l = load();
  const lexicon = loadModel().lexicon;
  const bits = (w: string): number | undefined => lexicon.get(w);
  // A word no name list knows may well be a name ("Tebogo"), unless a place or software list has it.
  const nameLike = (w: string): boolean => {
    const b = bits(w);
    return b === undefined ? !(l.software.has(w) || l.places.has(w)) : nameLikeBits(b);
  };
  const phrase = words.join(" ");
  // An everyday word that some town is also called ("God" for Göd, "Orange", "Bay") says nothing alone.
  const everyday = (w: string): boolean => {
    const tier = wordTier(bits(w) ?? 0);
    return tier >= 1 && tier <= 2;
  };

  // "Carnegie Mellon University", "Mellon University", "University of Michigan": a word of an
  // institution's name, whether or not the tagger's span took in the word that says so.
  const next = nextWord(text, end);
  for (const w of words) if (INSTITUTION_WORDS.has(w)) return "institution";
  if (
    (next !== null && INSTITUTION_WORDS.has(next)) ||
    INSTITUTION_OF.test(text.slice(Math.max(0, start - 24), start))
  )
    return "institution";
  if (EVENT_WORDS.has(last) || (next !== null && EVENT_WORDS.has(next))) return "event";
  if (words.length === 1 && EVENT_COMPOUND.test(span)) return "event";

  // "Palo Alto", "New Zealand", "Visual Basic": the whole span is a place or a piece of software.
  // One word alone only when it isn't also a likely name ("Austin", "Ruby" stay with the tagger).
  if (l.places.has(phrase) && (words.length > 1 || (!nameLike(first) && !everyday(first)))) return "place";
  if (l.software.has(phrase) && (words.length > 1 || !nameLike(first))) return "software";

  if (words.length > 1) {
    // "Main St", "123 Elm Street": a street type after a word that isn't a name ("Jane Lane", "Waleed
    // Aly" are people), or any street type after a house number.
    if (
      (l.streetWords.has(last) || l.streetAbbreviations.has(last)) &&
      (!nameLike(first) || numberBefore(text, start))
    )
      return "street";
    // "Thai Basil", "Italian Kitchen": a cuisine or nationality opening a name makes it a business.
    const opener = bits(first) ?? 0;
    if ((l.demonyms.has(first) || opener & LEX_DEMONYM) && !nameLike(first)) return "business";
  }

  // Every word is a known non-name (an everyday word, a place, a piece of software) and none is a
  // likely name: "Sounds Good", "Python Pandas", "Board Meeting".
  let software = false;
  for (const w of words) {
    // Here a part of a famous person's name counts too ("Lord Hanuman"); above it doesn't, as the
    // famous names list every country someone was named after ("Anatole France").
    if (nameLike(w) || (bits(w) ?? 0) & LEX_FAMOUS) return null;
    const b = bits(w);
    const known = (b !== undefined && wordTier(b) > 0) || l.places.has(w) || l.demonyms.has(w);
    if (l.software.has(w)) software = true;
    else if (!known) return null;
  }
  if (rest.length === 0 && !software) return null; // one everyday word: the tagger's own rules decide
  return software ? "software" : "common-words";
}

/**
 * Whether a word the name lists know may be (part of) a person's name. A place or demonym that is also a rare first name ("Thai",
 * "Lisbon" in the US birth records) counts as the place; a popular first name ("Austin", "Paris")
 * as a name.
 */
function nameLikeBits(b: number): boolean {
  const tier = firstNameTier(b);
  if (tier >= 1 && tier <= 3) return true;
  // A title ("Lord", "Dr") opens a person's name, whatever else it is.
  if (b & LEX_TITLE) return true;
  if (b & (LEX_DEMONYM | LEX_PLACE)) return false;
  return likelyName(b);
}

/** `:jane:`, `:thai_basil:`, `:+1:`: the span is (inside) an emoji code. */
function isEmojiCode(text: string, start: number, end: number): boolean {
  let a = start;
  while (a > 0 && EMOJI_CODE_CHAR.test(text[a - 1] as string)) a--;
  let b = end;
  while (b < text.length && EMOJI_CODE_CHAR.test(text[b] as string)) b++;
  if (text[a - 1] !== ":" || text[b] !== ":") return false;
  for (let i = start; i < end; i++) if (!EMOJI_CODE_CHAR.test(text[i] as string)) return false;
  return true;
}

/** The folded word right after `end` (skipping spaces), or null. */
function nextWord(text: string, end: number): string | null {
  const m = /^\s+([\p{L}\p{N}][\p{L}\p{N}'’-]*)/u.exec(text.slice(end, end + 40));
  return m?.[1] ? foldText(m[1]) : null;
}

/** "123 Main St", "221b Baker Street": a house number right before the span. */
function numberBefore(text: string, start: number): boolean {
  return /\b\d+[a-z]?\s+$/iu.test(text.slice(Math.max(0, start - 12), start));
}
