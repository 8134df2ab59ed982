import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { RuntimeClient } from "../src/index.js";
import { HealthCheckResponse_ServingStatus } from "../src/gen/grpc/health/v1/health_pb.js";
import { RealServer } from "./real-server.js";

let server: RealServer;
before(async () => (server = await RealServer.start()));
after(async () => await server?.stop());

test("the client reaches the real server over h2c with the gRPC protocol", async () => {
  const client = new RuntimeClient({ address: server.address });

  const reply = await client.health.check({});

  assert.equal(reply.status, HealthCheckResponse_ServingStatus.SERVING);
});
