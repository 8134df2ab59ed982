import { create } from "@bufbuild/protobuf";
import { SubscribeRequestSchema, type SubscribeResponse } from "../../../clients/typescript/src/gen/runtime/v1/observation_service_pb.js";
import { WireKind, WireState, type Destination } from "../../../clients/typescript/src/gen/runtime/v1/transport_service_pb.js";
import { ObservationCursor } from "../../../clients/typescript/src/streams.js";
import { confirmDialog, durationMs, enumName, field, h, replace, time } from "../dom.js";
import { errorBox } from "../failure.js";
import { Feed } from "../feed.js";
import type { Page } from "../main.js";

/** "grpc http://127.0.0.1:6000 0" per line → wires. */
export function parseWires(text: string) {
  return text.split("\n").map((l) => l.trim()).filter(Boolean).map((line) => {
    const [kind, address, priority] = line.split(/\s+/);
    const value = WireKind[(kind ?? "").toUpperCase() as keyof typeof WireKind] as WireKind | undefined;
    return { kind: value ?? WireKind.UNSPECIFIED, address: address ?? "", priority: Number(priority ?? "0") || 0 };
  });
}

/**
 * Destinations and their wires, live from the `transports` observer (Subscribe with resume) with their counters
 * re-read from TransportService every cycle: state, last error, reconnects, sent / acked / failed / dropped;
 * create, close, delete.
 */
export const destinationsPage: Page = (root, { api, refused }) => {
  let cycle = 0n;
  let destinations: Destination[] = [];
  const body = h("tbody", { "data-testid": "destinations" });
  const output = h("div", { class: "output", "data-testid": "output" });
  const log = h("ul", { class: "log" });

  const render = () => replace(body, ...destinations.flatMap((d) => d.wires.length === 0
    ? [h("tr", { "data-destination": d.name }, h("td", {}, d.name), h("td", { colspan: 9 }, "no wires"), actions(d))]
    : d.wires.map((w, i) => h("tr", { "data-destination": d.name },
      h("td", {}, i === 0 ? d.name : ""), h("td", {}, enumName(WireKind, w.wire?.kind ?? 0)), h("td", {}, w.wire?.address ?? ""),
      h("td", { class: `wire ${enumName(WireState, w.state)}`, "data-testid": "wire-state" }, enumName(WireState, w.state)),
      h("td", { class: "error-text" }, w.lastError), h("td", { class: "num" }, w.reconnectAttempts),
      h("td", { class: "num", "data-testid": "sent" }, w.sent), h("td", { class: "num", "data-testid": "acked" }, w.acked),
      h("td", { class: "num" }, w.failed), h("td", { class: "num" }, w.dropped),
      i === 0 ? actions(d) : h("td", {})))));

  const actions = (d: Destination) => h("td", { class: "actions" },
    h("span", { class: "hint" }, `${d.boundRuntimes} runtimes · since ${time(d.createTime)} `),
    h("button", { type: "button", class: "secondary small", "data-op": "close", onclick: () => void operate("close", d.name) }, "Close"),
    h("button", { type: "button", class: "danger small", "data-op": "delete", onclick: () => void operate("delete", d.name) }, "Delete"));

  const operate = async (op: "close" | "delete", name: string) => {
    const explain = op === "close" ? "Closes its connections; they open again on the next delivery."
      : "Removes the destination. Runtimes bound to it can no longer deliver.";
    if (!await confirmDialog(`${op === "close" ? "Close" : "Delete"} ${name}?`, explain, op === "close" ? "Close" : "Delete")) {
      return;
    }
    try {
      if (op === "close") {
        const r = await api.transports.closeDestination({ name });
        replace(output, h("div", { class: "report", "data-testid": "report" }, `Closed ${name}: ${r.connectionsClosed} connections closed`));
      } else {
        await api.transports.deleteDestination({ name });
        replace(output, h("div", { class: "report", "data-testid": "report" }, `Deleted ${name}`));
      }
      void refresh();
    } catch (error) {
      replace(output, errorBox(`${op} ${name}`, error));
      refused(error);
    }
  };

  const apply = (list: Destination[], at: bigint) => {
    if (at >= cycle) {
      cycle = at;
      destinations = [...list].sort((a, b) => a.name.localeCompare(b.name));
      render();
      feed.refresh();
    }
  };
  // The observer's rows say which destinations and wires exist and their state; the counters (sent, acked, ...)
  // and bound runtimes come from TransportService, re-read with every change and every observer cycle.
  const refresh = async () => {
    try {
      const all: Destination[] = [];
      let pageToken = "";
      do {
        const page = await api.transports.listDestinations({ pageSize: 100, pageToken });
        all.push(...page.destinations);
        pageToken = page.nextPageToken;
      } while (pageToken);
      apply(all, cycle);
    } catch {
      // The feed's badge says when the connection is gone.
    }
  };
  const onMessage = (message: SubscribeResponse) => {
    const m = message.message;
    if (m.case === "snapshot" && m.value.data.case === "transports") {
      apply(m.value.data.value.destinations, m.value.cycle);
      void refresh();
    } else if (m.case === "batch") {
      m.value.events.forEach((e) => log.prepend(h("li", {}, `cycle ${m.value.cycle}: ${e.kind} ${e.subject} `
        + Object.entries(e.attributes).map(([k, v]) => `${k}=${v}`).join(" "))));
      void refresh();
    } else if (m.case === "gap") {
      log.prepend(h("li", { class: "gap", "data-testid": "gap" }, `GAP after cycle ${m.value.after}: ${m.value.message}; a fresh snapshot follows`));
    }
  };
  // Where a reconnect resumes (the last cycle delivered); the badge shows it.
  const cursor = new ObservationCursor(create(SubscribeRequestSchema, { observers: ["transports"], includeSnapshot: true }));
  const feed = new Feed("transports observer",
    (request, signal, onHeader) => api.observation.subscribe(request, { signal, onHeader }),
    cursor,
    onMessage, (error) => {
      replace(output, errorBox("The transports observer stream stopped", error));
      refused(error);
    }, () => `after cycle ${cursor.cycles.get("transports") ?? "-"}`);
  let timer = 0;
  void api.observation.listObservers({}).then((r) => {
    const interval = durationMs(r.observers.find((o) => o.name === "transports")?.interval) || 1000;
    timer = window.setInterval(() => feed.current === "live" && void refresh(), Math.max(100, interval));
  }).catch(refused);

  const name = h("input", { name: "name", required: true, placeholder: "billing", "data-testid": "destination-name" });
  const wires = h("textarea", { name: "wires", rows: 3, cols: 50, placeholder: "grpc http://127.0.0.1:6000 0\nhttp http://127.0.0.1:6000/deliver 1", "data-testid": "destination-wires" });
  const form = h("form", { class: "inline" }, field("Name", name), field("Wires (kind address priority, one a line)", wires),
    h("button", { type: "submit", "data-testid": "destination-create" }, "Create"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const request = { name: name.value.trim(), wires: parseWires(wires.value) };
    if (!await confirmDialog(`Create ${request.name}?`, request.wires.map((w) => `${enumName(WireKind, w.kind)} ${w.address} (priority ${w.priority})`).join("; "), "Create")) {
      return;
    }
    try {
      const r = await api.transports.createDestination(request);
      replace(output, h("div", { class: "report", "data-testid": "report" }, `Created ${r.destination?.name} with ${r.destination?.wires.length} wires`));
      void refresh();
    } catch (error) {
      replace(output, errorBox(`Create ${request.name}`, error));
      refused(error);
    }
  });

  root.append(h("h2", {}, "Destinations ", feed.badge), form, output,
    h("table", { class: "grid" }, h("thead", {}, h("tr", {}, ...["destination", "wire", "address", "state", "last error", "reconnects",
      "sent", "acked", "failed", "dropped", ""].map((c) => h("th", {}, c)))), body),
    h("h3", {}, "Observer batches"), log);
  feed.start();
  return () => {
    feed.stop();
    window.clearInterval(timer);
  };
};
