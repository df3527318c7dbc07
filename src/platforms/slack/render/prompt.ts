import type { types } from "@slack/bolt";
import type { Prompt } from "../../../app/service.ts";
import { ACTIONS } from "../ids.ts";
import { lunchButtonValue, nudgeButtonValue } from "../payloads.ts";
import { actions, button, context, escapeMrkdwn, section } from "./mrkdwn.ts";

// The DMs the bot sends: a lunch suggestion, a "who is this?" question, a "did it happen?" check.
// Every button carries the nudge or lunch id in its value; the handler replaces the whole message
// with the outcome, so a second click has nothing to press.

export interface SlackMessage {
  /** Notification and screen-reader text; also what old clients show. */
  text: string;
  blocks: types.KnownBlock[];
}

export function promptMessage(prompt: Prompt): SlackMessage {
  switch (prompt.kind) {
    case "lunch": {
      const name = escapeMrkdwn(prompt.contactName);
      const org = prompt.organization ? ` (${escapeMrkdwn(prompt.organization)})` : "";
      const value = nudgeButtonValue(prompt.nudgeId);
      // The reason (from the core) already names the teammates who could come along.
      return {
        text: `Take ${name} to lunch? ${escapeMrkdwn(prompt.reason)}`,
        blocks: [
          section(`*Take ${name}${org} to lunch?*\n${escapeMrkdwn(prompt.reason)}`),
          actions(`prompt:${prompt.nudgeId}`, [
            button("Plan lunch", ACTIONS.plan, value, "primary"),
            button("Snooze 2 weeks", ACTIONS.snooze, value),
            button("Already met", ACTIONS.met, value),
            button("Not an external contact", ACTIONS.notContact, value),
          ]),
          context(
            "I only keep who mentioned whom and when, never message text. `/offline pause` or `/offline forget-me` any time.",
          ),
        ],
      };
    }
    case "candidate": {
      const value = nudgeButtonValue(prompt.nudgeId);
      return {
        text: `${escapeMrkdwn(prompt.question)} ${escapeMrkdwn(prompt.reason)}`,
        blocks: [
          section(`*${escapeMrkdwn(prompt.question)}*\n${escapeMrkdwn(prompt.reason)}`),
          actions(`candidate:${prompt.nudgeId}`, [
            button("Track", ACTIONS.track, value, "primary"),
            button("Ignore", ACTIONS.ignore, value),
          ]),
        ],
      };
    }
    case "follow-up": {
      const name = escapeMrkdwn(prompt.contactName);
      const details = [prompt.when, prompt.place ? `at ${prompt.place}` : null].filter(
        (d): d is string => !!d,
      );
      const value = lunchButtonValue(prompt.lunchId);
      return {
        text: `Did your lunch with ${name} happen?`,
        blocks: [
          section(
            `*Did your lunch with ${name} happen?*${details.length ? `\n${escapeMrkdwn(details.join(" "))}` : ""}`,
          ),
          actions(`followup:${prompt.lunchId}`, [
            button("Yes, we met", ACTIONS.followUpYes, value, "primary"),
            button("No", ACTIONS.followUpNo, value),
          ]),
        ],
      };
    }
  }
}

/**
 * What a prompt turns into once answered: the outcome, no buttons. `text` is core markup (names
 * already escaped by the core, see core/format.ts escapeMarkup), which is valid mrkdwn as is.
 */
export function outcomeMessage(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}
