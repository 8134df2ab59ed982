// The browser stand-in for Node's `setTimeout` from "node:timers/promises", the one the TypeScript client's
// resilient streams use to back off: resolves after `ms` with `value`, rejects when the signal aborts.
export function setTimeout<T = void>(ms?: number, value?: T, options?: { signal?: AbortSignal }): Promise<T> {
  const signal = options?.signal;
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = globalThis.setTimeout(() => {
      signal?.removeEventListener("abort", aborted);
      resolve(value as T);
    }, ms ?? 0);
    const aborted = () => {
      globalThis.clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", aborted, { once: true });
  });
}
