// A command's reply as a document. Replies are core markup written by the use cases (one string
// for every platform, names escaped, commands through command()); as a document each line is a
// paragraph, so any renderer (Block Kit, Adaptive Card, plain text) shows them alike.
import type { DigestView } from "../digest.ts";
import { markupToPlain } from "../format.ts";
import { digestDoc } from "./digest.ts";
import { type Block, type MessageDoc, markup } from "./doc.ts";

export type ReplyContent =
  | { kind: "text" | "error" | "lunch"; text: string }
  | { kind: "digest"; view: Omit<DigestView, "fallbackText"> };

export function replyDoc(reply: ReplyContent): MessageDoc {
  if (reply.kind === "digest") return digestDoc(reply.view);
  const lines = reply.text.split("\n").filter((l) => l.trim() !== "");
  const blocks: Block[] = lines.map((l) => ({ type: "text", spans: [markup(l)] }));
  return { summary: markupToPlain(lines[0] ?? "") || "Take It Offline", blocks };
}
