import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Code } from "@connectrpc/connect";
import { randomUUID } from "node:crypto";
import {
  AcceptOutcome, InputPhase, RuntimeClient, RuntimeClientError, RuntimeEventKind, type Batch,
} from "../src/index.js";
import { HealthCheckResponse_ServingStatus } from "../src/gen/grpc/health/v1/health_pb.js";
import { RealServer } from "./real-server.js";

// Every wait below ends by itself well before this.
const boundMs = 30_000;

let server: RealServer;
before(async () => (server = await RealServer.start()));
after(async () => await server?.stop());

test("the client reaches the real server over h2c with the gRPC protocol", async () => {
  const client = new RuntimeClient({ address: server.address });

  const reply = await client.health.check({});

  assert.equal(reply.status, HealthCheckResponse_ServingStatus.SERVING);
});

// The README's example: a runtime bound to the built-in inproc:accept destination, an input followed to CONSUMED,
// its events, observation batches and typed errors.

test("an accepted input is followed to CONSUMED and its events are watched", async () => {
  const client = new RuntimeClient({ address: server.address });
  const runtimeId = `ts-e2e-${randomUUID()}`;
  const created = await client.controlPlane.createRuntime({ runtimeId, destination: "inproc:accept", labels: { suite: "ts" } });
  assert.equal(created.runtime?.runtimeId, runtimeId);

  const accepted = await client.driver.acceptInput({
    runtimeId,
    input: { inputId: "order-1", kind: "order.created", payload: new TextEncoder().encode('{"id":1}'), contentType: "application/json" },
  });
  assert.equal(accepted.outcome, AcceptOutcome.ACCEPTED);

  const state = await client.waitForInput(runtimeId, accepted.inputId, { signal: AbortSignal.timeout(boundMs) });
  assert.equal(state.phase, InputPhase.CONSUMED);
  assert.ok(state.history.some((t) => t.to === InputPhase.QUEUED));

  // maxEvents ends the stream by itself after exactly two events, the first being the acceptance.
  const events = [];
  for await (const message of client.watchRuntimeEvents(
    { runtimeIds: [runtimeId], kinds: [RuntimeEventKind.INPUT_TRANSITIONED], afterSequence: 0n, maxEvents: 2 },
    { signal: AbortSignal.timeout(boundMs) })) {
    if (message.message.case === "events") {
      events.push(...message.message.value.events);
    }
  }
  assert.equal(events.length, 2);
  assert.ok(events.every((e) => e.inputId === "order-1"));
  assert.equal(events[0].toPhase, InputPhase.ACCEPTED);
  assert.ok(events[1].sequence > events[0].sequence);
});

test("the runtimes observer sends a snapshot then a batch about a new runtime", async () => {
  const client = new RuntimeClient({ address: server.address });
  const runtimeId = `ts-observed-${randomUUID()}`;
  const stream = client.subscribe(
    { observers: ["runtimes"], includeSnapshot: true, maxMessages: 100 }, { signal: AbortSignal.timeout(boundMs) });

  const first = await stream.next();
  assert.equal(first.done, false);
  assert.equal(first.value?.message.case, "snapshot");
  assert.equal(first.value?.message.value?.observer, "runtimes");

  await client.controlPlane.createRuntime({ runtimeId, destination: "inproc:accept" });

  let mentioning: Batch | undefined;
  for await (const message of stream) {
    if (message.message.case === "batch" && message.message.value.events.some((e) => e.subject.includes(runtimeId))) {
      mentioning = message.message.value;
      break;
    }
  }
  assert.equal(mentioning?.observer, "runtimes");
});

test("an unknown runtime fails with the RUNTIME_NOT_FOUND reason", async () => {
  const client = new RuntimeClient({ address: server.address });

  const error = await client.controlPlane.getRuntime({ runtimeId: "no-such-runtime" }).then(
    () => assert.fail("expected the call to fail"), (e: unknown) => e);

  assert.ok(error instanceof RuntimeClientError);
  assert.equal(error.code, Code.NotFound);
  assert.equal(error.reason, "RUNTIME_NOT_FOUND");
  assert.equal(error.domain, "runtime");
  assert.equal(error.errorMetadata.runtime_id, "no-such-runtime");
});

test("a bad field fails with INVALID_ARGUMENT and names the field", async () => {
  const client = new RuntimeClient({ address: server.address });

  const error = await client.controlPlane.createRuntime({ runtimeId: "", destination: "inproc:accept" }).then(
    () => assert.fail("expected the call to fail"), (e: unknown) => e);

  assert.ok(error instanceof RuntimeClientError);
  assert.equal(error.code, Code.InvalidArgument);
  assert.equal(error.reason, "INVALID_FIELD");
  assert.ok(error.fieldViolations.some((v) => v.field === "runtime_id"));
});
