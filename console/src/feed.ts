import { resilientStream, type StreamCursor } from "../../clients/typescript/src/streams.js";
import { h, replace } from "./dom.js";
import { decode } from "./failure.js";

/** Where a live feed is: it is never silently stale, so every state is shown. */
export type FeedState = "connecting" | "live" | "reconnecting" | "paused" | "ended" | "failed";

/** Opens one connection of a feed; `onHeader` fires when the server answers (before any message). */
export type OpenCall<Req, Res> = (request: Req, signal: AbortSignal, onHeader: () => void) => AsyncIterable<Res>;

/** Feeds that are reconnecting right now, for the page-wide "connection lost" banner. */
const lost = new Map<string, string>();
const lostListeners = new Set<() => void>();

export function onConnectionChange(listener: () => void): void {
  lostListeners.add(listener);
}

export function lostFeeds(): ReadonlyMap<string, string> {
  return lost;
}

function markLost(name: string, why: string | undefined): void {
  if (why === undefined) {
    lost.delete(name);
  } else {
    lost.set(name, why);
  }
  lostListeners.forEach((l) => l());
}

/**
 * A server stream kept open with the TypeScript client's resilient streams: on a transient failure it reconnects
 * with backoff and resumes after the last sequence / cycle delivered (the cursor), and says so meanwhile.
 * A non-transient failure (a bad filter, a refused credential) ends it with the error shown.
 */
export class Feed<Req, Res> {
  readonly badge = h("span", { class: "feed connecting", "data-testid": "feed-status" }, "connecting");
  private controller: AbortController | undefined;
  private state: FeedState = "connecting";

  constructor(
    private readonly name: string,
    private readonly openCall: OpenCall<Req, Res>,
    private cursor: StreamCursor<Req, Res>,
    private readonly onMessage: (message: Res) => void,
    private readonly onFailure: (error: unknown) => void,
    private readonly position: () => string,
  ) {}

  get current(): FeedState {
    return this.state;
  }

  /** Starts (or, after a pause, resumes with the given cursor) the feed. */
  start(cursor?: StreamCursor<Req, Res>): void {
    this.stop("paused");
    if (cursor) {
      this.cursor = cursor;
    }
    const controller = new AbortController();
    this.controller = controller;
    void this.run(controller);
  }

  /** Stops the feed; its cursor keeps where it got to. */
  stop(state: FeedState = "paused"): void {
    if (this.controller) {
      this.controller.abort();
      this.controller = undefined;
      this.set(state);
    }
    markLost(this.name, undefined);
  }

  private async run(controller: AbortController): Promise<void> {
    let connections = 0;
    const open = (request: Req, signal: AbortSignal): AsyncIterable<Res> => {
      const first = connections++ === 0;
      if (first) {
        this.set("connecting");
      }
      const call = this.openCall(request, signal, () => this.set("live"));
      const self = this;
      return (async function* () {
        try {
          for await (const message of call) {
            self.set("live");
            yield message;
          }
        } catch (error) {
          if (!signal.aborted) {
            self.set("reconnecting", decode(error).rawMessage);
          }
          throw error;
        }
      })();
    };
    try {
      for await (const message of resilientStream(open, this.cursor, { initialDelayMs: 250, maxDelayMs: 5000 }, controller.signal)) {
        if (controller.signal.aborted) {
          return;
        }
        this.onMessage(message);
        this.refresh();
      }
      if (!controller.signal.aborted) {
        this.set("ended");
      }
    } catch (error) {
      if (!controller.signal.aborted) {
        this.set("failed");
        this.onFailure(error);
      }
    }
  }

  private set(state: FeedState, why?: string): void {
    this.state = state;
    this.badge.className = `feed ${state}`;
    this.badge.dataset.state = state;
    const text: Record<FeedState, string> = {
      connecting: "connecting",
      live: `live · ${this.position()}`,
      reconnecting: `connection lost, reconnecting to resume ${this.position()}${why ? ` (${why})` : ""}`,
      paused: `paused · ${this.position()}`,
      ended: `ended · ${this.position()}`,
      failed: "stopped by an error",
    };
    replace(this.badge, text[state]);
    markLost(this.name, state === "reconnecting" ? why ?? "" : undefined);
  }

  /** Re-renders the badge (the position moved). */
  refresh(): void {
    if (this.state === "live" || this.state === "paused") {
      this.set(this.state);
    }
  }
}
