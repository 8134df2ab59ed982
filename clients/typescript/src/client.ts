import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { ReconnectOptions } from "./backoff.js";
import { errorInterceptor } from "./errors.js";
import { Health } from "./gen/grpc/health/v1/health_pb.js";
import {
  RuntimeControlPlaneService,
  RuntimeEventKind,
  WatchRuntimeEventsRequestSchema,
  type WatchRuntimeEventsResponse,
} from "./gen/runtime/v1/control_plane_service_pb.js";
import { RuntimeDriverService } from "./gen/runtime/v1/driver_service_pb.js";
import { InputPhase, type InputState } from "./gen/runtime/v1/input_pb.js";
import {
  ObservationService,
  SubscribeRequestSchema,
  type SubscribeResponse,
} from "./gen/runtime/v1/observation_service_pb.js";
import { TransportService } from "./gen/runtime/v1/transport_service_pb.js";
import { ObservationCursor, RuntimeEventsCursor, resilientStream } from "./streams.js";

/** Where Runtime is and how the client's helpers behave. */
export interface RuntimeClientOptions {
  /** The server's address. Default `http://127.0.0.1:5000` (h2c, the server's default). */
  address?: string;
  /** How resilient subscriptions reconnect. */
  reconnect?: ReconnectOptions;
  /** How often waitForInput re-reads the input when no event wakes it, in ms. Default 1000. */
  inputPollIntervalMs?: number;
  /** Extra connect interceptors (auth headers, logging), run before the error translation. */
  interceptors?: Interceptor[];
  /** Use this transport instead of creating one (advanced; errors are still translated by its interceptors only). */
  transport?: Transport;
}

/** Options of one call of a streaming helper. */
export interface StreamCallOptions {
  /** Stops the stream (the iteration throws); `break` out of the loop stops it too. */
  signal?: AbortSignal;
}

/** Options of waitForInput. */
export interface WaitForInputOptions {
  /** The condition to wait for; default: the input is in a terminal phase. */
  until?: (state: InputState) => boolean;
  /** Stops waiting (for example `AbortSignal.timeout(30_000)`). */
  signal?: AbortSignal;
}

/** True for the phases an input never leaves: CONSUMED, SUPERSEDED, COALESCED, ABANDONED. */
export function isTerminal(phase: InputPhase): boolean {
  return phase === InputPhase.CONSUMED || phase === InputPhase.SUPERSEDED ||
    phase === InputPhase.COALESCED || phase === InputPhase.ABANDONED;
}

/**
 * One entry point to Runtime: a client per service (failures throw RuntimeClientError) plus the helpers that are
 * easy to get wrong by hand: resilient subscriptions and waiting for an input to finish.
 */
export class RuntimeClient {
  /** The data plane: accept inputs, read input and runtime state. */
  readonly driver: Client<typeof RuntimeDriverService>;
  /** The control plane: create, list and operate runtimes, receipts, events. */
  readonly controlPlane: Client<typeof RuntimeControlPlaneService>;
  /** Destinations and their wires. */
  readonly transports: Client<typeof TransportService>;
  /** Observers, snapshots and history (use subscribe() to stream). */
  readonly observation: Client<typeof ObservationService>;
  /** The standard gRPC health service, for readiness checks. */
  readonly health: Client<typeof Health>;
  private readonly options: RuntimeClientOptions;

  constructor(options: RuntimeClientOptions = {}) {
    this.options = options;
    const transport = options.transport ?? createGrpcTransport({
      baseUrl: options.address ?? "http://127.0.0.1:5000",
      interceptors: [...(options.interceptors ?? []), errorInterceptor],
    });
    this.driver = createClient(RuntimeDriverService, transport);
    this.controlPlane = createClient(RuntimeControlPlaneService, transport);
    this.transports = createClient(TransportService, transport);
    this.observation = createClient(ObservationService, transport);
    this.health = createClient(Health, transport);
  }

  /**
   * Streams runtime events, resiliently: reconnects with backoff, resumes after the last sequence delivered, keeps
   * `maxEvents` / `maxDuration` across reconnections. Gaps and heartbeats are yielded as the server sends them: a
   * gap means events were missed, so act on it (re-read state). Ends when the server ends the stream; throws
   * RuntimeClientError on a non-transient failure.
   */
  watchRuntimeEvents(
    request: MessageInitShape<typeof WatchRuntimeEventsRequestSchema> = {},
    options: StreamCallOptions = {},
  ): AsyncGenerator<WatchRuntimeEventsResponse, void, undefined> {
    return resilientStream(
      (next, signal) => this.controlPlane.watchRuntimeEvents(next, { signal }),
      new RuntimeEventsCursor(create(WatchRuntimeEventsRequestSchema, request)),
      this.options.reconnect,
      options.signal);
  }

  /**
   * Streams observation messages, resiliently: reconnects with backoff and resumes after the last cycle delivered
   * per observer (without asking for the snapshots again), keeping `maxMessages` / `maxDuration`. Gaps (followed
   * by a fresh snapshot), cycle failures and heartbeats are yielded as the server sends them.
   */
  subscribe(
    request: MessageInitShape<typeof SubscribeRequestSchema> = {},
    options: StreamCallOptions = {},
  ): AsyncGenerator<SubscribeResponse, void, undefined> {
    return resilientStream(
      (next, signal) => this.observation.subscribe(next, { signal }),
      new ObservationCursor(create(SubscribeRequestSchema, request)),
      this.options.reconnect,
      options.signal);
  }

  /**
   * Waits until an input satisfies `until` (default: a terminal phase) and returns its ledger record. Re-reads the
   * input whenever a runtime event concerns it, and at least every `inputPollIntervalMs` (so it also works where
   * events cannot be watched).
   */
  async waitForInput(runtimeId: string, inputId: string, options: WaitForInputOptions = {}): Promise<InputState> {
    const until = options.until ?? ((state: InputState) => isTerminal(state.phase));
    const pollMs = this.options.inputPollIntervalMs ?? 1000;
    const wake = new Wake();
    const stopWatching = new AbortController();
    const watching = this.wakeOnInputEvents(runtimeId, inputId, wake, stopWatching.signal);
    try {
      for (;;) {
        const { state } = await this.driver.getInputState({ runtimeId, inputId }, { signal: options.signal });
        if (state && until(state)) {
          return state;
        }
        await wake.wait(pollMs, options.signal);
      }
    } finally {
      stopWatching.abort();
      await watching;
    }
  }

  private async wakeOnInputEvents(runtimeId: string, inputId: string, wake: Wake, signal: AbortSignal): Promise<void> {
    try {
      const events = this.watchRuntimeEvents(
        { runtimeIds: [runtimeId], kinds: [RuntimeEventKind.INPUT_TRANSITIONED] }, { signal });
      for await (const message of events) {
        // Heartbeats wake too: an event that happened before the watch started is caught on the next one.
        if (message.message.case !== "events" || message.message.value.events.some((e) => e.inputId === inputId)) {
          wake.set();
        }
      }
    } catch {
      // Events are an accelerator here, not a requirement: polling carries on.
    }
  }
}

/** A one-slot wake-up signal with a timeout. */
class Wake {
  private pending = false;
  private resolve: (() => void) | undefined;

  set(): void {
    this.pending = true;
    this.resolve?.();
  }

  async wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (!this.pending) {
      await new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", aborted);
          this.resolve = undefined;
          resolve();
        };
        const aborted = () => {
          clearTimeout(timer);
          this.resolve = undefined;
          reject(signal?.reason);
        };
        const timer = setTimeout(done, timeoutMs);
        signal?.addEventListener("abort", aborted, { once: true });
        this.resolve = done;
      });
    }
    this.pending = false;
  }
}
