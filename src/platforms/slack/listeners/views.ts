import { createHash } from "node:crypto";
import type { App, webApi } from "@slack/bolt";
import { z } from "zod";
import { unescapeMarkup } from "../../../core/format.ts";
import type { SettingsField } from "../../../core/forms/settings.ts";
import { OUTCOME_TITLES } from "../../../core/messages/prompt.ts";
import type { Workspace } from "../../../core/types.ts";
import { parseMessageRef } from "../chat.ts";
import { VIEWS } from "../ids.ts";
import { type ViewSubmissionBody, viewSubmissionBodySchema } from "../payloads.ts";
import {
  type FieldErrors,
  LUNCH_FIELDS,
  lunchMetaSchema,
  parseLunchSubmission,
  parseSettingsSubmission,
} from "../render/modals.ts";
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
      oncePerSubmission(rt, ws, b, submit, () => onLunchSubmitted(rt, context, client, b, ws, submit)),
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

/**
 * A submission delivered again (a replayed payload, copies racing each other, another replica)
 * carries the same view and the same values: it runs once, or a lunch without a prompt to claim
 * would be planned once per copy. A corrected resubmission has other values and goes through. The
 * key goes in the event inbox's table, so replicas agree; no payload is kept.
 */
async function oncePerSubmission(
  rt: SlackRuntime,
  ws: Workspace,
  body: ViewSubmissionBody,
  ack: Ack,
  run: () => Promise<void>,
): Promise<void> {
  const values = createHash("sha256")
    .update(JSON.stringify([body.view.private_metadata ?? "", body.view.state.values]))
    .digest("hex");
  const key = `slack:view:${ws.id}:${body.user.id}:${body.view.id ?? ""}:${values}`;
  if ((await rt.inbox.once(key, ws.id, run)) === "duplicate") await ack();
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
  const result = await rt.service.planLunchFromForm(
    {
      chat: rt.chat,
      teammates: (id) => rt.teammate(client, ws, home, id),
      // The ack must go out within 3 seconds; invites and notes follow it.
      defer: (label, work) => rt.background.run(`slack:${label}`, work),
      onNotifyError: (err, member) =>
        rt.log.warn("lunch notification failed", { err, member: member.platformUserId }),
      onCalendarError: (err, member) =>
        rt.log.warn("calendar event not created; the .ics goes out instead", {
          err,
          member: member.platformUserId,
        }),
    },
    {
      workspace: ws,
      organizer: actor.member,
      contactId: meta.data.contactId,
      nudgeId: meta.data.nudgeId,
      on: form.value.on,
      slot: form.value.slot,
      place: form.value.place,
      withUserIds: form.value.withUserIds,
    },
  );
  if (!result.ok) {
    // Slack shows errors under input blocks only: a message about the whole form goes under the date.
    return ack({
      response_action: "errors",
      // Form errors are plain text: the core's markup is shown as typed.
      errors: { [result.field ?? LUNCH_FIELDS.date]: unescapeMarkup(result.message) },
    });
  }
  await ack();
  // Only the organizer's own prompt is replaced, found from the prompt itself: the form's
  // private_metadata comes back from the client and could name anyone's message.
  const origin = parseMessageRef(result.prompt?.messageRef);
  if (origin)
    rt.background.run("slack:lunch-prompt-replaced", () =>
      rt.chat.replace(client, origin, result.text, OUTCOME_TITLES.lunchPlanned),
    );
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
  // A message about the whole form goes under the time zone, the first required field.
  const firstField: SettingsField = "timezone";
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
  if (!actor?.administers)
    return ack({
      response_action: "errors",
      errors: { [firstField]: "Only workspace admins (and whoever installed the app) can change settings." },
    });
  const parsed = parseSettingsSubmission(body.view.state.values, ws);
  if (!parsed.ok) return ack({ response_action: "errors", errors: parsed.errors });
  // Saving drops the tracker's cached settings too (app/settings.ts); this replica's event cache here.
  await rt.service.saveSettings(ws, parsed.value);
  rt.forgetEventWorkspace(ctx);
  await ack();
}
