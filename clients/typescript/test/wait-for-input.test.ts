import assert from "node:assert/strict";
import { after, beforeEach, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { InputPhase, RuntimeClient, RuntimeEventKind, isTerminal } from "../src/index.js";
import { FakeServer } from "./fake-server.js";
import { inputEvent, withTimeout } from "./messages.js";

let server: FakeServer;
beforeEach(async () => {
  await server?.close();
  server = await FakeServer.start();
});
after(async () => await server.close());

test("an event about the input wakes the wait long before the poll interval", async () => {
  let sendEvent!: () => void;
  const eventSent = new Promise<void>((resolve) => (sendEvent = resolve));
  server.watch.then(async function* (_request, context) {
    await eventSent;
    yield inputEvent(1, "in-1", InputPhase.CONSUMED);
    await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
  });
  // An hour-long poll interval: only the event can wake the second read within the test's bound.
  const client = new RuntimeClient({ address: server.address, inputPollIntervalMs: 3_600_000 });

  const waiting = client.waitForInput("orders", "in-1");
  const watchRequest = await server.watch.requests.next();
  server.inputPhase = InputPhase.CONSUMED;
  sendEvent();

  const state = await withTimeout(waiting);
  assert.equal(state.phase, InputPhase.CONSUMED);
  assert.deepEqual(watchRequest.runtimeIds, ["orders"]);
  assert.deepEqual(watchRequest.kinds, [RuntimeEventKind.INPUT_TRANSITIONED]);
});

test("without events it polls", async () => {
  server.watch.thenFail(new ConnectError("needs observe scope", Code.PermissionDenied));
  const client = new RuntimeClient({ address: server.address, inputPollIntervalMs: 20 });

  const waiting = client.waitForInput("orders", "in-1", { until: (s) => s.phase === InputPhase.APPLIED });
  await server.watch.requests.next();
  server.inputPhase = InputPhase.APPLIED;

  const state = await withTimeout(waiting);
  assert.equal(state.phase, InputPhase.APPLIED);
  assert.ok(server.inputReads >= 1);
});

test("terminal phases are the ones an input never leaves", () => {
  const terminal = [InputPhase.CONSUMED, InputPhase.SUPERSEDED, InputPhase.COALESCED, InputPhase.ABANDONED];
  for (const phase of Object.values(InputPhase).filter((v): v is InputPhase => typeof v === "number")) {
    assert.equal(isTerminal(phase), terminal.includes(phase), InputPhase[phase]);
  }
});
