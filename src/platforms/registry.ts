import type { Config } from "../config.ts";
import type { Platform, PlatformDeps } from "./types.ts";

/**
 * Every chat platform the server can run, and whether the configuration asks for it. A platform's
 * SDK is loaded only when it is asked for: botbuilder and Bolt are most of the server's start-up
 * time, and a deployment runs one of them, often neither (the demo, imports). Adding a platform is
 * one adapter folder and one line here.
 */
export const PLATFORMS: readonly {
  name: Platform["name"];
  /** Any of its settings present; the adapter itself says when they are incomplete. */
  wanted(config: Config): boolean;
  create(deps: PlatformDeps): Promise<Platform | null>;
}[] = [
  {
    name: "slack",
    wanted: (c) =>
      Boolean(c.SLACK_BOT_TOKEN || c.SLACK_CLIENT_ID || c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN),
    create: async (deps) => (await import("./slack/index.ts")).createSlackPlatform(deps),
  },
  {
    name: "teams",
    wanted: (c) => Boolean(c.MICROSOFT_APP_ID || c.TEAMS_ALLOW_UNAUTHENTICATED),
    create: async (deps) => (await import("./teams/index.ts")).createTeamsPlatform(deps),
  },
];

/** The configured platforms, created side by side. */
export async function createPlatforms(deps: PlatformDeps): Promise<Platform[]> {
  const wanted = PLATFORMS.filter((p) => p.wanted(deps.app.config));
  const created = await Promise.all(wanted.map((p) => p.create(deps)));
  return created.filter((p): p is Platform => p !== null);
}
