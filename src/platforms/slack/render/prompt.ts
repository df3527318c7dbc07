import type { types } from "@slack/bolt";
import type { Prompt } from "../../../app/service.ts";
import { followUpTitle, lunchPromptTitle, PRIVACY_LINE, PROMPT_LABELS } from "../../../core/prompt-text.ts";
import { ACTIONS } from "../ids.ts";
import { lunchButtonValue, moreValue, nudgeButtonValue } from "../payloads.ts";
import { actions, button, context, escapeMrkdwn, option, overflow, section } from "./mrkdwn.ts";

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
      // The organization on a line of its own, under the title, as on Teams.
      const org = prompt.organization ? `\n${escapeMrkdwn(prompt.organization)}` : "";
      const value = nudgeButtonValue(prompt.nudgeId);
      // The reason (from the core) names at most three teammates, the ones the lunch form preselects.
      // One primary button; the rarer answers sit in an overflow, so nothing is cut off on a phone.
      return {
        text: `${lunchPromptTitle(name)} ${escapeMrkdwn(prompt.reason)}`,
        blocks: [
          section(`*${lunchPromptTitle(name)}*${org}\n${escapeMrkdwn(prompt.reason)}`),
          actions(`prompt:${prompt.nudgeId}`, [
            button(PROMPT_LABELS.plan, ACTIONS.plan, value, "primary"),
            overflow(ACTIONS.more, [
              option(PROMPT_LABELS.snooze, moreValue(prompt.nudgeId, "snooze")),
              option(PROMPT_LABELS.met, moreValue(prompt.nudgeId, "met")),
              option(PROMPT_LABELS.notContact, moreValue(prompt.nudgeId, "not-contact")),
            ]),
          ]),
          // Core markup (commands as `/offline …`), valid mrkdwn as is.
          context(PRIVACY_LINE),
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
            button(PROMPT_LABELS.track, ACTIONS.track, value, "primary"),
            button(PROMPT_LABELS.ignore, ACTIONS.ignore, value),
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
        text: followUpTitle(name),
        blocks: [
          section(`*${followUpTitle(name)}*${details.length ? `\n${escapeMrkdwn(details.join(" "))}` : ""}`),
          actions(`followup:${prompt.lunchId}`, [
            button(PROMPT_LABELS.followUpYes, ACTIONS.followUpYes, value, "primary"),
            button(PROMPT_LABELS.followUpNo, ACTIONS.followUpNo, value),
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
