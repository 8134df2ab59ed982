import {
  EventCategory,
  RateTrend,
  StatsMetric,
  TrieWeight,
  type GetStatsResponse,
  type LatencyDistribution,
  type RecordingStatus,
  type TrieNode,
} from "../../../clients/typescript/src/gen/runtime/v1/analytics_service_pb.js";
import { durationMs, enumName, field, h, ms, replace, time } from "../dom.js";
import { errorBox } from "../failure.js";
import type { Page } from "../main.js";

const svgNs = "http://www.w3.org/2000/svg";

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNs, tag);
  Object.entries(attrs).forEach(([k, v]) => element.setAttribute(k, String(v)));
  if (text !== undefined) {
    element.textContent = text;
  }
  return element;
}

function axisLabel(valueMs: number): string {
  return valueMs >= 10 ? valueMs.toFixed(0) : valueMs >= 1 ? valueMs.toFixed(1) : valueMs.toFixed(2);
}

/** A latency histogram as bars (one per bucket, labelled by its upper bound), with the percentiles marked in the caption. */
export function histogram(title: string, d: LatencyDistribution | undefined): HTMLElement {
  const buckets = d?.buckets ?? [];
  const width = 480;
  const height = 120;
  const max = buckets.reduce((m, b) => (b.count > m ? b.count : m), 0n);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 30}`, class: "chart", role: "img", "aria-label": title });
  const barWidth = buckets.length > 0 ? width / buckets.length : width;
  buckets.forEach((b, i) => {
    const barHeight = max > 0n ? Number((b.count * BigInt(height)) / max) : 0;
    const bar = svg("rect", { x: i * barWidth + 1, y: height - barHeight, width: Math.max(1, barWidth - 2), height: barHeight, class: "bar" });
    bar.append(svg("title", {}, `≤ ${ms(b.upperBound)}: ${b.count}`));
    chart.append(bar);
    if (buckets.length <= 16 || i % Math.ceil(buckets.length / 8) === 0) {
      chart.append(svg("text", { x: i * barWidth + barWidth / 2, y: height + 14, "text-anchor": "middle", class: "axis" }, axisLabel(durationMs(b.upperBound))));
    }
  });
  chart.append(svg("text", { x: width, y: height + 28, "text-anchor": "end", class: "axis" }, "upper bound, ms"));
  return h("figure", { class: "histogram", "data-testid": "histogram" }, chart,
    h("figcaption", {}, `${title}: ${d?.count ?? 0n} samples · p50 ${ms(d?.p50)} · p95 ${ms(d?.p95)} · p99 ${ms(d?.p99)} · max ${ms(d?.max)}`));
}

/** The grouping trie as a flame graph: each level a row, each node as wide as its share of its parent's weight. */
export function flameGraph(root: TrieNode | undefined, fields: string[]): HTMLElement {
  const graph = h("div", { class: "flame", "data-testid": "flame" });
  if (!root || root.weight <= 0n) {
    graph.append(h("p", { class: "hint" }, "No events grouped yet."));
    return graph;
  }
  const total = Number(root.weight);
  const level = (nodes: TrieNode[], depth: number, parentShare: number): HTMLElement => {
    const row = h("div", { class: "flame-row" });
    for (const node of nodes) {
      const share = (Number(node.weight) / total) * 100;
      const cell = h("div", { class: `flame-node depth-${depth % 6}`, title: `${fields[depth] ?? ""}=${node.name}: weight ${node.weight}, ${node.count} events` },
        h("span", {}, `${node.name} (${node.weight})`));
      // CSSOM, not a style attribute: the page's content security policy allows only this.
      cell.style.width = `${(share / parentShare) * 100}%`;
      if (node.children.length > 0) {
        cell.append(level(node.children, depth + 1, share));
      }
      row.append(cell);
    }
    return row;
  };
  graph.append(h("div", { class: "flame-node root" }, h("span", {}, `all (${root.weight})`), level(root.children, 0, 100)));
  return graph;
}

/** Rates over the time the page has been open: one line per metric, newest on the right. */
export function rateChart(samples: { accepted: number; consumed: number; abandoned: number }[]): HTMLElement {
  const width = 480;
  const height = 100;
  const max = Math.max(1, ...samples.flatMap((p) => [p.accepted, p.consumed, p.abandoned]));
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 16}`, class: "chart", role: "img", "aria-label": "rates" });
  const step = width / Math.max(1, samples.length - 1);
  for (const metric of ["accepted", "consumed", "abandoned"] as const) {
    const points = samples.map((p, i) => `${(i * step).toFixed(1)},${(height - (p[metric] / max) * height).toFixed(1)}`).join(" ");
    chart.append(svg("polyline", { points, class: `line ${metric}` }));
  }
  chart.append(svg("text", { x: 0, y: height + 14, class: "axis" }, `max ${max.toFixed(1)}/s · ${samples.length} samples, 2 s apart`));
  return h("figure", { class: "histogram", "data-testid": "rates-chart" }, chart,
    h("figcaption", {}, h("span", { class: "key accepted" }, "accepted"), " ", h("span", { class: "key consumed" }, "consumed"), " ",
      h("span", { class: "key abandoned" }, "abandoned"), " per second"));
}

function statsView(s: GetStatsResponse, history: { accepted: number; consumed: number; abandoned: number }[]): HTMLElement {
  const t = s.totals;
  return h("div", { "data-testid": "stats" },
    h("p", { class: "hint" }, `window ${ms(s.window)} · last sequence ${s.lastSequence} · filter epoch ${s.filterEpoch} · ${time(s.time)}`),
    h("dl", { class: "facts totals" }, ...([["accepted", t?.accepted], ["consumed", t?.consumed], ["abandoned", t?.abandoned],
      ["failed attempts", t?.failedAttempts], ["bytes", t?.bytes]] as [string, bigint | undefined][])
      .flatMap(([k, v]) => [h("dt", {}, k), h("dd", { "data-total": k }, v ?? 0n)])),
    h("table", { class: "grid" }, h("thead", {}, h("tr", {}, h("th", {}, "rate"), h("th", {}, "per second"), h("th", {}, "trend"))),
      h("tbody", {}, ...s.rates.map((r) => h("tr", {}, h("td", {}, enumName(StatsMetric, r.metric)),
        h("td", { class: "num" }, r.perSecond.toFixed(1)),
        h("td", {}, `${enumName(RateTrend, r.trend)} ${r.changePercent ? `${r.changePercent.toFixed(0)} %` : ""}`))))),
    h("div", { class: "charts" }, rateChart(history), histogram("accept → consume", s.acceptToConsume), histogram("delivery", s.delivery)),
    ...([["Runtimes", s.runtimes], ["Destinations", s.destinations]] as const).map(([title, rows]) => h("table", { class: "grid" },
      h("caption", {}, title),
      h("thead", {}, h("tr", {}, ...["key", "accepted", "consumed", "abandoned", "consumed/s", "mean", "max"].map((c) => h("th", {}, c)))),
      h("tbody", {}, ...rows.map((r) => h("tr", {}, h("td", {}, r.key), h("td", { class: "num" }, r.totals?.accepted ?? 0n),
        h("td", { class: "num" }, r.totals?.consumed ?? 0n), h("td", { class: "num" }, r.totals?.abandoned ?? 0n),
        h("td", { class: "num" }, r.consumedPerSecond.toFixed(1)), h("td", { class: "num" }, ms(r.meanLatency)),
        h("td", { class: "num" }, ms(r.maxLatency))))))));
}

function recordingView(r: RecordingStatus | undefined): string {
  if (!r) {
    return "unknown";
  }
  return `${r.active ? "recording" : "stopped"}${r.path ? ` to ${r.path}` : ""} · ${r.rowsWritten} rows written · ${r.rowsDropped} dropped`
    + `${r.lastError ? ` · last error: ${r.lastError}` : ""}${r.startedAt ? ` · started ${time(r.startedAt)}` : ""}`;
}

/**
 * Analytics: stats with charts, the grouping trie as a flame graph (reconfigured and reset live), the server-wide
 * filter, probes on / off, and the Parquet recording. The analytics service has no stream: it is re-read every
 * two seconds while the page is open.
 */
export const analyticsPage: Page = (root, { api, refused }) => {
  const stats = h("section", {});
  const history: { accepted: number; consumed: number; abandoned: number }[] = [];
  const trie = h("section", {});
  const output = h("div", { class: "output", "data-testid": "output" });
  const probes = h("ul", { class: "probes", "data-testid": "probes" });
  const recording = h("p", { "data-testid": "recording" });
  const fields = h("input", { name: "fields", placeholder: "runtime, kind, phase", "data-testid": "trie-fields" });
  const weight = h("select", { name: "weight", "data-testid": "trie-weight" },
    ...[TrieWeight.COUNT, TrieWeight.BYTES, TrieWeight.LATENCY].map((w) => h("option", { value: String(w) }, enumName(TrieWeight, w))));
  const filter = h("input", { name: "filter", class: "wide", "data-testid": "analytics-filter" });
  const filterInfo = h("span", { class: "hint", "data-testid": "filter-epoch" });
  const recordName = h("input", { name: "name", placeholder: "recording name", "data-testid": "recording-name" });

  const fail = (what: string, error: unknown, source?: string) => {
    replace(output, errorBox(what, error, source));
    refused(error);
  };
  const tick = async () => {
    try {
      const [s, t, r] = await Promise.all([api.analytics.getStats({ topN: 10 }), api.analytics.getTrie({ keepTop: 20 }),
        api.analytics.getRecordingStatus({})]);
      const rate = (m: StatsMetric) => s.rates.find((r) => r.metric === m)?.perSecond ?? 0;
      history.push({ accepted: rate(StatsMetric.ACCEPTED), consumed: rate(StatsMetric.CONSUMED), abandoned: rate(StatsMetric.ABANDONED) });
      history.splice(0, Math.max(0, history.length - 60));
      replace(stats, h("h3", {}, "Stats"), statsView(s, history));
      replace(trie, h("h3", { "data-testid": "trie-title" }, `Grouping trie v${t.version}: ${t.fields.join(" › ")} by ${enumName(TrieWeight, t.weight)}`),
        flameGraph(t.root, t.fields));
      if (document.activeElement !== fields && fields.value === "") {
        fields.placeholder = t.fields.join(", ");
      }
      replace(recording, recordingView(r.status));
    } catch (error) {
      fail("Analytics", error);
    }
  };
  const loadProbes = async () => {
    try {
      const [{ probes: list }, f] = await Promise.all([api.analytics.listProbes({}), api.analytics.getFilter({})]);
      replace(probes, ...list.map((p) => {
        const box = h("input", { type: "checkbox", checked: p.enabled, "data-probe": enumName(EventCategory, p.category) });
        box.addEventListener("change", async () => {
          try {
            await api.analytics.setProbe({ category: p.category, enabled: box.checked });
          } catch (error) {
            box.checked = !box.checked;
            fail(`Probe ${enumName(EventCategory, p.category)}`, error);
          }
        });
        return h("li", {}, h("label", {}, box, ` ${enumName(EventCategory, p.category)} `, h("span", { class: "hint" }, p.description)));
      }));
      if (document.activeElement !== filter) {
        filter.value = f.filter;
      }
      replace(filterInfo, `epoch ${f.epoch}${f.changedAt ? `, changed ${time(f.changedAt)}` : ""}`);
    } catch (error) {
      fail("Probes and filter", error);
    }
  };

  const trieForm = h("form", { class: "inline" }, field("Group by", fields), field("Weigh by", weight),
    h("button", { type: "submit", "data-testid": "trie-configure" }, "Reconfigure"),
    h("button", { type: "button", class: "secondary", onclick: async () => {
      try {
        const r = await api.analytics.resetTrie({});
        replace(output, h("div", { class: "report" }, `Trie reset: version ${r.version}`));
        void tick();
      } catch (error) {
        fail("Reset trie", error);
      }
    } }, "Reset"));
  trieForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const r = await api.analytics.configureTrie({ fields: fields.value.split(",").map((f) => f.trim()).filter(Boolean), weight: Number(weight.value) });
      replace(output, h("div", { class: "report", "data-testid": "report" }, `Trie reconfigured: version ${r.version}`));
      void tick();
    } catch (error) {
      fail("Reconfigure trie", error);
    }
  });
  const filterForm = h("form", { class: "inline" }, field("Server-wide filter (stats, trie, recording)", filter),
    h("button", { type: "submit", "data-testid": "filter-set" }, "Set"), filterInfo);
  filterForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const r = await api.analytics.setFilter({ filter: filter.value });
      replace(output, h("div", { class: "report", "data-testid": "report" }, `Filter set: epoch ${r.epoch}`));
      void loadProbes();
    } catch (error) {
      fail("Set filter", error, filter.value);
    }
  });
  const recordForm = h("form", { class: "inline" }, field("Name", recordName),
    h("button", { type: "submit", "data-testid": "recording-start" }, "Start recording"),
    h("button", { type: "button", class: "secondary", "data-testid": "recording-stop", onclick: async () => {
      try {
        replace(recording, recordingView((await api.analytics.stopRecording({})).status));
      } catch (error) {
        fail("Stop recording", error);
      }
    } }, "Stop"));
  recordForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      replace(recording, recordingView((await api.analytics.startRecording({ name: recordName.value.trim() })).status));
    } catch (error) {
      fail("Start recording", error);
    }
  });

  root.append(h("h2", {}, "Analytics"), output, stats, trie, trieForm, filterForm,
    h("h3", {}, "Probes"), probes, h("h3", {}, "Recording"), recording, recordForm);
  void tick();
  void loadProbes();
  const timer = window.setInterval(() => void tick(), 2000);
  return () => window.clearInterval(timer);
};
