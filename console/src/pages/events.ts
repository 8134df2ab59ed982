import { create } from "@bufbuild/protobuf";
import {
  RuntimeEventKind,
  WatchRuntimeEventsRequestSchema,
  type RuntimeEvent,
  type WatchRuntimeEventsResponse,
} from "../../../clients/typescript/src/gen/runtime/v1/control_plane_service_pb.js";
import { GapReason } from "../../../clients/typescript/src/gen/runtime/v1/common_pb.js";
import { InputPhase } from "../../../clients/typescript/src/gen/runtime/v1/input_pb.js";
import { RuntimeState } from "../../../clients/typescript/src/gen/runtime/v1/runtime_pb.js";
import { RuntimeEventsCursor } from "../../../clients/typescript/src/streams.js";
import type { Api } from "../api.js";
import { enumName, field, h, ms, replace, time } from "../dom.js";
import { errorBox } from "../failure.js";
import { Feed } from "../feed.js";
import type { Page } from "../main.js";

// The view keeps the newest rows only; the feed itself never skips (the cursor is what resumes).
const maxRows = 2000;

/** One event as a table row. */
export function eventRow(e: RuntimeEvent): HTMLTableRowElement {
  const phase = e.fromPhase || e.toPhase ? `${enumName(InputPhase, e.fromPhase)} → ${enumName(InputPhase, e.toPhase)}` : "";
  const state = e.fromState || e.toState ? `${enumName(RuntimeState, e.fromState)} → ${enumName(RuntimeState, e.toState)}` : "";
  return h("tr", { "data-sequence": String(e.sequence), class: "event" },
    h("td", { class: "num" }, e.sequence), h("td", {}, time(e.time)), h("td", {}, enumName(RuntimeEventKind, e.kind)),
    h("td", {}, e.runtimeId), h("td", {}, e.inputId), h("td", {}, e.runId), h("td", {}, phase || state),
    h("td", {}, e.reason), h("td", { class: "num" }, e.bytes || ""), h("td", { class: "num" }, e.latency ? ms(e.latency) : ""),
    h("td", { class: "num" }, e.attempt || ""));
}

export const eventHeader = () => h("thead", {}, h("tr", {}, ...["seq", "time", "kind", "runtime", "input", "run", "phase / state",
  "reason", "bytes", "latency", "attempt"].map((c) => h("th", {}, c))));

/** A visible marker for a gap: the events between `after` and `resume_at` are gone, and the feed says so. */
export function gapRow(gap: { reason: GapReason; after: bigint; resumeAt: bigint; message: string }, columns = 11): HTMLTableRowElement {
  return h("tr", { class: "gap", "data-testid": "gap" }, h("td", { colspan: columns },
    `GAP (${enumName(GapReason, gap.reason)}): events after ${gap.after} up to ${gap.resumeAt > 0n ? gap.resumeAt - 1n : "now"} are no longer available. `
    + `${gap.message} The feed goes on from ${gap.resumeAt}.`));
}

/**
 * After a gap the events in it are gone for good; what can be had is the state now. The `runtimes` observer's
 * snapshot is read and shown in the GAP row (states and queue depth), so the reader knows where things stand.
 */
async function freshSnapshot(api: Api, into: HTMLElement): Promise<void> {
  try {
    const { snapshot } = await api.observation.getSnapshot({ observer: "runtimes" });
    if (snapshot?.data.case === "runtimes") {
      const s = snapshot.data.value;
      into.append(h("div", { class: "snapshot", "data-testid": "gap-snapshot" },
        `Fresh snapshot at cycle ${snapshot.cycle} (${time(snapshot.time)}): ${s.runtimes.length} runtimes (`
        + s.stateCounts.map((c) => `${enumName(RuntimeState, c.state)} ${c.count}`).join(", ")
        + `), ${s.totalQueueDepth} inputs queued.`));
    }
  } catch (error) {
    into.append(errorBox("Fresh snapshot", error));
  }
}

/** A WatchRuntimeEvents feed that renders into `body`, resumable from its last sequence. */
export function eventFeed(api: Api, name: string, body: HTMLElement, onFailure: (error: unknown) => void,
  onEvent: (e: RuntimeEvent) => void = () => {}) {
  let cursor: RuntimeEventsCursor | undefined;
  const onMessage = (message: WatchRuntimeEventsResponse) => {
    const m = message.message;
    if (m.case === "events") {
      for (const e of m.value.events) {
        body.append(eventRow(e));
        onEvent(e);
      }
    } else if (m.case === "gap") {
      const row = gapRow(m.value);
      body.append(row);
      void freshSnapshot(api, row.cells[0]);
    }
    while (body.children.length > maxRows) {
      body.firstElementChild?.remove();
    }
  };
  const feed = new Feed(name,
    (request, signal, onHeader) => api.controlPlane.watchRuntimeEvents(request, { signal, onHeader }),
    new RuntimeEventsCursor(create(WatchRuntimeEventsRequestSchema, {})),
    onMessage, onFailure,
    () => cursor?.position === undefined ? "from now" : `after sequence ${cursor.position}`);
  return {
    feed,
    /** Starts a new watch: from `after` when given, else from now. */
    watch(request: { filter?: string; runtimeIds?: string[]; afterSequence?: bigint }) {
      cursor = new RuntimeEventsCursor(create(WatchRuntimeEventsRequestSchema, request));
      feed.start(cursor);
    },
    /** Resumes after the last sequence delivered (or told by a heartbeat) with the same request. */
    resume() {
      feed.start(cursor);
    },
    get position(): bigint | undefined {
      return cursor?.position;
    },
  };
}

/**
 * The live WatchRuntimeEvents feed with the filter language: errors shown at their position, a pause that
 * resumes from the last sequence, and a visible GAP marker when the server reports one.
 */
export const eventsPage: Page = (root, { api, refused }) => {
  const body = h("tbody", { "data-testid": "events" });
  const problem = h("div", { "data-testid": "events-error" });
  const filter = h("input", { name: "filter", class: "wide", placeholder: 'runtime ^= "orders-" and phase in (CONSUMED, ABANDONED)', "data-testid": "filter" });
  const after = h("input", { name: "after", placeholder: "from now", size: 10, "data-testid": "after" });
  let lastFilter = "";
  const events = eventFeed(api, "events feed", body, (error) => {
    replace(problem, errorBox("The event feed stopped", error, lastFilter));
    refused(error);
    pause.disabled = true;
  });
  const watch = h("button", { type: "submit", "data-testid": "watch" }, "Watch");
  const pause = h("button", { type: "button", class: "secondary", "data-testid": "pause", disabled: true }, "Pause");
  pause.addEventListener("click", () => {
    if (events.feed.current === "paused") {
      events.resume();
      replace(pause, "Pause");
    } else {
      events.feed.stop("paused");
      replace(pause, "Resume");
    }
  });
  const form = h("form", { class: "inline" }, field("Filter", filter), field("After sequence", after), watch, pause,
    h("button", { type: "button", class: "secondary", onclick: () => replace(body) }, "Clear"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    replace(problem);
    replace(body);
    lastFilter = filter.value;
    const from = after.value.trim();
    events.watch({ filter: filter.value, afterSequence: /^\d+$/.test(from) ? BigInt(from) : undefined });
    pause.disabled = false;
    replace(pause, "Pause");
  });
  root.append(h("h2", {}, "Events ", events.feed.badge),
    h("p", { class: "hint" }, "Fields: runtime, destination, input, run, input_kind, reason, labels.<key>, kind, category, phase, ",
      "from_phase, state, from_state, payload_type, bytes, latency_ms, attempt. Operators == != ^= < <= > >= in (…), and / or / not."),
    form, problem, h("table", { class: "grid events" }, eventHeader(), body));
  events.watch({});
  pause.disabled = false;
  return () => events.feed.stop();
};
