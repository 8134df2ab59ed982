import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repository = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const artifacts = join(repository, "console/test-results");
// Fresh each run: what is there afterwards is what this run saw.
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

const serverDll = process.env.RUNTIME_SERVER_DLL ?? join(repository, "src/Runtime.Server/bin/Release/net10.0/Runtime.Server.dll");
const sinkDll = join(repository, "samples/Runtime.SampleSink/bin/Release/net10.0/Runtime.SampleSink.dll");

/** Builds the server and the sample sink (Release) when the binaries are not there yet. */
export function ensureBuilt(): void {
  for (const [dll, project] of [[serverDll, "src/Runtime.Server"], [sinkDll, "samples/Runtime.SampleSink"]]) {
    if (!existsSync(dll)) {
      const build = spawnSync("dotnet", ["build", join(repository, project), "-c", "Release", "-nologo", "-clp:ErrorsOnly"],
        { stdio: "inherit", timeout: 600_000 });
      if (build.status !== 0) {
        throw new Error(`could not build ${project} (dotnet build exited ${build.status})`);
      }
    }
  }
}

export async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

/** Polls `ready` until it is true (bounded); the processes' output goes into the error when they do not come up. */
async function until(what: string, ready: () => Promise<boolean>, timeoutMs: number, output: () => string, exited: () => number | null) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited() !== null) {
      throw new Error(`${what} exited with ${exited()}:\n${output()}`);
    }
    if (await ready().catch(() => false)) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms:\n${output()}`);
}

/** A dotnet child process started beside its dll (it reads appsettings.json from there). */
class Child {
  output = "";
  constructor(readonly process: ChildProcess) {
    process.stdout?.on("data", (chunk) => (this.output += chunk));
    process.stderr?.on("data", (chunk) => (this.output += chunk));
  }

  static start(dll: string, args: string[], env: Record<string, string>): Child {
    return new Child(spawn("dotnet", [dll, ...args], { cwd: dirname(dll), env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] }));
  }

  get exitCode(): number | null {
    return this.process.exitCode;
  }

  async stop(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = new Promise((r) => this.process.once("exit", r));
      this.process.kill(signal);
      await exited;
    }
  }
}

/** The real Runtime server: gRPC (h2c) on one loopback port, the console (HTTP/1.1, gRPC-Web) on another. */
export class RuntimeServer {
  private child: Child | undefined;

  private constructor(readonly grpcAddress: string, readonly consoleAddress: string, readonly dataDirectory: string,
    private readonly settings: Record<string, string>) {}

  static async start(settings: Record<string, string> = {}): Promise<RuntimeServer> {
    const server = new RuntimeServer(`http://127.0.0.1:${await freePort()}`, `http://127.0.0.1:${await freePort()}`,
      mkdtempSync(join(tmpdir(), "runtime-console-tests-")), settings);
    await server.startProcess();
    return server;
  }

  /** Creates an API key with the server's own command (before the server needs it) and returns its secret. */
  createApiKey(name: string, scopes: string): string {
    const run = spawnSync("dotnet", [serverDll, "apikey", "create", "--name", name, "--scopes", scopes],
      { cwd: dirname(serverDll), env: { ...process.env, Runtime__DataDirectory: this.dataDirectory }, encoding: "utf8", timeout: 60_000 });
    if (run.status !== 0) {
      throw new Error(`apikey create failed: ${run.stderr}`);
    }
    return run.stdout.trim().split("\n").at(-1)!.trim();
  }

  /** Starts the process (again, after stop: same ports, same data directory). */
  async startProcess(): Promise<void> {
    const child = Child.start(serverDll, ["--urls", this.grpcAddress, `--Runtime:Console:Url=${this.consoleAddress}`], {
      Runtime__DataDirectory: this.dataDirectory,
      Logging__Console__FormatterName: "simple",
      ...this.settings,
    });
    this.child = child;
    await until("the server", async () => (await fetch(`${this.consoleAddress}/`)).ok, 30_000, () => child.output, () => child.exitCode);
  }

  get output(): string {
    return this.child?.output ?? "";
  }

  async stop(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    await this.child?.stop(signal);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDirectory, { recursive: true, force: true });
  }
}

/** The sample sink (a destination that acknowledges every delivery) on a loopback port. */
export class SampleSink {
  private constructor(private readonly child: Child, readonly address: string) {}

  static async start(): Promise<SampleSink> {
    const address = `http://127.0.0.1:${await freePort()}`;
    const child = Child.start(sinkDll, ["--urls", address], { Logging__LogLevel__Default: "Warning" });
    await until("the sample sink", async () => (await fetch(`${address}/stats`)).ok, 30_000, () => child.output, () => child.exitCode);
    return new SampleSink(child, address);
  }

  async stop(): Promise<void> {
    await this.child.stop();
  }
}
