import type { types } from "@slack/bolt";
import type { MessageDoc } from "../../../core/messages/doc.ts";
import { docBlocks } from "./doc.ts";

// The App Home tab: the personal view (core/messages/home.ts homeDoc), the same document the Teams
// "home" card shows, laid out as Block Kit.

export function homeView(doc: MessageDoc): types.HomeView {
  return { type: "home", blocks: docBlocks(doc) };
}
