import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { RuntimeClient } from "../src/index.js";
import { HealthCheckResponse_ServingStatus } from "../src/gen/grpc/health/v1/health_pb.js";

const repository = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/**
 * The real Runtime server binary as a child process on a free loopback port with a temporary data directory
 * (built in Release first if it is not there). RUNTIME_TEST_ADDRESS points the tests at a running server instead.
 */
export class RealServer {
  private constructor(readonly address: string, private readonly process?: ChildProcess, private readonly dataDirectory?: string) {}

  static async start(): Promise<RealServer> {
    const existing = process.env.RUNTIME_TEST_ADDRESS;
    if (existing) {
      return new RealServer(existing);
    }
    const dll = process.env.RUNTIME_SERVER_DLL ?? join(repository, "src/Runtime.Server/bin/Release/net10.0/Runtime.Server.dll");
    if (!existsSync(dll)) {
      const build = spawnSync("dotnet", ["build", join(repository, "src/Runtime.Server"), "-c", "Release", "-nologo"], {
        stdio: "inherit", timeout: 600_000,
      });
      if (build.status !== 0) {
        throw new Error(`could not build the server (dotnet build exited ${build.status})`);
      }
    }
    const port = await freePort();
    const dataDirectory = mkdtempSync(join(tmpdir(), "runtime-ts-tests-"));
    // The server reads appsettings.json (HTTP/2-only endpoints) from its working directory: start it beside its dll.
    const child = spawn("dotnet", [dll, "--urls", `http://127.0.0.1:${port}`], {
      cwd: dirname(dll),
      // Console off: its fixed default port would collide between servers started side by side.
      env: { ...process.env, Runtime__DataDirectory: dataDirectory, Runtime__Console__Enabled: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    const server = new RealServer(`http://127.0.0.1:${port}`, child, dataDirectory);
    try {
      await server.waitUntilServing(30_000, () => output);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  async stop(): Promise<void> {
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process!.once("exit", resolve));
      this.process.kill("SIGKILL");
      await exited;
    }
    if (this.dataDirectory) {
      rmSync(this.dataDirectory, { recursive: true, force: true });
    }
  }

  private async waitUntilServing(timeoutMs: number, output: () => string): Promise<void> {
    const client = new RuntimeClient({ address: this.address });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process?.exitCode !== null && this.process?.exitCode !== undefined) {
        throw new Error(`the server exited with ${this.process.exitCode}:\n${output()}`);
      }
      try {
        const reply = await client.health.check({}, { timeoutMs: 2000 });
        if (reply.status === HealthCheckResponse_ServingStatus.SERVING) {
          return;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the server did not become healthy within ${timeoutMs} ms:\n${output()}`);
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
