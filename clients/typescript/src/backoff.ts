/** Backoff of resilient subscriptions (failed connection attempts in a row). */
export interface ReconnectOptions {
  /** Delay before the first retry, in ms. Default 200. */
  initialDelayMs?: number;
  /** Upper bound of the delay, in ms. Default 30000. */
  maxDelayMs?: number;
  /** Failed attempts in a row before the stream throws. Default: never gives up. */
  maxAttempts?: number;
  /** Randomise delays so many clients do not reconnect in lockstep. Default true. */
  jitter?: boolean;
}

/** The delay before retry number `attempt` (0-based): exponential, capped, with "equal jitter" when asked. */
export function backoffDelayMs(attempt: number, options: ReconnectOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 200;
  const max = options.maxDelayMs ?? 30_000;
  const delay = Math.min(max, initial * 2 ** attempt);
  return (options.jitter ?? true) ? delay / 2 + random() * (delay / 2) : delay;
}
