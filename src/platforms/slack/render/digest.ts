import type { types } from "@slack/bolt";
import type { DigestView } from "../../../core/digest.ts";
import { digestDoc } from "../../../core/messages/digest.ts";
import { docBlocks } from "./doc.ts";

// The weekly digest as Block Kit: the core's document (core/messages/digest.ts) laid out by
// render/doc.ts, so the channel post, its notification text and the CLI preview say the same thing.
export function digestBlocks(view: DigestView): types.KnownBlock[] {
  return docBlocks(digestDoc(view));
}
