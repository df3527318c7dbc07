import pg from "pg";
import { safeTimeZone } from "../../src/core/time.ts";
import { createRng, deriveSeed } from "../../src/sample/prng.ts";
import { TokenCipher } from "../../src/store/crypto.ts";
import { migrate } from "../../src/store/migrate.ts";

// Many workspaces for the fan-out benchmark, written straight into PostgreSQL: each with an OAuth
// installation (its own encrypted bot token), members drawn like real Slack workspaces (most under
// 50, a few of 5,000), tracked contacts and a week and a half of mentions, so that every digest has
// content and some teammates are due a nudge. Every digest is due at the same instant: the current
// hour, on the same local day and hour in every workspace (zones that share today's UTC offset).
// Seeded: the same seed gives the same rows.

export interface FanoutSeedOptions {
  seed?: number;
  workspaces: number;
  /** The digests fall due at the start of this instant's hour. */
  now: Date;
  /** The 32-byte key the replicas get as TOKEN_ENCRYPTION_KEY. */
  key: Buffer;
}

export interface SeededTeam {
  workspaceId: string;
  teamId: string;
  token: string;
  channel: string;
  members: number;
  /** The members' Slack user ids (the fake Slack must know them to DM them by id). */
  userIds: string[];
}

export interface FanoutSeedResult {
  teams: SeededTeam[];
  members: number;
  contacts: number;
  mentions: number;
  /** The ISO week each digest reports. */
  seconds: number;
  sizes: Record<string, number>;
}

const DAY_MS = 86_400_000;
// Zones on the same UTC offset all year or most of it: the same local hour is the same instant.
const ZONES = ["Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam"];

/** Members per workspace, like Slack's: mostly small teams, a long tail, a few very large ones. */
function drawSize(rng: ReturnType<typeof createRng>, i: number, total: number): number {
  // Five (one in 400) of 5,000, spread over the list so they don't all land on one replica first.
  if (i % Math.max(1, Math.floor(total / 5)) === 7) return 5_000;
  const r = rng.next();
  if (r < 0.7) return rng.range(3, 20);
  if (r < 0.9) return rng.range(20, 50);
  if (r < 0.98) return rng.range(50, 300);
  return rng.range(300, 2_000);
}

function rows<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export async function seedFanout(url: string, o: FanoutSeedOptions): Promise<FanoutSeedResult> {
  const started = performance.now();
  await migrate(url);
  const rng = createRng(deriveSeed(o.seed ?? 19, "fanout"));
  const cipher = new TokenCipher(o.key);
  const now = o.now.getTime();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const teams: SeededTeam[] = [];
  const sizes: Record<string, number> = { "<50": 0, "50-299": 0, "300-1999": 0, "5000": 0 };
  let members = 0;
  let contacts = 0;
  let mentions = 0;
  try {
    await client.query("BEGIN");
    // Every workspace tracks nudges on every day and hour, so the sweep has prompts to send
    // whenever the bench runs (the default is Tue–Thu 10–16 local).
    const settings = JSON.stringify({
      workingDays: [1, 2, 3, 4, 5, 6, 7],
      workingHourStart: 0,
      workingHourEnd: 24,
    });
    for (let i = 0; i < o.workspaces; i++) {
      const size = drawSize(rng, i, o.workspaces);
      sizes[size >= 5000 ? "5000" : size >= 300 ? "300-1999" : size >= 50 ? "50-299" : "<50"] =
        (sizes[size >= 5000 ? "5000" : size >= 300 ? "300-1999" : size >= 50 ? "50-299" : "<50"] ?? 0) + 1;
      const tz = ZONES[i % ZONES.length] as string;
      const local = localDayHour(o.now, tz);
      const teamId = `TF${String(i).padStart(5, "0")}`;
      const workspaceId = `fw${i}`;
      const channel = `C${teamId}`;
      const token = `xoxb-${teamId}-${rng.int(1e9)}`;
      const memberIds = Array.from({ length: size }, (_, m) => `${workspaceId}m${m}`);
      teams.push({
        workspaceId,
        teamId,
        token,
        channel,
        members: size,
        userIds: memberIds.map((m) => `U${m}`),
      });
      await client.query(
        `INSERT INTO "Workspace" (id, platform, "externalId", name, timezone, "digestChannel", "digestDay", "digestHour", settings, "installedAt")
         VALUES ($1, 'slack', $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          workspaceId,
          teamId,
          `Team ${i}`,
          tz,
          channel,
          local.day,
          local.hour,
          settings,
          new Date(now - 30 * DAY_MS),
        ],
      );
      const installation = {
        team: { id: teamId, name: `Team ${i}` },
        user: { id: "UINSTALLER" },
        bot: { token, userId: "UBOT", id: "BBOT", scopes: ["chat:write"] },
        isEnterpriseInstall: false,
        tokenType: "bot",
      };
      await client.query(
        `INSERT INTO "Installation" (id, "workspaceId", "teamId", "botUserId", "dataEnc", "updatedAt") VALUES ($1, $2, $3, 'UBOT', $4, now())`,
        [`fi${i}`, workspaceId, teamId, cipher.encrypt(JSON.stringify(installation))],
      );
      // Members: DMs already known for most (the id the fake Slack gives a user's DM, D + user id);
      // the rest are DMed by user id and their DM remembered from the answer.
      for (const chunk of rows(memberIds, 5_000)) {
        await client.query(
          `INSERT INTO "Member" (id, "workspaceId", "platformUserId", "displayName", tz, "dmRef", "updatedAt")
           SELECT id, $1, 'U' || id, 'Member ' || id, $2, CASE WHEN random_ok THEN 'DU' || id END, now()
             FROM unnest($3::text[], $4::bool[]) AS t(id, random_ok)`,
          [workspaceId, tz, chunk, chunk.map(() => rng.next() < 0.9)],
        );
      }
      members += size;
      const nContacts = Math.min(300, 3 + Math.ceil(size / 4));
      const contactIds = Array.from({ length: nContacts }, (_, c) => `${workspaceId}c${c}`);
      await client.query(
        `INSERT INTO "Contact" (id, "workspaceId", "displayName", status, organization, "updatedAt")
         SELECT id, $1, 'Contact ' || id, 'tracked', 'Org ' || (ord % 17), now()
           FROM unnest($2::text[]) WITH ORDINALITY AS t(id, ord)`,
        [workspaceId, contactIds],
      );
      contacts += nContacts;
      // Mentions over the last 10 days: most members mention a contact now and then; one in ten
      // talks about one contact three times or more (→ due a nudge, at most two each a week).
      const ms: Array<[string, string, string, Date]> = [];
      const talkers = Math.max(1, Math.round(size * 0.1));
      for (let m = 0; m < size; m++) {
        const member = memberIds[m] as string;
        const repeat = m < talkers;
        const n = repeat ? 3 : rng.next() < 0.5 ? 1 : 0;
        const contact = contactIds[rng.int(nContacts)] as string;
        for (let k = 0; k < n; k++)
          ms.push([
            member,
            repeat ? contact : (contactIds[rng.int(nContacts)] as string),
            `${workspaceId}:${m}:${k}`,
            new Date(now - rng.int(10 * DAY_MS)),
          ]);
      }
      for (const chunk of rows(ms, 10_000)) {
        await client.query(
          `INSERT INTO "Mention" (id, "workspaceId", "contactId", "memberId", "channelId", "messageId", at, source)
           SELECT 'x' || mid, $1, cid, mem, 'CGEN', mid, at, 'message'
             FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamp[]) AS t(mem, cid, mid, at)`,
          [
            workspaceId,
            chunk.map((r) => r[0]),
            chunk.map((r) => r[1]),
            chunk.map((r) => r[2]),
            chunk.map((r) => r[3]),
          ],
        );
      }
      mentions += ms.length;
    }
    await client.query("COMMIT");
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
  return { teams, members, contacts, mentions, seconds: (performance.now() - started) / 1000, sizes };
}

/** ISO weekday and hour of `at` in `tz`. */
function localDayHour(at: Date, tz: string): { day: number; hour: number } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: safeTimeZone(tz),
    weekday: "short",
    hour: "numeric",
    hourCycle: "h23",
  }).formatToParts(at);
  const wd = parts.find((p) => p.type === "weekday")?.value ?? "Mon";
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  return { day: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(wd) + 1, hour };
}
