import { type ZonedParts, zonedParts } from "./time.ts";

// "Had lunch with Jane yesterday", "great coffee with @jdoe this morning", "met María at the
// conference": a teammate saying in a channel that they met someone in person. Found here, the
// bot only ASKS the author ("Record that you met Jane Doe on Thu 3 Dec?"); it never records a
// meeting on its own, so this errs towards precision: past tense, first person, in person, and
// nothing that reads as a plan, a negation, a question or a call.
// It works on words, not one big pattern, so its cost is linear in the text whatever it holds.
// Measured (met-in-chat.README.md): 176 written channel messages (79 meetings, 101 look-alikes),
// precision 1.0; recall 0.96 on the two thirds tuned on and 0.83 on the held-out third. On the
// 3,754 tweets of the Broad Twitter Corpus that name a person it fires on none.

export interface Span {
  start: number;
  end: number;
}

export interface MetInChat<S extends Span> {
  /** The contact's span in the text (one of the spans given). */
  span: S;
  /** The local calendar day the meeting was on, as best the words tell (else the message's day). */
  day: { year: number; month: number; day: number };
}

interface Word {
  /** Lowercased, curly apostrophes made straight. */
  w: string;
  start: number;
  end: number;
}

const words = (list: string) => new Set(list.split(" "));

const MEALS = words(
  "lunch dinner breakfast brunch coffee coffees drink drinks beer beers tea bite meal pizza tacos ramen sushi",
);
const MEAL_VERBS = words("had grabbed got shared enjoyed did");
const MEAL_ADJS = words(
  "great lovely nice good fun long quick wonderful fantastic amazing late early proper",
);
const ARTICLES = words("a an some");
const ARTICLES_THE = words("the a an");
const SPANS_OF_TIME = words("morning afternoon evening day night hour weekend");
/** What may come before the trigger when the author is the subject ("I finally met…"). */
const OWN_SUBJECT = words(
  "i we i've we've ive weve just finally today yesterday this morning afternoon last night earlier also so and then",
);
/** What may sit between the trigger and the person ("met up with my old friend Pat"). */
const OBJECT_GAP = words("with and up my our old friend friends the lovely great");
/** Any of these makes the sentence a plan, a wish, a negation or something not in person. */
const NOT_A_MEETING = words(
  [
    "didn't didnt never haven't havent hasn't couldn't wasn't missed canceled cancelled postponed rescheduled hoping",
    "tomorrow tonight next will going gonna plan planning planned should let's lets wanna scheduling schedule",
    "scheduled invite invited shall soon later i'd we'd i'll we'll",
    "zoom video call called online virtually remote remotely webinar huddle phone email emailed dm",
  ].join(" "),
);
const NOT_A_MEETING_PAIRS = words(
  "did_not have_not not_yet could_not hope_to want_to would_like via_teams over_teams",
);
/** Words that put a verbless "Lunch with Jane …" in the past. */
const PAST = words("was were yesterday today earlier");
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

function wordsOf(text: string, from: number, to: number): Word[] {
  const out: Word[] = [];
  WORD.lastIndex = from;
  for (let m = WORD.exec(text); m && m.index < to; m = WORD.exec(text))
    out.push({ w: m[0].toLowerCase().replace("’", "'"), start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * Sentence boundaries: a meeting claim doesn't reach across them. A full stop ends a sentence only
 * before a space or the end, so "jane@acme.com" and "@marta.s" stay whole.
 */
function sentences(text: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    const stop = c === "." ? next === "" || next === " " || next === "\n" : "!?;\n".includes(c);
    if (stop) {
      out.push({ start, end: i + 1 });
      start = i + 1;
    }
  }
  if (start < text.length) out.push({ start, end: text.length });
  return out;
}

/** Index just past a meal starting at `i` ("a quick lunch"), or -1. */
function mealAt(ws: readonly Word[], i: number): number {
  let j = i;
  if (ARTICLES.has(ws[j]?.w ?? "")) j++;
  if (MEAL_ADJS.has(ws[j]?.w ?? "")) j++;
  return MEALS.has(ws[j]?.w ?? "") ? j + 1 : -1;
}

/** Index just past "a quick lunch with" (or "lunch today with") starting at `i`, or -1. */
function mealWith(ws: readonly Word[], i: number): number {
  let j = mealAt(ws, i);
  if (j >= 0 && (ws[j]?.w === "today" || ws[j]?.w === "yesterday")) j++;
  return j >= 0 && ws[j]?.w === "with" ? j + 1 : -1;
}

/** "took Jane to lunch", "took Jane out for dinner": the words after the person, from `i`. */
function takenOutAfter(ws: readonly Word[], i: number): boolean {
  let j = i;
  if (ws[j]?.w === "out") j++;
  if (ws[j]?.w === "to" || ws[j]?.w === "for") j++;
  return j > i && mealAt(ws, j) >= 0;
}

/** If a meeting trigger starts at word `i`, the index of the first word after it. */
function triggerAt(ws: readonly Word[], i: number): number {
  const w = ws[i]?.w ?? "";
  const next = ws[i + 1]?.w;
  if (MEAL_VERBS.has(w)) return mealWith(ws, i + 1);
  if (MEAL_ADJS.has(w) && MEALS.has(next ?? "") && ws[i + 2]?.w === "with") return i + 3;
  if (w === "met") return next === "up" && ws[i + 2]?.w === "with" ? i + 3 : next === "with" ? i + 2 : i + 1;
  if (w === "caught" && next === "up") {
    if (ws[i + 2]?.w === "with") return i + 3;
    return ws[i + 2]?.w === "in" && ws[i + 3]?.w === "person" && ws[i + 4]?.w === "with" ? i + 5 : -1;
  }
  if ((w === "ran" || w === "bumped") && next === "into") return i + 2;
  // "Back from lunch with Jane", "just got back from coffee with Jane".
  if (w === "back" && next === "from") return mealWith(ws, i + 2);
  // "Sat down with Jane", "stopped by Jane's office".
  if (w === "sat" && next === "down" && ws[i + 2]?.w === "with") return i + 3;
  if ((w === "stopped" || w === "dropped") && next === "by") return i + 2;
  // "Spent the afternoon with Jane".
  if (
    w === "spent" &&
    ARTICLES_THE.has(next ?? "") &&
    SPANS_OF_TIME.has(ws[i + 2]?.w ?? "") &&
    ws[i + 3]?.w === "with"
  )
    return i + 4;
  if (w === "hung" && next === "out" && ws[i + 2]?.w === "with") return i + 3;
  if (w === "visited") return i + 1;
  return -1;
}

/** "Jane and I had lunch": a trigger right after the person. */
function subjectTriggerAfter(ws: readonly Word[], i: number): boolean {
  if (ws[i]?.w !== "and" || ws[i + 1]?.w !== "i") return false;
  let j = i + 2;
  if (ws[j]?.w === "finally" || ws[j]?.w === "just" || ws[j]?.w === "also") j++;
  const w = ws[j]?.w ?? "";
  if (w === "met") return true;
  if (w === "caught") return ws[j + 1]?.w === "up";
  return (w === "had" || w === "grabbed") && mealAt(ws, j + 1) >= 0;
}

function readsAsNoMeeting(ws: readonly Word[]): boolean {
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]?.w ?? "";
    if (NOT_A_MEETING.has(w) || NOT_A_MEETING_PAIRS.has(`${w}_${ws[i + 1]?.w}`)) return true;
  }
  return false;
}

/** Only own-subject words before position `at` in the sentence (after a colon or a dash). */
function authorIsSubject(text: string, ws: readonly Word[], sentenceStart: number, at: number): boolean {
  let from = sentenceStart;
  for (let i = sentenceStart; i < at; i++) if (":—–".includes(text.charAt(i))) from = i + 1;
  return ws.every((x) => x.start < from || x.start >= at || OWN_SUBJECT.has(x.w));
}

/** Only gap words (and spaces, commas, ampersands) between two offsets. */
function isObjectGap(text: string, from: number, to: number): boolean {
  const gap = text.slice(from, to);
  const ws = wordsOf(gap, 0, gap.length);
  const rest = gap.replace(WORD, "");
  return ws.every((x) => OBJECT_GAP.has(x.w)) && [...rest].every((c) => c === " " || c === "," || c === "&");
}

/** The spans right after `from` ("with Jane and @jdoe"): the trigger's objects. */
function takeObjects<S extends Span>(text: string, sorted: readonly S[], from: number, into: Set<S>): void {
  let at = from;
  for (const span of sorted) {
    if (span.start < at) continue;
    if (!isObjectGap(text, at, span.start)) return;
    into.add(span);
    at = span.end;
  }
}

/** How many days before the message the words put the meeting (0 when they don't say). */
export function daysAgo(sentence: string, sentWeekday: number): number {
  const ws = wordsOf(sentence, 0, sentence.length).map((x) => x.w);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i] ?? "";
    if (w === "yesterday" || (w === "last" && ws[i + 1] === "night")) return 1;
    const weekday = WEEKDAYS.indexOf(w) + 1;
    if (weekday > 0) {
      const back = (sentWeekday - weekday + 7) % 7;
      return back === 0 && ws[i - 1] === "last" ? 7 : back;
    }
    if (w === "last" && ws[i + 1] === "week") return 7;
  }
  return 0;
}

/**
 * The spans (contacts found in `text`, e.g. by detect() or the alias matcher) that the author
 * says they met in person, with the day. `sentAt` and `timeZone` place "yesterday" on a calendar.
 */
export function meetingsInChat<S extends Span>(
  text: string,
  spans: readonly S[],
  sentAt: Date,
  timeZone: string,
): MetInChat<S>[] {
  const found: MetInChat<S>[] = [];
  if (spans.length === 0) return found;
  // Only when a meeting is found: most messages with a contact in them say nothing of the kind, and
  // the time zone lookup (Intl) is the dearest step here.
  let sent: ZonedParts | undefined;
  // Spans in order, walked once alongside the sentences: linear in text and spans together.
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let next = 0;
  for (const sentence of sentences(text)) {
    while (next < sorted.length && (sorted[next]?.start ?? 0) < sentence.start) next++;
    const inside: S[] = [];
    for (let k = next; k < sorted.length && (sorted[k]?.start ?? 0) < sentence.end; k++) {
      const span = sorted[k];
      if (span && span.end <= sentence.end) inside.push(span);
    }
    if (inside.length === 0) continue;
    const body = text.slice(sentence.start, sentence.end);
    const ws = wordsOf(text, sentence.start, sentence.end);
    if (body.trimEnd().endsWith("?") || readsAsNoMeeting(ws)) continue;
    const objects = new Set<S>();
    // "Lunch with Jane yesterday was great": no verb, so only with a word that puts it in the past.
    const first = mealWith(ws, 0);
    if (first >= 0 && ws.some((x) => PAST.has(x.w)))
      takeObjects(text, inside, ws[first - 1]?.end ?? sentence.start, objects);
    for (let i = 0; i < ws.length; i++) {
      const after = triggerAt(ws, i);
      const start = ws[i]?.start ?? 0;
      if (after < 0 || !authorIsSubject(text, ws, sentence.start, start)) continue;
      takeObjects(text, inside, ws[after - 1]?.end ?? start, objects);
    }
    for (const span of inside) {
      const next = ws.findIndex((x) => x.start >= span.end);
      if (next >= 0 && subjectTriggerAfter(ws, next) && authorIsSubject(text, ws, sentence.start, span.start))
        objects.add(span);
      // "Took Jane to lunch": the verb right before the person, the meal right after.
      const before = ws.findLastIndex((x) => x.end <= span.start);
      if (
        next >= 0 &&
        ws[before]?.w === "took" &&
        isObjectGap(text, ws[before]?.end ?? span.start, span.start) &&
        takenOutAfter(ws, next) &&
        authorIsSubject(text, ws, sentence.start, ws[before]?.start ?? span.start)
      )
        objects.add(span);
    }
    if (objects.size === 0) continue;
    sent ??= zonedParts(sentAt, timeZone);
    const back = daysAgo(body, sent.weekday);
    const date = new Date(Date.UTC(sent.year, sent.month - 1, sent.day - back));
    const day = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
    for (const span of inside) if (objects.has(span)) found.push({ span, day });
  }
  return found;
}
