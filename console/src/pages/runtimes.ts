import { create } from "@bufbuild/protobuf";
import { InputPhase } from "../../../clients/typescript/src/gen/runtime/v1/input_pb.js";
import {
  SubscribeRequestSchema,
  type RuntimeRow,
  type SubscribeResponse,
} from "../../../clients/typescript/src/gen/runtime/v1/observation_service_pb.js";
import { RuntimeState } from "../../../clients/typescript/src/gen/runtime/v1/runtime_pb.js";
import { ObservationCursor } from "../../../clients/typescript/src/streams.js";
import { confirmDialog, durationMs, enumName, field, h, replace } from "../dom.js";
import { errorBox } from "../failure.js";
import { Feed } from "../feed.js";
import type { Page } from "../main.js";
import { reportBox, runtimeOperations, type RuntimeOperation } from "./operations.js";

const shownPhases = [InputPhase.ACCEPTED, InputPhase.QUEUED, InputPhase.STAGED, InputPhase.APPLIED,
  InputPhase.APPLIED_PENDING_CONSUMPTION, InputPhase.CONSUMED, InputPhase.SUPERSEDED, InputPhase.COALESCED, InputPhase.ABANDONED];

/** "a=1, b=2" → { a: "1", b: "2" }. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const at = pair.indexOf("=");
    labels[at < 0 ? pair : pair.slice(0, at).trim()] = at < 0 ? "" : pair.slice(at + 1).trim();
  }
  return labels;
}

/**
 * Runtimes, live from the `runtimes` observer: its Subscribe stream (snapshot, then created / state-changed /
 * destroyed batches, resumed after the last cycle on reconnect, a GAP answered by a fresh snapshot) and, for the
 * queue depths and phase counts that change without events, its snapshot re-read every observer cycle.
 */
export const runtimesPage: Page = (root, { api, refused }) => {
  const rows = new Map<string, RuntimeRow>();
  let cycle = 0n;
  const filterId = h("input", { name: "prefix", placeholder: "id prefix", "data-testid": "filter-prefix" });
  const filterState = h("select", { name: "state", "data-testid": "filter-state" }, h("option", { value: "" }, "any state"),
    ...Object.values(RuntimeState).filter((v): v is RuntimeState => typeof v === "number" && v !== 0)
      .map((v) => h("option", { value: String(v) }, enumName(RuntimeState, v))));
  const filterLabels = h("input", { name: "labels", placeholder: "labels: team=shop, tier=1", "data-testid": "filter-labels" });
  const table = h("tbody", { "data-testid": "runtimes" });
  const summary = h("p", { class: "summary", "data-testid": "runtimes-summary" });
  const output = h("div", { class: "output", "data-testid": "output" });
  const log = h("ul", { class: "log", "data-testid": "observer-log" });

  const render = () => {
    const prefix = filterId.value.trim();
    const state = Number(filterState.value || "0");
    const labels = Object.entries(parseLabels(filterLabels.value));
    const shown = [...rows.values()]
      .filter((r) => r.runtimeId.startsWith(prefix) && (state === 0 || r.state === state)
        && labels.every(([k, v]) => r.labels[k] === v))
      .sort((a, b) => a.runtimeId.localeCompare(b.runtimeId));
    replace(table, ...shown.map(row));
    replace(summary, `${shown.length} of ${rows.size} runtimes · observer cycle ${cycle}`);
  };

  const row = (r: RuntimeRow) => {
    const counts = new Map(r.phaseCounts.map((p) => [p.phase, p.count]));
    return h("tr", { "data-runtime": r.runtimeId },
      h("td", {}, h("a", { href: `#/runtime/${encodeURIComponent(r.runtimeId)}` }, r.runtimeId)),
      h("td", { "data-testid": "state", class: `state ${enumName(RuntimeState, r.state)}` }, enumName(RuntimeState, r.state)),
      h("td", {}, r.destination),
      h("td", { class: "labels" }, Object.entries(r.labels).map(([k, v]) => `${k}=${v}`).join(", ")),
      h("td", { class: "num", "data-testid": "queue-depth" }, r.queueDepth),
      ...shownPhases.map((p) => h("td", { class: "num", "data-phase": enumName(InputPhase, p) }, counts.get(p) ?? 0n)),
      h("td", { class: "actions" }, ...runtimeOperations.map((op) =>
        h("button", { type: "button", class: op.danger ? "danger small" : "secondary small", "data-op": op.name,
          onclick: () => void operate(op, r.runtimeId) }, op.label))));
  };

  const operate = async (op: RuntimeOperation, runtimeId: string) => {
    if (!await confirmDialog(`${op.label} ${runtimeId}?`, op.explain, op.label)) {
      return;
    }
    try {
      replace(output, reportBox(await op.call(api, runtimeId)));
    } catch (error) {
      replace(output, errorBox(`${op.label} ${runtimeId}`, error));
      refused(error);
    }
  };

  const applySnapshot = (rowsIn: RuntimeRow[], at: bigint) => {
    if (at < cycle) {
      return;
    }
    cycle = at;
    rows.clear();
    rowsIn.forEach((r) => rows.set(r.runtimeId, r));
    render();
    feed.refresh();
  };

  const onMessage = (message: SubscribeResponse) => {
    const m = message.message;
    switch (m.case) {
      case "snapshot":
        if (m.value.data.case === "runtimes") {
          applySnapshot(m.value.data.value.runtimes, m.value.cycle);
        }
        break;
      case "batch":
        for (const event of m.value.events) {
          const existing = rows.get(event.subject);
          const to = event.attributes["to_state"] ?? event.attributes["state"];
          const state = to ? (RuntimeState[to.toUpperCase() as keyof typeof RuntimeState] as RuntimeState | undefined) : undefined;
          if (event.kind === "runtime_destroyed" && existing) {
            existing.state = RuntimeState.DESTROYED;
          } else if (existing && state !== undefined) {
            existing.state = state;
          }
          log.prepend(h("li", {}, `cycle ${m.value.cycle}: ${event.kind} ${event.subject}${to ? ` → ${to}` : ""}`));
        }
        // A created runtime's row (destination, labels, counts) comes with the next snapshot read.
        void refreshSnapshot();
        render();
        break;
      case "gap":
        log.prepend(h("li", { class: "gap", "data-testid": "gap" },
          `GAP after cycle ${m.value.after}: ${m.value.message || "history moved on"}; a fresh snapshot follows`));
        break;
      case "failure":
        log.prepend(h("li", { class: "failure" }, `cycle ${m.value.cycle} failed (${m.value.message}); showing the last good snapshot`));
        break;
    }
    while (log.children.length > 50) {
      log.lastElementChild?.remove();
    }
  };

  const status = h("div", { class: "status" });
  // Where a reconnect resumes (the last cycle delivered); the badge shows it.
  const cursor = new ObservationCursor(create(SubscribeRequestSchema, { observers: ["runtimes"], includeSnapshot: true }));
  const feed = new Feed("runtimes observer",
    (request, signal, onHeader) => api.observation.subscribe(request, { signal, onHeader }),
    cursor,
    onMessage,
    (error) => {
      replace(status, errorBox("The runtimes observer stream stopped", error));
      refused(error);
    },
    () => `after cycle ${cursor.cycles.get("runtimes") ?? "-"}`);

  let refreshing = false;
  const refreshSnapshot = async () => {
    if (refreshing) {
      return;
    }
    refreshing = true;
    try {
      const { snapshot } = await api.observation.getSnapshot({ observer: "runtimes" });
      if (snapshot?.data.case === "runtimes") {
        applySnapshot(snapshot.data.value.runtimes, snapshot.cycle);
      }
    } catch {
      // The feed's badge and the banner say the connection is gone; the next tick tries again.
    } finally {
      refreshing = false;
    }
  };

  // Re-read at the observer's own interval (ListObservers says it), while the feed is live.
  let timer = 0;
  void api.observation.listObservers({}).then((r) => {
    const interval = durationMs(r.observers.find((o) => o.name === "runtimes")?.interval) || 1000;
    timer = window.setInterval(() => {
      if (feed.current === "live") {
        void refreshSnapshot();
      }
    }, Math.max(100, interval));
  }).catch(refused);

  const id = h("input", { name: "runtimeId", required: true, placeholder: "orders-1", "data-testid": "create-id" });
  const destination = h("input", { name: "destination", placeholder: "inproc:accept or a destination name", "data-testid": "create-destination" });
  const labels = h("input", { name: "labels", placeholder: "team=shop", "data-testid": "create-labels" });
  const createForm = h("form", { class: "inline", "data-testid": "create-form" },
    field("Runtime id", id), field("Destination", destination), field("Labels", labels),
    h("button", { type: "submit", "data-testid": "create-submit" }, "Create"));
  createForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const request = { runtimeId: id.value.trim(), destination: destination.value.trim(), labels: parseLabels(labels.value) };
    const labelText = Object.entries(request.labels).map(([k, v]) => `${k}=${v}`).join(", ") || "none";
    if (!await confirmDialog(`Create ${request.runtimeId}?`,
      `Destination ${request.destination || "(none)"}; labels ${labelText}.`, "Create")) {
      return;
    }
    try {
      const created = await api.controlPlane.createRuntime(request);
      replace(output, h("div", { class: "report", "data-testid": "report" },
        `${created.created ? "Created" : "Already there, unchanged:"} ${created.runtime?.runtimeId} (${enumName(RuntimeState, created.runtime?.state ?? 0)})`));
      void refreshSnapshot();
    } catch (error) {
      replace(output, errorBox(`Create ${request.runtimeId}`, error));
      refused(error);
    }
  });

  for (const input of [filterId, filterState, filterLabels]) {
    input.addEventListener("input", render);
  }
  root.append(
    h("h2", {}, "Runtimes ", feed.badge),
    createForm, output, status,
    h("div", { class: "filters" }, field("Id prefix", filterId), field("State", filterState), field("Labels", filterLabels)),
    summary,
    h("table", { class: "grid" },
      h("thead", {}, h("tr", {}, h("th", {}, "Runtime"), h("th", {}, "State"), h("th", {}, "Destination"), h("th", {}, "Labels"),
        h("th", {}, "Queue"), ...shownPhases.map((p) => h("th", { class: "num", title: enumName(InputPhase, p) },
          p === InputPhase.APPLIED_PENDING_CONSUMPTION ? "pending" : enumName(InputPhase, p).toLowerCase())),
        h("th", {}, ""))),
      table),
    h("h3", {}, "Observer batches"), log);
  feed.start();
  return () => {
    feed.stop();
    window.clearInterval(timer);
  };
};
