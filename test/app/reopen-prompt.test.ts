// The lunch form's Cancel (app/reopen-prompt.ts): the prompt comes back as the sweep sent it, only
// for its own member and only while it is open; a form the digest opened just says nothing happened.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatPort, Prompt } from "../../src/app/service.ts";
import { parseCommand } from "../../src/core/commands.ts";
import type { Member, Workspace } from "../../src/core/types.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { createWorld, type World } from "../helpers/world.ts";

class RecordingChat implements ChatPort {
  prompts: Array<{ member: string; prompt: Prompt }> = [];
  async sendPrompt(_ws: Workspace, member: Member, prompt: Prompt) {
    this.prompts.push({ member: member.platformUserId, prompt });
    return `D1:${this.prompts.length}`;
  }
  async postDigest() {
    return "C1:1";
  }
}

describe.each(PROVIDERS)("reopening a prompt on %s", (provider) => {
  let w: World;
  const chat = new RecordingChat();
  const member = (id: string) => w.store.getMember(w.ws.id, id).then((m) => m!);
  const talk = async (who: string, text: string, times: number) => {
    for (let i = 0; i < times; i++) await w.service.tracker.processMessage(w.ws, w.message(who, text));
  };

  beforeAll(async () => {
    // Wednesday 18 Nov 2026, 10:00 in New York: inside default working hours.
    w = await createWorld(provider, "2026-11-18T15:00:00Z");
    await w.service.execute(w.ws, await member("UANN"), parseCommand("track Jane Doe, jane@acme.com"), {
      isAdmin: false,
      chat,
    });
    await talk("UANN", "Jane Doe sent the contract", 4);
    await talk("UBO", "call with jane@acme.com went well", 3);
    await talk("UCY", "Jane Doe liked it", 1);
    await w.service.runNudgeSweep(w.ws, chat);
  });
  afterAll(async () => {
    await w.cleanup();
  });

  const sentTo = (id: string) => chat.prompts.find((p) => p.member === id)?.prompt;

  it("rebuilds the prompt the sweep sent, word for word", async () => {
    const sent = sentTo("UANN");
    expect(sent?.kind).toBe("lunch");
    if (sent?.kind !== "lunch") return;
    expect(await w.service.reopenPrompt(w.ws, await member("UANN"), sent.nudgeId, sent.contactId)).toEqual({
      kind: "prompt",
      prompt: sent,
    });
  });

  it("refuses another member's prompt and one already answered", async () => {
    const sent = sentTo("UANN");
    if (sent?.kind !== "lunch") throw new Error("no prompt for Ann");
    expect(await w.service.reopenPrompt(w.ws, await member("UCY"), sent.nudgeId, sent.contactId)).toEqual({
      kind: "outcome",
      text: "This prompt was meant for someone else.",
    });
    expect(await w.service.reopenPrompt(w.ws, await member("UANN"), "no-such", sent.contactId)).toEqual({
      kind: "outcome",
      text: "This prompt no longer exists.",
    });
    const bo = sentTo("UBO");
    if (bo?.kind !== "lunch") throw new Error("no prompt for Bo");
    await w.service.handlePromptAction(w.ws, await member("UBO"), bo.nudgeId, "snooze");
    expect(await w.service.reopenPrompt(w.ws, await member("UBO"), bo.nudgeId, bo.contactId)).toEqual({
      kind: "outcome",
      text: "Already handled: snoozed for now.",
    });
  });

  it("says nothing was planned when the digest opened the form", async () => {
    const sent = sentTo("UANN");
    if (sent?.kind !== "lunch") throw new Error("no prompt for Ann");
    expect(await w.service.reopenPrompt(w.ws, await member("UCY"), null, sent.contactId)).toEqual({
      kind: "outcome",
      text: "No lunch planned with Jane Doe. Plan lunch in the digest whenever you like.",
    });
  });
});
