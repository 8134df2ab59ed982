import { Api, credentials } from "./api.js";
import { h, replace } from "./dom.js";
import { decode, errorBox, needsCredentials } from "./failure.js";
import { lostFeeds, onConnectionChange } from "./feed.js";
import { analyticsPage } from "./pages/analytics.js";
import { destinationsPage } from "./pages/destinations.js";
import { eventsPage } from "./pages/events.js";
import { runtimePage } from "./pages/runtime.js";
import { runtimesPage } from "./pages/runtimes.js";

/** What a page gets: the API, and a way to report that a call was refused for want of credentials. */
export interface PageContext {
  api: Api;
  /** Call with any failure: an UNAUTHENTICATED one opens the credentials prompt. */
  refused(error: unknown): void;
}

/** A page renders into `root` and returns what stops its feeds and timers when the user leaves it. */
export type Page = (root: HTMLElement, context: PageContext, parameter: string) => () => void;

const pages: Record<string, { title: string; page: Page; nav: boolean }> = {
  runtimes: { title: "Runtimes", page: runtimesPage, nav: true },
  runtime: { title: "Runtime", page: runtimePage, nav: false },
  destinations: { title: "Destinations", page: destinationsPage, nav: true },
  events: { title: "Events", page: eventsPage, nav: true },
  analytics: { title: "Analytics", page: analyticsPage, nav: true },
};

const api = new Api();
const main = h("main", { id: "page" });
const banner = h("div", { class: "banner", "data-testid": "connection-banner", hidden: true });
const who = h("span", { class: "who", "data-testid": "who" });
const authPanel = h("section", { class: "auth", "data-testid": "auth", hidden: true });
const nav = h("nav", {}, ...Object.entries(pages).filter(([, p]) => p.nav)
  .map(([name, p]) => h("a", { href: `#/${name}`, "data-page": name }, p.title)));

let leave: (() => void) | undefined;

function route(): void {
  leave?.();
  const [name, ...rest] = location.hash.replace(/^#\/?/, "").split("/");
  const entry = pages[name] ?? pages.runtimes;
  for (const link of nav.querySelectorAll("a")) {
    link.classList.toggle("active", link.dataset.page === (pages[name] ? name : "runtimes"));
  }
  document.title = `${entry.title} · Runtime console`;
  replace(main);
  main.dataset.page = pages[name] ? name : "runtimes";
  leave = entry.page(main, context, decodeURIComponent(rest.join("/")));
}

/** Asks for an API key or token, showing why the server refused (the ErrorInfo reason), never a blank page. */
function askForCredentials(error?: unknown): void {
  const input = h("input", { type: "password", name: "token", autocomplete: "off", placeholder: "API key or JWT", "data-testid": "token" });
  const form = h("form", { class: "inline" }, input,
    h("button", { type: "submit", "data-testid": "token-submit" }, "Use"),
    credentials.token ? h("button", { type: "button", class: "secondary", onclick: () => use("") }, "Forget the key") : null);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    use(input.value.trim());
  });
  replace(authPanel, h("h2", {}, "This server requires authentication"),
    h("p", {}, "Calls are sent with ", h("code", {}, "authorization: Bearer <key>"), ". Create a key with ",
      h("code", {}, "dotnet Runtime.Server.dll apikey create --name NAME --scopes admin"), "."),
    error ? errorBox("Refused", error) : null, form);
  authPanel.hidden = false;
}

function use(token: string): void {
  credentials.token = token;
  authPanel.hidden = true;
  void identify();
  route();
}

const context: PageContext = {
  api,
  refused(error: unknown) {
    if (needsCredentials(error)) {
      askForCredentials(error);
    }
  },
};

/** Shows who the server takes us for; asks for credentials when it refuses us. */
async function identify(): Promise<void> {
  try {
    const me = await api.access.whoAmI({});
    replace(who, !me.authenticationEnabled ? "authentication off" : `${me.displayName || me.principal} (${me.scopes.length} scopes)`);
  } catch (error) {
    replace(who, decode(error).reason || "not signed in");
    context.refused(error);
  }
}

onConnectionChange(() => {
  const lost = lostFeeds();
  banner.hidden = lost.size === 0;
  replace(banner, lost.size === 0 ? "" :
    `Connection to the server lost (${[...lost.values()].filter(Boolean)[0] ?? "no answer"}). ` +
    "Reconnecting; live feeds resume from their last sequence or cycle, nothing is skipped silently.");
});

document.body.append(
  h("header", {}, h("h1", {}, h("a", { href: "#/runtimes" }, "Runtime")), nav, who,
    h("button", { type: "button", class: "secondary", onclick: () => askForCredentials() }, "API key")),
  banner, authPanel, main);
window.addEventListener("hashchange", route);
void identify();
route();
