import { InputPhase, type InputState } from "../../../clients/typescript/src/gen/runtime/v1/input_pb.js";
import { RuntimeEventKind, type RuntimeEvent } from "../../../clients/typescript/src/gen/runtime/v1/control_plane_service_pb.js";
import { RuntimeState } from "../../../clients/typescript/src/gen/runtime/v1/runtime_pb.js";
import { ConsumePoint, QueueMode } from "../../../clients/typescript/src/gen/runtime/v1/policy_pb.js";
import type { Api } from "../api.js";
import { confirmDialog, enumName, field, h, hex, ms, replace, time } from "../dom.js";
import { errorBox } from "../failure.js";
import type { Page } from "../main.js";
import { eventFeed, eventHeader } from "./events.js";
import { reportBox, runtimeOperations } from "./operations.js";

const pageSize = 25;

/** One input's full ledger record: phase, attempts, last run and error, every transition, and its receipt. */
async function inputDetail(api: Api, runtimeId: string, inputId: string, into: HTMLElement): Promise<void> {
  replace(into, "loading…");
  try {
    const { state } = await api.driver.getInputState({ runtimeId, inputId });
    if (!state) {
      replace(into, "no such input");
      return;
    }
    const facts: [string, string][] = [
      ["phase", enumName(InputPhase, state.phase)], ["kind", state.kind], ["attempts", String(state.attemptCount)],
      ["recoveries", String(state.recoveryCount)], ["last run", state.lastRunId], ["last boundary", String(state.lastBoundarySequence)],
      ["last error", state.lastError], ["idempotency key", state.idempotencyKey], ["priority", String(state.priority)],
      ["content type", state.contentType], ["payload bytes", String(state.payloadSize)], ["created", time(state.createTime)],
      ["updated", time(state.updateTime)]];
    const receipt = h("div", { "data-testid": "receipt" });
    replace(into, h("h3", {}, `Input ${state.inputId}`),
      h("dl", { class: "facts" }, ...facts.filter(([, v]) => v !== "" && v !== "0").flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      h("table", { class: "grid", "data-testid": "history" },
        h("thead", {}, h("tr", {}, h("th", {}, "time"), h("th", {}, "from"), h("th", {}, "to"), h("th", {}, "reason"))),
        h("tbody", {}, ...state.history.map((t) => h("tr", {}, h("td", {}, time(t.time)),
          h("td", {}, enumName(InputPhase, t.from)), h("td", {}, enumName(InputPhase, t.to)), h("td", {}, t.reason))))),
      receipt);
    if (state.lastRunId) {
      await receiptInto(api, runtimeId, state, receipt);
    }
  } catch (error) {
    replace(into, errorBox(`Input ${inputId}`, error));
  }
}

async function receiptInto(api: Api, runtimeId: string, state: InputState, into: HTMLElement): Promise<void> {
  try {
    const { receipt } = await api.controlPlane.getBoundaryReceipt({ runtimeId, runId: state.lastRunId, sequence: state.lastBoundarySequence });
    if (receipt) {
      replace(into, h("h4", {}, "Boundary receipt"), h("dl", { class: "facts" },
        h("dt", {}, "run"), h("dd", {}, receipt.runId), h("dt", {}, "sequence"), h("dd", {}, receipt.sequence),
        h("dt", {}, "inputs"), h("dd", {}, receipt.inputIds.join(", ")),
        h("dt", {}, "digest (SHA-256)"), h("dd", { class: "digest", "data-testid": "digest" }, hex(receipt.digest)),
        h("dt", {}, "time"), h("dd", {}, time(receipt.time))));
    }
  } catch (error) {
    // No receipt yet (the run is still in flight, or it failed): say why rather than show nothing.
    replace(into, errorBox("Receipt", error));
  }
}

/**
 * One runtime: its record and policy, its inputs by phase (paged), an input's history and receipt, its runs
 * (from its events) and its live event feed.
 */
export const runtimePage: Page = (root, { api, refused }, runtimeId) => {
  const header = h("div", { "data-testid": "runtime" });
  const output = h("div", { class: "output" });
  const phase = h("select", { name: "phase", "data-testid": "phase" }, h("option", { value: "" }, "every phase"),
    ...Object.values(InputPhase).filter((v): v is InputPhase => typeof v === "number" && v !== 0)
      .map((v) => h("option", { value: String(v) }, enumName(InputPhase, v))));
  const inputs = h("tbody", { "data-testid": "inputs" });
  const pager = h("div", { class: "pager" });
  const detail = h("section", { class: "detail", "data-testid": "input-detail" });
  const runs = h("tbody", { "data-testid": "runs" });
  const runRows = new Map<string, HTMLTableRowElement>();
  const events = h("tbody", { "data-testid": "runtime-events" });
  const tokens: string[] = [""];

  const loadRuntime = async () => {
    try {
      const { runtime: r } = await api.controlPlane.getRuntime({ runtimeId });
      if (!r) {
        return;
      }
      const policy = r.policy;
      replace(header, h("h2", {}, `Runtime ${r.runtimeId} `, h("span", { class: `state ${enumName(RuntimeState, r.state)}`, "data-testid": "state" },
        enumName(RuntimeState, r.state))),
      h("dl", { class: "facts" },
        h("dt", {}, "destination"), h("dd", {}, r.destination || "(none)"),
        h("dt", {}, "labels"), h("dd", {}, Object.entries(r.labels).map(([k, v]) => `${k}=${v}`).join(", ")),
        h("dt", {}, "queue depth"), h("dd", {}, r.queueDepth), h("dt", {}, "in flight"), h("dd", {}, r.inFlight),
        h("dt", {}, "phases"), h("dd", {}, r.phaseCounts.map((p) => `${enumName(InputPhase, p.phase)} ${p.count}`).join(", ")),
        policy ? h("dt", {}, "policy") : null,
        policy ? h("dd", {}, `${enumName(QueueMode, policy.queueMode)}, consume ${enumName(ConsumePoint, policy.consumePoint)}, `
          + `batch ${policy.maxBatchPerRun}, attempts ${policy.maxAttempts}`) : null,
        r.quarantined ? h("dt", {}, "quarantined") : null, r.quarantined ? h("dd", {}, r.quarantineReason) : null,
        h("dt", {}, "created"), h("dd", {}, time(r.createTime))),
      h("div", { class: "actions" }, ...runtimeOperations.map((op) => h("button", {
        type: "button", class: op.danger ? "danger small" : "secondary small", "data-op": op.name,
        onclick: async () => {
          if (await confirmDialog(`${op.label} ${runtimeId}?`, op.explain, op.label)) {
            try {
              replace(output, reportBox(await op.call(api, runtimeId)));
              void loadRuntime();
            } catch (error) {
              replace(output, errorBox(`${op.label} ${runtimeId}`, error));
            }
          }
        },
      }, op.label))));
    } catch (error) {
      replace(header, errorBox(`Runtime ${runtimeId}`, error));
      refused(error);
    }
  };

  const loadInputs = async (page: number) => {
    currentPage = page;
    try {
      const response = await api.driver.listInputs({
        runtimeId, phases: phase.value ? [Number(phase.value)] : [], pageSize, pageToken: tokens[page] });
      tokens[page + 1] = response.nextPageToken;
      replace(inputs, ...response.inputs.map((i) => h("tr", { "data-input": i.inputId },
        h("td", {}, h("a", { href: "#", onclick: (e: Event) => { e.preventDefault(); void inputDetail(api, runtimeId, i.inputId, detail); } }, i.inputId)),
        h("td", {}, enumName(InputPhase, i.phase)), h("td", {}, i.kind), h("td", { class: "num" }, i.attemptCount),
        h("td", {}, i.lastRunId), h("td", {}, time(i.updateTime)))));
      replace(pager, `page ${page + 1}`,
        page > 0 ? h("button", { type: "button", class: "secondary small", onclick: () => void loadInputs(page - 1) }, "Previous") : null,
        response.nextPageToken ? h("button", { type: "button", class: "secondary small", "data-testid": "next-page", onclick: () => void loadInputs(page + 1) }, "Next") : null,
        h("button", { type: "button", class: "secondary small", onclick: () => void loadInputs(page) }, "Refresh"));
    } catch (error) {
      replace(inputs, h("tr", {}, h("td", { colspan: 6 }, errorBox("Inputs", error))));
    }
  };
  phase.addEventListener("change", () => {
    tokens.length = 1;
    void loadInputs(0);
  });

  // The page follows its events: the record and the inputs page are re-read (at most every half second) when
  // they change, so nothing shown is stale while the feed is live.
  let currentPage = 0;
  let pending = 0;
  const refreshSoon = () => {
    if (pending === 0) {
      pending = window.setTimeout(() => {
        pending = 0;
        void loadRuntime();
        void loadInputs(currentPage);
      }, 500);
    }
  };

  // Runs are what its events say: started, then completed or failed.
  const onEvent = (e: RuntimeEvent) => {
    refreshSoon();
    if (!e.runId || ![RuntimeEventKind.RUN_STARTED, RuntimeEventKind.RUN_COMPLETED, RuntimeEventKind.RUN_FAILED].includes(e.kind)) {
      return;
    }
    let row = runRows.get(e.runId);
    if (!row) {
      row = h("tr", { "data-run": e.runId }, h("td", {}, e.runId), h("td", {}, time(e.time)), h("td", {}, "in flight"),
        h("td", { class: "num" }, e.attempt || ""), h("td", {}, ""), h("td", {}, ""));
      runRows.set(e.runId, row);
      runs.prepend(row);
    }
    if (e.kind !== RuntimeEventKind.RUN_STARTED) {
      replace(row.cells[2], e.kind === RuntimeEventKind.RUN_COMPLETED ? "completed" : "failed");
      replace(row.cells[4], e.latency ? ms(e.latency) : "");
      replace(row.cells[5], e.reason);
    }
  };
  const feed = eventFeed(api, "runtime events", events, (error) => {
    replace(output, errorBox("The runtime's event feed stopped", error));
    refused(error);
  }, onEvent);

  root.append(header, output,
    h("h3", {}, "Inputs"), h("div", { class: "filters" }, field("Phase", phase)), pager,
    h("table", { class: "grid" }, h("thead", {}, h("tr", {}, ...["input", "phase", "kind", "attempts", "last run", "updated"].map((c) => h("th", {}, c)))), inputs),
    detail,
    h("h3", {}, "Runs"),
    h("table", { class: "grid" }, h("thead", {}, h("tr", {}, ...["run", "started", "outcome", "attempt", "latency", "reason"].map((c) => h("th", {}, c)))), runs),
    h("h3", {}, "Events ", feed.feed.badge),
    h("table", { class: "grid events" }, eventHeader(), events));
  void loadRuntime();
  void loadInputs(0);
  // From the oldest event still retained, so its recent runs show up; then live.
  feed.watch({ runtimeIds: [runtimeId], afterSequence: 0n });
  return () => {
    feed.feed.stop();
    window.clearTimeout(pending);
  };
};
