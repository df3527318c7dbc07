// The DMs the bot sends, worded once: a lunch suggestion, a "who is this?" question, a "did it
// happen?" check, and what a prompt turns into once answered (its outcome, no buttons left).
import { markupToPlain } from "../format.ts";
import { followUpTitle, lunchPromptTitle, PRIVACY_LINE, PROMPT_LABELS } from "../prompt-text.ts";
import { type Block, type MessageDoc, markup, subtle, text } from "./doc.ts";

/** A prompt as the core describes it (app/service.ts Prompt has this shape). */
export type PromptContent =
  | {
      kind: "lunch";
      nudgeId: string;
      contactName: string;
      organization: string | null;
      /** One sentence of why, naming at most three teammates (the ones the lunch form preselects). */
      reason: string;
    }
  | { kind: "candidate"; nudgeId: string; question: string; reason: string }
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
        ],
      };
    case "follow-up": {
      const title = followUpTitle(prompt.contactName);
      const details = [prompt.when, prompt.place ? `at ${prompt.place}` : null].filter(
        (d): d is string => !!d,
      );
      const happened = (yes: boolean) =>
        ({ kind: "follow-up", lunchId: prompt.lunchId, happened: yes }) as const;
      return {
        summary: title,
        blocks: [
          { type: "title", text: title },
          ...(details.length > 0 ? [subtle(details.join(" "))] : []),
          {
            type: "actions",
            id: `followup:${prompt.lunchId}`,
            buttons: [
              { label: PROMPT_LABELS.followUpYes, action: happened(true), style: "primary" },
              { label: PROMPT_LABELS.followUpNo, action: happened(false) },
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
export function outcomeDoc(outcomeText: string, heading?: string): MessageDoc {
  const plain =
    markupToPlain(outcomeText)
      .split("\n")
      .find((l) => l.trim() !== "") ?? "";
  return {
    summary: heading ? `${heading}: ${plain}` : plain || "Done.",
    blocks: [...(heading ? [{ type: "title", text: heading } as const] : []), text(markup(outcomeText))],
  };
}
