import { clone } from "@bufbuild/protobuf";
import { durationFromMs, durationMs, type Duration } from "@bufbuild/protobuf/wkt";
import { setTimeout as sleep } from "node:timers/promises";
import { backoffDelayMs, type ReconnectOptions } from "./backoff.js";
import { RuntimeClientError, isTransient } from "./errors.js";
import {
  WatchRuntimeEventsRequestSchema,
  type WatchRuntimeEventsRequest,
  type WatchRuntimeEventsResponse,
} from "./gen/runtime/v1/control_plane_service_pb.js";
import {
  SubscribeRequestSchema,
  type SubscribeRequest,
  type SubscribeResponse,
} from "./gen/runtime/v1/observation_service_pb.js";

/**
 * Remembers how far a resumable stream got, so a reconnection asks for exactly what the caller has not seen yet and
 * the caller's own limits hold across reconnections.
 */
export interface StreamCursor<Req, Res> {
  /** True when the caller's limits are used up: the stream is complete, do not reconnect. */
  readonly exhausted: boolean;
  /** The request for the next connection: the caller's request, resuming after what was delivered. */
  nextRequest(): Req;
  /** Records a message handed to the caller. */
  delivered(message: Res): void;
}

/**
 * Reads a resumable server stream as one async iterable across reconnections: on a transient failure it reconnects
 * (failed attempts back off; a stream that broke after delivering messages reconnects at once) and resumes after
 * the last position delivered. Every server message, gaps included, reaches the caller. Stop it with `break` or
 * the signal.
 */
export async function* resilientStream<Req, Res>(
  open: (request: Req, signal: AbortSignal) => AsyncIterable<Res>,
  cursor: StreamCursor<Req, Res>,
  options: ReconnectOptions = {},
  signal?: AbortSignal,
): AsyncGenerator<Res, void, undefined> {
  let failures = 0;
  while (!cursor.exhausted) {
    const call = new AbortController();
    const cancel = () => call.abort(signal?.reason);
    signal?.addEventListener("abort", cancel, { once: true });
    let connected = false;
    try {
      for await (const message of open(cursor.nextRequest(), call.signal)) {
        connected = true;
        failures = 0;
        cursor.delivered(message);
        yield message;
        if (cursor.exhausted) {
          return;
        }
      }
      // The server ended the stream with OK: the caller's limits were reached.
      return;
    } catch (error) {
      const failure = RuntimeClientError.fromError(error);
      if (signal?.aborted || !isTransient(failure.code)) {
        throw failure;
      }
      if (!connected) {
        if (failures >= (options.maxAttempts ?? Number.POSITIVE_INFINITY)) {
          throw failure;
        }
        await sleep(backoffDelayMs(failures++, options), undefined, { signal });
      }
    } finally {
      signal?.removeEventListener("abort", cancel);
      call.abort();
    }
  }
}

/** A caller's max-count and max-duration limits, counted across every connection of one stream. */
class StreamLimits {
  private readonly started: number;
  private readonly maxMs: number | undefined;
  private delivered = 0;

  constructor(private readonly maxCount: number, maxDuration: Duration | undefined, private readonly now: () => number) {
    this.started = now();
    this.maxMs = maxDuration ? durationMs(maxDuration) : undefined;
  }

  get exhausted(): boolean {
    return (this.maxCount > 0 && this.delivered >= this.maxCount) ||
      (this.maxMs !== undefined && this.now() - this.started >= this.maxMs);
  }

  count(items: number): void {
    this.delivered += items;
  }

  remainingCount(): number {
    return this.maxCount === 0 ? 0 : Math.max(1, this.maxCount - this.delivered);
  }

  remainingDuration(): Duration | undefined {
    return this.maxMs === undefined ? undefined : durationFromMs(Math.max(0, this.maxMs - (this.now() - this.started)));
  }
}

/** Resume point of a WatchRuntimeEvents stream: the last global sequence delivered, and the limits left. */
export class RuntimeEventsCursor implements StreamCursor<WatchRuntimeEventsRequest, WatchRuntimeEventsResponse> {
  private readonly limits: StreamLimits;
  /** The sequence the next connection resumes after; undefined while nothing told us where the stream is. */
  position: bigint | undefined;

  constructor(private readonly request: WatchRuntimeEventsRequest, now: () => number = performance.now.bind(performance)) {
    this.limits = new StreamLimits(request.maxEvents, request.maxDuration, now);
    this.position = request.afterSequence;
  }

  get exhausted(): boolean {
    return this.limits.exhausted;
  }

  nextRequest(): WatchRuntimeEventsRequest {
    const next = clone(WatchRuntimeEventsRequestSchema, this.request);
    next.afterSequence = this.position;
    next.maxEvents = this.limits.remainingCount();
    next.maxDuration = this.limits.remainingDuration();
    return next;
  }

  delivered(message: WatchRuntimeEventsResponse): void {
    const m = message.message;
    if (m.case === "events" && m.value.events.length > 0) {
      this.advance(m.value.events[m.value.events.length - 1].sequence);
      this.limits.count(m.value.events.length);
    } else if (m.case === "gap" && m.value.resumeAt > 0n) {
      // The caller has been told about the hole; resuming must not report it again.
      this.advance(m.value.resumeAt - 1n);
    } else if (m.case === "heartbeat") {
      this.advance(m.value.position);
    }
  }

  private advance(sequence: bigint): void {
    this.position = this.position === undefined || sequence > this.position ? sequence : this.position;
  }
}

/** Resume point of an observation Subscribe stream: the last cycle delivered per observer, and the limits left. */
export class ObservationCursor implements StreamCursor<SubscribeRequest, SubscribeResponse> {
  private readonly limits: StreamLimits;
  /** The last cycle delivered per observer. */
  readonly cycles = new Map<string, bigint>();

  constructor(private readonly request: SubscribeRequest, now: () => number = performance.now.bind(performance)) {
    this.limits = new StreamLimits(request.maxMessages, request.maxDuration, now);
  }

  get exhausted(): boolean {
    return this.limits.exhausted;
  }

  nextRequest(): SubscribeRequest {
    const next = clone(SubscribeRequestSchema, this.request);
    for (const [observer, cycle] of this.cycles) {
      next.afterCycleByObserver[observer] = cycle;
    }
    // The caller already has its snapshots; resuming asks only for what followed them.
    if (this.cycles.size > 0) {
      next.includeSnapshot = false;
    }
    next.maxMessages = this.limits.remainingCount();
    next.maxDuration = this.limits.remainingDuration();
    return next;
  }

  delivered(message: SubscribeResponse): void {
    const m = message.message;
    switch (m.case) {
      case "snapshot":
      case "batch":
      case "failure":
        this.advance(m.value.observer, m.value.cycle);
        break;
      case "gap":
        if (m.value.resumeAt > 0n && m.value.observer !== "") {
          this.advance(m.value.observer, m.value.resumeAt - 1n);
        }
        break;
      case "heartbeat":
        // A heartbeat's position is a cycle, meaningful only when the stream follows a single observer.
        if (this.request.observers.length === 1) {
          this.advance(this.request.observers[0], m.value.position);
        }
        break;
    }
    if (m.case !== undefined && m.case !== "heartbeat") {
      this.limits.count(1);
    }
  }

  private advance(observer: string, cycle: bigint): void {
    const current = this.cycles.get(observer);
    this.cycles.set(observer, current === undefined || cycle > current ? cycle : current);
  }
}
