import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { ErrorDetailSchema, RuntimeClient, RuntimeClientError } from "../src/index.js";
import { FakeServer, richError } from "./fake-server.js";

let server: FakeServer;
before(async () => (server = await FakeServer.start()));
after(async () => await server.close());

test("a failure over the wire exposes reason, metadata and bad fields", async () => {
  server.createRuntimeError = richError(Code.InvalidArgument, "INVALID_RUNTIME_ID", "runtime_id 'a b' is not valid",
    [["runtime_id", "must match [A-Za-z0-9._:-]{1,128}"]]);
  const client = new RuntimeClient({ address: server.address });

  const error = await client.controlPlane.createRuntime({ runtimeId: "a b" }).catch((e: unknown) => e);

  assert.ok(error instanceof RuntimeClientError);
  assert.ok(error instanceof ConnectError);
  assert.equal(error.code, Code.InvalidArgument);
  assert.equal(error.reason, "INVALID_RUNTIME_ID");
  assert.equal(error.domain, "runtime");
  assert.equal(error.errorMetadata.runtime_id, "orders");
  assert.deepEqual(error.fieldViolations, [{ field: "runtime_id", description: "must match [A-Za-z0-9._:-]{1,128}" }]);
});

test("a failure without details has an empty reason", () => {
  const error = RuntimeClientError.fromError(new ConnectError("connection refused", Code.Unavailable));
  assert.equal(error.code, Code.Unavailable);
  assert.equal(error.reason, "");
  assert.deepEqual(error.fieldViolations, []);
});

test("an in-stream error detail becomes the same error", () => {
  const detail = create(ErrorDetailSchema, { code: Code.NotFound, reason: "RUNTIME_NOT_FOUND", message: "no such runtime", metadata: { runtime_id: "x" } });
  const error = RuntimeClientError.fromErrorDetail(detail);
  assert.equal(error.code, Code.NotFound);
  assert.equal(error.reason, "RUNTIME_NOT_FOUND");
  assert.equal(error.errorMetadata.runtime_id, "x");
});

test("plain connect errors are not mistaken for typed ones", () => {
  assert.equal(new ConnectError("x", Code.Internal) instanceof RuntimeClientError, false);
});
