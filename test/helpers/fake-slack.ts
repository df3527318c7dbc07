// The fake Slack Web API lives in src/devtools so `npm run demo` can use the same one; tests import
// it from here. See src/devtools/fake-slack.ts for what it serves and how to script it.
export {
  type FakeHandler,
  type FakeMessage,
  type FakeReply,
  FakeSlack,
  type FakeSlackCall,
  type FakeSlackOptions,
  type FakeSlackUser,
} from "../../src/devtools/fake-slack.ts";
