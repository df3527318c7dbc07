// The Teams tab's sign-in (the manifest's staticTabs contentUrl): inside Teams the dashboard can
// neither use the Slack/Microsoft sign-in pages (they refuse to be framed) nor a Lax cookie. So
// it asks Teams for the person's token (single sign-on: authentication.getAuthToken), posts it
// to the server (POST /app/auth/teams-sso), which checks it and sets the tab's partitioned
// session cookie, and goes on to the overview. teams-js is bundled by our build (assets.ts).
import { app, authentication } from "@microsoft/teams-js";

const INIT_TIMEOUT_MS = 8000;
const prefix = location.pathname.replace(/\/teams$/, "");

function show(id: string, text: string): void {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
}

function failed(reason: string): void {
  show("tab-status", "Couldn't sign you in.");
  show("tab-reason", reason);
  document.getElementById("tab-failed")?.removeAttribute("hidden");
}

async function signIn(): Promise<void> {
  document.getElementById("tab-failed")?.setAttribute("hidden", "");
  show("tab-status", "Signing you in with your Teams account…");
  try {
    if (!app.isInitialized()) {
      // Outside Teams nobody answers, and initialize would wait for ever.
      await Promise.race([
        app.initialize(),
        new Promise((_, reject) => setTimeout(() => reject(new Error("no host")), INIT_TIMEOUT_MS)),
      ]);
      // Loaded: Teams shows this page (with its message, should sign-in fail) instead of a spinner.
      app.notifySuccess();
    }
  } catch {
    return failed("This page is the dashboard's Microsoft Teams tab, and it isn't open in Teams.");
  }
  let token: string;
  try {
    token = await authentication.getAuthToken();
  } catch (err) {
    // Teams says why (e.g. resourceRequiresConsent, or no webApplicationInfo in the manifest).
    const why = err instanceof Error ? err.message : String(err);
    return failed(`Teams didn't give this app a sign-in token (${why}).`);
  }
  const res = await fetch(`${prefix}/auth/teams-sso`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }).toString(),
    credentials: "same-origin",
  }).catch(() => null);
  const answer = (await res?.json().catch(() => null)) as {
    ok?: boolean;
    error?: string;
    to?: string;
  } | null;
  if (!res || !answer?.ok || !answer.to)
    return failed(answer?.error ?? "The server didn't answer. Please try again.");
  location.assign(answer.to);
}

/** The fallback: the Microsoft sign-in in Teams' pop-up, which hands back a one-time token. */
async function signInWithPopup(): Promise<void> {
  let token: string;
  try {
    token = await authentication.authenticate({
      url: `${location.origin}${prefix}/auth/microsoft?tab=1`,
      width: 600,
      height: 600,
    });
  } catch (err) {
    return failed(`The pop-up sign-in didn't finish (${err instanceof Error ? err.message : String(err)}).`);
  }
  location.assign(`${prefix}/auth/link?tab=1&token=${encodeURIComponent(token)}`);
}

/** In the pop-up, at the end of the Microsoft sign-in: hand the token to the tab (Teams closes us). */
async function finishPopup(result: HTMLElement): Promise<void> {
  const { token } = JSON.parse(result.textContent ?? "{}") as { token?: string };
  await app.initialize();
  authentication.notifySuccess(token ?? "");
}

const popupResult = document.getElementById("tab-result");
if (popupResult) {
  void finishPopup(popupResult);
} else {
  document.getElementById("tab-retry")?.addEventListener("click", () => {
    void signIn();
  });
  document.getElementById("tab-popup")?.addEventListener("click", () => {
    void signInWithPopup();
  });
  if (document.getElementById("tab-failed")?.hasAttribute("hidden")) void signIn();
}
