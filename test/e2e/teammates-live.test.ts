import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS } from "../helpers/db.ts";
import { type SlackHarness, slackTs, startSlackHarness, TEAM_ID, USERS } from "../helpers/slack-signing.ts";

// Teammates are never contacts, through the live path: signed Events API deliveries into the real
// server and Bolt app, users from the fake Slack's users.info, mentions and contacts read back
// from the database.

const CHANNEL = "C0COMMUNITY";
const at = "2026-11-18T14:00:00Z";

/** A member who signed up with a gmail address, as community workspaces' members do. */
const JANE = {
  id: "UJANE",
  team_id: TEAM_ID,
  name: "janedoe",
  tz: "America/Los_Angeles",
  profile: { display_name: "Jane", real_name: "Jane Doe", email: "jane.d.1987@gmail.com" },
};

describe.each(PROVIDERS)("teammates' own addresses and links in live Slack messages on %s", (provider) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness(provider, { users: [...Object.values(USERS), JANE] });
  });
  beforeEach(async () => {
    await h.reset();
  });
  afterAll(async () => {
    await h.close();
  });

  const message = (user: string, text: string, n: number) => ({
    type: "message",
    channel: CHANNEL,
    channel_type: "channel",
    user,
    text,
    ts: slackTs(at, n),
    team: TEAM_ID,
  });

  /** The emails, handles and links any contact is known by. */
  const contactIds = async () =>
    (
      await h.app.database.db.contactAlias.findMany({
        where: { kind: { in: ["email", "handle", "url"] } },
        orderBy: { normalized: "asc" },
      })
    ).map((a) => a.normalized);

  it("a member's gmail, handle and profile links are theirs, whoever posts them; outsiders' stay contacts", async () => {
    // Jane introduces herself: her own links.
    expect(
      (await h.event(message("UJANE", "Hi! I'm Jane: github.com/janedoe and x.com/jane_doe", 1))).status,
    ).toBe(200);
    await h.settle();
    // Bo talks about Jane, and about two people whose slugs come close to hers.
    await h.event(
      message(
        "UBO",
        "Ask jane.d.1987@gmail.com or @janedoe (see https://twitter.com/Jane_Doe). The poster is by github.com/janedoe-design, the tutorial by x.com/janesmith",
        2,
      ),
    );
    // Cy signs with a work address at another company.
    await h.event(message("UCY", "See you there!\n--\nCy Park | Globex\ncy.park@globex.example", 3));
    await h.settle();

    expect(await contactIds()).toEqual(["github.com/janedoe-design", "x.com/janesmith"]);
    const mentions = await h.app.database.db.mention.findMany({ include: { contact: true } });
    expect(mentions.map((m) => [m.messageId, m.contact.displayName]).sort()).toEqual([
      [`${CHANNEL}:${slackTs(at, 2)}`, "janedoe-design (GitHub)"],
      [`${CHANNEL}:${slackTs(at, 2)}`, "janesmith (X)"],
    ]);
    const jane = await h.app.database.db.member.findFirstOrThrow({ where: { platformUserId: "UJANE" } });
    expect(jane).toMatchObject({ handle: "janedoe", email: "jane.d.1987@gmail.com" });
  });

  it("the workspace's own accounts are not contacts", async () => {
    const ws = await h.workspace();
    expect(ws.name).toBe("Northwind");
    await h.event(
      message(
        "UANN",
        "Follow github.com/northwind and x.com/northwindhq; ping x.com/northwind_consulting",
        1,
      ),
    );
    await h.settle();
    expect(await contactIds()).toEqual(["x.com/northwind_consulting"]);
  });
});
