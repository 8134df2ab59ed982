import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { BadRequestSchema, ErrorInfoSchema } from "../src/gen/google/rpc/error_details_pb.js";
import {
  CreateRuntimeResponseSchema,
  RuntimeControlPlaneService,
  type CreateRuntimeRequest,
  type WatchRuntimeEventsRequest,
  type WatchRuntimeEventsResponse,
} from "../src/gen/runtime/v1/control_plane_service_pb.js";
import { RuntimeDriverService, GetInputStateResponseSchema, type GetInputStateRequest } from "../src/gen/runtime/v1/driver_service_pb.js";
import { InputPhase } from "../src/gen/runtime/v1/input_pb.js";
import { ObservationService, type SubscribeRequest, type SubscribeResponse } from "../src/gen/runtime/v1/observation_service_pb.js";
import { RuntimeSchema } from "../src/gen/runtime/v1/runtime_pb.js";

/** The behaviour of one incoming server-streaming call. */
export type Script<Req, Res> = (request: Req, context: HandlerContext, server: FakeServer) => AsyncIterable<Res>;

/** A FIFO that tests await with a bounded wait. */
export class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];

  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(item);
    } else {
      this.items.push(item);
    }
  }

  get size(): number {
    return this.items.length;
  }

  async next(timeoutMs = 10_000): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) {
      return item;
    }
    return await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing arrived within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  }
}

/** The scripted answers of one server-streaming method, taken in order; requests are recorded. */
export class ScriptedCalls<Req, Res> {
  readonly requests = new Inbox<Req>();
  private readonly scripts: Script<Req, Res>[] = [];

  then(script: Script<Req, Res>): void {
    this.scripts.push(script);
  }

  /** A call that sends these messages, then drops the connection when the returned function is called (after the
   * client has read them: data in flight when a connection dies is lost, which is what resuming is for). */
  thenSendAndBreak(...messages: Res[]): () => void {
    let breakNow!: () => void;
    const broken = new Promise<void>((resolve) => (breakNow = resolve));
    this.then(async function* (_request, context, server) {
      yield* messages;
      await broken;
      server.dropConnections();
      await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
    });
    return breakNow;
  }

  thenSendAndEnd(...messages: Res[]): void {
    this.then(async function* () {
      yield* messages;
    });
  }

  thenFail(error: ConnectError): void {
    this.then(async function* () {
      throw error;
    });
  }

  async *handle(request: Req, context: HandlerContext, server: FakeServer): AsyncIterable<Res> {
    this.requests.push(request);
    const script = this.scripts.shift();
    if (!script) {
      throw new ConnectError("no script left for this call", Code.FailedPrecondition);
    }
    yield* script(request, context, server);
  }
}

/** A rich error as Runtime sends it: ErrorInfo (domain `runtime`) and optional BadRequest field violations. */
export function richError(code: Code, reason: string, message: string, violations: [string, string][] = []): ConnectError {
  const details = [{ desc: ErrorInfoSchema, value: { reason, domain: "runtime", metadata: { runtime_id: "orders" } } }];
  const error = new ConnectError(message, code, undefined, details);
  if (violations.length > 0) {
    error.details.push({
      desc: BadRequestSchema,
      value: { fieldViolations: violations.map(([field, description]) => ({ field, description })) },
    });
  }
  return error;
}

/**
 * A tiny gRPC server (connect-node adapter on node's HTTP/2 server, h2c on loopback) serving scripted Runtime
 * services: the honest way to make a stream break, resume, or return rich errors on demand.
 */
export class FakeServer {
  readonly watch = new ScriptedCalls<WatchRuntimeEventsRequest, WatchRuntimeEventsResponse>();
  readonly subscriptions = new ScriptedCalls<SubscribeRequest, SubscribeResponse>();
  createRuntimeError: ConnectError | undefined;
  /** The phase GetInputState answers. */
  inputPhase: InputPhase = InputPhase.QUEUED;
  inputReads = 0;
  private readonly sessions = new Set<http2.ServerHttp2Session>();

  private constructor(private readonly server: http2.Http2Server, readonly address: string) {
    server.on("session", (session) => {
      this.sessions.add(session);
      session.on("close", () => this.sessions.delete(session));
    });
  }

  static async start(): Promise<FakeServer> {
    let fake!: FakeServer;
    const routes = (router: ConnectRouter) => {
      router.service(RuntimeControlPlaneService, {
        watchRuntimeEvents: (request, context) => fake.watch.handle(request, context, fake),
        createRuntime: (request: CreateRuntimeRequest) => {
          if (fake.createRuntimeError) {
            throw fake.createRuntimeError;
          }
          return create(CreateRuntimeResponseSchema, { created: true, runtime: create(RuntimeSchema, { runtimeId: request.runtimeId }) });
        },
      });
      router.service(ObservationService, {
        subscribe: (request, context) => fake.subscriptions.handle(request, context, fake),
      });
      router.service(RuntimeDriverService, {
        getInputState: (request: GetInputStateRequest) => {
          fake.inputReads++;
          return create(GetInputStateResponseSchema, {
            state: { runtimeId: request.runtimeId, inputId: request.inputId, phase: fake.inputPhase },
          });
        },
      });
    };
    const server = http2.createServer(connectNodeAdapter({ routes, grpcWeb: false, connect: false }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    fake = new FakeServer(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  /** Drops every client connection at once (the TCP socket, no GOAWAY), as a dying server or network would. */
  dropConnections(): void {
    for (const session of this.sessions) {
      if (!session.destroyed) {
        session.socket.destroy();
      }
    }
  }

  async close(): Promise<void> {
    for (const session of this.sessions) {
      session.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
