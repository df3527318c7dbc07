// A document as plain text: the CLI preview, the demo's printout and Slack's `text` fallback.
// Buttons are left out (nothing to click in plain text); everything a person reads is kept.
import { markupToPlain } from "../format.ts";
import { type Block, type Inline, type MessageDoc, spanPlain } from "./doc.ts";

export function inlinePlain(spans: Inline): string {
  return spans.map((s) => spanPlain(s, markupToPlain)).join("");
}

function blockLines(block: Block, index: number): string[] {
  switch (block.type) {
    case "title":
      return [block.text];
    case "heading":
      // A blank line before each section, as in a plain e-mail.
      return index > 0 ? ["", block.text] : [block.text];
    case "text":
    case "context":
      return [inlinePlain(block.spans)];
    case "list":
      return block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : "-"} ${inlinePlain(item)}`);
    case "item":
    case "row":
      return [`- ${inlinePlain(block.spans)}`];
    case "stat":
      return [block.value, inlinePlain(block.spans)];
    case "divider":
      return [""];
    case "actions":
      return [];
  }
}

export function renderPlain(doc: MessageDoc): string {
  return doc.blocks
    .flatMap((b, i) => blockLines(b, i))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
