import type { App, webApi } from "@slack/bolt";
import { z } from "zod";
import { formatWhen } from "../../../core/format.ts";
import type { Workspace } from "../../../core/types.ts";
import { VIEWS } from "../ids.ts";
import { type ViewSubmissionBody, viewSubmissionBodySchema } from "../payloads.ts";
import {
  type FieldErrors,
  LUNCH_FIELDS,
  lunchMetaSchema,
  parseLunchSubmission,
  parseSettingsSubmission,
  SETTINGS_FIELDS,
} from "../render/modals.ts";
import { escapeMrkdwn } from "../render/mrkdwn.ts";
import { outcomeMessage } from "../render/prompt.ts";
import type { SlackContext, SlackRuntime } from "../runtime.ts";

// Modal submissions. Validation and the database write happen before the ack, so a problem is
// shown under the field it concerns (`response_action: "errors"`); messages go out afterwards.

/** The ack of a view_submission (Bolt types it as a union with the ack of view_closed). */
type Ack = (response?: { response_action: "errors"; errors: FieldErrors }) => Promise<void>;

function parseMeta(raw: string | undefined): unknown {
  try {
    return JSON.parse(raw ?? "");
  } catch {
    return null;
  }
}

export function registerViews(app: App, rt: SlackRuntime): void {
  app.view(VIEWS.lunch, async ({ ack, body, context, client }) => {
    const submit = ack as Ack;
    await withSubmission(rt, body, context, submit, (b, ws) =>
      onLunchSubmitted(rt, context, client, b, ws, submit),
    );
  });
  app.view(VIEWS.settings, async ({ ack, body, context, client }) => {
    const submit = ack as Ack;
    await withSubmission(rt, body, context, submit, (b, ws) =>
      onSettingsSubmitted(rt, context, client, b, ws, submit),
    );
  });
}

async function withSubmission(
  rt: SlackRuntime,
  raw: unknown,
  ctx: SlackContext,
  ack: Ack,
  run: (body: ViewSubmissionBody, ws: Workspace) => Promise<void>,
): Promise<void> {
  const body = viewSubmissionBodySchema.safeParse(raw);
  const ws = body.success ? await rt.workspaceFor(ctx) : null;
  if (!body.success || !ws) {
    rt.log.warn("view submission ignored", { parsed: body.success });
    await ack();
    return;
  }
  await run(body.data, ws);
}

async function onLunchSubmitted(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: ViewSubmissionBody,
  ws: Workspace,
  ack: Ack,
): Promise<void> {
  const meta = lunchMetaSchema.safeParse(parseMeta(body.view.private_metadata));
  const form = parseLunchSubmission(body.view.state.values);
  if (!form.ok) return ack({ response_action: "errors", errors: form.errors });
  if (!meta.success)
    return ack({
      response_action: "errors",
      errors: { [LUNCH_FIELDS.date]: "This form is out of date. Close it and try again." },
    });
  const home = rt.home(ctx);
  const actor = await rt.actor(client, ws, home, body.user.id);
  if (!actor)
    return ack({
      response_action: "errors",
      errors: { [LUNCH_FIELDS.date]: "Only members of this workspace can plan lunches." },
    });

  // Teammates picked in the form must be teammates (and known to the store) before planning.
  for (const id of form.value.withUserIds) {
    const p = await rt.person(client, ws, home, id);
    if (p.external)
      return ack({
        response_action: "errors",
        errors: { [LUNCH_FIELDS.with]: `${p.displayName} is outside your team. Pick teammates only.` },
      });
    if (p.isBot)
      return ack({
        response_action: "errors",
        errors: { [LUNCH_FIELDS.with]: `${p.displayName} is a bot.` },
      });
    if (!(await rt.store.getMember(ws.id, id))) await rt.noteTeammate(ws, p);
  }
  const reply = await rt.service.planLunch(ws, actor.member, {
    contactId: meta.data.contactId,
    nudgeId: meta.data.nudgeId,
    on: form.value.on,
    place: form.value.place,
    withUserIds: form.value.withUserIds,
  });
  if (reply.kind !== "lunch") {
    const text = "text" in reply ? reply.text : "That didn't work.";
    return ack({ response_action: "errors", errors: { [LUNCH_FIELDS.date]: text } });
  }
  await ack();

  rt.background.run("slack:lunch-planned", async () => {
    const origin =
      meta.data.channel && meta.data.ts ? { channel: meta.data.channel, ts: meta.data.ts } : null;
    if (origin) await rt.chat.replace(client, origin, reply.text);
    const organizer = actor.member;
    if (reply.ics) await rt.chat.sendInvite(ws, organizer, reply.ics, reply.contactName, reply.text, client);
    else if (!origin) await rt.chat.dm(ws, organizer, outcomeMessage(reply.text), client);
    const who = organizer.displayName || organizer.realName;
    for (const id of reply.lunch.attendeeIds) {
      const m = await rt.store.getMemberById(ws.id, id);
      if (!m) continue;
      const when = reply.lunch.scheduledFor
        ? ` on ${formatWhen(reply.lunch.scheduledFor, m.tz ?? ws.timezone)}`
        : "";
      const where = reply.lunch.place ? ` at ${escapeMrkdwn(reply.lunch.place)}` : "";
      const note = `${escapeMrkdwn(who)} planned lunch with ${escapeMrkdwn(reply.contactName)}${when}${where} and added you.`;
      if (reply.ics) await rt.chat.sendInvite(ws, m, reply.ics, reply.contactName, note, client);
      else await rt.chat.dm(ws, m, outcomeMessage(note), client);
    }
  });
}

const settingsMetaSchema = z.object({ workspaceId: z.string() });

async function onSettingsSubmitted(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: ViewSubmissionBody,
  ws: Workspace,
  ack: Ack,
): Promise<void> {
  const firstField = SETTINGS_FIELDS.timezone;
  const meta = settingsMetaSchema.safeParse(parseMeta(body.view.private_metadata));
  if (!meta.success || meta.data.workspaceId !== ws.id) {
    return ack({
      response_action: "errors",
      errors: {
        [firstField]: "This form belongs to another workspace. Close it and run /offline settings again.",
      },
    });
  }
  // Admin rights are checked again at submission: they may have changed since the form opened.
  const actor = await rt.actor(client, ws, rt.home(ctx), body.user.id);
  if (!actor?.person.isAdmin)
    return ack({
      response_action: "errors",
      errors: { [firstField]: "Only workspace admins and owners can change settings." },
    });
  const parsed = parseSettingsSubmission(body.view.state.values, ws.settings);
  if (!parsed.ok) return ack({ response_action: "errors", errors: parsed.errors });
  await rt.store.updateWorkspace(ws.id, parsed.value);
  // Internal domains feed detection: drop the cached teammate/domain context.
  rt.service.tracker.invalidate(ws.id);
  rt.forgetEventWorkspace(ctx);
  await ack();
}
