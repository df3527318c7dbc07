// Teams message text → the text the core reads. Teams sends HTML (`<p>…</p>`, `&amp;`) with
// mentions as `<at>Name</at>` plus a mention entity carrying the user id. The core speaks one
// mention syntax, Slack's `<@ID|name>` (see core/commands.ts), so mentions are rewritten to it:
// the command grammar then sees user refs, and the detector masks them like Slack mentions
// instead of reading the mentioned name as free text.
import { unescapeMarkup } from "../../core/format.ts";
import type { MentionEntity } from "./activity.ts";

export interface NormalizedText {
  text: string;
  /** True when the bot itself was @mentioned (the mention is removed from the text). */
  botMentioned: boolean;
  /** Mentioned users other than the bot, in order, without duplicates. */
  users: Array<{ id: string; name: string }>;
}

/** Ids the command grammar accepts inside `<@…>`; anything else is kept as plain text. */
const SAFE_ID = /^[\w:.-]{1,200}$/u;
const OPEN = "\uE000";
const CLOSE = "\uE001";

export function normalizeTeamsText(
  raw: string,
  mentions: readonly MentionEntity[],
  botId: string,
): NormalizedText {
  let text = raw;
  const replacements: string[] = [];
  const users: Array<{ id: string; name: string }> = [];
  let botMentioned = false;
  for (const m of mentions) {
    const needle = m.text || `<at>${m.mentioned.name}</at>`;
    const at = text.indexOf(needle);
    const isBot = m.mentioned.id === botId;
    if (isBot) botMentioned = true;
    if (at < 0) continue;
    const name = stripTags(m.mentioned.name || needle).trim();
    let replacement: string;
    if (isBot) replacement = "";
    else if (SAFE_ID.test(m.mentioned.id)) {
      replacement = name ? `<@${m.mentioned.id}|${name.replace(/[|<>]/g, " ")}>` : `<@${m.mentioned.id}>`;
      if (!users.some((u) => u.id === m.mentioned.id)) users.push({ id: m.mentioned.id, name });
    } else replacement = name;
    // Placeholders survive tag stripping and entity decoding untouched.
    text = `${text.slice(0, at)}${OPEN}${replacements.length}${CLOSE}${text.slice(at + needle.length)}`;
    replacements.push(replacement);
  }
  text = decodeEntities(stripTags(text));
  text = text.replace(
    new RegExp(`${OPEN}(\\d+)${CLOSE}`, "gu"),
    (_m, i: string) => replacements[Number(i)] ?? "",
  );
  return { text: tidyLines(text), botMentioned, users };
}

/**
 * Block-level tags become line breaks, every other tag disappears. (A tag is `<[^<>]*>`: each
 * scan stops at the next "<", so the text is read once; recheck counts `{0,2000}` as polynomial.)
 */
export function stripTags(html: string): string {
  return html
    .replace(/<br\s*\/?>/giu, "\n")
    .replace(/<\/(p|div|li|h[1-6]|tr|blockquote|pre)>/giu, "\n")
    .replace(/<[^<>]*>/gu, "");
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/giu, (whole, name: string) => {
    if (name[0] === "#") {
      const code =
        name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

function tidyLines(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/gu, " ").trim())
    .join("\n")
    .replace(/\n{3,}/gu, "\n\n")
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Outbound: a person's string (a name, a place) shown by Teams. One escaper per destination:
// - escapeTeamsMarkdown: Adaptive Card TextBlock / FactSet text and markdown activity text.
//   CommonMark backslash escapes, so `[x](https://evil.test)`, `**`, `_`, `<at>…</at>` and HTML
//   entities show as typed instead of becoming a link, emphasis, a mention or a tag.
// - teamsPlainText: plain-text fields (an activity's summary, shown in notifications).
// Core markup (Reply.text: names escaped as &lt; &gt; &amp;, see core/format.ts) goes through
// toTeamsMarkdown, which undoes the core's entities and applies escapeTeamsMarkdown.

// Enough to break every construct that could act (links need `[`, autolinks and tags need `<`);
// escaping less keeps ordinary punctuation readable in clients that show stray backslashes.
const MARKDOWN_SPECIAL = /[\\*_~`[\]<>&]/gu;
const MARKDOWN_SPECIAL_BUT_CODE = /[\\*_~[\]<>&]/gu;

function escapeWith(text: string, special: RegExp): string {
  return text
    .replace(/[\r\n\t]+/gu, " ")
    .replace(special, (c) => `\\${c}`)
    .replace(/^(\s*)([-+#])/u, "$1\\$2")
    .replace(/^\s*\d+(?=\.\s)/u, "$&\\");
}

export function escapeTeamsMarkdown(text: string): string {
  return escapeWith(text, MARKDOWN_SPECIAL);
}

/** Plain text Teams may still scan for tags (`<at>`): angle brackets become look-alikes, one line. */
export function teamsPlainText(text: string): string {
  return text
    .replace(/[\r\n\t]+/gu, " ")
    .replace(/</gu, "‹")
    .replace(/>/gu, "›");
}

/**
 * Core reply text → Teams markdown. Teams ignores single newlines in markdown, so each line
 * becomes its own paragraph; `<@ID|name>` (the core's mention syntax) is shown as the name,
 * since Teams would otherwise drop it as an unknown tag. The core writes no emphasis or links,
 * only `code` (commands, see core/prompt-text.ts command()), so everything else is escaped. (A label
 * stops at "<" too: with `[^>]*`, an unclosed "<@x|" read to the end of the line from each one,
 * quadratic.)
 */
export function toTeamsMarkdown(text: string): string {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) =>
      line
        .split(/(<@[\w:.-]+(?:\|[^<>]*)?>)/u)
        .map((part, i) => {
          if (i % 2 === 0) return codeAsCommand(escapeWith(unescapeMarkup(part), MARKDOWN_SPECIAL_BUT_CODE));
          const name = /^<@[\w:.-]+\|([^<>]*)>$/u.exec(part)?.[1];
          return name ? escapeTeamsMarkdown(unescapeMarkup(name)) : "that teammate";
        })
        .join(""),
    )
    .join("\n\n");
}

/**
 * A code span of core markup is a command the core names (`/offline resume`). Adaptive Cards show
 * backticks literally, and a Teams user says the words to the bot without /offline: bold words.
 */
function codeAsCommand(markdown: string): string {
  return markdown
    .replace(/`(?:\/offline )?([^`\n]+)`/gu, (_m, words: string) => `**${words}**`)
    .replace(/`/gu, "\\`");
}
