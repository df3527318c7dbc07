import { escapeHtml } from "./slack-html.ts";

// A Teams markdown text message (what bot.ts sends with textFormat "markdown") as HTML: paragraphs
// on blank lines, `code`, **bold**, _italic_. Teams renders code spans, so their backticks don't show.
export function teamsTextHtml(markdown: string): string {
  return markdown
    .split(/\n{2,}/)
    .map(
      (p) =>
        `<p>${escapeHtml(p)
          .replace(/`([^`\n]+)`/g, "<code>$1</code>")
          .replace(/\*\*([^*]+)\*\*/g, "<b>$1</b>")
          .replace(/(^|\W)_([^_]+)_(?=\W|$)/g, "$1<i>$2</i>")
          .replace(/\n/g, "<br>")}</p>`,
    )
    .join("");
}
