import type { App, RespondArguments, RespondFn, webApi } from "@slack/bolt";
import type { CommandContext, Reply } from "../../../app/service.ts";
import { parseCommand } from "../../../core/commands.ts";
import { COMMAND } from "../ids.ts";
import { type SlashCommand, slashCommandSchema } from "../payloads.ts";
import { digestBlocks } from "../render/digest.ts";
import { docMessage } from "../render/doc.ts";
import { settingsModal } from "../render/modals.ts";
import type { SlackContext, SlackRuntime } from "../runtime.ts";
import { isSlackError } from "../users.ts";

// `/offline …`: acknowledged at once (Slack allows 3 s), then parsed by the shared grammar and run
// by the core service in the background. Replies are ephemeral, through response_url.

export function registerCommands(app: App, rt: SlackRuntime): void {
  app.command(COMMAND, async ({ ack, body, respond, context, client }) => {
    await ack();
    const command = slashCommandSchema.safeParse(body);
    if (!command.success) {
      rt.log.warn("malformed slash command ignored");
      return;
    }
    rt.background.run("slack:/offline", () =>
      runCommand(rt, context, client, command.data, respond).catch(async (err: unknown) => {
        rt.log.error("slash command failed", { err, command: command.data.text.split(/\s/)[0] });
        await respond(ephemeral("Sorry, something went wrong on my side. Please try again in a minute."));
      }),
    );
  });
}

/**
 * Slack escapes mentions as <@U123|handle>; the handle is not the person's name, so drop it and
 * let the service look the name up (users.info) when it needs one.
 */
export function withoutMentionLabels(text: string): string {
  // [^<>]: with [^>] an unclosed "<@U1|" read to the end of the text from each one (quadratic).
  return text.replace(/<@([UW][A-Z0-9]+)\|[^<>]*>/g, "<@$1>");
}

function ephemeral(text: string, extra: Partial<RespondArguments> = {}): RespondArguments {
  return { response_type: "ephemeral", text, ...extra } as RespondArguments;
}

export async function runCommand(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  command: SlashCommand,
  respond: RespondFn,
): Promise<void> {
  const ws = await rt.workspaceFor(ctx);
  if (!ws) {
    await respond(ephemeral("This workspace isn't set up yet. Ask an admin to reinstall Take It Offline."));
    return;
  }
  const home = rt.home(ctx);
  const actor = await rt.actor(client, ws, home, command.user_id);
  if (!actor) {
    await respond(ephemeral("Only members of this workspace can use /offline."));
    return;
  }
  const parsed = parseCommand(withoutMentionLabels(command.text), { prefix: `${COMMAND} `, now: rt.now() });
  const ctxFor: CommandContext = {
    isAdmin: actor.administers,
    resolveUser: async (id) => rt.person(client, ws, home, id),
    chat: rt.chat,
    lunchChat: rt.chat,
    teammates: (id) => rt.teammate(client, ws, home, id),
  };
  let reply: Reply;
  try {
    reply = await rt.service.execute(ws, actor.member, parsed, ctxFor);
  } catch (err) {
    // `digest now` into a channel the bot isn't in: say how to fix it rather than "failed".
    if (
      parsed.kind === "digest" &&
      ws.digestChannel &&
      (isSlackError(err, "not_in_channel") || isSlackError(err, "channel_not_found"))
    ) {
      await respond(
        ephemeral(
          `I can't post in <#${ws.digestChannel}>: invite me to it first, or pick another channel in \`/offline settings\`.`,
        ),
      );
      return;
    }
    throw err;
  }
  await deliver(client, command, reply, respond, parsed.kind === "help");
  if (parsed.kind === "forget-me") rt.users.forget(home);
}

async function deliver(
  client: webApi.WebClient,
  command: SlashCommand,
  reply: Reply,
  respond: RespondFn,
  isHelp: boolean,
): Promise<void> {
  switch (reply.kind) {
    case "text":
      // Help is column-aligned plain text; a code block keeps it readable.
      await respond(ephemeral(isHelp ? `\`\`\`${reply.text}\`\`\`` : reply.text));
      return;
    case "error":
      await respond(ephemeral(reply.text));
      return;
    case "digest":
      await respond(ephemeral(reply.text, { blocks: digestBlocks(reply.view) }));
      return;
    case "doc": {
      // forget-me's question, `home`: a document with buttons, answered in place (listeners/actions.ts).
      const msg = docMessage(reply.doc);
      await respond(ephemeral(msg.text, { blocks: msg.blocks }));
      return;
    }
    case "settings": {
      if (!command.trigger_id) {
        await respond(ephemeral("I couldn't open the settings form here. Try `/offline settings` again."));
        return;
      }
      await client.views.open({ trigger_id: command.trigger_id, view: settingsModal(reply.workspace) });
      return;
    }
    case "lunch": {
      if (!reply.ics) {
        await respond(ephemeral(reply.text));
        return;
      }
      // The invite itself went to the DM with the attendees' notes (the plan-lunch use case).
      await respond(ephemeral(`${reply.text} I put a calendar invite in our DM.`));
      return;
    }
  }
}
