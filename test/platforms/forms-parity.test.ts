// Slack and Teams build their forms from the core's field lists, so they offer the same fields;
// and the Teams prompt card names the teammates once, as Slack's does.
import type { types } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import type { Prompt } from "../../src/app/service.ts";
import { LUNCH_FIELD_NAMES } from "../../src/core/forms/lunch.ts";
import { SETTINGS_FIELD_NAMES, SETTINGS_FORM } from "../../src/core/forms/settings.ts";
import { defaultSettings } from "../../src/core/settings.ts";
import type { Workspace } from "../../src/core/types.ts";
import { lunchModal, settingsModal } from "../../src/platforms/slack/render/modals.ts";
import { promptMessage } from "../../src/platforms/slack/render/prompt.ts";
import { lunchFormCard, promptCard, settingsCard } from "../../src/platforms/teams/cards.ts";

const ws: Workspace = {
  id: "w1",
  platform: "slack",
  externalId: "T1",
  name: "Northwind",
  timezone: "Europe/Berlin",
  digestChannel: null,
  digestDay: 1,
  digestHour: 9,
  settings: { ...defaultSettings, retentionDays: 400, digestTopN: 12 },
  uninstalledAt: null,
};

const slackInputs = (blocks: types.AnyBlock[]) =>
  blocks
    .filter((b): b is types.InputBlock => b.type === "input")
    .map((b) => ({ id: b.block_id, label: (b.label as types.PlainTextElement).text }));
const teamsInputs = (body: Array<Record<string, unknown>>) =>
  body.filter((e) => String(e.type).startsWith("Input.")).map((e) => ({ id: e.id, label: e.label }));

describe("form parity", () => {
  it("both platforms offer every setting, in the same order, with the same labels", () => {
    const slack = slackInputs(settingsModal(ws).blocks);
    const teams = teamsInputs(settingsCard(ws, []).body);
    expect(slack.map((f) => f.id)).toEqual([...SETTINGS_FIELD_NAMES]);
    expect(teams).toEqual(slack);
    expect(SETTINGS_FORM.length).toBe(23);
  });

  it("both platforms prefill the saved values of the settings no form had before", () => {
    const slack = settingsModal(ws).blocks.find(
      (b) => b.type === "input" && b.block_id === "retentionDays",
    ) as types.InputBlock;
    expect(slack.element).toMatchObject({ initial_value: "400", min_value: "7", max_value: "36500" });
    const teams = settingsCard(ws, []).body.find((e) => e.id === "digestTopN");
    expect(teams).toMatchObject({ value: 12, min: 1, max: 100 });
  });

  it("both lunch forms have the core's lunch fields", () => {
    const slack = slackInputs(
      lunchModal({
        contactName: "Jane",
        meta: { contactId: "c", nudgeId: null, channel: null, ts: null },
        teammates: [],
        initialDate: "2026-11-19",
      }).blocks,
    );
    const teams = teamsInputs(
      lunchFormCard({
        nudgeId: null,
        contactId: "c",
        contactName: "Jane",
        teammates: [{ platformUserId: "29:a", name: "A" }],
        today: "2026-11-18",
      }).body,
    );
    // Without calendar slots, there is no slot choice.
    const withoutSlot = LUNCH_FIELD_NAMES.filter((f) => f !== "slot");
    expect(slack.map((f) => f.id)).toEqual(withoutSlot);
    expect(teams.map((f) => f.id)).toEqual(withoutSlot);
  });

  it("both lunch forms offer the same free slots, first one picked, plus another time", () => {
    const start = new Date("2026-11-19T11:00:00Z");
    const slots = {
      kind: "slots" as const,
      timeZone: "Europe/Berlin",
      slots: [
        { start, end: new Date(start.getTime() + 3_600_000) },
        { start: new Date("2026-11-20T11:30:00Z"), end: new Date("2026-11-20T12:30:00Z") },
      ],
    };
    const modal = lunchModal({
      contactName: "Jane",
      meta: { contactId: "c", nudgeId: null, channel: null, ts: null },
      teammates: [],
      initialDate: "2026-11-19",
      slots,
    });
    const teamsCard = lunchFormCard({
      nudgeId: null,
      contactId: "c",
      contactName: "Jane",
      teammates: [{ platformUserId: "29:a", name: "A" }],
      today: "2026-11-18",
      slots,
    });
    expect(slackInputs(modal.blocks).map((f) => f.id)).toEqual([...LUNCH_FIELD_NAMES]);
    expect(teamsInputs(teamsCard.body).map((f) => f.id)).toEqual([...LUNCH_FIELD_NAMES]);
    const radio = modal.blocks.find((b) => b.type === "input" && b.block_id === "slot") as types.InputBlock;
    const element = radio.element as types.RadioButtons;
    const slackChoices = element.options.map((o) => [(o.text as types.PlainTextElement).text, o.value]);
    const choiceSet = teamsCard.body.find((e) => e.id === "slot") as unknown as {
      value: string;
      style: string;
      choices: Array<{ title: string; value: string }>;
    };
    expect(choiceSet.choices.map((c) => [c.title, c.value])).toEqual(slackChoices);
    expect(slackChoices).toEqual([
      ["Thu 19 Nov, 12:00–13:00", "2026-11-19T11:00:00.000Z/2026-11-19T12:00:00.000Z"],
      ["Fri 20 Nov, 12:30–13:30", "2026-11-20T11:30:00.000Z/2026-11-20T12:30:00.000Z"],
      ["Another time (pick it below)", "other"],
    ]);
    expect(element.initial_option?.value).toBe(slackChoices[0]?.[1]);
    expect(choiceSet).toMatchObject({ value: slackChoices[0]?.[1], style: "expanded" });
  });
});

describe("prompt card", () => {
  const prompt: Prompt = {
    kind: "lunch",
    nudgeId: "n1",
    contactId: "c1",
    contactName: "Jane",
    organization: null,
    reason:
      "You mentioned Jane 3 times in the last 14 days, and 1 teammate (Bo) talks about Jane too — go together.",
    teammateNames: ["Bo"],
    mentionCount: 3,
  };

  it("names the teammates once on Teams, like Slack", () => {
    const text = promptCard(prompt)
      .body.map((e) => String(e.text ?? ""))
      .join("\n");
    expect(text.match(/Bo/g)).toHaveLength(1);
    expect(text).not.toContain("Go together?");
    expect(promptMessage(prompt).text.match(/Bo/g)).toHaveLength(1);
  });
});
