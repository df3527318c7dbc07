import { DAY_MS, safeTimeZone, zonedParts } from "./time.ts";

// Small, shared wording so Slack, Teams and the CLI phrase things the same way.

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "today", "yesterday", "5 days ago", "3 weeks ago", "4 months ago". */
export function ago(then: Date, now: Date): string {
  const days = Math.floor((now.getTime() - then.getTime()) / DAY_MS);
  if (days <= 0) return "today";
  if (days === 1) return "yesterday";
  if (days < 14) return `${days} days ago`;
  if (days < 60) return `${Math.floor(days / 7)} weeks ago`;
  return `${Math.floor(days / 30)} months ago`;
}

const WEEKDAY = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
export const MONTH = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Thu 3 Dec, 12:30" on the zone's wall clock. */
export function formatWhen(at: Date, timeZone: string | null | undefined): string {
  const p = zonedParts(at, safeTimeZone(timeZone));
  return `${WEEKDAY[p.weekday]} ${p.day} ${MONTH[p.month]}, ${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
}

/** "Thu 3 Dec": the day of `at` on the zone's calendar. */
export function formatDate(at: Date, timeZone: string | null | undefined): string {
  const p = zonedParts(at, safeTimeZone(timeZone));
  return `${WEEKDAY[p.weekday]} ${p.day} ${MONTH[p.month]}`;
}

const zoneLabels = new Map<string, Intl.DateTimeFormat[]>();

/**
 * The zone's short name at that instant: "WET", "CET", "PST", else "GMT+5:30". en-GB knows the
 * European abbreviations, en-US the American ones; a bare offset is the fallback both agree on.
 */
export function zoneLabel(at: Date, timeZone: string | null | undefined): string {
  const zone = safeTimeZone(timeZone);
  let formats = zoneLabels.get(zone);
  if (!formats) {
    formats = ["en-GB", "en-US"].map(
      (l) => new Intl.DateTimeFormat(l, { timeZone: zone, timeZoneName: "short" }),
    );
    zoneLabels.set(zone, formats);
  }
  const names = formats.map((f) => f.formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "");
  return names.find((n) => /^[A-Z]{2,5}$/.test(n)) ?? names[0] ?? zone;
}

/** "Thu 3 Dec, 12:30 WET": formatWhen with the zone named, for text read in several zones. */
export function formatWhenZoned(at: Date, timeZone: string | null | undefined): string {
  return `${formatWhen(at, timeZone)} ${zoneLabel(at, timeZone)}`;
}

/** "Ann", "Ann and Bo", "Ann, Bo and Cy". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * Escapes a person's string (a name, a place, an alias) for the core's message text.
 *
 * Two kinds of text leave the core. Documents (Prompt, DigestView, home data) carry plain fields
 * that each renderer escapes for where they land. Free text (Reply.text, ActionOutcome.text) is
 * "core markup": Slack-style text where `&`, `<` and `>` are entities and the core itself writes
 * the only tags (`<@ID>` mentions) and `code`. Every person's string interpolated into it goes
 * through here, so a name like "<!channel>" or "<https://evil.test|click>" can never become a tag:
 * Slack shows core markup as is (mrkdwn), Teams converts it (platforms/teams/text.ts).
 */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The plain text of core markup, for places that show text as typed (Slack's plain_text, form errors). */
export function unescapeMarkup(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * Core markup as a person reads it in plain text: mentions as their names (an unnamed one as "that
 * teammate", as on Teams), commands without backticks, entities decoded.
 */
export function markupToPlain(text: string): string {
  return unescapeMarkup(
    text
      .replace(/<@[\w:.-]+\|([^<>]*)>/gu, "$1")
      .replace(/<@[\w:.-]+>/gu, "that teammate")
      .replace(/`([^`\n]+)`/gu, "$1"),
  );
}

/** joinNames for core markup: each name escaped. */
export function joinEscaped(names: readonly string[]): string {
  return joinNames(names.map(escapeMarkup));
}

const SPARKS = "▁▂▃▄▅▆▇█";

/**
 * Shares (0–1) as a Unicode block sparkline, one character each: ▁ for 0 up to █ for 1, and a
 * middle dot where there was nothing to measure. Text, so every platform shows it as is.
 */
export function sparkline(values: ReadonlyArray<number | null>): string {
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return "·";
      const i = Math.round(Math.min(1, Math.max(0, v)) * (SPARKS.length - 1));
      return SPARKS[i] ?? "·";
    })
    .join("");
}
