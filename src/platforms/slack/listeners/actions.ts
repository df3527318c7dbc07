import type { App, webApi } from "@slack/bolt";
import type { PromptAction } from "../../../app/service.ts";
import { nextWeekday } from "../../../core/forms/lunch.ts";
import { PROMPT_TEAMMATES } from "../../../core/prompt-text.ts";
import type { Workspace } from "../../../core/types.ts";
import { parseMessageRef } from "../chat.ts";
import { ACTIONS, type ActionId } from "../ids.ts";
import {
  type BlockActionBody,
  blockActionBodySchema,
  parseContactValue,
  parseLunchValue,
  parseMoreValue,
  parseNudgeValue,
} from "../payloads.ts";
import { lunchModal } from "../render/modals.ts";
import type { SlackContext, SlackRuntime } from "../runtime.ts";
import { publishHome } from "./events.ts";

// Buttons. Each click is acknowledged at once; the work runs in the background and ends by
// replacing the prompt with its outcome (no buttons left), so a second click has nothing to press.
// The service is idempotent too (compare-and-set on the nudge/lunch status), for clicks on stale copies.

type Handler = (
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: BlockActionBody,
  ws: Workspace,
) => Promise<void>;

const HANDLERS: Record<ActionId, Handler> = {
  [ACTIONS.plan]: (rt, ctx, client, body, ws) => onPrompt(rt, ctx, client, body, ws, "plan"),
  [ACTIONS.snooze]: (rt, ctx, client, body, ws) => onPrompt(rt, ctx, client, body, ws, "snooze"),
  [ACTIONS.met]: (rt, ctx, client, body, ws) => onPrompt(rt, ctx, client, body, ws, "met"),
  [ACTIONS.notContact]: (rt, ctx, client, body, ws) => onPrompt(rt, ctx, client, body, ws, "not-contact"),
  [ACTIONS.more]: (rt, ctx, client, body, ws) => {
    const more = parseMoreValue(body.actions[0]?.selected_option?.value);
    if (!more) {
      rt.log.warn("prompt overflow without a valid option");
      return Promise.resolve();
    }
    return onPrompt(rt, ctx, client, body, ws, more.action, more.nudgeId);
  },
  [ACTIONS.track]: (rt, ctx, client, body, ws) => onPrompt(rt, ctx, client, body, ws, "track"),
  [ACTIONS.ignore]: (rt, ctx, client, body, ws) => onPrompt(rt, ctx, client, body, ws, "ignore"),
  [ACTIONS.followUpYes]: (rt, ctx, client, body, ws) => onFollowUp(rt, ctx, client, body, ws, true),
  [ACTIONS.followUpNo]: (rt, ctx, client, body, ws) => onFollowUp(rt, ctx, client, body, ws, false),
  [ACTIONS.planContact]: onPlanContact,
  [ACTIONS.pause]: (rt, ctx, client, body, ws) => onPauseResume(rt, ctx, client, body, ws, true),
  [ACTIONS.resume]: (rt, ctx, client, body, ws) => onPauseResume(rt, ctx, client, body, ws, false),
};

export function registerActions(app: App, rt: SlackRuntime): void {
  for (const [actionId, handler] of Object.entries(HANDLERS) as Array<[ActionId, Handler]>) {
    app.action(actionId, async ({ ack, body, context, client }) => {
      await ack();
      const parsed = blockActionBodySchema.safeParse(body);
      if (!parsed.success) {
        rt.log.warn("malformed block action ignored", { actionId });
        return;
      }
      rt.background.run(`slack:${actionId}`, async () => {
        const ws = await rt.workspaceFor(context);
        if (ws) await oncePerClick(rt, ws, parsed.data, () => handler(rt, context, client, parsed.data, ws));
      });
    });
  }
}

/**
 * A click delivered again (a replayed payload, copies racing each other, another replica) has the
 * same action_ts, person and button: it runs once. Otherwise each copy would answer, and the
 * copies' "Already handled" would overwrite the first click's outcome. The key goes in the same
 * table as the event inbox, so replicas agree; no payload is kept.
 */
async function oncePerClick(
  rt: SlackRuntime,
  ws: Workspace,
  body: BlockActionBody,
  run: () => Promise<void>,
): Promise<void> {
  const action = body.actions[0];
  const at = action?.action_ts;
  if (!action || typeof at !== "string" || !at) return run();
  await rt.inbox.once(`slack:action:${ws.id}:${body.user.id}:${action.action_id}:${at}`, ws.id, run);
}

/** Where the clicked prompt lives: the message clicked, or (from App Home) the DM the prompt was sent as. */
function clickedMessage(body: BlockActionBody): { channel: string; ts: string } | null {
  const c = body.container;
  if (c?.type === "message" && c.channel_id && c.message_ts)
    return { channel: c.channel_id, ts: c.message_ts };
  if (body.channel?.id && body.message?.ts) return { channel: body.channel.id, ts: body.message.ts };
  return null;
}

function fromHome(body: BlockActionBody): boolean {
  return body.container?.type === "view";
}

/** The lunch form's default date (the next weekday), shared with Teams. */
export { nextWeekday };

async function onPrompt(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: BlockActionBody,
  ws: Workspace,
  action: PromptAction,
  chosenNudgeId?: string,
): Promise<void> {
  const nudgeId = chosenNudgeId ?? parseNudgeValue(body.actions[0]?.value);
  if (!nudgeId) {
    rt.log.warn("prompt button without a valid nudge id", { action });
    return;
  }
  const actor = await rt.actor(client, ws, rt.home(ctx), body.user.id);
  if (!actor) return;
  const outcome = await rt.service.handlePromptAction(ws, actor.member, nudgeId, action);
  // outcome.messageRef is set only for the actor's own prompt: someone else's DM is never touched.
  const target = clickedMessage(body) ?? parseMessageRef(outcome.messageRef);

  if (action === "plan" && outcome.lunchForm && body.trigger_id) {
    const f = outcome.lunchForm;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: lunchModal({
        contactName: f.contactName,
        meta: {
          contactId: f.contactId,
          nudgeId: f.nudgeId,
          channel: target?.channel ?? null,
          ts: target?.ts ?? null,
        },
        // The teammates the prompt named (most active first); the form lets them add more.
        teammates: f.teammates.slice(0, PROMPT_TEAMMATES).map((t) => t.platformUserId),
        initialDate: nextWeekday(rt.now(), actor.member.tz ?? ws.timezone),
      }),
    });
    return;
  }
  if (target) await rt.chat.replace(client, target, outcome.text);
  if (fromHome(body)) await publishHome(rt, ctx, client, ws, body.user.id);
}

/** The digest's Plan lunch: the same lunch form a prompt's Plan lunch opens, without a prompt. */
async function onPlanContact(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: BlockActionBody,
  ws: Workspace,
): Promise<void> {
  const contactId = parseContactValue(body.actions[0]?.value);
  if (!contactId || !body.trigger_id) {
    rt.log.warn("digest plan button without a valid contact id");
    return;
  }
  const actor = await rt.actor(client, ws, rt.home(ctx), body.user.id);
  if (!actor) return;
  const form = await rt.service.lunchFormFor(ws, actor.member, contactId);
  if (!form) return;
  await client.views.open({
    trigger_id: body.trigger_id,
    view: lunchModal({
      contactName: form.contactName,
      // No prompt to update: the digest stays as it is for everyone else.
      meta: { contactId: form.contactId, nudgeId: null, channel: null, ts: null },
      teammates: form.teammates.slice(0, PROMPT_TEAMMATES).map((t) => t.platformUserId),
      initialDate: nextWeekday(rt.now(), actor.member.tz ?? ws.timezone),
    }),
  });
}

async function onFollowUp(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: BlockActionBody,
  ws: Workspace,
  happened: boolean,
): Promise<void> {
  const lunchId = parseLunchValue(body.actions[0]?.value);
  if (!lunchId) {
    rt.log.warn("follow-up button without a valid lunch id");
    return;
  }
  const actor = await rt.actor(client, ws, rt.home(ctx), body.user.id);
  if (!actor) return;
  const outcome = await rt.service.answerFollowUp(ws, actor.member, lunchId, happened);
  const target = clickedMessage(body);
  if (target) await rt.chat.replace(client, target, outcome.text);
}

async function onPauseResume(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: BlockActionBody,
  ws: Workspace,
  pause: boolean,
): Promise<void> {
  const actor = await rt.actor(client, ws, rt.home(ctx), body.user.id);
  if (!actor) return;
  await rt.service.execute(ws, actor.member, pause ? { kind: "pause", days: null } : { kind: "resume" }, {
    isAdmin: actor.person.isAdmin,
  });
  await publishHome(rt, ctx, client, ws, body.user.id);
}
