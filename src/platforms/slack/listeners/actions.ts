import type { App, RespondFn, webApi } from "@slack/bolt";
import type { PromptAction } from "../../../app/service.ts";
import { nextWeekday } from "../../../core/forms/lunch.ts";
import type { FollowUpAnswer, NoticedAnswer, ReviewAnswer } from "../../../core/messages/doc.ts";
import type { LunchSlotOffer } from "../../../core/messages/lunch-form.ts";
import { REVIEW_REPLIES } from "../../../core/messages/review.ts";
import { PROMPT_TEAMMATES } from "../../../core/prompt-text.ts";
import type { Member, Workspace } from "../../../core/types.ts";
import { parseMessageRef } from "../chat.ts";
import { ACTIONS, type ActionId } from "../ids.ts";
import {
  type BlockActionBody,
  blockActionBodySchema,
  parseContactValue,
  parseLunchValue,
  parseMemberValue,
  parseMoreValue,
  parseNoticeValue,
  parseNudgeValue,
  parsePauseValue,
  parseReviewValue,
} from "../payloads.ts";
import { docBlocks, docMessage } from "../render/doc.ts";
import { lunchModal } from "../render/modals.ts";
import { outcomeMessage, type SlackMessage } from "../render/prompt.ts";
import type { SlackContext, SlackRuntime } from "../runtime.ts";
import { homeDocFor, publishHome } from "./events.ts";

// Buttons. Each click is acknowledged at once; the work runs in the background and ends by
// replacing the prompt with its outcome (no buttons left), so a second click has nothing to press.
// The service is idempotent too (compare-and-set on the nudge/lunch status), for clicks on stale copies.

type Handler = (
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: BlockActionBody,
  ws: Workspace,
  /** Replaces the clicked message through its response_url (an ephemeral reply, which chat.update can't reach). */
  respond: RespondFn,
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
  [ACTIONS.hide]: (rt, ctx, client, body, ws) => onPrompt(rt, ctx, client, body, ws, "hide"),
  [ACTIONS.keep]: (rt, ctx, client, body, ws) => onPrompt(rt, ctx, client, body, ws, "keep"),
  [ACTIONS.undo]: (rt, ctx, client, body, ws) => onPrompt(rt, ctx, client, body, ws, "undo"),
  [ACTIONS.followUpYes]: (rt, ctx, client, body, ws) => onFollowUp(rt, ctx, client, body, ws, "happened"),
  [ACTIONS.followUpLater]: (rt, ctx, client, body, ws) => onFollowUp(rt, ctx, client, body, ws, "later"),
  [ACTIONS.followUpNo]: (rt, ctx, client, body, ws) => onFollowUp(rt, ctx, client, body, ws, "off"),
  [ACTIONS.planContact]: onPlanContact,
  [ACTIONS.forgetMe]: (rt, ctx, client, body, ws, respond) =>
    onForgetMe(rt, ctx, client, body, ws, respond, true),
  [ACTIONS.forgetMeCancel]: (rt, ctx, client, body, ws, respond) =>
    onForgetMe(rt, ctx, client, body, ws, respond, false),
  [ACTIONS.pause]: (rt, ctx, client, body, ws, respond) =>
    onPauseResume(rt, ctx, client, body, ws, respond, parsePauseValue(body.actions[0]?.value)),
  [ACTIONS.pauseMore]: (rt, ctx, client, body, ws, respond) =>
    onPauseResume(
      rt,
      ctx,
      client,
      body,
      ws,
      respond,
      parsePauseValue(body.actions[0]?.selected_option?.value),
    ),
  [ACTIONS.resume]: (rt, ctx, client, body, ws, respond) =>
    onPauseResume(rt, ctx, client, body, ws, respond, "resume"),
  [ACTIONS.connectCalendar]: onConnectCalendar,
  // Slack opened the link in the browser; the click itself needs nothing more than the ack.
  [ACTIONS.openUrl]: async () => {},
  [ACTIONS.metYes]: (rt, ctx, client, body, ws) => onNoticed(rt, ctx, client, body, ws, "yes"),
  [ACTIONS.metNo]: (rt, ctx, client, body, ws) => onNoticed(rt, ctx, client, body, ws, "no"),
  [ACTIONS.metUndo]: (rt, ctx, client, body, ws) => onNoticed(rt, ctx, client, body, ws, "undo"),
  [ACTIONS.reviewTrack]: (rt, ctx, client, body, ws, respond) =>
    onReview(rt, ctx, client, body, ws, respond, "track"),
  [ACTIONS.reviewUndo]: (rt, ctx, client, body, ws, respond) =>
    onReview(rt, ctx, client, body, ws, respond, "undo"),
  [ACTIONS.reviewAnswer]: (rt, ctx, client, body, ws, respond) =>
    onReview(rt, ctx, client, body, ws, respond, null),
};

/** "Connect calendar" (App Home, a reply): fresh consent links, in the person's DM. */
async function onConnectCalendar(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: BlockActionBody,
  ws: Workspace,
): Promise<void> {
  const actor = await rt.actor(client, ws, rt.home(ctx), body.user.id);
  if (!actor) return;
  const reply = await rt.service.execute(
    ws,
    actor.member,
    { kind: "calendar", action: "connect", provider: null },
    { isAdmin: actor.administers },
  );
  const message =
    reply.kind === "doc" ? docMessage(reply.doc) : outcomeMessage("text" in reply ? reply.text : "");
  await rt.chat.dm(ws, actor.member, message, client);
}

export function registerActions(app: App, rt: SlackRuntime): void {
  for (const [actionId, handler] of Object.entries(HANDLERS) as Array<[ActionId, Handler]>) {
    app.action(actionId, async ({ ack, body, context, client, respond }) => {
      await ack();
      const parsed = blockActionBodySchema.safeParse(body);
      if (!parsed.success) {
        rt.log.warn("malformed block action ignored", { actionId });
        return;
      }
      rt.background.run(`slack:${actionId}`, async () => {
        const ws = await rt.workspaceFor(context);
        if (ws)
          await oncePerClick(rt, ws, parsed.data, () =>
            handler(rt, context, client, parsed.data, ws, respond),
          );
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

/**
 * Where the clicked prompt lives: the message clicked, or (from App Home, or from the ephemeral
 * `/offline home` reply, which chat.update can't reach) the DM the prompt was sent as.
 */
function clickedMessage(body: BlockActionBody): { channel: string; ts: string } | null {
  const c = body.container;
  if (c?.is_ephemeral === true) return null;
  if (c?.type === "message" && c.channel_id && c.message_ts)
    return { channel: c.channel_id, ts: c.message_ts };
  if (body.channel?.id && body.message?.ts) return { channel: body.channel.id, ts: body.message.ts };
  return null;
}

function fromHome(body: BlockActionBody): boolean {
  return body.container?.type === "view";
}

/**
 * Free slots for the lunch form, for the organizer and the teammates it preselects. Fetched before
 * views.open with a short budget (SLOT_LOOKUP_TIMEOUT_MS, 1.5 s) rather than opening first and
 * updating: the trigger_id lasts 3 s, free/busy usually answers well within the budget, and a modal
 * that changes under the person's cursor is worse than one that opens a moment later. A slow or
 * failing calendar gives the form without slots.
 */
function lunchSlots(
  rt: SlackRuntime,
  ws: Workspace,
  organizer: Member,
  teammates: ReadonlyArray<{ id: string }>,
): Promise<LunchSlotOffer> {
  return rt.service.lunchSlots({
    workspace: ws,
    organizer,
    attendeeIds: teammates.slice(0, PROMPT_TEAMMATES).map((t) => t.id),
    onError: (err, member) =>
      rt.log.warn("calendar free/busy failed", { err, member: member.platformUserId }),
  });
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
    const slots = await lunchSlots(rt, ws, actor.member, f.teammates);
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
        slots,
      }),
    });
    return;
  }
  if (target) await rt.chat.replace(client, target, outcome.text, undefined, outcome.doc);
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
  const slots = await lunchSlots(rt, ws, actor.member, form.teammates);
  await client.views.open({
    trigger_id: body.trigger_id,
    view: lunchModal({
      contactName: form.contactName,
      // No prompt to update: the digest stays as it is for everyone else.
      meta: { contactId: form.contactId, nudgeId: null, channel: null, ts: null },
      teammates: form.teammates.slice(0, PROMPT_TEAMMATES).map((t) => t.platformUserId),
      initialDate: nextWeekday(rt.now(), actor.member.tz ?? ws.timezone),
      slots,
    }),
  });
}

async function onFollowUp(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: BlockActionBody,
  ws: Workspace,
  answer: FollowUpAnswer,
): Promise<void> {
  const lunchId = parseLunchValue(body.actions[0]?.value);
  if (!lunchId) {
    rt.log.warn("follow-up button without a valid lunch id");
    return;
  }
  const actor = await rt.actor(client, ws, rt.home(ctx), body.user.id);
  if (!actor) return;
  const outcome = await rt.service.answerFollowUp(ws, actor.member, lunchId, answer);
  const target = clickedMessage(body);
  if (target) await rt.chat.replace(client, target, outcome.text, undefined, outcome.doc);
}

/**
 * Yes / No on the question about a meeting mentioned in chat (the question is replaced by the
 * outcome), or Undo on a meeting counted from the calendar: that line sits under a prompt or in
 * App Home, which stay; the outcome goes to the DM as a message of its own, and Home is redrawn.
 */
async function onNoticed(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: BlockActionBody,
  ws: Workspace,
  answer: NoticedAnswer,
): Promise<void> {
  const noticeId = parseNoticeValue(body.actions[0]?.value);
  if (!noticeId) {
    rt.log.warn("noticed-meeting button without a valid id", { answer });
    return;
  }
  const actor = await rt.actor(client, ws, rt.home(ctx), body.user.id);
  if (!actor) return;
  const outcome = await rt.service.answerNoticed(ws, actor.member, noticeId, answer);
  if (answer !== "undo") {
    const target = clickedMessage(body) ?? parseMessageRef(outcome.messageRef);
    if (target) await rt.chat.replace(client, target, outcome.text, undefined, outcome.doc);
  } else if (fromHome(body)) {
    await publishHome(rt, ctx, client, ws, body.user.id);
  } else {
    await rt.chat.dm(ws, actor.member, outcomeMessage(outcome.text), client);
  }
}

/**
 * Pause (for the days chosen, or until resume) or resume, from the personal view: App Home is
 * published again, and a `/offline home` reply it was clicked in is replaced by the updated view.
 */
async function onPauseResume(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: BlockActionBody,
  ws: Workspace,
  respond: RespondFn,
  choice: number | null | undefined | "resume",
): Promise<void> {
  if (choice === undefined) {
    rt.log.warn("pause button without a valid duration");
    return;
  }
  const actor = await rt.actor(client, ws, rt.home(ctx), body.user.id);
  if (!actor) return;
  const reply = await rt.service.execute(
    ws,
    actor.member,
    choice === "resume" ? { kind: "resume" } : { kind: "pause", days: choice },
    { isAdmin: actor.administers },
  );
  if (fromHome(body)) {
    await publishHome(rt, ctx, client, ws, body.user.id);
    return;
  }
  const member = (await rt.actor(client, ws, rt.home(ctx), body.user.id))?.member ?? actor.member;
  const doc = await homeDocFor(rt, ws, member);
  await replaceReply(respond, {
    text: reply.kind === "text" ? reply.text : doc.summary,
    blocks: docBlocks(doc),
  });
}

/** forget-me's question answered: delete (and say so), or keep everything. */
async function onForgetMe(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: BlockActionBody,
  ws: Workspace,
  respond: RespondFn,
  confirm: boolean,
): Promise<void> {
  const actor = await rt.actor(client, ws, rt.home(ctx), body.user.id);
  if (!actor) return;
  // Only the person who asked answers (the reply is theirs alone; a forged payload is refused).
  if (parseMemberValue(body.actions[0]?.value) !== actor.member.id) {
    rt.log.warn("forget-me answered by someone other than who asked");
    return;
  }
  if (!confirm) {
    await replaceReply(respond, outcomeMessage("Nothing was deleted. Your data stays as it was."));
    return;
  }
  const reply = await rt.service.execute(
    ws,
    actor.member,
    { kind: "forget-me", confirmed: true },
    { isAdmin: actor.administers },
  );
  rt.users.forget(rt.home(ctx));
  await replaceReply(respond, outcomeMessage(reply.kind === "text" ? reply.text : "Done."));
}

/**
 * A review row's answer: applied by the use case (admins and the review's recipients only), then
 * the review is shown as it now stands where it was clicked: the DM, the `/offline review` reply,
 * or App Home.
 */
async function onReview(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  body: BlockActionBody,
  ws: Workspace,
  respond: RespondFn,
  /** null: the answer is in the value (an option of the "⋯" menu, or a button naming it). */
  button: ReviewAnswer | null,
): Promise<void> {
  const action = body.actions[0];
  const value = parseReviewValue(action?.selected_option?.value ?? action?.value);
  const answer = button ?? value?.answer;
  if (!value || !answer) {
    rt.log.warn("review button without a valid value", { answer });
    return;
  }
  const actor = await rt.actor(client, ws, rt.home(ctx), body.user.id);
  if (!actor) return;
  const reply = await rt.service.answerReview(
    ws,
    actor.member,
    actor.administers,
    value.reviewId,
    value.contactId,
    answer,
  );
  if (reply.kind === "refused") {
    // Said to the person (as Teams does), not only logged: a click that changes nothing must say why.
    rt.log.info("review answer refused", { reason: reply.reason, workspaceId: ws.id });
    const text = REVIEW_REPLIES[reply.reason === "not-admin" ? "notAdmin" : reply.reason];
    await rt.chat.dm(ws, actor.member, outcomeMessage(text), client);
    return;
  }
  if (fromHome(body)) {
    await publishHome(rt, ctx, client, ws, body.user.id);
    return;
  }
  const target = clickedMessage(body);
  const message = docMessage(reply.doc);
  if (target) await client.chat.update({ channel: target.channel, ts: target.ts, ...message });
  else await replaceReply(respond, message);
}

/** Replaces the ephemeral reply a button was clicked in (chat.update can't reach those). */
async function replaceReply(respond: RespondFn | undefined, message: SlackMessage): Promise<void> {
  // Bolt gives no respond() to a click without a response_url (App Home).
  if (typeof respond !== "function") return;
  await respond({ replace_original: true, text: message.text, blocks: message.blocks });
}
