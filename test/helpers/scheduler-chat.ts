import type { ChatPort, Prompt } from "../../src/app/service.ts";
import type { DigestView } from "../../src/core/digest.ts";
import type { Member, Workspace } from "../../src/core/types.ts";

// A chat platform double for in-process scheduler tests: it plays the part of the remote side
// (the channel history a real platform keeps), with switches to make a post hang or fail. The
// multi-process tests use the real Slack adapter against test/helpers/fake-slack.ts instead.

export interface PostedDigest {
  workspaceId: string;
  channel: string;
  key: string;
  ref: string;
  week: string;
}

export interface SentPrompt {
  workspaceId: string;
  memberId: string;
  prompt: Prompt;
}

export interface TestChat extends ChatPort {
  posts: PostedDigest[];
  prompts: SentPrompt[];
  /** "hang-before": never reaches the channel; "hang-after": reaches it, the reply never comes; "fail": rejected. */
  mode: "ok" | "hang-before" | "hang-after" | "fail";
  /** Resolves when a post call has started (any mode). */
  postStarted(): Promise<void>;
}

export function createTestChat(options: { canFind?: boolean } = {}): TestChat {
  const posts: PostedDigest[] = [];
  const prompts: SentPrompt[] = [];
  let counter = 0;
  let startedWaiters: Array<() => void> = [];
  const chat: TestChat = {
    posts,
    prompts,
    mode: "ok",
    postStarted: () => new Promise<void>((resolve) => startedWaiters.push(resolve)),
    async sendPrompt(ws: Workspace, member: Member, prompt: Prompt) {
      prompts.push({ workspaceId: ws.id, memberId: member.id, prompt });
      return `dm-${++counter}`;
    },
    async postDigest(ws: Workspace, channel: string, digest: DigestView, key: string) {
      for (const w of startedWaiters) w();
      startedWaiters = [];
      const mode = chat.mode;
      if (mode === "fail") throw new Error("channel_not_found");
      if (mode === "hang-before") return new Promise<string>(() => {});
      const ref = `${channel}:${++counter}`;
      posts.push({ workspaceId: ws.id, channel, key, ref, week: digest.week });
      if (mode === "hang-after") return new Promise<string>(() => {});
      return ref;
    },
  };
  if (options.canFind !== false) {
    chat.findDigestPost = async (_ws: Workspace, channel: string, key: string) =>
      posts.find((p) => p.channel === channel && p.key === key)?.ref ?? null;
  }
  return chat;
}
