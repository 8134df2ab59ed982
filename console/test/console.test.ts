// Browser tests of the console: real headless Chromium (Debian's, through playwright-core) against the real server
// and the sample sink on loopback. Every wait is for a DOM condition, bounded; nothing sleeps and hopes.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { RuntimeClient, type WatchRuntimeEventsResponse } from "../../clients/typescript/src/index.js";
import { artifacts, ensureBuilt, RuntimeServer, SampleSink } from "./processes.js";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const wait = { timeout: 10_000 };

let browser: Browser;
let sink: SampleSink;
let server: RuntimeServer;
let client: RuntimeClient;
let page: Page;
const pageErrors: string[] = [];

async function open(address: string, hash: string): Promise<void> {
  await page.goto(`${address}/#/${hash}`);
  await page.locator(`main[data-page="${hash.split("/")[0]}"]`).waitFor(wait);
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** Waits until the text of `selector` satisfies `expected` (a substring or a number it reaches). */
async function waitForText(selector: string, expected: string | number, timeout = wait.timeout): Promise<void> {
  await page.waitForFunction(([s, e]) => {
    const text = document.querySelector(s as string)?.textContent ?? "";
    return typeof e === "number" ? Number(text) >= e : text.includes(e as string);
  }, [selector, expected] as const, { timeout });
}

async function accept(runtimeId: string, ids: string[]): Promise<void> {
  for (const inputId of ids) {
    const r = await client.driver.acceptInput({ runtimeId, input: { inputId, kind: "order.created", payload: new TextEncoder().encode(`{"id":"${inputId}"}`), contentType: "application/json" } });
    assert.equal(r.inputId, inputId);
  }
}

async function consumed(runtimeId: string, ids: string[]): Promise<void> {
  for (const inputId of ids) {
    await client.waitForInput(runtimeId, inputId, { signal: AbortSignal.timeout(15_000) });
  }
}

/** Waits (bounded) until the server no longer holds the event after `sequence`: a watch from there starts with a GAP. */
async function leftRetention(sequence: bigint): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    for await (const message of client.controlPlane.watchRuntimeEvents(
      { afterSequence: sequence, maxEvents: 1, maxDuration: { seconds: 1n } }, { signal: AbortSignal.timeout(5_000) })) {
      if (message.message.case === "gap") {
        return;
      }
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // the store trims at its next maintenance pass
  }
  throw new Error(`the event after sequence ${sequence} is still retained`);
}

async function confirm(): Promise<void> {
  await page.locator('[data-testid="confirm-ok"]').click(wait);
}

before(async () => {
  ensureBuilt();
  [sink, server] = await Promise.all([SampleSink.start(), RuntimeServer.start({
    // Fast cycles so "live" is checked against a tight bound; a small event ring, and a small event retention with
    // frequent maintenance, so a paused feed can fall out of what the server keeps.
    Runtime__Observation__Interval: "00:00:00.200",
    Runtime__Observation__Events__RingCapacity: "50",
    Runtime__Storage__MaxRetainedEvents: "60",
    Runtime__Storage__MaintenanceInterval: "00:00:00.100",
    Runtime__Observation__Events__HeartbeatInterval: "00:00:01",
  })]);
  client = new RuntimeClient({ address: server.grpcAddress });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await Promise.all([server?.dispose(), sink?.stop()]);
});

describe("the console against a real server and the sample sink", { timeout: 150_000 }, () => {
  test("Destinations: a destination created through the page shows up live with its wires", async () => {
    await open(server.consoleAddress, "destinations");
    await page.locator('[data-testid="feed-status"][data-state="live"]').waitFor(wait);
    await page.fill('[data-testid="destination-name"]', "sink");
    await page.fill('[data-testid="destination-wires"]', `grpc ${sink.address} 0\nhttp ${sink.address}/deliver 1`);
    await page.click('[data-testid="destination-create"]');
    await confirm();

    await waitForText('[data-testid="report"]', "Created sink with 2 wires");
    await page.locator('tr[data-destination="sink"]').nth(1).waitFor(wait);
    assert.equal(await page.locator('tr[data-destination="sink"]').count(), 2);

    await page.fill('[data-testid="destination-name"]', "bad");
    await page.fill('[data-testid="destination-wires"]', "grpc ftp://127.0.0.1:1 0");
    await page.click('[data-testid="destination-create"]');
    await confirm();
    await page.locator('[data-testid="error"][data-reason]').waitFor(wait);
    assert.equal(await page.locator('[data-testid="error"]').getAttribute("data-reason") !== "", true);
    assert.ok((await page.locator('[data-testid="field-violations"]').innerText()).includes("wires"));
  });

  test("Destinations: deliveries to the sample sink show on the wire (READY, acked) live; close reports its connections", async () => {
    await client.controlPlane.createRuntime({ runtimeId: "deliver-1", destination: "sink" });
    await accept("deliver-1", ["d-1", "d-2"]);
    await consumed("deliver-1", ["d-1", "d-2"]);
    await open(server.consoleAddress, "destinations");
    await waitForText('tr[data-destination="sink"] [data-testid="wire-state"]', "READY");
    await waitForText('tr[data-destination="sink"] [data-testid="acked"]', 2);
    await screenshot("destinations");

    await page.click('tr[data-destination="sink"] button[data-op="close"]');
    await confirm();
    await waitForText('[data-testid="report"]', "Closed sink");
    await client.controlPlane.destroyRuntime({ runtimeId: "deliver-1" });
  });

  test("Runtimes: create through the page, counts move live as inputs are accepted, operations report", async () => {
    await open(server.consoleAddress, "runtimes");
    await page.locator('[data-testid="feed-status"][data-state="live"]').waitFor(wait);
    await page.fill('[data-testid="create-id"]', "shop-1");
    await page.fill('[data-testid="create-destination"]', "sink");
    await page.fill('[data-testid="create-labels"]', "team=shop");
    await page.click('[data-testid="create-submit"]');
    await confirm();
    await waitForText('[data-testid="report"]', "Created shop-1");
    await page.locator('tr[data-runtime="shop-1"]').waitFor(wait);

    await accept("shop-1", ["order-1", "order-2", "order-3"]);
    // Accepted inputs show in the row's counts within a second, whatever phase they are in by then.
    await page.waitForFunction(() => {
      const cells = document.querySelectorAll('tr[data-runtime="shop-1"] td[data-phase]');
      return [...cells].reduce((sum, c) => sum + Number(c.textContent), 0) >= 3;
    }, undefined, { timeout: 1000 });
    await consumed("shop-1", ["order-1", "order-2", "order-3"]);
    await waitForText('tr[data-runtime="shop-1"] td[data-phase="CONSUMED"]', 3, 1000);

    // Filters: by id prefix, state and label.
    await client.controlPlane.createRuntime({ runtimeId: "other-1", destination: "inproc:accept", labels: { team: "ops" } });
    await page.locator('tr[data-runtime="other-1"]').waitFor(wait);
    await page.fill('[data-testid="filter-labels"]', "team=shop");
    await page.locator('tr[data-runtime="other-1"]').waitFor({ state: "detached", ...wait });
    assert.equal(await page.locator('tr[data-runtime="shop-1"]').count(), 1);
    await page.fill('[data-testid="filter-labels"]', "");
    await page.fill('[data-testid="filter-prefix"]', "other");
    await page.locator('tr[data-runtime="shop-1"]').waitFor({ state: "detached", ...wait });
    await page.fill('[data-testid="filter-prefix"]', "");

    // An operation asks first, then shows its report; the row follows the state change live.
    await page.click('tr[data-runtime="other-1"] button[data-op="retire"]');
    await confirm();
    await page.locator('[data-testid="report"][data-operation="RETIRE"]').waitFor(wait);
    await page.click('tr[data-runtime="other-1"] button[data-op="destroy"]');
    await page.click('[data-testid="confirm"] button.secondary');
    await page.click('tr[data-runtime="other-1"] button[data-op="destroy"]');
    await confirm();
    await page.locator('[data-testid="report"][data-operation="DESTROY"]').waitFor(wait);
    await waitForText('tr[data-runtime="other-1"] [data-testid="state"]', "DESTROYED");
    await screenshot("runtimes");
  });

  test("Runtime: inputs by phase, an input's history and its receipt with digest, runs, live events", async () => {
    await open(server.consoleAddress, "runtime/shop-1");
    await waitForText('[data-testid="runtime"] [data-testid="state"]', "");
    await page.locator('[data-testid="inputs"] tr[data-input="order-3"]').waitFor(wait);
    await page.selectOption('[data-testid="phase"]', { label: "ABANDONED" });
    await page.locator('[data-testid="inputs"] tr[data-input]').first().waitFor({ state: "detached", ...wait });
    await page.selectOption('[data-testid="phase"]', { label: "CONSUMED" });
    await page.locator('[data-testid="inputs"] tr[data-input="order-2"]').waitFor(wait);

    await page.click('tr[data-input="order-2"] a');
    await page.locator('[data-testid="history"] tbody tr').nth(2).waitFor(wait);
    const history = await page.locator('[data-testid="history"]').innerText();
    assert.match(history, /QUEUED/);
    assert.match(history, /CONSUMED/);
    await waitForText('[data-testid="digest"]', "");
    assert.match(await page.locator('[data-testid="digest"]').innerText(), /^[0-9a-f]{64}$/);
    await page.locator('[data-testid="runs"] tr').first().waitFor(wait);
    await page.locator('[data-testid="runtime-events"] tr.event').first().waitFor(wait);
    await screenshot("runtime");
  });

  test("Events: live feed with a filter, pause, resume with no missing sequence; a bad filter shows its position", async () => {
    const filter = 'runtime == "shop-1"';
    await open(server.consoleAddress, "events");
    await page.fill('[data-testid="filter"]', filter);
    await page.click('[data-testid="watch"]');
    await page.locator('[data-testid="feed-status"][data-state="live"]').waitFor(wait);
    await accept("shop-1", ["order-4", "order-5"]);
    await consumed("shop-1", ["order-4", "order-5"]);
    await page.locator('[data-testid="events"] tr.event', { hasText: "order-5" }).filter({ hasText: "→ CONSUMED" }).waitFor(wait);

    await page.click('[data-testid="pause"]');
    await page.locator('[data-testid="feed-status"][data-state="paused"]').waitFor(wait);
    const rowsWhenPaused = await page.locator('[data-testid="events"] tr.event').count();
    await accept("shop-1", ["order-6", "order-7"]);
    await consumed("shop-1", ["order-6", "order-7"]);
    // A paused feed has no stream open: nothing can arrive, so this count is exact, not a race.
    assert.equal(await page.locator('[data-testid="events"] tr.event').count(), rowsWhenPaused);

    await page.click('[data-testid="pause"]');
    await page.locator('[data-testid="events"] tr.event', { hasText: "order-7" }).filter({ hasText: "→ CONSUMED" }).waitFor(wait);
    const shown = (await page.locator('[data-testid="events"] tr.event').evaluateAll((rows) =>
      rows.map((r) => (r as HTMLElement).dataset.sequence!))).map(BigInt);
    // The server's own answer for the same filter over the same range: the page must show exactly these.
    const expected: bigint[] = [];
    for await (const m of client.watchRuntimeEvents({ filter, afterSequence: shown[0] - 1n, maxEvents: shown.length })) {
      if ((m as WatchRuntimeEventsResponse).message.case === "events") {
        expected.push(...(m.message.value as { events: { sequence: bigint }[] }).events.map((e) => e.sequence));
      }
    }
    assert.deepEqual(shown, expected);
    assert.equal(await page.locator('[data-testid="gap"]').count(), 0);
    await screenshot("events");

    await page.fill('[data-testid="filter"]', 'runtime == "shop-1" and');
    await page.click('[data-testid="watch"]');
    await waitForText('[data-testid="events-error"] [data-testid="error-reason"]', "INVALID_FILTER");
    assert.match(await page.locator('[data-testid="error-position"]').innerText(), /\^ position 24/);
    await screenshot("events-bad-filter");
  });

  test("Events: a feed paused past the server's retention shows a GAP marker, then goes on", async () => {
    await open(server.consoleAddress, "events");
    await page.fill('[data-testid="filter"]', 'runtime == "shop-1"');
    await page.click('[data-testid="watch"]');
    await accept("shop-1", ["order-8"]);
    await page.locator('[data-testid="events"] tr.event', { hasText: "order-8" }).filter({ hasText: "→ CONSUMED" }).waitFor(wait);
    await page.click('[data-testid="pause"]');
    await page.locator('[data-testid="feed-status"][data-state="paused"]').waitFor(wait);
    const pausedAfter = BigInt(/after sequence (\d+)/.exec(await page.locator('[data-testid="feed-status"]').innerText())![1]);
    // More events than the server keeps (its ring holds 50, its log 60; each input makes at least two) go by while the page is paused.
    const ids = Array.from({ length: 60 }, (_, i) => `bulk-${i}`);
    await Promise.all(ids.map((id) => accept("shop-1", [id])));
    await consumed("shop-1", [ids[ids.length - 1]]);
    await leftRetention(pausedAfter);
    await page.click('[data-testid="pause"]');
    await waitForText('[data-testid="gap"]', "GAP (TRIMMED)");
    await waitForText('[data-testid="gap"] [data-testid="gap-snapshot"]', "Fresh snapshot at cycle");
    await accept("shop-1", ["order-9"]);
    await page.locator('[data-testid="events"] tr.event', { hasText: "order-9" }).filter({ hasText: "→ CONSUMED" }).waitFor(wait);
    await screenshot("events-gap");
  });

  test("Runtime: its inputs page through, 25 at a time", async () => {
    // shop-1 has 70 inputs by now (the GAP test added 60).
    await open(server.consoleAddress, "runtime/shop-1");
    await page.locator('[data-testid="inputs"] tr[data-input]').nth(24).waitFor(wait);
    assert.equal(await page.locator('[data-testid="inputs"] tr[data-input]').count(), 25);
    const first = await page.locator('[data-testid="inputs"] tr[data-input]').first().getAttribute("data-input");
    await page.click('[data-testid="next-page"]');
    await waitForText(".pager", "page 2");
    assert.notEqual(await page.locator('[data-testid="inputs"] tr[data-input]').first().getAttribute("data-input"), first);
    assert.equal(await page.locator('[data-testid="inputs"] tr[data-input]').count(), 25);
  });

  test("Analytics: stats with charts, the trie as a flame graph, probes, the filter with its error position", async () => {
    await open(server.consoleAddress, "analytics");
    await waitForText('[data-total="accepted"]', 3);
    await page.locator('[data-testid="histogram"] rect.bar:not([height="0"])').first().waitFor(wait);
    await page.locator('[data-testid="rates-chart"] polyline.consumed').waitFor({ state: "attached", ...wait });
    await page.locator('[data-testid="flame"] .flame-node').nth(1).waitFor(wait);
    await page.fill('[data-testid="trie-fields"]', "runtime, kind");
    await page.click('[data-testid="trie-configure"]');
    await waitForText('[data-testid="report"]', "Trie reconfigured");
    await waitForText('[data-testid="trie-title"]', "runtime › kind");
    // Reconfigured live: the new grouping fills from the events that follow.
    await accept("shop-1", ["order-trie"]);
    await page.locator('[data-testid="flame"] .flame-node[title^="runtime=shop-1"]').waitFor(wait);

    // A probe switched off through the page stays off (read back after leaving the page), and on again.
    const probe = '[data-testid="probes"] input[data-probe="PUBLISHED"]';
    await page.locator(probe).waitFor(wait);
    assert.equal(await page.locator(probe).isChecked(), true);
    await page.locator(probe).click();
    await open(server.consoleAddress, "events");
    await open(server.consoleAddress, "analytics");
    await page.locator(probe).waitFor(wait);
    assert.equal(await page.locator(probe).isChecked(), false);
    await page.locator(probe).click();
    await open(server.consoleAddress, "events");
    await open(server.consoleAddress, "analytics");
    await page.locator(`${probe}:checked`).waitFor(wait);

    await page.fill('[data-testid="recording-name"]', "console-test");
    await page.click('[data-testid="recording-start"]');
    await waitForText('[data-testid="recording"]', "recording to");
    await page.click('[data-testid="recording-stop"]');
    await waitForText('[data-testid="recording"]', "stopped");

    await page.fill('[data-testid="analytics-filter"]', "bytes >");
    await page.click('[data-testid="filter-set"]');
    await waitForText('[data-testid="error-reason"]', "INVALID_FILTER");
    assert.match(await page.locator('[data-testid="error-position"]').innerText(), /\^ position/);
    await screenshot("analytics");
  });

  test("A lost connection is said, and the feed resumes from its last sequence when the server is back", async () => {
    await open(server.consoleAddress, "events");
    await page.fill('[data-testid="filter"]', 'runtime == "shop-1"');
    await page.click('[data-testid="watch"]');
    await accept("shop-1", ["order-10"]);
    await page.locator('[data-testid="events"] tr.event', { hasText: "order-10" }).filter({ hasText: "→ CONSUMED" }).waitFor(wait);

    // A second tab on the Runtimes page: its observer feed must come back too.
    const runtimesTab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    runtimesTab.on("pageerror", (e) => pageErrors.push(e.message));
    await runtimesTab.goto(`${server.consoleAddress}/#/runtimes`);
    await runtimesTab.locator('[data-testid="feed-status"][data-state="live"]').waitFor(wait);
    await runtimesTab.locator('tr[data-runtime="shop-1"]').waitFor(wait);

    await server.stop("SIGTERM");
    await page.locator('[data-testid="connection-banner"]:not([hidden])').waitFor(wait);
    await page.locator('[data-testid="feed-status"][data-state="reconnecting"]').waitFor(wait);
    await screenshot("connection-lost");
    await server.startProcess();
    client = new RuntimeClient({ address: server.grpcAddress });
    await page.locator('[data-testid="feed-status"][data-state="live"]').waitFor({ timeout: 20_000 });
    await accept("shop-1", ["order-11"]);
    await page.locator('[data-testid="events"] tr.event', { hasText: "order-11" }).filter({ hasText: "→ CONSUMED" }).waitFor(wait);
    await page.locator('[data-testid="connection-banner"][hidden]').waitFor({ state: "attached", ...wait });
    // It resumed after the last sequence it had: nothing shown twice, nothing out of order. What the restarted
    // server no longer holds (its event ring is in memory) is reported by the server as a gap, and shown as one.
    const sequences = (await page.locator('[data-testid="events"] tr.event').evaluateAll((rows) =>
      rows.map((r) => (r as HTMLElement).dataset.sequence!))).map(BigInt);
    assert.ok(sequences.every((s, i) => i === 0 || s > sequences[i - 1]), sequences.join(","));
    const gaps = await page.locator('[data-testid="gap"]').allInnerTexts();
    assert.ok(gaps.every((g) => g.startsWith("GAP")), gaps.join("\n"));
    await screenshot("connection-resumed");

    await runtimesTab.locator('[data-testid="feed-status"][data-state="live"]').waitFor(wait);
    await runtimesTab.locator('tr[data-runtime="shop-1"]').waitFor(wait);
    // Cycles of the server's earlier run are not the new run's: the server says GAP, the page shows it and takes
    // the fresh snapshot that follows.
    await runtimesTab.locator('[data-testid="observer-log"] [data-testid="gap"]', { hasText: "fresh snapshot" }).waitFor(wait);
    await runtimesTab.screenshot({ path: join(artifacts, "runtimes-resumed.png"), fullPage: true });
    await runtimesTab.close();
  });

  test("no page threw", () => {
    assert.deepEqual(pageErrors, []);
  });
});

describe("the console with authentication on", { timeout: 60_000 }, () => {
  let secured: RuntimeServer;
  let key: string;

  before(async () => {
    secured = await RuntimeServer.start({ Runtime__Security__RequireAuthentication: "true" });
    key = secured.createApiKey("console-test", "admin");
  });

  after(async () => {
    await secured?.dispose();
  });

  test("without a key the page shows why it was refused; with one it shows the data", async () => {
    await new RuntimeClient({ address: secured.grpcAddress, interceptors: [(next) => (req) => {
      req.header.set("authorization", `Bearer ${key}`);
      return next(req);
    }] }).controlPlane.createRuntime({ runtimeId: "secret-1", destination: "inproc:accept" });
    await page.goto(`${secured.consoleAddress}/#/runtimes`);
    await page.evaluate(() => sessionStorage.clear());
    await page.reload();

    await page.locator('[data-testid="auth"]:not([hidden])').waitFor(wait);
    await waitForText('[data-testid="auth"] [data-testid="error-reason"]', "MISSING_CREDENTIALS");
    assert.equal(await page.locator('tr[data-runtime="secret-1"]').count(), 0);
    await screenshot("auth-refused");

    await page.fill('[data-testid="token"]', "not-a-key");
    await page.click('[data-testid="token-submit"]');
    await page.locator('[data-testid="auth"]:not([hidden]) [data-testid="error-reason"]').waitFor(wait);
    assert.notEqual(await page.locator('[data-testid="auth"] [data-testid="error-reason"]').innerText(), "MISSING_CREDENTIALS");

    await page.fill('[data-testid="token"]', key);
    await page.click('[data-testid="token-submit"]');
    await page.locator('tr[data-runtime="secret-1"]').waitFor(wait);
    await waitForText('[data-testid="who"]', "console-test");
    await screenshot("auth-accepted");
  });
});
