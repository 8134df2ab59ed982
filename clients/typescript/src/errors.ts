import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema, type ErrorInfo } from "./gen/google/rpc/error_details_pb.js";
import type { ErrorDetail, FieldViolation } from "./gen/runtime/v1/common_pb.js";

const brand: unique symbol = Symbol.for("runtime-client.RuntimeClientError");

/** One request field that was missing or malformed. */
export interface BadField {
  /** Path of the field in the request, snake_case (for example `input.payload`). */
  field: string;
  /** What is wrong with it. */
  description: string;
}

/**
 * A failed call to Runtime, with the server's `google.rpc.ErrorInfo` and `google.rpc.BadRequest` decoded from the
 * `grpc-status-details-bin` trailer. It is a `ConnectError` (so `code`, `rawMessage` and `metadata`, the response
 * headers and trailers, are there too); branch on `reason`, which is stable, rather than on the message.
 */
export class RuntimeClientError extends ConnectError {
  /** Stable UPPER_SNAKE_CASE reason (for example `RUNTIME_NOT_FOUND`); empty when the failure carried no ErrorInfo. */
  readonly reason: string;
  /** The ErrorInfo domain: `runtime` for Runtime's own errors. */
  readonly domain: string;
  /** Every dynamic value the message mentions (ErrorInfo metadata, for example `runtime_id`). */
  readonly errorMetadata: Readonly<Record<string, string>>;
  /** The request fields that were missing or malformed (INVALID_ARGUMENT). */
  readonly fieldViolations: readonly BadField[];
  /** Marks instances for `instanceof` (ConnectError's own check accepts any ConnectError). */
  readonly [brand] = true;

  private constructor(source: ConnectError, info: ErrorInfo | undefined, fieldViolations: BadField[]) {
    super(source.rawMessage, source.code, source.metadata, undefined, source.cause ?? source);
    // Keep the name ConnectError so code (and connect itself) that recognises ConnectError by name still does.
    this.name = "ConnectError";
    this.details = source.details;
    this.reason = info?.reason ?? "";
    this.domain = info?.domain ?? "";
    this.errorMetadata = { ...(info?.metadata ?? {}) };
    this.fieldViolations = fieldViolations;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  /** Decodes any caught value (usually a ConnectError from a call) into a RuntimeClientError. */
  static fromError(error: unknown): RuntimeClientError {
    if (error instanceof RuntimeClientError) {
      return error;
    }
    const source = ConnectError.from(error);
    let info: ErrorInfo | undefined;
    let violations: BadField[] = [];
    try {
      info = source.findDetails(ErrorInfoSchema)[0];
      violations = source.findDetails(BadRequestSchema).flatMap((b) =>
        b.fieldViolations.map((v) => ({ field: v.field, description: v.description })));
    } catch {
      // A malformed detail must not hide the failure itself.
    }
    return new RuntimeClientError(source, info, violations);
  }

  /** The error for one refused item of a stream that answers errors per item (`AcceptInputStream`). */
  static fromErrorDetail(detail: ErrorDetail): RuntimeClientError {
    const source = new ConnectError(detail.message, detail.code as Code);
    const info = { reason: detail.reason, domain: "runtime", metadata: detail.metadata } as ErrorInfo;
    return new RuntimeClientError(source, info, detail.fieldViolations.map((v: FieldViolation) => ({
      field: v.field,
      description: v.description,
    })));
  }
}

/** Installed on the client's transport: every failure, unary or mid-stream, surfaces as a RuntimeClientError. */
export const errorInterceptor: Interceptor = (next) => async (request) => {
  try {
    const response = await next(request);
    if (!response.stream) {
      return response;
    }
    return { ...response, message: typed(response.message) };
  } catch (error) {
    throw RuntimeClientError.fromError(error);
  }
};

async function* typed<T>(messages: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (error) {
    throw RuntimeClientError.fromError(error);
  }
}

/** Statuses worth reconnecting on: the server or the network went away, or the server shed load. */
export function isTransient(code: Code): boolean {
  return code === Code.Unavailable || code === Code.Internal || code === Code.Unknown ||
    code === Code.Aborted || code === Code.ResourceExhausted;
}
