import type { types } from "@slack/bolt";
import type { Prompt } from "../../../app/service.ts";
import { plural } from "../../../core/format.ts";
import { ACTIONS } from "../ids.ts";
import { actions, button, context, divider, escapeMrkdwn, header, section } from "./mrkdwn.ts";
import { promptMessage } from "./prompt.ts";

// The App Home tab: what the bot knows about *you*, and the switches you control.

export interface HomeContact {
  name: string;
  organization: string | null;
  mentions: number;
  teammates: number;
  lastMet: string | null;
}

export interface HomeLunch {
  contactName: string;
  when: string | null;
  place: string | null;
  withNames: string[];
}

export interface HomeData {
  /** null: prompts are on. */
  pausedUntil: string | null;
  optedOut: boolean;
  contacts: HomeContact[];
  /** Prompts sent and not answered yet; rendered with their buttons. */
  prompts: Prompt[];
  lunches: HomeLunch[];
}

export function homeView(data: HomeData): types.HomeView {
  const blocks: types.KnownBlock[] = [header("Take it offline")];
  blocks.push(
    context(
      "I notice which people outside the company your team talks about, and suggest meeting them in person. I keep who mentioned whom and when, never what was said.",
    ),
  );

  blocks.push(section("*People you talk about most* (last 90 days)"));
  if (data.contacts.length === 0) {
    blocks.push(
      context("Nobody yet. Mention an outside contact in a channel I'm in, or `/offline track Jane Doe`."),
    );
  } else {
    const lines = data.contacts.map((c, i) => {
      const org = c.organization ? ` (${escapeMrkdwn(c.organization)})` : "";
      const met = c.lastMet ? `met ${c.lastMet}` : "never met in person";
      return `${i + 1}. *${escapeMrkdwn(c.name)}*${org}: ${plural(c.mentions, "mention")} by ${plural(c.teammates, "teammate")}, ${met}`;
    });
    blocks.push(section(lines.join("\n")));
  }

  blocks.push(divider, section("*Waiting for your answer*"));
  if (data.prompts.length === 0) blocks.push(context("No open suggestions."));
  for (const p of data.prompts) blocks.push(...promptMessage(p).blocks.filter((b) => b.type !== "context"));

  blocks.push(divider, section("*Upcoming lunches*"));
  if (data.lunches.length === 0)
    blocks.push(context("None planned. Use *Plan lunch* on a suggestion, or `/offline lunch NAME`."));
  else {
    const lines = data.lunches.map((l) => {
      const details = [
        l.when,
        l.place ? `at ${escapeMrkdwn(l.place)}` : null,
        l.withNames.length ? `with ${escapeMrkdwn(l.withNames.join(", "))}` : null,
      ];
      return `• *${escapeMrkdwn(l.contactName)}* ${details.filter(Boolean).join(", ")}`;
    });
    blocks.push(section(lines.join("\n")));
  }

  blocks.push(divider, section("*Your settings*"));
  if (data.optedOut) {
    blocks.push(section("You opted out: I don't count your messages or send you suggestions."));
    blocks.push(actions("home:settings", [button("Opt back in", ACTIONS.resume, "resume", "primary")]));
  } else if (data.pausedUntil) {
    blocks.push(
      section(
        `Suggestions are paused${data.pausedUntil === "forever" ? " until you resume" : ` until ${escapeMrkdwn(data.pausedUntil)}`}.`,
      ),
    );
    blocks.push(actions("home:settings", [button("Resume", ACTIONS.resume, "resume", "primary")]));
  } else {
    blocks.push(section("Suggestions are on, in your working hours."));
    blocks.push(actions("home:settings", [button("Pause", ACTIONS.pause, "pause")]));
  }
  blocks.push(
    context("`/offline forget-me` deletes everything about you. `/offline help` lists all commands."),
  );
  return { type: "home", blocks };
}
