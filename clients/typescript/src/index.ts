/**
 * Runtime's TypeScript client: generated stubs of `runtime.v1` (connect-es over the gRPC protocol, h2c), typed
 * errors, resilient subscriptions and waitForInput.
 */
export { RuntimeClient, isTerminal } from "./client.js";
export type { RuntimeClientOptions, StreamCallOptions, WaitForInputOptions } from "./client.js";
export { RuntimeClientError, errorInterceptor, isTransient } from "./errors.js";
export type { BadField } from "./errors.js";
export { backoffDelayMs } from "./backoff.js";
export type { ReconnectOptions } from "./backoff.js";
export { ObservationCursor, RuntimeEventsCursor, resilientStream } from "./streams.js";
export type { StreamCursor } from "./streams.js";
export * from "./gen/runtime/v1/access_service_pb.js";
export * from "./gen/runtime/v1/common_pb.js";
export * from "./gen/runtime/v1/control_plane_service_pb.js";
export * from "./gen/runtime/v1/driver_service_pb.js";
export * from "./gen/runtime/v1/input_pb.js";
export * from "./gen/runtime/v1/observation_service_pb.js";
export * from "./gen/runtime/v1/policy_pb.js";
export * from "./gen/runtime/v1/runtime_pb.js";
export * from "./gen/runtime/v1/sink_service_pb.js";
export * from "./gen/runtime/v1/transport_service_pb.js";
