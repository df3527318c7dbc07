// One wording, every platform: the core's message documents rendered as Block Kit and as Adaptive
// Cards must show a person the same text (and the same buttons). Each side's user-visible text is
// extracted from the rendered JSON, its markup normalised away, and the two compared line by line.
import type { types } from "@slack/bolt";
import { beforeAll, describe, expect, it } from "vitest";
import { commandHelp } from "../../src/core/commands.ts";
import { escapeMarkup, markupToPlain } from "../../src/core/format.ts";
import {
  calendarConnectDoc,
  calendarConnectedDoc,
  calendarLostDoc,
} from "../../src/core/messages/calendar.ts";
import { digestDoc } from "../../src/core/messages/digest.ts";
import type { MessageDoc } from "../../src/core/messages/doc.ts";
import { homeDoc } from "../../src/core/messages/home.ts";
import { type LunchSlotOffer, slotNotice } from "../../src/core/messages/lunch-form.ts";
import { renderPlain } from "../../src/core/messages/plain.ts";
import { OUTCOME_TITLES, outcomeDoc, promptDoc } from "../../src/core/messages/prompt.ts";
import { replyDoc } from "../../src/core/messages/reply.ts";
import { command } from "../../src/core/prompt-text.ts";
import { buildFixtures, type Fixtures, NOW, TZ } from "../../src/devtools/render/fixtures.ts";
import { digestBlocks } from "../../src/platforms/slack/render/digest.ts";
import { docBlocks } from "../../src/platforms/slack/render/doc.ts";
import { homeView } from "../../src/platforms/slack/render/home.ts";
import { lunchModal } from "../../src/platforms/slack/render/modals.ts";
import { outcomeMessage, promptMessage } from "../../src/platforms/slack/render/prompt.ts";
import {
  type AdaptiveCard,
  type CardElement,
  digestCard,
  lunchFormCard,
  outcomeCard,
  promptCard,
} from "../../src/platforms/teams/cards.ts";
import { docCard } from "../../src/platforms/teams/render-doc.ts";

// ---- Slack: blocks → visible lines -------------------------------------------------------------

function unMrkdwn(text: string): string {
  return markupToPlain(
    text
      .replace(/`\/offline ([^`\n]+)`/g, "$1") // a command as typed on Slack, said bare on Teams
      .replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,:;!?—]|$)/gm, "$1$2"),
  );
}

function slackLines(blocks: readonly types.KnownBlock[]): string[] {
  const out: string[] = [];
  const add = (t: string | undefined) => {
    if (t) out.push(...unMrkdwn(t).split("\n"));
  };
  for (const b of blocks) {
    if (b.type === "header") add(b.text.text);
    else if (b.type === "section") {
      add(b.text?.text);
      for (const f of b.fields ?? []) add(f.text);
      const acc = b.accessory as { type?: string; text?: { text: string } } | undefined;
      if (acc?.type === "button") add(acc.text?.text);
    } else if (b.type === "context") {
      for (const e of b.elements) if ("text" in e && typeof e.text === "string") add(e.text);
    } else if (b.type === "actions") {
      for (const e of b.elements) {
        if (e.type === "button") add(e.text.text);
        if (e.type === "overflow") for (const o of e.options) add(o.text.text);
      }
    }
  }
  return out;
}

// ---- Teams: card → visible lines ---------------------------------------------------------------

function unMarkdown(text: string): string {
  return text.replace(/\*\*([^*]+)\*\*/g, "$1").replace(/\\(.)/g, "$1");
}

function teamsLines(card: AdaptiveCard): string[] {
  const out: string[] = [];
  const walk = (el: CardElement) => {
    if (el.type === "TextBlock" && typeof el.text === "string") {
      out.push(...unMarkdown(el.text).split(/\n+/));
    }
    if (el.type.startsWith("Action.") && typeof el.title === "string") out.push(el.title);
    for (const key of ["items", "columns", "actions"] as const) {
      const children = el[key];
      if (Array.isArray(children)) for (const c of children as CardElement[]) walk(c);
    }
    if (el.type === "FactSet") {
      for (const f of el.facts as Array<{ title: string; value: string }>) {
        out.push(unMarkdown(f.title), unMarkdown(f.value));
      }
    }
  };
  for (const el of [...card.body, ...(card.actions ?? [])]) walk(el);
  return out;
}

/** Lines as a person reads them: list markers and spacing differ by platform, the words don't. */
function normalise(lines: readonly string[]): string[] {
  return lines
    .map((l) =>
      l
        .replace(/^\s*(?:[•-]|\d+\.)\s+/, "")
        // A command: Slack and plain text show it as typed (/offline x), Teams as said (x).
        .replace(/\/offline /g, "")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .filter((l) => l !== "")
    .sort();
}

const slackText = (doc: MessageDoc) => normalise(slackLines(docBlocks(doc)));
const teamsText = (doc: MessageDoc) => normalise(teamsLines(docCard(doc)));

let f: Fixtures;
beforeAll(async () => {
  f = await buildFixtures();
});

function documents(): Array<[string, MessageDoc]> {
  return [
    ["digest, full week", digestDoc(f.digests.full)],
    ["digest, quiet week", digestDoc(f.digests.quiet)],
    ["digest at 0%", digestDoc(f.digests.zero)],
    ["prompt, no teammates", promptDoc(f.prompts.none)],
    ["prompt, one teammate", promptDoc(f.prompts.one)],
    ["prompt, 14 teammates", promptDoc(f.prompts.many)],
    ["candidate question", promptDoc(f.candidate)],
    ["follow-up", promptDoc(f.followUp)],
    ["outcome: lunch planned", outcomeDoc(f.outcomes.planned, "Lunch planned")],
    [
      "reply: help lunch",
      replyDoc({ kind: "text", text: commandHelp("lunch", { now: new Date("2026-11-18T10:00:00Z") }) }),
    ],
    [
      "reply: error naming a person",
      replyDoc({
        kind: "error",
        text: `I don't know “${escapeMarkup("Jane <!channel> & Co")}” as an external contact. See ${command("contacts all")}.`,
      }),
    ],
    ["reply: lunch planned", replyDoc({ kind: "lunch", text: f.outcomes.planned })],
    ["reply: digest preview", replyDoc({ kind: "digest", view: f.digests.full })],
    ...Object.entries(f.outcomes).map(([name, text]): [string, MessageDoc] => [
      `outcome: ${name}`,
      outcomeDoc(text),
    ]),
    ["hidden for everyone, with Undo", f.docs.hidden],
    ["hide asked first", f.docs.confirmHide],
    ["prompt back after Undo", f.docs.undone],
    ["forget-me asked first", f.docs.forgetMe],
    ["follow-up: not yet, with Pick a new date", f.docs.later],
    ["review of who was found", f.docs.review],
    ["review, two rows answered", f.docs.reviewAnswered],
    ["home with the review", f.docs.reviewHome],
    ["home", homeDoc(f.home.active, { now: NOW, timeZone: TZ })],
    ["met in chat: record it?", f.noticed.question],
    ["prompt with meetings counted from the calendar", promptDoc(f.noticed.prompt)],
    ["home, paused", homeDoc(f.home.paused, { now: NOW, timeZone: TZ })],
    [
      "home, calendar not connected",
      homeDoc({ ...f.home.active, calendar: { connected: null } }, { now: NOW, timeZone: TZ }),
    ],
    [
      "home, calendar connected",
      homeDoc(
        {
          ...f.home.active,
          calendar: { connected: { provider: "microsoft", accountEmail: "ann@acme.example" } },
        },
        { now: NOW, timeZone: TZ },
      ),
    ],
    [
      "calendar: connect links",
      calendarConnectDoc([
        { provider: "google", url: "https://accounts.example/consent?a=1" },
        { provider: "microsoft", url: "https://login.example/consent?b=2" },
      ]),
    ],
    ["calendar: connected", calendarConnectedDoc("google", "ann@acme.example")],
    ["calendar: no longer connected", calendarLostDoc("microsoft")],
  ];
}

describe("what each platform actually sends reads the same", () => {
  // The production entry points (what chat.ts, the listeners and the bot call), not the doc
  // renderers directly: a platform that stopped going through the document would show up here.
  const pairs = (): Array<[string, types.KnownBlock[], AdaptiveCard]> => [
    ["digest", digestBlocks(f.digests.full), digestCard(f.digests.full)],
    ["digest at 0%", digestBlocks(f.digests.zero), digestCard(f.digests.zero)],
    ["prompt", promptMessage(f.prompts.many).blocks, promptCard(f.prompts.many)],
    ["candidate", promptMessage(f.candidate).blocks, promptCard(f.candidate)],
    ["follow-up", promptMessage(f.followUp).blocks, promptCard(f.followUp)],
    ["prompt with calendar lines", promptMessage(f.noticed.prompt).blocks, promptCard(f.noticed.prompt)],
    [
      "lunch planned",
      outcomeMessage(f.outcomes.planned, OUTCOME_TITLES.lunchPlanned).blocks,
      outcomeCard({ text: f.outcomes.planned }, OUTCOME_TITLES.lunchPlanned),
    ],
    ["snoozed", outcomeMessage(f.outcomes.snoozed).blocks, outcomeCard({ text: f.outcomes.snoozed })],
    // App Home and the Teams `home` card: one document.
    ...(["active", "paused"] as const).map((state): [string, types.KnownBlock[], AdaptiveCard] => {
      const doc = homeDoc(f.home[state], { now: NOW, timeZone: TZ });
      return [`home, ${state}`, homeView(doc).blocks as types.KnownBlock[], docCard(doc)];
    }),
  ];

  it("for every message", () => {
    for (const [name, blocks, card] of pairs()) {
      expect(normalise(teamsLines(card)), name).toEqual(normalise(slackLines(blocks)));
      expect(card.fallbackText, name).toBeTruthy();
    }
  });
});

describe("the same document reads the same on Slack and Teams", () => {
  it("covers every kind of message", () => {
    expect(documents().length).toBeGreaterThanOrEqual(15);
  });

  it.each([
    "digest, full week",
    "digest, quiet week",
    "digest at 0%",
    "prompt, no teammates",
    "prompt, one teammate",
    "prompt, 14 teammates",
    "candidate question",
    "follow-up",
    "outcome: lunch planned",
    "outcome: planned",
    "outcome: snoozed",
    "outcome: met",
    "outcome: notContact",
    "outcome: tracked",
    "outcome: followUpYes",
    "outcome: followUpLater",
    "outcome: followUpNo",
    "outcome: updated",
    "hidden for everyone, with Undo",
    "hide asked first",
    "prompt back after Undo",
    "forget-me asked first",
    "follow-up: not yet, with Pick a new date",
    "home",
    "home, paused",
    "met in chat: record it?",
    "prompt with meetings counted from the calendar",
    "review of who was found",
    "review, two rows answered",
    "home with the review",
    "reply: help lunch",
    "reply: error naming a person",
    "reply: lunch planned",
    "reply: digest preview",
  ])("%s", (name) => {
    const doc = documents().find(([n]) => n === name)?.[1];
    expect(doc, name).toBeDefined();
    if (!doc) return;
    const slack = slackText(doc);
    expect(slack.length).toBeGreaterThan(0);
    expect(teamsText(doc)).toEqual(slack);
    // And plain text (Slack's notification fallback, the CLI) says it too: each of its lines is
    // on both platforms (plain text leaves the buttons out).
    const plain = normalise(renderPlain(doc).split("\n"));
    for (const line of plain) expect(slack, `plain line "${line}"`).toContain(line);
    expect(doc.summary.trim()).not.toBe("");
  });

  it("fails when one platform drops or changes a line", () => {
    const doc = digestDoc(f.digests.full);
    const slack = slackText(doc);
    // Teams rendering a document with one line fewer (here: the last online-only contact).
    const lastItem = doc.blocks.map((b) => b.type).lastIndexOf("item");
    const dropped: MessageDoc = { ...doc, blocks: doc.blocks.filter((_, i) => i !== lastItem) };
    expect(teamsText(dropped)).not.toEqual(slack);
    // A changed word in one platform's copy.
    const card = docCard(doc);
    const changed = {
      ...card,
      body: card.body.map((el) =>
        el.text === "Still online-only" ? { ...el, text: "Still online only" } : el,
      ),
    };
    expect(JSON.stringify(changed.body)).toContain("Still online only");
    expect(normalise(teamsLines(changed))).not.toEqual(slack);
    // A Slack renderer that lost its context footer.
    const blocks = docBlocks(doc).filter((b) => b.type !== "context");
    expect(normalise(slackLines(blocks))).not.toEqual(teamsText(doc));
  });
});

describe("what the digest says", () => {
  it("leads with a sentence about the period, and lists no contact twice", () => {
    for (const view of [f.digests.full, f.digests.zero]) {
      const lines = renderPlain(digestDoc(view)).split("\n");
      expect(lines[1]).toContain("Last week, 16–22 Nov 2026");
      expect(lines[2]).toMatch(/offline coverage is \d+%/);
      for (const c of view.topContacts) {
        const listed = lines.filter((l) => l.startsWith(`- ${c.displayName} `) || l === `- ${c.displayName}`);
        expect(listed, c.displayName).toHaveLength(1);
      }
    }
  });

  it("gives each still-online-only contact a Plan lunch action carrying its id", () => {
    const doc = digestDoc(f.digests.zero);
    const items = doc.blocks.flatMap((b) => (b.type === "item" ? [b] : []));
    expect(items.map((i) => i.button.action)).toEqual(
      f.digests.zero.onlineOnly.map((c) => ({ kind: "plan-contact", contactId: c.contactId })),
    );
    const slackButtons = docBlocks(doc).flatMap((b) =>
      b.type === "section" && b.accessory?.type === "button" ? [b.accessory] : [],
    );
    expect(slackButtons.map((b) => [b.action_id, b.value])).toEqual(
      f.digests.zero.onlineOnly.map((c) => ["digest_plan_lunch", c.contactId]),
    );
    const teamsData = JSON.stringify(docCard(doc));
    for (const c of f.digests.zero.onlineOnly) {
      expect(teamsData).toContain(JSON.stringify({ tio: "plan", contactId: c.contactId }));
    }
  });

  it("names each lunch once and each time with its zone", () => {
    const text = renderPlain(digestDoc(f.digests.full));
    expect(text.match(/François Lefèvre/g)?.length).toBe(3); // listed, lunch held, and the lead
    expect(text).not.toMatch(/Chloé Dubois met François Lefèvre/);
    for (const time of text.match(/\d{2}:\d{2}\S*( \S+)?/g) ?? [])
      expect(time).toMatch(/\d{2}:\d{2} (WET|WEST)/);
    expect(text).not.toMatch(/[↑↓→]/);
  });
});

describe("the lunch form's calendar part reads the same", () => {
  // The slot choice (its options) and the line shown instead of slots, on each platform's form.
  const slackCalendarLines = (offer: LunchSlotOffer) => {
    const view = lunchModal({
      contactName: "Jane",
      meta: { contactId: "c", nudgeId: null, channel: null, ts: null },
      teammates: [],
      initialDate: f.initialDate,
      slots: offer,
    });
    const lines: string[] = [];
    for (const b of view.blocks as types.KnownBlock[]) {
      if (b.type === "context") lines.push(...slackLines([b]));
      // The hint that the date and time count only with "another time".
      if (b.type === "input" && b.hint) lines.push(b.hint.text);
      if (b.type === "input" && b.block_id === "slot" && b.element.type === "radio_buttons")
        lines.push(b.label.text, ...b.element.options.map((o) => (o.text as types.PlainTextElement).text));
    }
    return normalise(lines);
  };
  const teamsCalendarLines = (offer: LunchSlotOffer) => {
    const card = lunchFormCard({
      nudgeId: null,
      contactId: "c",
      contactName: "Jane",
      teammates: [],
      today: f.today,
      slots: offer,
    });
    const lines: string[] = [];
    for (const e of card.body) {
      if (e.type === "TextBlock" && e.isSubtle && e.size === "Small")
        lines.push(...teamsLines({ ...card, body: [e], actions: [] }));
      if (e.id === "slot")
        lines.push(String(e.label), ...(e.choices as Array<{ title: string }>).map((c) => c.title));
    }
    return normalise(lines);
  };

  it.each(["free", "connect", "unavailable", "noneFree"] as const)("%s", (kind) => {
    const offer = f.slots[kind];
    const slack = slackCalendarLines(offer);
    expect(slack.length).toBeGreaterThan(0);
    expect(teamsCalendarLines(offer)).toEqual(slack);
    if (offer.kind === "slots") expect(slack).toHaveLength(offer.slots.length + 3);
    else expect(slack).toEqual([normalise([markupToPlain(slotNotice(offer) ?? "")])[0]]);
  });
});
