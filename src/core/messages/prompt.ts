// The DMs the bot sends, worded once: a lunch suggestion, a "who is this?" question, a "did it
// happen?" check, and what a prompt turns into once answered (its outcome, no buttons left).
import { markupToPlain } from "../format.ts";
import { followUpTitle, lunchPromptTitle, PRIVACY_LINE, PROMPT_LABELS } from "../prompt-text.ts";
import {
  type Block,
  commandSpan,
  type DocButton,
  type FollowUpAnswer,
  type MessageDoc,
  markup,
  strong,
  subtle,
  text,
} from "./doc.ts";
import { countedItem, type NoticedContent } from "./noticed.ts";

/** A prompt as the core describes it (app/service.ts Prompt has this shape). */
export type PromptContent =
  | {
      kind: "lunch";
      nudgeId: string;
      contactName: string;
      organization: string | null;
      /** One sentence of why, naming at most three teammates (the ones the lunch form preselects). */
      reason: string;
      /** Meetings counted from the member's calendar since they were last told, one line each. */
      counted?: readonly NoticedContent[];
    }
  | {
      kind: "candidate";
      nudgeId: string;
      question: string;
      reason: string;
      counted?: readonly NoticedContent[];
    }
  | { kind: "follow-up"; lunchId: string; contactName: string; when: string | null; place: string | null };

export function promptDoc(prompt: PromptContent): MessageDoc {
  switch (prompt.kind) {
    case "lunch": {
      const nudge = (action: "plan" | "snooze" | "met" | "not-contact") =>
        ({ kind: "nudge", nudgeId: prompt.nudgeId, action }) as const;
      const title = lunchPromptTitle(prompt.contactName);
      const blocks: Block[] = [{ type: "title", text: title }];
      if (prompt.organization) blocks.push(subtle(prompt.organization));
      blocks.push(text(prompt.reason), {
        type: "actions",
        id: `prompt:${prompt.nudgeId}`,
        // One action in view; the rarer answers behind "…", so nothing is cut off on a phone.
        buttons: [{ label: PROMPT_LABELS.plan, action: nudge("plan"), style: "primary" }],
        more: [
          { label: PROMPT_LABELS.snooze, action: nudge("snooze") },
          { label: PROMPT_LABELS.met, action: nudge("met") },
          { label: PROMPT_LABELS.notContact, action: nudge("not-contact") },
        ],
      });
      blocks.push(...(prompt.counted ?? []).map(countedItem));
      blocks.push({ type: "context", spans: [markup(PRIVACY_LINE)] });
      return { summary: `${title} ${prompt.reason}`, blocks };
    }
    case "candidate":
      return {
        summary: `${prompt.question} ${prompt.reason}`,
        blocks: [
          { type: "title", text: prompt.question },
          text(prompt.reason),
          {
            type: "actions",
            id: `candidate:${prompt.nudgeId}`,
            buttons: [
              {
                label: PROMPT_LABELS.track,
                action: { kind: "nudge", nudgeId: prompt.nudgeId, action: "track" },
                style: "primary",
              },
              {
                label: PROMPT_LABELS.ignore,
                action: { kind: "nudge", nudgeId: prompt.nudgeId, action: "ignore" },
              },
            ],
          },
          ...(prompt.counted ?? []).map(countedItem),
        ],
      };
    case "follow-up": {
      const title = followUpTitle(prompt.contactName);
      const details = [prompt.when, prompt.place ? `at ${prompt.place}` : null].filter(
        (d): d is string => !!d,
      );
      const answer = (a: FollowUpAnswer) =>
        ({ kind: "follow-up", lunchId: prompt.lunchId, answer: a }) as const;
      return {
        summary: title,
        blocks: [
          { type: "title", text: title },
          ...(details.length > 0 ? [subtle(details.join(" "))] : []),
          {
            type: "actions",
            id: `followup:${prompt.lunchId}`,
            buttons: [
              { label: PROMPT_LABELS.followUpYes, action: answer("happened"), style: "primary" },
              // "Not yet" keeps the lunch open (asked again later, or a new date); "It's off" cancels.
              { label: PROMPT_LABELS.followUpLater, action: answer("later") },
              { label: PROMPT_LABELS.followUpNo, action: answer("off") },
            ],
          },
        ],
      };
    }
  }
}

/** Titles of outcomes that need one, on every platform. */
export const OUTCOME_TITLES = { lunchPlanned: "Lunch planned" } as const;

/**
 * What replaces an answered prompt (or tells an attendee about a lunch): `text` is core markup
 * (names already escaped, see core/format.ts). The summary is never empty, so notifications and
 * screen readers get the outcome too.
 */
export function outcomeDoc(outcomeText: string, heading?: string, buttons: DocButton[] = []): MessageDoc {
  const plain =
    markupToPlain(outcomeText)
      .split("\n")
      .find((l) => l.trim() !== "") ?? "";
  return {
    summary: heading ? `${heading}: ${plain}` : plain || "Done.",
    blocks: [
      ...(heading ? [{ type: "title", text: heading } as const] : []),
      text(markup(outcomeText)),
      ...(buttons.length > 0 ? [{ type: "actions", id: "outcome", buttons } as const] : []),
    ],
  };
}

/**
 * "Not a contact" / "Ignore" hides a contact for the whole team, so when other teammates discuss
 * it the prompt asks first. Cancel shows the prompt again. `contactName` is plain text.
 */
export function hideConfirmDoc(input: {
  nudgeId: string;
  contactName: string;
  teammates: number;
}): MessageDoc {
  const title = `Hide ${input.contactName} for everyone?`;
  const others = input.teammates === 1 ? "1 other teammate talks" : `${input.teammates} other teammates talk`;
  const why = `${others} about ${input.contactName}. Nobody on the team will be prompted about them, and they leave the digest. You can undo it right after.`;
  const nudge = (action: "hide" | "keep") => ({ kind: "nudge", nudgeId: input.nudgeId, action }) as const;
  return {
    summary: `${title} ${why}`,
    blocks: [
      { type: "title", text: title },
      text(why),
      {
        type: "actions",
        id: `confirm:${input.nudgeId}`,
        buttons: [
          { label: PROMPT_LABELS.hide, action: nudge("hide"), style: "danger" },
          { label: PROMPT_LABELS.cancel, action: nudge("keep") },
        ],
      },
    ],
  };
}

/** A contact hidden for the whole team: said so, with Undo (it restores the contact and the prompt). */
export function hiddenDoc(input: { nudgeId: string; contactName: string }): MessageDoc {
  const line = `Hidden for everyone on the team: nobody will be prompted about ${input.contactName}, and they leave the digest.`;
  return {
    summary: line,
    blocks: [
      text(line),
      {
        type: "actions",
        id: `hidden:${input.nudgeId}`,
        buttons: [
          { label: PROMPT_LABELS.undo, action: { kind: "nudge", nudgeId: input.nudgeId, action: "undo" } },
        ],
      },
    ],
  };
}

/** `forget-me` asks first: what will be deleted, and what stays. */
export function forgetMeConfirmDoc(memberId: string): MessageDoc {
  const title = "Delete everything about you?";
  return {
    summary: `${title} Your mentions, prompts, lunches and meetings will be deleted.`,
    blocks: [
      { type: "title", text: title },
      text(
        "This deletes your mentions, prompts, lunches and meetings, and contacts only you talked about. I stop counting your messages. ",
        strong("It can't be undone."),
      ),
      subtle("To only stop prompts for a while, use ", commandSpan("pause"), " instead."),
      {
        type: "actions",
        id: "forget-me",
        buttons: [
          {
            label: PROMPT_LABELS.forgetMe,
            action: { kind: "forget-me", confirm: true, memberId },
            style: "danger",
          },
          { label: PROMPT_LABELS.cancel, action: { kind: "forget-me", confirm: false, memberId } },
        ],
      },
    ],
  };
}
