// One grammar for Slack `/offline …` and Teams bot commands. Adapters normalise user mentions to
// Slack's escaped form (`<@ID>` / `<@ID|name>`) before calling parseCommand, so the grammar only
// ever sees one mention syntax. Parsing never throws: a malformed command becomes an "error"
// result that names the problem and shows the right usage, because the user reads it verbatim.
import { z } from "zod";
import { DAY_MS, isoDate, isoWeek, isoWeeksInYear } from "./time.ts";
import type { ContactStatus } from "./types.ts";

export const SUBCOMMANDS = [
  "help",
  "track",
  "untrack",
  "ignore",
  "contacts",
  "met",
  "lunch",
  "digest",
  "settings",
  "pause",
  "resume",
  "forget-me",
  "stats",
  "home",
  "connect",
  "disconnect",
  "review",
] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

export const LIMITS = {
  /** Whole command text; far above any real command, low enough to keep parsing cheap. */
  input: 4000,
  name: 100,
  aliases: 10,
  alias: 200,
  contact: 200,
  place: 200,
  attendees: 20,
  pauseDays: 365,
} as const;

// Placeholders are UPPERCASE rather than <angle> so the same text renders unchanged in Slack
// mrkdwn (where < > are control characters) and in Teams (where <name> reads as an HTML tag).
export const USAGE: Record<Subcommand, string> = {
  help: "help [COMMAND]",
  track: "track NAME [, ALIAS …]",
  untrack: "untrack CONTACT",
  ignore: "ignore CONTACT",
  contacts: "contacts [tracked | candidates | ignored | all]",
  met: "met CONTACT [on YYYY-MM-DD | today | yesterday]",
  lunch: "lunch CONTACT [on YYYY-MM-DD [HH:MM]] [at PLACE] [with @teammate …]",
  digest: "digest [preview | now] [YYYY-Www]",
  settings: "settings",
  pause: "pause [Nd | Nw]",
  resume: "resume",
  "forget-me": "forget-me [confirm]",
  stats: "stats",
  home: "home",
  connect: "connect calendar [google | microsoft]",
  disconnect: "disconnect calendar",
  review: "review",
};

const SUMMARY: Record<Subcommand, string> = {
  help: "Show all commands, or the details of one.",
  track: "Track an external person. Aliases can be emails, @handles, profile links or other names.",
  untrack: "Stop tracking a contact.",
  ignore: "Never track or suggest this contact again.",
  contacts: "List contacts; tracked ones by default.",
  met: "Record that you met a contact in person (today by default).",
  lunch: "Plan a lunch with a contact, optionally with teammates.",
  digest: "Preview last week's digest, or post it now. Optionally pick a week.",
  settings: "Show this workspace's settings.",
  pause: "Pause your nudges for N days or weeks (up to 365 days); no number pauses until you resume.",
  resume: "Resume your nudges.",
  "forget-me":
    "Opt out: delete what the bot stored about you and stop counting your messages. Asks first; confirm deletes at once.",
  stats: "Show the numbers: contacts discussed, lunches planned and held, meetings.",
  home: "Your own view: open prompts, upcoming lunches, pause, your numbers and your data.",
  connect:
    "Connect your own Google or Microsoft calendar: lunch times when everyone is free, invites sent for you, lunches you had counted. Reads free/busy and who was invited, never titles or details.",
  disconnect: "Disconnect your calendar: its tokens are revoked and deleted.",
  review:
    "Admins: the people found most often that nobody has confirmed yet, each with Track, Not external and Ignore.",
};

export const EXAMPLES: Record<Subcommand, readonly string[]> = {
  help: ["help", "help lunch"],
  track: [
    "track Jane Doe, jane@acme.com, @janedoe",
    'track "Jane Doe" jane@acme.com linkedin.com/in/janedoe',
  ],
  untrack: ["untrack Jane Doe"],
  ignore: ["ignore jane@acme.com"],
  contacts: ["contacts", "contacts candidates"],
  met: ["met Jane Doe", "met Jane Doe yesterday", "met Jane Doe on {past}"],
  lunch: ["lunch Jane Doe on {date} 12:30 at Cafe Nord with @sam @lee", "lunch Jane Doe"],
  digest: ["digest", "digest now", "digest preview {week}"],
  settings: ["settings"],
  pause: ["pause", "pause 2w", "pause 10d"],
  resume: ["resume"],
  "forget-me": ["forget-me", "forget-me confirm"],
  stats: ["stats"],
  home: ["home"],
  connect: ["connect calendar", "connect calendar google"],
  disconnect: ["disconnect calendar"],
  review: ["review"],
};

export interface ParseOptions {
  /** What the user types before a subcommand: "/offline " in Slack, "" for the Teams bot. */
  prefix?: string;
  /** The clock, for example dates that are valid when read: a week ahead for a lunch, back for a meeting. */
  now?: Date;
}

/**
 * Examples name dates as {date} (a week ahead), {past} (a week ago) and {week} (the week before last, a
 * complete week with a digest to preview, not a future one): a
 * fixed date would be rejected once it has passed ("lunch … on 2025-03-14" in 2026).
 */
function withExampleDates(text: string, now: Date = new Date()): string {
  const day = (offset: number) => new Date(now.getTime() + offset * DAY_MS).toISOString().slice(0, 10);
  return text
    .replace(/\{date\}/gu, day(7))
    .replace(/\{past\}/gu, day(-7))
    .replace(/\{week\}/gu, isoWeek(new Date(now.getTime() - 14 * DAY_MS), "UTC"));
}

const DEFAULT_PREFIX = "/offline ";

/** Help for one command: usage line, what it does, examples. */
export function commandHelp(command: Subcommand, options: ParseOptions = {}): string {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const lines = [`${prefix}${USAGE[command]}`, `  ${SUMMARY[command]}`];
  for (const example of EXAMPLES[command]) lines.push(`  e.g. ${prefix}${example}`);
  return withExampleDates(lines.join("\n"), options.now);
}

/** Plain text (no mrkdwn or markdown markup) that both Slack and Teams show for `help`. */
export function helpText(options: ParseOptions = {}): string {
  const sections = SUBCOMMANDS.map((command) => commandHelp(command, options));
  return [
    "Take It Offline: notices the external people your team keeps talking about, and nudges you to meet them.",
    "",
    sections.join("\n"),
    "",
    'Put a name or place in quotes if it contains the words on, at or with: lunch "Ana at Acme" at "Cafe on Main".',
    "Mention teammates with @. Dates are YYYY-MM-DD in your time zone; times are HH:MM.",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Result types (validated by the zod schemas below)

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalDateTime extends LocalDate {
  hour?: number;
  minute?: number;
}

/** A platform user as the adapter normalised it: `<@ID>` or `<@ID|name>`. */
export interface UserRef {
  id: string;
  name?: string;
}

/** How a command names a contact: by platform mention, or by any name/alias the store can match. */
export type ContactRef = ({ kind: "user" } & UserRef) | { kind: "text"; text: string };

export type TrackAliasKind = "email" | "handle" | "url" | "name";
export interface TrackAlias {
  kind: TrackAliasKind;
  value: string;
}

export type RelativeDay = "today" | "yesterday";

export type ParsedCommand =
  | { kind: "help"; topic?: Subcommand }
  /**
   * `name` is "" only when the person was given solely as a mention without a label
   * (`track <@U123>`); the adapter then takes the name from the platform profile.
   */
  | { kind: "track"; name: string; aliases: TrackAlias[]; userRef?: UserRef }
  | { kind: "untrack"; contact: ContactRef }
  | { kind: "ignore"; contact: ContactRef }
  | { kind: "contacts"; filter: ContactStatus | "all" }
  /** Relative days and dates are local to the user; resolve them with resolveDay() in their tz. */
  | { kind: "met"; contact: ContactRef; on: LocalDate | RelativeDay }
  | { kind: "lunch"; contact: ContactRef; on?: LocalDateTime; place?: string; with: UserRef[] }
  | { kind: "digest"; mode: "preview" | "now"; week?: string }
  | { kind: "settings" }
  /** days null: until `resume`. */
  | { kind: "pause"; days: number | null }
  | { kind: "resume" }
  /** confirmed: run at once (`forget-me confirm`, for scripts); otherwise ask first. */
  | { kind: "forget-me"; confirmed?: boolean }
  | { kind: "stats" }
  | { kind: "home" }
  /** Connect (with one provider, or whichever are configured) or disconnect your own calendar. */
  | { kind: "calendar"; action: "connect" | "disconnect"; provider: "google" | "microsoft" | null }
  | { kind: "review" }
  | CommandError;

export interface CommandError {
  kind: "error";
  /** What is wrong, in one or two sentences. */
  message: string;
  /** The usage line(s) and an example to show under the message. */
  usage: string;
  /** The subcommand the error is about, when one was recognised. */
  command?: Subcommand;
}

/** The calendar date a `met … on` refers to, given the user's local today. */
export function resolveDay(on: LocalDate | RelativeDay, today: LocalDate): LocalDate {
  if (on === "today") return { year: today.year, month: today.month, day: today.day };
  if (on === "yesterday") {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day - 1));
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  }
  return on;
}

// ---------------------------------------------------------------------------------------------
// Schemas: the grammar builds a candidate, zod enforces the value limits with user-facing messages.

const inputLength = (input: unknown): number => (typeof input === "string" ? input.length : 0);
const itemCount = (input: unknown): number => (Array.isArray(input) ? input.length : 0);

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const localDateShape = {
  year: z
    .number()
    .int()
    .min(1970, { error: "Pick a year between 1970 and 2100." })
    .max(2100, { error: "Pick a year between 1970 and 2100." }),
  month: z
    .number()
    .int()
    .min(1)
    .max(12, { error: (iss) => `There is no month ${String(iss.input)}; months go from 01 to 12.` }),
  day: z.number().int().min(1, { error: "Days start at 01." }),
};

function isRealDate(d: LocalDate): boolean {
  return d.month < 1 || d.month > 12 || d.day <= daysInMonth(d.year, d.month);
}

function notRealDateMessage(input: unknown): string {
  const d = input as LocalDate;
  const name = MONTH_NAMES[d.month - 1] ?? "That month";
  return `${isoDate(d)} is not a real date: ${name} ${d.year} has ${daysInMonth(d.year, d.month)} days.`;
}

const localDateSchema = z
  .object(localDateShape)
  .refine(isRealDate, { error: (iss) => notRealDateMessage(iss.input) });

const localDateTimeSchema = z
  .object({
    ...localDateShape,
    hour: z.number().int().min(0).max(23).optional(),
    minute: z.number().int().min(0).max(59).optional(),
  })
  .refine(isRealDate, { error: (iss) => notRealDateMessage(iss.input) });

const userRefSchema = z.object({
  id: z.string().min(1).max(100, { error: "That user mention looks malformed." }),
  name: z
    .string()
    .max(LIMITS.name, { error: `An @mention's name is longer than ${LIMITS.name} characters.` })
    .optional(),
});

const contactRefSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("user"), ...userRefSchema.shape }),
  z.object({
    kind: z.literal("text"),
    text: z
      .string()
      .min(1, { error: "The contact is empty." })
      .max(LIMITS.contact, {
        error: (iss) =>
          `That contact is ${inputLength(iss.input)} characters long; the limit is ${LIMITS.contact}. Use their name or email.`,
      }),
  }),
]);

const trackSchema = z
  .object({
    kind: z.literal("track"),
    name: z.string().max(LIMITS.name, {
      error: (iss) => `That name is ${inputLength(iss.input)} characters long; the limit is ${LIMITS.name}.`,
    }),
    aliases: z
      .array(
        z.object({
          kind: z.enum(["email", "handle", "url", "name"]),
          value: z
            .string()
            .min(1)
            .max(LIMITS.alias, {
              error: (iss) =>
                `An alias is ${inputLength(iss.input)} characters long; the limit is ${LIMITS.alias}.`,
            }),
        }),
      )
      .max(LIMITS.aliases, {
        error: (iss) =>
          `That's ${itemCount(iss.input)} aliases; the limit is ${LIMITS.aliases}. Keep the most useful ones.`,
      }),
    userRef: userRefSchema.optional(),
  })
  .refine((c) => c.name.length > 0 || c.userRef !== undefined, {
    error: "Tell me the person's name as well as their aliases.",
  });

const contactCommandSchema = (kind: "untrack" | "ignore") =>
  z.object({ kind: z.literal(kind), contact: contactRefSchema });

const metSchema = z.object({
  kind: z.literal("met"),
  contact: contactRefSchema,
  on: z.union([z.literal("today"), z.literal("yesterday"), localDateSchema]),
});

const lunchSchema = z.object({
  kind: z.literal("lunch"),
  contact: contactRefSchema,
  on: localDateTimeSchema.optional(),
  place: z
    .string()
    .min(1)
    .max(LIMITS.place, {
      error: (iss) =>
        `That place is ${inputLength(iss.input)} characters long; the limit is ${LIMITS.place}.`,
    })
    .optional(),
  with: z.array(userRefSchema).max(LIMITS.attendees, {
    error: (iss) =>
      `That's ${itemCount(iss.input)} teammates; a lunch can have at most ${LIMITS.attendees}. Maybe book a room instead?`,
  }),
});

const pauseSchema = z.object({
  kind: z.literal("pause"),
  days: z
    .number()
    .int()
    .min(1, { error: "Pause for at least 1 day, or leave the number out to pause until you resume." })
    .max(LIMITS.pauseDays, {
      error: (iss) =>
        `That's ${String(iss.input)} days; you can pause for at most ${LIMITS.pauseDays} days. Leave the number out to pause until you resume.`,
    })
    .nullable(),
});

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { type: "word"; text: string }
  | { type: "quoted"; text: string }
  /** A URL or email that Slack wrapped as <https://…|label> or <mailto:…|…>. */
  | { type: "link"; text: string }
  | { type: "user"; text: string; id: string; name?: string }
  | { type: "comma"; text: "," };

// Straight and typographic double quotes: phones and macOS turn " into “ ” as people type.
// Single quotes are left alone so names like O'Brien need no escaping.
const QUOTES = new Set(['"', "“", "”", "„", "«", "»"]);
const SPACE = /\s/u;

function tokenize(s: string): Token[] | { error: string } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i] as string;
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    if (ch === ",") {
      tokens.push({ type: "comma", text: "," });
      i++;
      continue;
    }
    if (QUOTES.has(ch)) {
      let j = i + 1;
      while (j < s.length && !QUOTES.has(s[j] as string)) j++;
      if (j >= s.length) {
        return {
          error: `There's an opening quote ${ch} without a closing one: ${ch}${clip(s.slice(i + 1), 40)}`,
        };
      }
      tokens.push({ type: "quoted", text: collapseSpaces(s.slice(i + 1, j)) });
      i = j + 1;
      continue;
    }
    if (ch === "<") {
      const close = s.indexOf(">", i + 1);
      const reopen = s.indexOf("<", i + 1);
      if (close > i && (reopen === -1 || reopen > close)) {
        const token = angleToken(s.slice(i + 1, close));
        if (token) {
          tokens.push(token);
          i = close + 1;
          continue;
        }
      }
    }
    let j = i + 1;
    while (j < s.length && s[j] !== "," && !SPACE.test(s[j] as string)) j++;
    tokens.push({ type: "word", text: s.slice(i, j) });
    i = j;
  }
  return tokens;
}

const USER_REF = /^@([\w:.-]+)(?:\|(.*))?$/su;
const MAILTO = /^mailto:([^|]+)(?:\|.*)?$/isu;
const ANGLE_URL = /^(https?:\/\/[^|\s]+)(?:\|.*)?$/isu;

function angleToken(inner: string): Token | null {
  const user = USER_REF.exec(inner);
  if (user) {
    const id = user[1] as string;
    const name = collapseSpaces(user[2] ?? "").replace(/^@/, "");
    return name ? { type: "user", text: `<@${id}>`, id, name } : { type: "user", text: `<@${id}>`, id };
  }
  const mail = MAILTO.exec(inner);
  if (mail) return { type: "link", text: (mail[1] as string).trim() };
  const url = ANGLE_URL.exec(inner);
  if (url) return { type: "link", text: url[1] as string };
  return null;
}

function userRefOf(token: Extract<Token, { type: "user" }>): UserRef {
  return token.name ? { id: token.id, name: token.name } : { id: token.id };
}

function collapseSpaces(s: string): string {
  return s.replace(/\s+/gu, " ").trim();
}

function clip(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : s;
}

/** Without commas at either end. A loop: /^,+|,+$/ read a run of commas again from each one (quadratic). */
function trimCommas(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s[start] === ",") start++;
  while (end > start && s[end - 1] === ",") end--;
  return s.slice(start, end);
}

/** Tokens back to text: words joined by single spaces, commas kept tight. */
function joinTokens(tokens: readonly Token[]): string {
  return tokens
    .map((t) => t.text)
    .join(" ")
    .replace(/ ,/g, ",")
    .trim();
}

/** Unquoted words are keywords and options; quoted text is always literal. */
function bareWord(token: Token | undefined): string | null {
  return token?.type === "word" ? token.text.toLowerCase() : null;
}

// ---------------------------------------------------------------------------------------------
// Alias classification

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/u;
const HANDLE = /^@[\p{L}\p{N}_][\p{L}\p{N}_.-]{0,63}$/u;
const HTTP_URL = /^https?:\/\/\S+$/iu;
// Profile links people paste without a scheme.
const BARE_PROFILE = /^(?:www\.)?(?:linkedin\.com\/in\/|x\.com\/|twitter\.com\/|github\.com\/)\S+$/iu;

function isValidUrl(value: string): boolean {
  try {
    return new URL(value).hostname.includes(".");
  } catch {
    return false;
  }
}

export function classifyAlias(raw: string): TrackAlias {
  const value = raw.trim().replace(/^mailto:/i, "");
  if (EMAIL.test(value)) return { kind: "email", value };
  if (HANDLE.test(value)) return { kind: "handle", value };
  if (HTTP_URL.test(value) && isValidUrl(value)) return { kind: "url", value };
  if (BARE_PROFILE.test(value) && isValidUrl(`https://${value}`))
    return { kind: "url", value: `https://${value}` };
  return { kind: "name", value: collapseSpaces(raw) };
}

function isStructured(token: Token): boolean {
  if (token.type === "link") return true;
  return token.type === "word" && classifyAlias(token.text).kind !== "name";
}

// ---------------------------------------------------------------------------------------------
// Subcommand names, aliases and suggestions

const COMMAND_ALIASES: Record<string, Subcommand> = {
  "?": "help",
  forgetme: "forget-me",
  forget_me: "forget-me",
  unpause: "resume",
};

function lookupCommand(word: string): Subcommand | null {
  const lower = word.toLowerCase();
  if ((SUBCOMMANDS as readonly string[]).includes(lower)) return lower as Subcommand;
  return COMMAND_ALIASES[lower] ?? null;
}

/** Optimal string alignment distance: Levenshtein plus adjacent swaps ("tarck" is one typo away). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** The closest option to a mistyped word, or null when nothing is plausibly meant. */
export function suggest(word: string, options: readonly string[]): string | null {
  const lower = word.toLowerCase();
  if (lower.length === 0 || lower.length > 40) return null;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const option of options) {
    const distance = editDistance(lower, option);
    if (distance < bestDistance) {
      best = option;
      bestDistance = distance;
    }
  }
  const tolerance = lower.length <= 4 ? 1 : 2;
  if (best !== null && bestDistance <= tolerance) return best;
  // "sett" → settings, "tracking" → track.
  const prefixed = options.filter(
    (o) => (lower.length >= 3 && o.startsWith(lower)) || (o.length >= 4 && lower.startsWith(o)),
  );
  return prefixed.length === 1 ? (prefixed[0] as string) : null;
}

// ---------------------------------------------------------------------------------------------
// Parsing

type Candidate = Exclude<ParsedCommand, CommandError>;
type Step = Candidate | { problem: string };

function problem(message: string): { problem: string } {
  return { problem: message };
}

function usageFor(command: Subcommand, prefix: string): string {
  const examples = EXAMPLES[command].slice(0, 2).map((e) => `${prefix}${e}`);
  return [`Usage: ${prefix}${USAGE[command]}`, `Example: ${examples.join("  or  ")}`].join("\n");
}

function commandList(prefix: string): string {
  return [`Commands: ${SUBCOMMANDS.join(", ")}`, `Type ${prefix}help to see how each one works.`].join("\n");
}

function commandError(message: string, command: Subcommand | null, prefix: string): CommandError {
  return command
    ? { kind: "error", message, usage: usageFor(command, prefix), command }
    : { kind: "error", message, usage: commandList(prefix) };
}

function unknownCommandMessage(word: string): string {
  // "/offline <@U123>" or "/offline Jane Doe": most likely someone to track.
  if (/^<@[^>]+>$/u.test(word)) return `Start with a command, e.g. "track ${word}".`;
  const suggestion = suggest(word, [
    ...SUBCOMMANDS,
    ...Object.keys(COMMAND_ALIASES).filter((k) => k !== "?"),
  ]);
  const resolved = suggestion ? (lookupCommand(suggestion) ?? suggestion) : null;
  const base = `I don't know the command "${clip(word, 30)}".`;
  return resolved ? `${base} Did you mean "${resolved}"?` : base;
}

function cleanInput(text: string): string {
  return (
    text
      .normalize("NFC")
      // Zero-width characters sneak in from copy-paste and would split or glue words invisibly.
      .replace(/[\u200B-\u200D\u2060\uFEFF]/gu, "")
      .replace(/\p{Cc}/gu, " ")
  );
}

const inputSchema = z.string().max(LIMITS.input, {
  error: (iss) =>
    `That command is ${inputLength(iss.input)} characters long; the limit is ${LIMITS.input}. Send one command at a time.`,
});

/** Reads the subcommand (which may be two words: "forget me") and returns it with the rest of the text. */
function splitHead(text: string): { head: string; command: Subcommand | null; rest: string } {
  let rest = text.trimStart();
  let match = /^\S+/u.exec(rest);
  // People used to Slack type the slash command into Teams too.
  if (match && match[0].toLowerCase() === "/offline") {
    rest = rest.slice(match[0].length).trimStart();
    match = /^\S+/u.exec(rest);
  }
  if (!match) return { head: "", command: "help", rest: "" };
  const head = match[0];
  rest = rest.slice(head.length);
  const twoWords = /^\s+(\S+)/u.exec(rest);
  if (head.toLowerCase() === "forget" && twoWords?.[1]?.toLowerCase() === "me") {
    return { head: "forget me", command: "forget-me", rest: rest.slice(twoWords[0].length) };
  }
  return { head, command: lookupCommand(head), rest };
}

export function parseCommand(text: string, options: ParseOptions = {}): ParsedCommand {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  try {
    const parsed = parseUnsafe(text, prefix);
    if (parsed.kind !== "error") return parsed;
    return {
      ...parsed,
      message: withExampleDates(parsed.message, options.now),
      usage: withExampleDates(parsed.usage, options.now),
    };
  } catch {
    // The grammar is meant to be total; if a bug slips through, the user still gets help, not a 500.
    return commandError("Sorry, I couldn't read that command.", null, prefix);
  }
}

function parseUnsafe(text: string, prefix: string): ParsedCommand {
  // Adapters may hand over a missing payload field; that is simply an empty command.
  if (typeof text !== "string") return { kind: "help" };
  const input = inputSchema.safeParse(text);
  if (!input.success) return commandError(firstMessage(input.error), null, prefix);

  const { head, command, rest } = splitHead(cleanInput(input.data));
  if (!command) return commandError(unknownCommandMessage(head), null, prefix);

  const tokens = tokenize(rest);
  if ("error" in tokens) return commandError(tokens.error, command, prefix);

  const step = parseSubcommand(command, tokens);
  if ("problem" in step) return commandError(step.problem, command, prefix);
  return validate(step, prefix);
}

function firstMessage(error: z.ZodError): string {
  return error.issues[0]?.message ?? "That command doesn't look right.";
}

function validate(candidate: Candidate, prefix: string): ParsedCommand {
  if (candidate.kind === "calendar") return candidate;
  const schema = SCHEMAS[candidate.kind];
  if (!schema) return candidate;
  const result = schema.safeParse(candidate);
  return result.success ? candidate : commandError(firstMessage(result.error), candidate.kind, prefix);
}

const SCHEMAS: Partial<Record<Subcommand, z.ZodType>> = {
  track: trackSchema,
  untrack: contactCommandSchema("untrack"),
  ignore: contactCommandSchema("ignore"),
  met: metSchema,
  lunch: lunchSchema,
  pause: pauseSchema,
};

function parseSubcommand(command: Subcommand, tokens: Token[]): Step {
  switch (command) {
    case "help":
      return parseHelp(tokens);
    case "track":
      return parseTrack(tokens);
    case "untrack":
    case "ignore": {
      const contact = parseContact(tokens, command);
      return "problem" in contact ? contact : { kind: command, contact };
    }
    case "contacts":
      return parseContacts(tokens);
    case "met":
      return parseMet(tokens);
    case "lunch":
      return parseLunch(tokens);
    case "digest":
      return parseDigest(tokens);
    case "pause":
      return parsePause(tokens);
    case "forget-me":
      if (tokens.length === 1 && tokens[0]?.text.toLowerCase() === "confirm")
        return { kind: "forget-me", confirmed: true };
      return tokens.length === 0
        ? { kind: command }
        : problem(`forget-me takes only "confirm", but I got "${clip(joinTokens(tokens), 40)}".`);
    case "connect":
    case "disconnect":
      return parseCalendar(command, tokens);
    case "settings":
    case "resume":
    case "stats":
    case "home":
    case "review":
      return tokens.length === 0
        ? { kind: command }
        : problem(`${command} takes no options, but I got "${clip(joinTokens(tokens), 40)}".`);
  }
}

const CALENDAR_PROVIDERS: Record<string, "google" | "microsoft"> = {
  google: "google",
  gmail: "google",
  microsoft: "microsoft",
  outlook: "microsoft",
  office365: "microsoft",
  teams: "microsoft",
};

function parseCalendar(command: "connect" | "disconnect", tokens: Token[]): Step {
  const words = tokens.filter((t) => t.type !== "comma").map((t) => t.text.toLowerCase());
  // "connect google calendar" reads as well as "connect calendar google".
  const rest = words.filter((w) => w !== "calendar" && w !== "my");
  if (!words.includes("calendar") && !(rest.length === 1 && CALENDAR_PROVIDERS[rest[0] ?? ""]))
    return problem(`${command} what? Say "${command} calendar".`);
  if (rest.length === 0) return { kind: "calendar", action: command, provider: null };
  const provider = rest.length === 1 ? CALENDAR_PROVIDERS[rest[0] ?? ""] : undefined;
  if (!provider) return problem(`Pick google or microsoft, not "${clip(rest.join(" "), 40)}".`);
  if (command === "disconnect") return { kind: "calendar", action: command, provider: null };
  return { kind: "calendar", action: command, provider };
}

function parseHelp(tokens: Token[]): Step {
  if (tokens.length === 0) return { kind: "help" };
  const words = tokens.map((t) => t.text.toLowerCase());
  const topic = words.join(" ") === "forget me" ? "forget-me" : lookupCommand(words[0] ?? "");
  if (topic && (words.length === 1 || topic === "forget-me")) return { kind: "help", topic };
  return problem(unknownCommandMessage(joinTokens(tokens)));
}

function parseContact(tokens: readonly Token[], command: Subcommand): ContactRef | { problem: string } {
  const meaningful = tokens.filter((t) => t.type !== "comma");
  if (meaningful.length === 0)
    return problem(`Which contact? Give a name, email or @mention after "${command}".`);
  const users = meaningful.filter((t) => t.type === "user");
  if (users.length > 0) {
    const [user] = users;
    if (users.length > 1 || meaningful.length > 1 || !user) {
      return problem("Name one contact: either @mention them or type their name, not both.");
    }
    return { kind: "user", ...userRefOf(user) };
  }
  const single = meaningful.length === 1 ? meaningful[0] : undefined;
  const text = single?.type === "quoted" ? single.text : trimCommas(joinTokens(tokens)).trim();
  return { kind: "text", text };
}

type AliasGroup = { quoted: boolean; tokens: Token[] };

function parseTrack(tokens: Token[]): Step {
  const users = tokens.filter((t): t is Extract<Token, { type: "user" }> => t.type === "user");
  if (users.length > 1) return problem(`Track one person at a time; I found ${users.length} @mentions.`);
  const userToken = users[0];
  const rest = tokens.filter((t) => t.type !== "user");
  if (rest.every((t) => t.type === "comma") && !userToken) {
    return problem("Who should I track? Give their name, then any emails, @handles or profile links.");
  }

  const groups = rest.some((t) => t.type === "comma") ? groupByCommas(rest) : groupByShape(rest);
  const classified = groups
    .map((g) => {
      const text = g.quoted ? (g.tokens[0]?.text ?? "") : joinTokens(g.tokens);
      return classifyAlias(text);
    })
    .filter((a) => a.value.length > 0);

  const nameIndex = classified.findIndex((a) => a.kind === "name");
  const name = nameIndex >= 0 ? (classified[nameIndex]?.value ?? "") : (userToken?.name ?? "");
  const seen = new Set([`name:${name.toLowerCase()}`]);
  const aliases: TrackAlias[] = [];
  classified.forEach((alias, index) => {
    const key = `${alias.kind}:${alias.value.toLowerCase()}`;
    if (index === nameIndex || seen.has(key)) return;
    seen.add(key);
    aliases.push(alias);
  });
  if (!name && !userToken) {
    return problem("Tell me the person's name as well as their aliases, e.g. track Jane Doe, jane@acme.com.");
  }
  return userToken
    ? { kind: "track", name, aliases, userRef: userRefOf(userToken) }
    : { kind: "track", name, aliases };
}

/** "Jane Doe, jane@acme.com @jd, J. Doe": a segment is one alias unless it is only emails/handles/links. */
function groupByCommas(tokens: readonly Token[]): AliasGroup[] {
  const groups: AliasGroup[] = [];
  let segment: Token[] = [];
  const flush = () => {
    if (segment.length > 1 && segment.every(isStructured)) {
      for (const t of segment) groups.push({ quoted: false, tokens: [t] });
    } else if (segment.length === 1 && segment[0]?.type === "quoted") {
      groups.push({ quoted: true, tokens: segment });
    } else if (segment.length > 0) {
      groups.push({ quoted: false, tokens: segment });
    }
    segment = [];
  };
  for (const t of tokens) {
    if (t.type === "comma") flush();
    else segment.push(t);
  }
  flush();
  return groups;
}

/** Without commas: runs of plain words form one name; each quoted text, email, handle or link stands alone. */
function groupByShape(tokens: readonly Token[]): AliasGroup[] {
  const groups: AliasGroup[] = [];
  let run: Token[] = [];
  const flush = () => {
    if (run.length > 0) groups.push({ quoted: false, tokens: run });
    run = [];
  };
  for (const t of tokens) {
    if (t.type === "quoted") {
      flush();
      groups.push({ quoted: true, tokens: [t] });
    } else if (isStructured(t)) {
      flush();
      groups.push({ quoted: false, tokens: [t] });
    } else {
      run.push(t);
    }
  }
  flush();
  return groups;
}

const CONTACT_FILTERS: Record<string, ContactStatus | "all"> = {
  tracked: "tracked",
  track: "tracked",
  candidates: "candidate",
  candidate: "candidate",
  ignored: "ignored",
  ignore: "ignored",
  all: "all",
};

function parseContacts(tokens: Token[]): Step {
  if (tokens.length === 0) return { kind: "contacts", filter: "tracked" };
  const word = tokens[0]?.text ?? "";
  const filter = tokens.length === 1 ? CONTACT_FILTERS[word.toLowerCase()] : undefined;
  if (filter) return { kind: "contacts", filter };
  const hint = suggest(word, ["tracked", "candidates", "ignored", "all"]);
  const base = `"${clip(joinTokens(tokens), 30)}" is not a contact list; choose tracked, candidates, ignored or all.`;
  return problem(hint && tokens.length === 1 ? `${base} Did you mean "${hint}"?` : base);
}

const DATE_LIKE = /^\d{4}-\d{1,2}-\d{1,2}$/u;
const DATE_PARTS = /^(\d{4})-(\d{1,2})-(\d{1,2})$/u;

function parseDate(token: Token | undefined): LocalDate | { problem: string } {
  const text = token?.text ?? "";
  const m = DATE_PARTS.exec(text);
  if (!m)
    return problem(`I couldn't read the date "${clip(text, 30)}". Write it as YYYY-MM-DD, e.g. {date}.`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

const TIME_24 = /^(\d{1,2}):(\d{2})$/u;
const TIME_12 = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)$/iu;

function parseTime(text: string): { hour: number; minute: number } | null {
  const m24 = TIME_24.exec(text);
  if (m24) {
    const hour = Number(m24[1]);
    const minute = Number(m24[2]);
    return hour <= 23 && minute <= 59 ? { hour, minute } : null;
  }
  const m12 = TIME_12.exec(text);
  if (m12) {
    const hour12 = Number(m12[1]);
    const minute = Number(m12[2] ?? "0");
    if (hour12 < 1 || hour12 > 12 || minute > 59) return null;
    const pm = (m12[3] as string).toLowerCase() === "pm";
    return { hour: (hour12 % 12) + (pm ? 12 : 0), minute };
  }
  return null;
}

function looksLikeTime(text: string): boolean {
  return /^\d{1,2}(:\d{1,2})?\s*(am|pm)?$/iu.test(text) && /[:apm]/iu.test(text);
}

function parseMet(tokens: Token[]): Step {
  const onIndex = tokens.findLastIndex((t, i) => i > 0 && bareWord(t) === "on");
  let contactTokens = tokens;
  let on: LocalDate | RelativeDay = "today";
  if (onIndex > 0) {
    const args = tokens.slice(onIndex + 1);
    contactTokens = tokens.slice(0, onIndex);
    const day = args.length === 1 ? relativeOrDate(args[0]) : null;
    if (!day) {
      return problem(
        args.length === 0
          ? 'Say when after "on": a date like {past}, today or yesterday.'
          : `I couldn't read the date "${clip(joinTokens(args), 30)}". Use YYYY-MM-DD, today or yesterday.`,
      );
    }
    if ("problem" in day) return day;
    on = day.on;
  } else if (tokens.length > 0) {
    const day = relativeOrDate(tokens[tokens.length - 1]);
    if (day && "problem" in day) return day;
    if (day) {
      on = day.on;
      contactTokens = tokens.slice(0, -1);
    }
  }
  if (bareWord(tokens[0]) === "on" || contactTokens.length === 0) {
    return problem('Who did you meet? Put the contact first, e.g. "met Jane Doe yesterday".');
  }
  const contact = parseContact(contactTokens, "met");
  if ("problem" in contact) return contact;
  return { kind: "met", contact, on };
}

function relativeOrDate(
  token: Token | undefined,
): { on: LocalDate | RelativeDay } | { problem: string } | null {
  const word = bareWord(token);
  if (word === "today" || word === "yesterday") return { on: word };
  if (word === "tomorrow")
    return problem("You can only record a meeting that already happened: today, yesterday or a past date.");
  if (word && DATE_LIKE.test(word)) {
    const date = parseDate(token);
    return "problem" in date ? date : { on: date };
  }
  return null;
}

const LUNCH_KEYWORDS = new Set(["on", "at", "with"]);

function parseLunch(tokens: Token[]): Step {
  const firstKeyword = tokens.findIndex((t) => LUNCH_KEYWORDS.has(bareWord(t) ?? ""));
  const contactEnd = firstKeyword === -1 ? tokens.length : firstKeyword;
  if (contactEnd === 0) {
    return problem('Who is the lunch with? Put the contact first, e.g. "lunch Jane Doe on {date}".');
  }
  const contact = parseContact(tokens.slice(0, contactEnd), "lunch");
  if ("problem" in contact) return contact;

  let date: LocalDate | undefined;
  let time: { hour: number; minute: number } | undefined;
  let place: string | undefined;
  let attendees: UserRef[] | undefined;

  let i = contactEnd;
  while (i < tokens.length) {
    const keyword = bareWord(tokens[i]) as "on" | "at" | "with";
    let end = i + 1;
    while (end < tokens.length && !LUNCH_KEYWORDS.has(bareWord(tokens[end]) ?? "")) end++;
    const rawArgs = tokens.slice(i + 1, end);
    const args = rawArgs.filter((t) => t.type !== "comma");
    i = end;

    if (keyword === "on") {
      if (date) return problem('The date is given twice; use "on" once.');
      if (args.length === 0) return problem('Say which day after "on", e.g. on {date} 12:30.');
      const parsed = parseDate(args[0]);
      if ("problem" in parsed) return parsed;
      date = parsed;
      if (args.length > 1) {
        const timeText = joinTokens(args.slice(1));
        const parsedTime = parseTime(timeText);
        if (!parsedTime) {
          return problem(
            `I couldn't read the time "${clip(timeText, 30)}". Use HH:MM (24-hour), e.g. 12:30.`,
          );
        }
        if (time) return problem("The time is given twice.");
        time = parsedTime;
      }
    } else if (keyword === "at") {
      const text = trimCommas(joinTokens(rawArgs)).trim();
      // "at 12:30" is a time, not a restaurant called 12:30.
      if (args.length === 1 && args[0]?.type === "word" && looksLikeTime(text)) {
        const parsedTime = parseTime(text);
        if (!parsedTime)
          return problem(`I couldn't read the time "${clip(text, 30)}". Use HH:MM (24-hour), e.g. 12:30.`);
        if (time) return problem("The time is given twice.");
        time = parsedTime;
        continue;
      }
      if (place !== undefined)
        return problem('The place is given twice. Quote a place whose name contains "at".');
      if (args.some((t) => t.type === "user"))
        return problem('Add teammates with "with", e.g. with @sam @lee.');
      if (args.length === 0) return problem('Say where after "at", e.g. at Cafe Nord.');
      place = args.length === 1 && args[0]?.type === "quoted" ? args[0].text : text;
    } else {
      if (attendees) return problem('Teammates are given twice; list them all after one "with".');
      const people = args.filter((t) => bareWord(t) !== "and");
      if (people.length === 0) return problem('Say who joins after "with", e.g. with @sam @lee.');
      const notMentions = people.filter((t) => t.type !== "user");
      if (notMentions.length > 0) {
        return problem(
          `"with" takes teammates as @mentions, but "${clip(joinTokens(notMentions), 30)}" isn't one. Type @ and pick them from the list.`,
        );
      }
      const byId = new Map<string, UserRef>();
      for (const t of people) if (t.type === "user" && !byId.has(t.id)) byId.set(t.id, userRefOf(t));
      attendees = [...byId.values()];
    }
  }

  if (time && !date) return problem("Add the day too, e.g. on {date} 12:30.");
  const result: Extract<Candidate, { kind: "lunch" }> = { kind: "lunch", contact, with: attendees ?? [] };
  if (date) result.on = time ? { ...date, ...time } : date;
  if (place !== undefined) result.place = place;
  return result;
}

const ISO_WEEK_LIKE = /^(\d{4})-w(\d{1,2})$/iu;

function parseDigest(tokens: Token[]): Step {
  let mode: "preview" | "now" | undefined;
  let week: string | undefined;
  for (const token of tokens) {
    if (token.type === "comma") continue;
    const word = token.text.toLowerCase();
    const weekMatch = ISO_WEEK_LIKE.exec(word);
    if (word === "preview" || word === "now") {
      if (mode && mode !== word) return problem('Choose either "preview" or "now", not both.');
      mode = word;
    } else if (weekMatch) {
      if (week) return problem("Give one week at most.");
      const year = Number(weekMatch[1]);
      const number = Number(weekMatch[2]);
      const weeks = isoWeeksInYear(year);
      if (number < 1 || number > weeks) {
        return problem(`${year} has ISO weeks 01 to ${weeks}, so "${clip(token.text, 20)}" doesn't exist.`);
      }
      week = `${year}-W${String(number).padStart(2, "0")}`;
    } else {
      const hint = suggest(word, ["preview", "now"]);
      const base = `I don't know the digest option "${clip(token.text, 30)}".`;
      return problem(
        hint
          ? `${base} Did you mean "${hint}"?`
          : `${base} Use preview or now, and optionally a week like {week}.`,
      );
    }
  }
  return week
    ? { kind: "digest", mode: mode ?? "preview", week }
    : { kind: "digest", mode: mode ?? "preview" };
}

const PAUSE = /^(\d{1,9})\s*(d|days?|w|wks?|weeks?)$/iu;

function parsePause(tokens: Token[]): Step {
  if (tokens.length === 0) return { kind: "pause", days: null };
  const text = joinTokens(tokens).toLowerCase();
  if (["indefinitely", "forever", "until resume"].includes(text)) return { kind: "pause", days: null };
  const m = PAUSE.exec(text);
  if (!m) {
    if (/^\d+$/u.test(text))
      return problem(
        `Say whether ${clip(text, 12)} is days or weeks: ${clip(text, 12)}d or ${clip(text, 12)}w.`,
      );
    return problem(
      `I couldn't read "${clip(text, 30)}" as a duration. Use a number of days or weeks, like 10d or 2w.`,
    );
  }
  const n = Number(m[1]);
  const unit = (m[2] as string).toLowerCase();
  return { kind: "pause", days: unit.startsWith("w") ? n * 7 : n };
}

// ---------------------------------------------------------------------------------------------
// Dates and times for forms: the same strict reading the `lunch` and `met` commands use, so a form
// can't accept a date the command would refuse (2031-02-30 is refused, not rolled into March).

/** A YYYY-MM-DD date that exists on the calendar (years 1970–2100), or the reason it doesn't. */
export function parseLocalDate(text: string): { ok: true; value: LocalDate } | { ok: false; error: string } {
  const date = parseDate({ type: "word", text: text.trim() });
  if ("problem" in date) return { ok: false, error: date.problem };
  const checked = localDateSchema.safeParse(date);
  if (!checked.success) return { ok: false, error: checked.error.issues[0]?.message ?? "Pick a real date." };
  return { ok: true, value: checked.data };
}

/** HH:MM (24-hour) or 12-hour with am/pm, as the `lunch` command reads it; null when unreadable. */
export function parseClockTime(text: string): { hour: number; minute: number } | null {
  return parseTime(text.trim());
}
