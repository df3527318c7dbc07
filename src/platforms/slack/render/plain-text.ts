import type { types } from "@slack/bolt";

// Block Kit → what a person reads, as plain text. For the demo's printout and for readable test
// failures; Slack itself renders the blocks.

function unMrkdwn(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]+))?>/g, (_m, id: string, name?: string) => `@${name ?? id}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, "$2 ($1)")
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,:;!?]|$)/g, "$1$2")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function textOf(t: { text: string } | undefined): string {
  return t ? unMrkdwn(t.text) : "";
}

interface ElementLike {
  type: string;
  text?: { text: string };
  placeholder?: { text: string };
  initial_value?: string;
  initial_date?: string;
  initial_time?: string;
  initial_users?: string[];
  initial_option?: { text: { text: string } };
  options?: Array<{ text: { text: string } }>;
}

/** A button's label, or an input's current value (what the person sees filled in), else its placeholder. */
function elementLabel(e: ElementLike): string {
  if (e.type === "button") return `[${e.text?.text ?? "button"}]`;
  // An overflow menu ("⋯") with its choices, as the menu shows them once opened.
  if (e.type === "overflow") return `[⋯ ${(e.options ?? []).map((o) => o.text.text).join(" | ")}]`;
  // Radio buttons show every choice, the picked one marked.
  if (e.type === "radio_buttons")
    return (e.options ?? [])
      .map((o) => `${o.text.text === e.initial_option?.text.text ? "(•)" : "( )"} ${o.text.text}`)
      .join("  ");
  const value =
    e.initial_value ??
    e.initial_date ??
    e.initial_time ??
    e.initial_option?.text.text ??
    e.initial_users?.map((u) => `@${u}`).join(" ");
  return `[${value || e.placeholder?.text || e.type}]`;
}

export function blocksToText(blocks: readonly types.KnownBlock[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case "header": {
        const t = textOf(b.text);
        out.push(t, "=".repeat(Math.min(t.length, 60)));
        break;
      }
      case "section":
        // A button beside the text (the digest's Plan lunch) reads after it.
        if (b.text)
          out.push(
            `${textOf(b.text)}${b.accessory?.type === "button" ? `  ${elementLabel(b.accessory as ElementLike)}` : ""}`,
          );
        if (b.fields) out.push(b.fields.map(textOf).join("    "));
        break;
      case "context":
        out.push(
          b.elements
            .map((e) => ("text" in e && typeof e.text === "string" ? unMrkdwn(e.text) : ""))
            .filter(Boolean)
            .join(" "),
        );
        break;
      case "divider":
        out.push("―".repeat(20));
        break;
      case "actions":
        out.push(b.elements.map((e) => elementLabel(e as ElementLike)).join(" "));
        break;
      case "input":
        out.push(
          `${b.label.text}${b.optional ? " (optional)" : ""}: ${elementLabel(b.element as ElementLike)}`,
        );
        break;
      default:
        out.push(`(${b.type})`);
    }
  }
  return out.join("\n");
}

export function viewToText(view: types.View): string {
  const title = "title" in view && view.title ? `${view.title.text}\n` : "";
  return `${title}${blocksToText(view.blocks as types.KnownBlock[])}`;
}
