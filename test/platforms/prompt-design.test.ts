// Issue 20 items 4 and 5: one prompt on both platforms (title, labels, privacy line, at most three
// teammates, the same ones the lunch form preselects) and text without seams (commands as typed
// on each platform, no backticks in Teams cards).
import type { types } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import type { Prompt } from "../../src/app/service.ts";
import { rankTeammates } from "../../src/core/nudges.ts";
import { command, PRIVACY_LINE, PROMPT_LABELS } from "../../src/core/prompt-text.ts";
import { promptMessage } from "../../src/platforms/slack/render/prompt.ts";
import { lunchFormCard, promptCard } from "../../src/platforms/teams/cards.ts";
import { toTeamsMarkdown } from "../../src/platforms/teams/text.ts";

const prompt: Prompt = {
  kind: "lunch",
  nudgeId: "n1",
  contactId: "c1",
  contactName: "Jane Doe",
  organization: "Acme",
  reason: "You mentioned them 3 times in the last 14 days, and Bo talks about them too.",
  teammateNames: ["Bo"],
  mentionCount: 3,
};

/** Slack's labels in the order shown: buttons, then the overflow menu's options. */
function slackLabels(blocks: types.KnownBlock[]): { visible: string[]; overflow: string[] } {
  const visible: string[] = [];
  const overflow: string[] = [];
  for (const b of blocks) {
    if (b.type !== "actions") continue;
    for (const e of b.elements) {
      if (e.type === "button") visible.push(e.text.text);
      if (e.type === "overflow") overflow.push(...e.options.map((o) => o.text.text));
    }
  }
  return { visible, overflow };
}

describe("one prompt design", () => {
  it("has the same title, labels and privacy line on Slack and Teams; rarer actions behind an overflow", () => {
    const slack = promptMessage(prompt);
    const teams = promptCard(prompt);
    expect(JSON.stringify(slack.blocks)).toContain("*Take Jane Doe to lunch?*");
    expect(teams.body[0]).toMatchObject({ text: "Take Jane Doe to lunch?" });

    const { visible, overflow } = slackLabels(slack.blocks);
    const primary = (teams.actions ?? []).filter((a) => a.mode !== "secondary").map((a) => a.title);
    const secondary = (teams.actions ?? []).filter((a) => a.mode === "secondary").map((a) => a.title);
    expect(visible).toEqual([PROMPT_LABELS.plan]);
    expect(primary).toEqual(visible);
    expect(overflow).toEqual([PROMPT_LABELS.snooze, PROMPT_LABELS.met, PROMPT_LABELS.notContact]);
    expect(secondary).toEqual(overflow);

    // The privacy line on both, each saying the command as typed there.
    expect(JSON.stringify(slack.blocks)).toContain(
      "Only who mentioned whom is stored, never messages. Pause with `/offline pause`.",
    );
    const teamsText = teams.body.map((e) => String(e.text ?? "")).join("\n");
    expect(teamsText).toContain("Only who mentioned whom is stored, never messages. Pause with **pause**.");
    expect(teamsText).not.toContain("`");
  });

  it("preselects in the Teams lunch form the teammates the prompt names: the first three", () => {
    const teammates = ["Ann", "Bo", "Cy", "Dee", "Eve"].map((name) => ({
      platformUserId: `29:${name.toLowerCase()}`,
      name,
    }));
    const form = { nudgeId: "n1", contactId: "c1", contactName: "Jane", teammates, today: "2026-11-18" };
    const withInput = (c: ReturnType<typeof lunchFormCard>) => c.body.find((e) => e.id === "with");
    expect(withInput(lunchFormCard(form))).toMatchObject({ value: "29:ann,29:bo,29:cy" });
    // Back with an error: what the person picked (here: nobody) stays, the defaults don't return.
    expect(withInput(lunchFormCard(form, { values: { date: "2026-11-19" } }))?.value).toBeUndefined();
    expect(withInput(lunchFormCard(form, { values: { with: "29:eve" } }))).toMatchObject({ value: "29:eve" });
  });

  it("ranks teammates by how much they discuss the contact, then by the latest mention", () => {
    const at = (h: number) => new Date(Date.UTC(2026, 10, 18, h));
    const mentions = [
      { memberId: "ann", contactId: "jane", at: at(1) },
      { memberId: "cy", contactId: "jane", at: at(2) },
      { memberId: "cy", contactId: "jane", at: at(3) },
      { memberId: "bo", contactId: "jane", at: at(4) },
      { memberId: "dee", contactId: "other", at: at(5) },
    ];
    expect(rankTeammates(mentions, "jane")).toEqual(["cy", "bo", "ann"]);
    expect(rankTeammates(mentions, "nobody")).toEqual([]);
  });
});

describe("text without seams", () => {
  it("names commands as typed: /offline on Slack (core markup as is), the bare words to the Teams bot", () => {
    const hint = `Paused. Say ${command("resume")}, or ${command("digest preview")}.`;
    expect(hint).toBe("Paused. Say `/offline resume`, or `/offline digest preview`.");
    expect(toTeamsMarkdown(hint)).toBe("Paused. Say **resume**, or **digest preview**.");
    // A stray backtick (never from the core) is escaped, not left to open a code span.
    expect(toTeamsMarkdown("it`s")).toBe("it\\`s");
    expect(toTeamsMarkdown(PRIVACY_LINE)).not.toContain("`");
  });
});
