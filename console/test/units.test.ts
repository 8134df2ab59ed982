// The console's parsing of what people type, without a browser.
import assert from "node:assert/strict";
import { test } from "node:test";
import { WireKind } from "../../clients/typescript/src/gen/runtime/v1/transport_service_pb.js";
import { parseWires } from "../src/pages/destinations.js";
import { parseLabels } from "../src/pages/runtimes.js";

test("labels: comma-separated key=value pairs, spaces trimmed, a bare key has an empty value", () => {
  assert.deepEqual(parseLabels(" team = shop, tier=1 ,flag,, "), { team: "shop", tier: "1", flag: "" });
  assert.deepEqual(parseLabels(""), {});
  assert.deepEqual(parseLabels("url=http://x/?a=b"), { url: "http://x/?a=b" });
});

test("wires: one per line as kind address priority; an unknown kind is sent as UNSPECIFIED for the server to refuse", () => {
  assert.deepEqual(parseWires("grpc http://127.0.0.1:6000 0\n\n  HTTP http://127.0.0.1:6000/deliver 1  \nsmtp mail:25"), [
    { kind: WireKind.GRPC, address: "http://127.0.0.1:6000", priority: 0 },
    { kind: WireKind.HTTP, address: "http://127.0.0.1:6000/deliver", priority: 1 },
    { kind: WireKind.UNSPECIFIED, address: "mail:25", priority: 0 },
  ]);
});
