import type { types } from "@slack/bolt";
import type { Block, DocButton, Inline, MessageDoc } from "../../../core/messages/doc.ts";
import { command } from "../../../core/prompt-text.ts";
import { ACTIONS } from "../ids.ts";
import {
  lunchButtonValue,
  type MoreAction,
  moreValue,
  nudgeButtonValue,
  pauseValue,
  reviewButtonValue,
} from "../payloads.ts";
import {
  actions,
  button,
  clip,
  context,
  divider,
  escapeMrkdwn,
  header,
  option,
  overflow,
  SECTION_LIMIT,
  section,
} from "./mrkdwn.ts";

// A core document (core/messages) as Block Kit. Layout only: the wording is the core's. Consecutive
// lines (a title and its details, a heading and its list) share one section, as Slack shows them.

export interface SlackMessage {
  /** Notification and screen-reader text; also what old clients show. */
  text: string;
  blocks: types.KnownBlock[];
}

/** Spans as mrkdwn: people's strings escaped, core markup (already escaped) as is. */
export function inlineMrkdwn(spans: Inline): string {
  return spans
    .map((s) => {
      if (typeof s === "string") return escapeMrkdwn(s);
      if ("strong" in s) return s.strong.trim() ? `*${escapeMrkdwn(s.strong)}*` : "";
      if ("command" in s) return command(s.command);
      // Slack's <url|text>: the URL may hold neither | nor >, the text is escaped as any text.
      if ("link" in s) return `<${s.link.replace(/[|<>]/g, encodeURIComponent)}|${escapeMrkdwn(s.text)}>`;
      return s.markup;
    })
    .join("");
}

/** The action id and value of a doc button, as the listeners (listeners/actions.ts) expect them. */
function slackButton(b: DocButton): types.Button {
  const style = b.style;
  const a = b.action;
  switch (a.kind) {
    case "nudge": {
      const ids = {
        plan: ACTIONS.plan,
        snooze: ACTIONS.snooze,
        met: ACTIONS.met,
        "not-contact": ACTIONS.notContact,
        track: ACTIONS.track,
        ignore: ACTIONS.ignore,
        hide: ACTIONS.hide,
        keep: ACTIONS.keep,
        undo: ACTIONS.undo,
      } as const;
      return button(b.label, ids[a.action], nudgeButtonValue(a.nudgeId), style);
    }
    case "follow-up": {
      const ids = {
        happened: ACTIONS.followUpYes,
        later: ACTIONS.followUpLater,
        off: ACTIONS.followUpNo,
      } as const;
      return button(b.label, ids[a.answer], lunchButtonValue(a.lunchId), style);
    }
    case "plan-contact":
      return button(b.label, ACTIONS.planContact, a.contactId, style);
    case "forget-me":
      return button(b.label, a.confirm ? ACTIONS.forgetMe : ACTIONS.forgetMeCancel, a.memberId, style);
    case "pause":
      return button(b.label, ACTIONS.pause, pauseValue(a.days), style);
    case "resume":
      return button(b.label, ACTIONS.resume, "resume", style);
    case "open-url":
      // Slack opens the link itself; the click still arrives as an action, acked and ignored.
      return { ...button(b.label, ACTIONS.openUrl, "open", style), url: a.url };
    case "connect-calendar":
      return button(b.label, ACTIONS.connectCalendar, "connect", style);
    case "noticed": {
      const ids = { yes: ACTIONS.metYes, no: ACTIONS.metNo, undo: ACTIONS.metUndo } as const;
      return button(b.label, ids[a.answer], a.noticeId, style);
    }
    case "review": {
      if (a.answer === "track" || a.answer === "undo")
        return button(
          b.label,
          a.answer === "track" ? ACTIONS.reviewTrack : ACTIONS.reviewUndo,
          reviewButtonValue(a.reviewId, a.contactId),
          style,
        );
      return button(
        b.label,
        ACTIONS.reviewAnswer,
        reviewButtonValue(a.reviewId, a.contactId, a.answer),
        style,
      );
    }
  }
}

const MORE: readonly string[] = ["snooze", "met", "not-contact"] satisfies MoreAction[];

/**
 * An overflow menu: a prompt's rarer answers (see payloads.ts moreValue), or the personal view's
 * other pause durations. One menu holds one kind.
 */
function overflowOf(more: readonly DocButton[]): types.Overflow | null {
  const pauses = more.flatMap((b) =>
    b.action.kind === "pause" ? [option(b.label, pauseValue(b.action.days))] : [],
  );
  if (pauses.length > 0) return overflow(ACTIONS.pauseMore, pauses);
  const options = more.flatMap((b) =>
    b.action.kind === "nudge" && MORE.includes(b.action.action)
      ? [option(b.label, moreValue(b.action.nudgeId, b.action.action as MoreAction))]
      : [],
  );
  return options.length > 0 ? overflow(ACTIONS.more, options) : null;
}

/** A review row's other answers as an overflow menu (the option says which answer). */
function rowOverflow(more: readonly DocButton[]): types.Overflow | null {
  const options = more.flatMap((b) =>
    b.action.kind === "review"
      ? [option(b.label, reviewButtonValue(b.action.reviewId, b.action.contactId, b.action.answer))]
      : [],
  );
  return options.length > 0 ? overflow(ACTIONS.reviewAnswer, options) : null;
}

export function docBlocks(doc: MessageDoc): types.KnownBlock[] {
  const out: types.KnownBlock[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length > 0) out.push(section(lines.join("\n")));
    lines = [];
  };
  // A section holds at most SECTION_LIMIT characters: a long run of lines (help) takes several.
  const add = (...more: string[]) => {
    for (const line of more) {
      if (lines.length > 0 && [...lines, line].join("\n").length > SECTION_LIMIT) flush();
      lines.push(line);
    }
  };
  for (const b of doc.blocks as readonly Block[]) {
    switch (b.type) {
      case "title":
        flush();
        if (b.large) out.push(header(b.text));
        else add(`*${escapeMrkdwn(b.text)}*`);
        break;
      case "heading":
        flush();
        add(`*${escapeMrkdwn(b.text)}*`);
        break;
      case "text":
        // Secondary lines under a title stay with it; on their own they are small print.
        if (b.subtle && lines.length === 0) out.push(context(inlineMrkdwn(b.spans)));
        else add(inlineMrkdwn(b.spans));
        break;
      case "list":
        add(...b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : "•"} ${inlineMrkdwn(item)}`));
        break;
      case "item":
        flush();
        out.push({
          type: "section",
          text: { type: "mrkdwn", text: clip(inlineMrkdwn(b.spans)) },
          accessory: slackButton(b.button),
        });
        break;
      case "row": {
        // Compact at 320 px: one button beside the line; with more, the first in view and the
        // others behind "⋯" (three buttons wrap to two lines on a phone, for every row).
        flush();
        const [first, ...rest] = b.buttons;
        if (!first || rest.length === 0) {
          out.push({
            type: "section",
            block_id: b.id,
            text: { type: "mrkdwn", text: clip(inlineMrkdwn(b.spans)) },
            ...(first ? { accessory: slackButton(first) } : {}),
          });
          break;
        }
        out.push(section(inlineMrkdwn(b.spans)));
        const more = rowOverflow(rest);
        out.push(actions(b.id, [slackButton(first), ...(more ? [more] : [])]));
        break;
      }
      case "stat":
        add(`*${escapeMrkdwn(b.value)}*`, inlineMrkdwn(b.spans));
        break;
      case "context":
        flush();
        out.push(context(inlineMrkdwn(b.spans)));
        break;
      case "divider":
        flush();
        out.push(divider);
        break;
      case "actions": {
        flush();
        const more = overflowOf(b.more ?? []);
        out.push(actions(b.id, [...b.buttons.map(slackButton), ...(more ? [more] : [])]));
        break;
      }
    }
  }
  flush();
  return out;
}

export function docMessage(doc: MessageDoc): SlackMessage {
  return { text: escapeMrkdwn(doc.summary), blocks: docBlocks(doc) };
}
