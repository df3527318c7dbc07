// Use cases of the weekly digest: its view for a week, and posting it at most once a week per
// workspace, across crashes and replicas (the Digest row's claim protocol, below).
import { buildDigest, type DigestView } from "../core/digest.ts";
import { command } from "../core/prompt-text.ts";
import { asSendFailure, nothingWasSent, type SendFailure } from "../core/send-failure.ts";
import { addDays, digestPeriod, isoWeekRange, previousIsoWeek, safeTimeZone } from "../core/time.ts";
import type { Workspace } from "../core/types.ts";
import type { AppDeps, ChatPort } from "./ports.ts";

/** A digest claim older than this without completion is presumed crashed. */
export const DIGEST_CLAIM_STALE_MS = 5 * 60_000;
/** Weeks the digest's coverage sparkline shows. */
export const TREND_WEEKS = 8;
/** How often a process renews its digest claim while the post is in flight. */
export const DIGEST_HEARTBEAT_MS = DIGEST_CLAIM_STALE_MS / 5;

/** What the admin reads when the platform refused the digest (nothing was posted). */
function digestRefusal(f: SendFailure, week: string): string {
  switch (f.reason) {
    case "channel-unavailable":
      return `I couldn't post the digest for ${week}: the digest channel is gone, archived, or I'm not in it. Invite me to the channel, or pick another one with ${command("settings")}. Nothing was posted; the next run tries again.`;
    case "app-removed":
      return `I couldn't post the digest for ${week}: Take It Offline was uninstalled or its access was revoked. Reinstall the app to get digests again.`;
    case "rate-limited":
      return `The chat platform is rate-limiting me, so the digest for ${week} wasn't posted. I'll try again in a few minutes.`;
    default:
      return `The chat platform refused the digest for ${week} (${f.reason}); nothing was posted. I'll try again at the next run.`;
  }
}

/** The digest of an ISO week (default: the last complete week in the workspace's zone). */
export async function digestView(deps: AppDeps, ws: Workspace, week?: string): Promise<DigestView> {
  const tz = safeTimeZone(ws.timezone);
  const now = deps.clock.now();
  const key = week ?? digestPeriod(now, tz);
  const range = isoWeekRange(key, tz);
  // A past week is seen as of its end, so "last met" and coverage read as they did then.
  const asOf = new Date(Math.min(range.end.getTime(), now.getTime()));
  const previousRange = isoWeekRange(previousIsoWeek(key), tz);
  const { coverageDays, digestTopN } = ws.settings;
  // The week before's coverage too, for the coverage's change ("up from 17%"), in the same scan.
  // The sparkline's weeks: this one and the ones before, each as of its end.
  const trendKeys = [key];
  while (trendKeys.length < TREND_WEEKS) trendKeys.unshift(previousIsoWeek(trendKeys[0] as string));
  const trendEnds = trendKeys.map((k) => {
    const end = isoWeekRange(k, tz).end;
    return end.getTime() > asOf.getTime() ? asOf : end;
  });
  const [data, trend] = await Promise.all([
    deps.store.digestData(ws.id, range, addDays(asOf, -coverageDays), digestTopN, {
      since: addDays(previousRange.end, -coverageDays),
      until: previousRange.end,
    }),
    // Completed weeks' points are kept (CoverageWeek) and shared with the dashboard's chart, so a
    // week's digest computes only the weeks nobody has measured yet.
    deps.store.coverageSeries(
      ws.id,
      trendEnds.map((until) => ({ since: addDays(until, -coverageDays), until })),
      digestTopN,
      { finalBefore: now },
    ),
  ]);
  return buildDigest({
    workspaceName: ws.name,
    week: key,
    now: asOf,
    clockNow: now,
    timeZone: tz,
    settings: ws.settings,
    ...data,
    coverageTrend: trend.map((t) => (t.total > 0 ? t.met / t.total : null)),
    dashboardUrl: deps.dashboardUrl ? `${deps.dashboardUrl}/` : null,
  });
}

/**
 * Posts a week's digest at most once, even across crashes and replicas. The Digest row (unique per
 * workspace and week) goes claimed → posting → posted:
 * - "claimed": nothing has gone out yet, so a stale claim (its holder died) is simply taken over.
 * - "posting": written just before the platform call; from then on the message may be in the
 *   channel. A stale "posting" claim is resumed only after findDigestPost says it isn't there; a
 *   platform that can't look posts up marks the week "unconfirmed" and never posts it again.
 * - While the post is in flight the claim is renewed, so a slow post (rate limits, client retries)
 *   on a live process never looks stale to another replica.
 */
export async function postWeeklyDigest(
  deps: AppDeps,
  ws: Workspace,
  chat: ChatPort,
  week?: string,
): Promise<{ posted: boolean; message: string; failure?: SendFailure }> {
  const now = deps.clock.now();
  const key = week ?? digestPeriod(now, safeTimeZone(ws.timezone));
  const channel = ws.digestChannel;
  if (!channel) return { posted: false, message: "No digest channel configured." };
  const idempotencyKey = `${ws.id}:${key}`;
  const claim = await deps.store.claimDigest(ws.id, key, channel, now, DIGEST_CLAIM_STALE_MS);
  if (claim === "posted") return { posted: false, message: `The digest for ${key} was already posted.` };
  if (claim === "in-progress")
    return { posted: false, message: `The digest for ${key} is being posted right now.` };
  if (claim === "stale" && (await deps.store.getDigest(ws.id, key))?.status === "posting") {
    // The previous holder stopped somewhere around the platform call: the message may be there.
    if (!chat.findDigestPost) {
      await deps.store.markDigestUnconfirmed(ws.id, key);
      return {
        posted: false,
        message: `The digest for ${key} may have been posted before a restart; not posting it twice.`,
      };
    }
    const ref = await chat.findDigestPost(ws, channel, idempotencyKey);
    if (ref) {
      await deps.store.completeDigest(ws.id, key, ref, now);
      return { posted: false, message: `The digest for ${key} had been posted already; recorded it.` };
    }
  }
  const view = await digestView(deps, ws, key);
  // We hold the claim as of `now` (fresh or taken over); if that moved, someone else took it over.
  if (!(await deps.store.markDigestPosting(ws.id, key, now))) {
    return { posted: false, message: `The digest for ${key} is being posted right now.` };
  }
  let held = now;
  // One renewal at a time: each compares against the claim time the previous one wrote, even
  // when the database is slower than the heartbeat.
  let renewal = Promise.resolve();
  const heartbeat = setInterval(() => {
    renewal = renewal
      .then(async () => {
        const next = deps.clock.now();
        if (await deps.store.renewDigestClaim(ws.id, key, held, next)) held = next;
      })
      .catch(() => {});
  }, DIGEST_HEARTBEAT_MS);
  heartbeat.unref();
  let ref: string;
  try {
    ref = await chat.postDigest(ws, channel, view, idempotencyKey);
  } catch (err) {
    const failure = asSendFailure(err);
    // Refused (nothing was posted): free the week, so neither the schedule nor `digest now` waits
    // on a claim nobody holds, and say what to fix.
    if (nothingWasSent(failure)) {
      await deps.store.releaseDigest(ws.id, key);
      return { posted: false, message: digestRefusal(failure, key), failure };
    }
    // The connection broke (maybe after the platform accepted it). If the post can be looked up,
    // keep the "posting" claim: once stale, the next run checks before posting again. If it
    // can't, take the error at its word ("not delivered") and free the week for a retry.
    if (!chat.findDigestPost) await deps.store.releaseDigest(ws.id, key);
    throw failure;
  } finally {
    clearInterval(heartbeat);
  }
  await deps.store.completeDigest(ws.id, key, ref, deps.clock.now());
  return { posted: true, message: `Posted the digest for ${key}.` };
}
