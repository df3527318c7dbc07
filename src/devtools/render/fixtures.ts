import { planLunch } from "../../app/plan-lunch.ts";
import { OfflineService, type Prompt, type Reply } from "../../app/service.ts";
import { DEFAULT_LUNCH_HOURS, suggestSlots } from "../../core/calendar/slots.ts";
import { buildDigest, type DigestInput, type DigestView } from "../../core/digest.ts";
import { formatWhen } from "../../core/format.ts";
import { nextWeekday, parseLunchForm } from "../../core/forms/lunch.ts";
import { parseSettingsForm } from "../../core/forms/settings.ts";
import type { MessageDoc } from "../../core/messages/doc.ts";
import type { HomeContent } from "../../core/messages/home.ts";
import type { LunchSlotOffer } from "../../core/messages/lunch-form.ts";
import { metQuestionDoc } from "../../core/messages/noticed.ts";
import { forgetMeConfirmDoc, hideConfirmDoc } from "../../core/messages/prompt.ts";
import { planSweep } from "../../core/nudges.ts";
import { fixedClock } from "../../core/ports.ts";
import { defaultSettings } from "../../core/settings.ts";
import type { Member, Workspace } from "../../core/types.ts";
import { MemoryStore } from "../../store/memory/index.ts";

// Small, realistic inputs for every screen, built with the core's own builders: prompts come from
// the nudge policy (planSweep), outcomes from the real service on the in-memory store, form errors
// from the core's form parsers, digests from buildDigest. Names carry accents, one is long, one
// place is long: the cases that wrap or get cut off.

/** Wednesday 10:00 in Lisbon: inside everyone's working hours. */
export const NOW = new Date("2026-11-18T10:00:00Z");
export const TZ = "Europe/Lisbon";

export const TEAMMATES = [
  "Ann Smith",
  "Bo Chen",
  "Zoë Müller",
  "José Álvarez",
  "Maximilian Alexander von Hohenberg-Schönfeld",
  "Priya Raghunathan",
  "Chloé Dubois",
  "Kwame Mensah",
  "Lars Øvergaard",
  "Aiko Tanaka",
  "Fatima Zahra",
  "Miguel Ángel Ruiz",
  "Sven Lindqvist",
  "Ingrid Nakamura-Olsen",
];

const CONTACT = {
  id: "c-ines",
  displayName: "Inês Carvalho-Fernández",
  organization: "Société Générale & Filles",
};
export const LONG_PLACE =
  "Restaurante O Velho Eurico, Largo de São Cristóvão 3, Lisboa (upstairs, by the window)";

export interface Fixtures {
  workspace: Workspace;
  /** Lunch prompts for "me" with 0, 1 and many teammates who also discuss the contact. */
  prompts: { none: Prompt; one: Prompt; many: Prompt };
  candidate: Prompt;
  followUp: Prompt;
  outcomes: {
    planned: string;
    snoozed: string;
    met: string;
    notContact: string;
    tracked: string;
    followUpYes: string;
    followUpLater: string;
    followUpNo: string;
    /** `lunch X DATE` giving a date to the open lunch without one. */
    updated: string;
  };
  /** Answers that are documents: hidden with Undo, the prompt back, the questions asked first. */
  docs: {
    hidden: MessageDoc;
    undone: MessageDoc;
    confirmHide: MessageDoc;
    forgetMe: MessageDoc;
    /** "Not yet" to the follow-up: the lunch stays open, with Pick a new date. */
    later: MessageDoc;
    /** "Review who we found" as sent, and after Track and Not external on two rows. */
    review: MessageDoc;
    reviewAnswered: MessageDoc;
    /** The admin's own view (App Home) with the review's section. */
    reviewHome: MessageDoc;
  };
  /** The personal view (App Home, the Teams home card): active and paused. */
  home: { active: HomeContent; paused: HomeContent };
  /** Meetings noticed: the question about one mentioned in chat, a prompt with calendar lines. */
  noticed: { question: MessageDoc; prompt: Prompt };
  /** The plan-lunch use case refusing a date in the past: the message goes under the field. */
  pastDate: { values: Record<string, string>; errors: Record<string, string> };
  teammates: Array<{ platformUserId: string; name: string }>;
  today: string;
  initialDate: string;
  /** What the lunch form offers from calendars: free slots, and each reason there are none. */
  slots: {
    free: LunchSlotOffer;
    connect: LunchSlotOffer;
    unavailable: LunchSlotOffer;
    noneFree: LunchSlotOffer;
  };
  lunchErrors: { values: Record<string, string>; errors: Record<string, string> };
  settingsErrors: { values: Record<string, string>; errors: Record<string, string> };
  digests: { full: DigestView; quiet: DigestView; zero: DigestView };
}

/** Five free slots from the core's slot finder, around a busy Thursday lunchtime. */
function freeSlots(): LunchSlotOffer {
  const busy = [{ start: new Date("2026-11-19T11:00:00Z"), end: new Date("2026-11-19T13:00:00Z") }];
  const after = new Date(NOW.getTime() + 2 * 3_600_000);
  const slots = suggestSlots({ after, timeZone: TZ, hours: DEFAULT_LUNCH_HOURS, busy, count: 5 });
  return { kind: "slots", slots, timeZone: TZ };
}

const memberId = (i: number) => `m${i}`;
const userId = (i: number) => `U0${String(i).padStart(2, "0")}${"ABCDEFGH"[i % 8]}`;

/** One lunch prompt for member m0 ("Rui Santos") about the contact, with `teammates` others discussing it. */
function lunchPrompt(teammates: number): Prompt {
  const members = [
    {
      id: memberId(0),
      displayName: "Rui Santos",
      tz: TZ,
      optedOut: false,
      paused: false,
      pausedUntil: null,
      isBot: false,
    },
    ...TEAMMATES.slice(0, teammates).map((name, i) => ({
      id: memberId(i + 1),
      displayName: name,
      tz: TZ,
      optedOut: false,
      paused: false,
      pausedUntil: null,
      isBot: false,
    })),
  ];
  const mentions = members.flatMap((m, i) =>
    Array.from({ length: i === 0 ? 6 : Math.max(1, 5 - (i % 5)) }, (_, k) => ({
      memberId: m.id,
      contactId: CONTACT.id,
      at: new Date(NOW.getTime() - (k + 1) * 86_400_000),
    })),
  );
  const plan = planSweep({
    now: NOW,
    settings: defaultSettings,
    workspaceTimezone: TZ,
    members,
    contacts: [{ id: CONTACT.id, displayName: CONTACT.displayName, status: "tracked", lastMetAt: null }],
    mentions,
    recentNudges: [],
    lunches: [],
  });
  const d = plan.nudges.find((n) => n.memberId === memberId(0));
  if (!d) throw new Error(`fixtures: the nudge policy sent no prompt (${JSON.stringify(plan.skipped)})`);
  const names = new Map(members.map((m) => [m.id, m.displayName]));
  return {
    kind: "lunch",
    nudgeId: `n${teammates}`,
    contactId: CONTACT.id,
    contactName: CONTACT.displayName,
    organization: CONTACT.organization,
    reason: d.reason,
    teammateNames: d.teammateIds.map((id) => names.get(id) ?? id),
    mentionCount: d.mentionCount,
  };
}

function candidatePrompt(): Prompt {
  const plan = planSweep({
    now: NOW,
    settings: defaultSettings,
    workspaceTimezone: TZ,
    members: [
      {
        id: memberId(0),
        displayName: "Rui Santos",
        tz: TZ,
        optedOut: false,
        paused: false,
        pausedUntil: null,
        isBot: false,
      },
    ],
    contacts: [{ id: "c-bjorn", displayName: "Björn Ødegård", status: "candidate", lastMetAt: null }],
    mentions: Array.from({ length: 8 }, (_, k) => ({
      memberId: memberId(0),
      contactId: "c-bjorn",
      at: new Date(NOW.getTime() - (k + 1) * 3_600_000),
    })),
    recentNudges: [],
    lunches: [],
  });
  const c = plan.candidatePrompts[0];
  if (!c) throw new Error(`fixtures: no candidate question (${JSON.stringify(plan.skipped)})`);
  return {
    kind: "candidate",
    nudgeId: "n-cand",
    contactId: c.contactId,
    contactName: "Björn Ødegård",
    question: c.question,
    reason: c.reason,
  };
}

/** A planned lunch, or a loud failure: a fixture the product refuses would screenshot the wrong thing. */
function lunchOf(reply: Reply): Extract<Reply, { kind: "lunch" }> {
  if (reply.kind !== "lunch") throw new Error(`fixtures: planning a lunch failed: ${JSON.stringify(reply)}`);
  return reply;
}

/** The outcome texts, from the real service answering real nudges on the in-memory store. */
function docOf(outcome: { doc?: MessageDoc }): MessageDoc {
  if (!outcome.doc) throw new Error("fixtures: the outcome has no document");
  return outcome.doc;
}

/**
 * The review of who was found, from the real use case: teammates' messages (real-shaped, with a
 * name and a handle in one message) through detection, the review opened after an "install",
 * then two rows answered by the admin.
 */
async function reviews(): Promise<{
  review: MessageDoc;
  reviewAnswered: MessageDoc;
  reviewHome: MessageDoc;
}> {
  const clock = fixedClock(NOW.toISOString());
  const store = new MemoryStore({ now: () => clock.now() });
  const service = new OfflineService(store, clock);
  const ws = await store.upsertWorkspace({
    platform: "slack",
    externalId: "T1",
    name: "Northwind",
    timezone: TZ,
  });
  const admin = await service.member(ws, {
    platformUserId: "U000A",
    displayName: "Rui Santos",
    external: false,
    tz: TZ,
    isAdmin: true,
  });
  await service.member(ws, { platformUserId: "U001B", displayName: "Zoë Müller", external: false, tz: TZ });
  const said: Array<[string, string, number]> = [
    ["U001B", "priya.raghavan@orbital-labs.example sent the signed contract back", 4],
    ["U000A", "Talked to Kenji Watanabe and @kenji_w about the pilot", 3],
    ["U001B", "The repo is github.com/mgarcia-dev, ask her about the SDK", 2],
    ["U000A", "Björn Ødegård from Equinor wants to see the roadmap", 2],
    ["U001B", "the deck is at linkedin.com/in/maximilian-von-hohenberg-4b2a1c9", 1],
  ];
  let n = 0;
  for (const [author, text, times] of said)
    for (let i = 0; i < times; i++)
      await service.tracker.processMessage(ws, {
        workspaceId: ws.id,
        messageId: `C1:${++n}`,
        channelId: "C1",
        author: { platformUserId: author, displayName: author, external: false },
        text,
        at: new Date(NOW.getTime() - n * 3_600_000),
        source: "message",
        userRefs: [],
      });
  const sent: MessageDoc[] = [];
  await service.reviewAfterInstall(ws, admin, {
    sendDoc: async (_ws, _m, doc) => {
      sent.push(doc);
      return "ref";
    },
  });
  const review = sent[0];
  if (!review) throw new Error("fixtures: no review was sent");
  const rows = review.blocks.flatMap((b) =>
    b.type === "row" && b.buttons[0]?.action.kind === "review" ? [b.buttons[0].action] : [],
  );
  let reviewAnswered = review;
  for (const [i, answer] of [
    [0, "track"],
    [1, "not-external"],
  ] as const) {
    const row = rows[i];
    if (!row) throw new Error("fixtures: the review has too few rows");
    const reply = await service.answerReview(ws, admin, true, row.reviewId, row.contactId, answer);
    if (reply.kind !== "doc") throw new Error("fixtures: the review answer was refused");
    reviewAnswered = reply.doc;
  }
  const home = await service.execute(ws, admin, { kind: "home" }, { isAdmin: true });
  if (home.kind !== "doc") throw new Error("fixtures: no home view");
  return { review, reviewAnswered, reviewHome: home.doc };
}

async function outcomes(): Promise<Pick<Fixtures, "outcomes" | "pastDate" | "docs">> {
  const clock = fixedClock(NOW.toISOString());
  const store = new MemoryStore({ now: () => clock.now() });
  const service = new OfflineService(store, clock);
  const ws = await store.upsertWorkspace({
    platform: "slack",
    externalId: "T1",
    name: "Northwind",
    timezone: TZ,
  });
  const me: Member = await service.member(ws, {
    platformUserId: "U000A",
    displayName: "Rui Santos",
    external: false,
    tz: TZ,
  });
  const bo = await service.member(ws, {
    platformUserId: "U001B",
    displayName: "Zoë Müller",
    external: false,
    tz: TZ,
  });
  const contact = await store.createContact(
    ws.id,
    { displayName: CONTACT.displayName, status: "tracked", organization: CONTACT.organization },
    [],
  );
  const answer = async (action: "snooze" | "met" | "not-contact") => {
    const nudge = await store.createNudge(ws.id, { memberId: me.id, contactId: contact.id, kind: "lunch" });
    return (await service.handlePromptAction(ws, me, nudge.id, action)).text;
  };
  const snoozed = await answer("snooze");
  const met = await answer("met");
  const nudge = await store.createNudge(ws.id, { memberId: me.id, contactId: contact.id, kind: "lunch" });
  const [y, m, d] = nextWeekday(NOW, TZ).split("-").map(Number) as [number, number, number];
  const planned = await service.planLunch(ws, me, {
    contactId: contact.id,
    nudgeId: nudge.id,
    on: { year: y, month: m, day: d, hour: 12, minute: 30 },
    place: LONG_PLACE,
    withUserIds: [bo.platformUserId],
  });
  const hiddenNudge = await store.createNudge(ws.id, {
    memberId: me.id,
    contactId: contact.id,
    kind: "lunch",
  });
  // Sent two days ago: the prompt Undo brings back says so.
  await store.transitionNudge(ws.id, hiddenNudge.id, ["pending"], {
    status: "sent",
    sentAt: new Date(NOW.getTime() - 2 * 86_400_000),
  });
  const hidden = await service.handlePromptAction(ws, me, hiddenNudge.id, "not-contact");
  const notContact = hidden.text;
  // Undo gives the contact back to the team and shows the prompt again.
  const undone = await service.handlePromptAction(ws, me, hiddenNudge.id, "undo");
  const followUpNo = (await service.answerFollowUp(ws, me, lunchOf(planned).lunch.id, false)).text;
  const candidate = await store.createContact(
    ws.id,
    { displayName: "Björn Ødegård", status: "candidate" },
    [],
  );
  const ask = await store.createNudge(ws.id, { memberId: me.id, contactId: candidate.id, kind: "candidate" });
  const tracked = (await service.handlePromptAction(ws, me, ask.id, "track")).text;
  const past = { year: 2026, month: 11, day: 17, hour: 12, minute: 30 };
  const refused = await planLunch(
    { store, clock, chat: null },
    { workspace: ws, organizer: me, contactId: contact.id, on: past, place: "Café Nord" },
  );
  if (refused.ok) throw new Error("fixtures: a lunch in the past was accepted");
  const pastDate: Fixtures["pastDate"] = {
    values: { date: "2026-11-17", time: "12:30", place: "Café Nord" },
    errors: { [refused.field ?? "date"]: refused.message },
  };
  // A second lunch for the "yes" answer (the first was just cancelled).
  const again = await service.planLunch(ws, me, { contactId: contact.id, on: { ...past, day: 19 } });
  // "Not yet" on a third lunch: it stays open and the bot asks again a week later.
  const third = await service.planLunch(ws, me, { contactId: contact.id, on: { ...past, day: 19 } });
  const laterOutcome = await service.answerFollowUp(ws, me, lunchOf(third).lunch.id, "later");
  const followUpLater = laterOutcome.text;
  // A lunch planned without a date, then given one: the same lunch, updated.
  const undated = await store.createContact(ws.id, { displayName: "Zé Ninguém", status: "tracked" }, []);
  await service.planLunch(ws, me, { contactId: undated.id });
  const updated = lunchOf(
    await service.planLunch(ws, me, { contactId: undated.id, on: { ...past, day: 26 }, place: "Café Nord" }),
  ).text;
  // The day after that lunch, when the follow-up asks.
  clock.set(new Date("2026-11-20T10:00:00Z"));
  const followUpYes = (await service.answerFollowUp(ws, me, lunchOf(again).lunch.id, true)).text;
  return {
    outcomes: {
      planned: lunchOf(planned).text,
      snoozed,
      met,
      notContact,
      tracked,
      followUpYes,
      followUpLater,
      followUpNo,
      updated,
    },
    docs: {
      hidden: docOf(hidden),
      undone: docOf(undone),
      confirmHide: hideConfirmDoc({ nudgeId: "n14", contactName: CONTACT.displayName, teammates: 26 }),
      forgetMe: forgetMeConfirmDoc(me.id),
      later: docOf(laterOutcome),
      ...(await reviews()),
    },
    pastDate,
  };
}

function digestInput(overrides: Partial<DigestInput>): DigestInput {
  return {
    workspaceName: "Northwind Café & Co",
    week: "2026-W47",
    // Posted on Monday 23 Nov at 09:00 (Lisbon = UTC in winter) about the week that just ended.
    now: new Date("2026-11-23T00:00:00Z"),
    clockNow: new Date("2026-11-23T09:00:00Z"),
    timeZone: TZ,
    settings: defaultSettings,
    weekContacts: [],
    coverageContacts: [],
    lunchesPlanned: [],
    lunchesHeld: [],
    meetings: [],
    ...overrides,
  };
}

const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

function digests(): Fixtures["digests"] {
  const people = [
    ["Inês Carvalho-Fernández", "Société Générale & Filles", 14, 9, 6, null],
    ["Björn Ødegård", "Equinor", 9, 12, 3, daysAgo(20)],
    ["Dr. Oluwaseun Adebayo-Williams", null, 7, 0, 2, null],
    ["Marta Kowalczyk", "Allegro", 5, 5, 2, daysAgo(200)],
    ["François Lefèvre", "Dassault Systèmes", 4, 1, 1, daysAgo(3)],
    ["Søren Kierkegaard Jensen", "Maersk", 3, 3, 1, null],
  ] as const;
  const weekContacts = people.map(([displayName, organization, mentions, prev, teammates, lastMetAt], i) => ({
    contactId: `c${i}`,
    displayName,
    organization,
    mentions,
    previousWeekMentions: prev,
    teammates,
    lastMetAt,
    status: "tracked" as const,
  }));
  const coverageContacts = weekContacts.map((c) => ({
    contactId: c.contactId,
    displayName: c.displayName,
    mentions: c.mentions * 4,
    lastMetAt: c.lastMetAt,
    status: c.status,
  }));
  const full = buildDigest(
    digestInput({
      weekContacts,
      coverageContacts,
      lunchesPlanned: [
        {
          contactName: "Inês Carvalho-Fernández",
          organizerName: "Rui Santos",
          attendeeNames: ["Zoë Müller", "José Álvarez"],
          scheduledFor: new Date("2026-11-26T12:30:00Z"),
          place: LONG_PLACE,
        },
      ],
      lunchesHeld: [
        {
          contactName: "François Lefèvre",
          organizerName: "Chloé Dubois",
          attendeeNames: [],
          scheduledFor: new Date("2026-11-19T12:30:00Z"),
          place: "Café Nord",
        },
      ],
      // The held lunch's meeting, and one without a lunch.
      meetings: [
        { memberName: "Chloé Dubois", contactNames: ["François Lefèvre"] },
        { memberName: "Zoë Müller", contactNames: ["Ana Lima"] },
      ],
      previousCoverageContacts: coverageContacts.map((c, i) => (i === 1 ? c : { ...c, lastMetAt: null })),
    }),
  );
  const quiet = buildDigest(digestInput({ coverageContacts }));
  const zero = buildDigest(
    digestInput({
      weekContacts: weekContacts.map((c) => ({ ...c, lastMetAt: null })),
      coverageContacts: coverageContacts.map((c) => ({ ...c, lastMetAt: null })),
    }),
  );
  return { full, quiet, zero };
}

export async function buildFixtures(): Promise<Fixtures> {
  const workspace: Workspace = {
    id: "ws1",
    platform: "slack",
    externalId: "T1",
    name: "Northwind Café & Co",
    timezone: TZ,
    digestChannel: "C0DIGEST",
    digestDay: 1,
    digestHour: 9,
    settings: defaultSettings,
    uninstalledAt: null,
  };
  // What a person might submit by mistake, through the core's parsers (the errors are theirs).
  const lunchValues = { date: "2026-02-30", time: "25:00", place: "x".repeat(210) };
  const lunch = parseLunchForm(lunchValues);
  const settingsValues = {
    timezone: "Lisbon",
    workingHourStart: "17",
    workingHourEnd: "9",
    mentionThreshold: "0",
    lunchEnd: "11:00",
  };
  const settings = parseSettingsForm(settingsValues, workspace, { isChannel: () => true });
  return {
    workspace,
    prompts: { none: lunchPrompt(0), one: lunchPrompt(1), many: lunchPrompt(TEAMMATES.length) },
    candidate: candidatePrompt(),
    followUp: {
      kind: "follow-up",
      lunchId: "l1",
      contactName: CONTACT.displayName,
      when: formatWhen(new Date("2026-11-17T12:30:00Z"), TZ),
      place: LONG_PLACE,
    },
    ...(await outcomes()),
    teammates: TEAMMATES.slice(0, 5).map((name, i) => ({ platformUserId: userId(i + 1), name })),
    today: "2026-11-18",
    initialDate: nextWeekday(NOW, TZ),
    slots: {
      free: freeSlots(),
      connect: { kind: "connect" },
      unavailable: { kind: "unavailable" },
      noneFree: { kind: "none-free" },
    },
    lunchErrors: { values: lunchValues, errors: lunch.ok ? {} : (lunch.errors as Record<string, string>) },
    settingsErrors: {
      values: settingsValues,
      errors: settings.ok ? {} : (settings.errors as Record<string, string>),
    },
    digests: digests(),
    home: homes(lunchPrompt(1), candidatePrompt()),
    noticed: {
      question: metQuestionDoc({ noticeId: "nm1", contactName: CONTACT.displayName, day: "2026-11-17" }),
      prompt: {
        ...(lunchPrompt(1) as Extract<Prompt, { kind: "lunch" }>),
        counted: [
          { noticeId: "nm2", contactName: "Björn Ødegård", day: "2026-11-16" },
          { noticeId: "nm3", contactName: "Maximiliane Oberhollenzer-Wittgenstein", day: "2026-11-13" },
        ],
      },
    },
  };
}

/** The personal view of "me": one open prompt and question, a lunch ahead, two contacts, numbers. */
function homes(prompt: Prompt, candidate: Prompt): Fixtures["home"] {
  const active: HomeContent = {
    optedOut: false,
    paused: false,
    pausedUntil: null,
    contacts: [
      {
        contact: { displayName: CONTACT.displayName, organization: CONTACT.organization, lastMetAt: null },
        mentions: 9,
        teammates: 27,
      },
      {
        contact: {
          displayName: "Björn Ødegård",
          organization: "Equinor",
          lastMetAt: new Date(NOW.getTime() - 20 * 86_400_000),
        },
        mentions: 4,
        teammates: 3,
      },
    ],
    prompts: [prompt, candidate],
    counted: [{ noticeId: "nm2", contactName: "Björn Ødegård", day: "2026-11-16" }],
    lunches: [
      {
        lunch: { scheduledFor: new Date("2026-11-19T12:30:00Z"), place: LONG_PLACE },
        contactName: CONTACT.displayName,
        withNames: ["Zoë Müller"],
      },
    ],
    numbers: {
      days: 30,
      team: { contacts: 12, met: 3, lunchesPlanned: 4, lunchesHeld: 2 },
      mine: { contacts: 2, prompts: 3 },
    },
  };
  return {
    active,
    paused: {
      ...active,
      paused: true,
      pausedUntil: new Date("2027-01-04T10:00:00Z"),
      prompts: [],
      lunches: [],
    },
  };
}
