import { create } from "@bufbuild/protobuf";
import {
  RuntimeEventKind,
  WatchRuntimeEventsResponseSchema,
  type WatchRuntimeEventsResponse,
} from "../src/gen/runtime/v1/control_plane_service_pb.js";
import { GapReason } from "../src/gen/runtime/v1/common_pb.js";
import { InputPhase } from "../src/gen/runtime/v1/input_pb.js";
import { SubscribeResponseSchema, type SubscribeResponse } from "../src/gen/runtime/v1/observation_service_pb.js";

/** Short constructors for the stream messages the scripts send. */
export function events(...sequences: number[]): WatchRuntimeEventsResponse {
  return create(WatchRuntimeEventsResponseSchema, {
    message: {
      case: "events",
      value: {
        events: sequences.map((s) => ({
          sequence: BigInt(s), kind: RuntimeEventKind.INPUT_TRANSITIONED, runtimeId: "orders", inputId: `in-${s}`,
        })),
      },
    },
  });
}

export function inputEvent(sequence: number, inputId: string, to: InputPhase): WatchRuntimeEventsResponse {
  return create(WatchRuntimeEventsResponseSchema, {
    message: {
      case: "events",
      value: { events: [{ sequence: BigInt(sequence), kind: RuntimeEventKind.INPUT_TRANSITIONED, runtimeId: "orders", inputId, toPhase: to }] },
    },
  });
}

export function eventGap(after: number, resumeAt: number): WatchRuntimeEventsResponse {
  return create(WatchRuntimeEventsResponseSchema, {
    message: { case: "gap", value: { reason: GapReason.TRIMMED, after: BigInt(after), resumeAt: BigInt(resumeAt) } },
  });
}

export function eventHeartbeat(position: number): WatchRuntimeEventsResponse {
  return create(WatchRuntimeEventsResponseSchema, { message: { case: "heartbeat", value: { position: BigInt(position) } } });
}

export function snapshot(observer: string, cycle: number): SubscribeResponse {
  return create(SubscribeResponseSchema, {
    message: { case: "snapshot", value: { observer, cycle: BigInt(cycle), data: { case: "runtimes", value: {} } } },
  });
}

export function batch(observer: string, cycle: number): SubscribeResponse {
  return create(SubscribeResponseSchema, {
    message: { case: "batch", value: { observer, cycle: BigInt(cycle), events: [{ kind: "runtime.created", subject: "orders" }] } },
  });
}

export function observationGap(observer: string, after: number, resumeAt: number): SubscribeResponse {
  return create(SubscribeResponseSchema, {
    message: { case: "gap", value: { reason: GapReason.TRIMMED, observer, after: BigInt(after), resumeAt: BigInt(resumeAt) } },
  });
}

export function observationHeartbeat(position: number): SubscribeResponse {
  return create(SubscribeResponseSchema, { message: { case: "heartbeat", value: { position: BigInt(position) } } });
}

/** Reads the next `count` messages of a stream; fails if it ends first. */
export async function take<T>(stream: AsyncIterator<T>, count: number): Promise<T[]> {
  const items: T[] = [];
  for (let i = 0; i < count; i++) {
    const next = await withTimeout(stream.next());
    if (next.done) {
      throw new Error(`the stream ended after ${items.length} of ${count} messages`);
    }
    items.push(next.value);
  }
  return items;
}

/** Reads a stream to its end. */
export async function rest<T>(stream: AsyncIterator<T>): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const next = await withTimeout(stream.next());
    if (next.done) {
      return items;
    }
    items.push(next.value);
  }
}

/** Bounds a wait (10 s by default) so a broken test fails instead of hanging. */
export async function withTimeout<T>(promise: Promise<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
