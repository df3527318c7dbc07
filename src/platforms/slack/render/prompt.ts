import type { Prompt } from "../../../app/service.ts";
import { outcomeDoc, promptDoc } from "../../../core/messages/prompt.ts";
import { docMessage, type SlackMessage } from "./doc.ts";

// The DMs the bot sends (a lunch suggestion, a "who is this?" question, a "did it happen?" check)
// as Block Kit: the core's documents (core/messages/prompt.ts) laid out by render/doc.ts. Every
// button carries the nudge or lunch id in its value; the handler replaces the whole message with
// the outcome, so a second click has nothing to press.

export type { SlackMessage };

export function promptMessage(prompt: Prompt): SlackMessage {
  return docMessage(promptDoc(prompt));
}

/**
 * What a prompt turns into once answered: the outcome (core markup), no buttons. The notification
 * text is the markup itself (valid mrkdwn), so a `<@U…>` mention shows as Slack shows mentions.
 */
export function outcomeMessage(text: string, heading?: string): SlackMessage {
  return { ...docMessage(outcomeDoc(text, heading)), text: heading ? `${heading}: ${text}` : text };
}
