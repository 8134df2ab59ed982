import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { durationFromMs, durationMs } from "@bufbuild/protobuf/wkt";
import {
  ObservationCursor,
  RuntimeClient,
  RuntimeClientError,
  RuntimeEventsCursor,
  SubscribeRequestSchema,
  WatchRuntimeEventsRequestSchema,
  backoffDelayMs,
} from "../src/index.js";
import { FakeServer } from "./fake-server.js";
import {
  batch, eventGap, eventHeartbeat, events, observationGap, observationHeartbeat, rest, snapshot, take,
} from "./messages.js";

const fastReconnect = { initialDelayMs: 5, maxDelayMs: 20, jitter: false };

describe("watchRuntimeEvents (scripted server)", () => {
  let server: FakeServer;
  let client: RuntimeClient;
  before(async () => {
    server = await FakeServer.start();
    client = new RuntimeClient({ address: server.address, reconnect: fastReconnect });
  });
  after(async () => await server.close());

  test("a dropped connection reconnects and resumes after the last sequence delivered", async () => {
    const drop = server.watch.thenSendAndBreak(events(1, 2));
    server.watch.thenSendAndEnd(events(3));
    const stream = client.watchRuntimeEvents({ runtimeIds: ["orders"] });

    const messages = await take(stream, 1);
    drop();
    messages.push(...await rest(stream));

    assert.deepEqual(messages.flatMap((m) => m.message.case === "events" ? m.message.value.events.map((e) => e.sequence) : []), [1n, 2n, 3n]);
    assert.equal((await server.watch.requests.next()).afterSequence, undefined);
    const resumed = await server.watch.requests.next();
    assert.equal(resumed.afterSequence, 2n);
    assert.deepEqual(resumed.runtimeIds, ["orders"]);
  });

  test("gaps reach the caller and resuming starts after the hole", async () => {
    const drop = server.watch.thenSendAndBreak(eventGap(5, 10));
    server.watch.thenSendAndEnd(events(10));
    const stream = client.watchRuntimeEvents({ afterSequence: 5n });

    const [gap] = await take(stream, 1);
    drop();
    const tail = await rest(stream);

    assert.equal(gap.message.case, "gap");
    assert.equal(tail.length, 1);
    assert.equal((await server.watch.requests.next()).afterSequence, 5n);
    assert.equal((await server.watch.requests.next()).afterSequence, 9n);
  });

  test("max events counts across reconnections and the client stops once it is reached", async () => {
    const drop = server.watch.thenSendAndBreak(events(1, 2));
    server.watch.thenSendAndBreak(events(3), events(4));
    const stream = client.watchRuntimeEvents({ maxEvents: 3 });

    const messages = await take(stream, 1);
    drop();
    messages.push(...await rest(stream));

    assert.equal(messages.reduce((n, m) => n + (m.message.case === "events" ? m.message.value.events.length : 0), 0), 3);
    assert.equal((await server.watch.requests.next()).maxEvents, 3);
    assert.equal((await server.watch.requests.next()).maxEvents, 1);
  });

  test("a non-transient failure ends the stream with a typed error and no retry", async () => {
    server.watch.thenFail(new ConnectError("bad filter", Code.InvalidArgument));
    const stream = client.watchRuntimeEvents({ filter: "(" });

    await assert.rejects(rest(stream), (e: unknown) => e instanceof RuntimeClientError && e.code === Code.InvalidArgument);
    await server.watch.requests.next();
    assert.equal(server.watch.requests.size, 0);
  });

  test("failed attempts are retried until maxAttempts, then the last failure is thrown", async () => {
    server.watch.thenFail(new ConnectError("down", Code.Unavailable));
    server.watch.thenFail(new ConnectError("still down", Code.Unavailable));
    const limited = new RuntimeClient({ address: server.address, reconnect: { ...fastReconnect, maxAttempts: 1 } });

    await assert.rejects(rest(limited.watchRuntimeEvents()), (e: unknown) =>
      e instanceof RuntimeClientError && e.code === Code.Unavailable && e.rawMessage === "still down");
    await server.watch.requests.next();
    await server.watch.requests.next();
  });

  test("heartbeats advance the resume point", async () => {
    const drop = server.watch.thenSendAndBreak(eventHeartbeat(41));
    server.watch.thenSendAndEnd(events(42));
    const stream = client.watchRuntimeEvents();

    await take(stream, 1);
    drop();
    await rest(stream);

    await server.watch.requests.next();
    assert.equal((await server.watch.requests.next()).afterSequence, 41n);
  });
});

describe("subscribe (scripted server)", () => {
  let server: FakeServer;
  let client: RuntimeClient;
  before(async () => {
    server = await FakeServer.start();
    client = new RuntimeClient({ address: server.address, reconnect: fastReconnect });
  });
  after(async () => await server.close());

  test("resumes after each observer's last cycle without asking for snapshots again", async () => {
    const drop = server.subscriptions.thenSendAndBreak(snapshot("runtimes", 0), snapshot("ledger", 2), batch("runtimes", 1), batch("ledger", 3));
    server.subscriptions.thenSendAndEnd(batch("runtimes", 2));
    const stream = client.subscribe({ includeSnapshot: true });

    const messages = await take(stream, 4);
    drop();
    messages.push(...await rest(stream));

    assert.equal(messages.length, 5);
    assert.equal((await server.subscriptions.requests.next()).includeSnapshot, true);
    const resumed = await server.subscriptions.requests.next();
    assert.equal(resumed.includeSnapshot, false);
    assert.deepEqual(resumed.afterCycleByObserver, { runtimes: 1n, ledger: 3n });
  });

  test("a gap and the fresh snapshot after it reach the caller", async () => {
    server.subscriptions.thenSendAndEnd(observationGap("runtimes", 4, 9), snapshot("runtimes", 9), batch("runtimes", 10));

    const messages = await rest(client.subscribe({ observers: ["runtimes"], afterCycle: 4n }));

    assert.deepEqual(messages.map((m) => m.message.case), ["gap", "snapshot", "batch"]);
    await server.subscriptions.requests.next();
  });
});

describe("cursors and backoff (no server)", () => {
  test("the event resume point never moves backwards", () => {
    const cursor = new RuntimeEventsCursor(create(WatchRuntimeEventsRequestSchema, {}));
    cursor.delivered(events(7, 8));
    cursor.delivered(eventHeartbeat(3));
    assert.equal(cursor.nextRequest().afterSequence, 8n);
  });

  test("max duration is what is left of the caller's budget", () => {
    let now = 1000;
    const cursor = new RuntimeEventsCursor(create(WatchRuntimeEventsRequestSchema, { maxDuration: durationFromMs(10_000) }), () => now);
    now += 4000;
    assert.equal(durationMs(cursor.nextRequest().maxDuration!), 6000);
    assert.equal(cursor.exhausted, false);
    now += 6000;
    assert.equal(cursor.exhausted, true);
  });

  test("a heartbeat moves the cycle only when one observer is followed", () => {
    const many = new ObservationCursor(create(SubscribeRequestSchema, {}));
    const one = new ObservationCursor(create(SubscribeRequestSchema, { observers: ["ledger"] }));
    many.delivered(observationHeartbeat(5));
    one.delivered(observationHeartbeat(5));
    assert.equal(many.cycles.size, 0);
    assert.equal(one.cycles.get("ledger"), 5n);
  });

  test("backoff grows exponentially up to the cap, jitter stays within [delay/2, delay]", () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000, jitter: false };
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((a) => backoffDelayMs(a, options)), [100, 200, 400, 800, 1000, 1000]);
    assert.equal(backoffDelayMs(2, { ...options, jitter: true }, () => 0), 200);
    assert.equal(backoffDelayMs(2, { ...options, jitter: true }, () => 1), 400);
  });
});
