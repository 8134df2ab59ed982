// Builds the console into dist/ (committed: the server serves it, scripts/test.sh checks it is fresh), or, with
// --tests, the browser tests into .test-build/. Deterministic output: same sources and versions, same bytes.
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

// The console is built on clients/typescript's sources. Every import of protobuf-es and connect, from the client
// or from connect-web, resolves to one copy (this package's, same pinned versions), so the bundle holds one
// registry and one ConnectError class. The client's Node-only timer import gets a browser equivalent.
const oneCopy = {
  name: "one-copy",
  setup(b) {
    b.onResolve({ filter: /^(@bufbuild\/protobuf|@connectrpc\/connect)(\/.*)?$/ }, (args) =>
      args.resolveDir === here ? undefined : b.resolve(args.path, { kind: args.kind, resolveDir: here }));
    b.onResolve({ filter: /^node:timers\/promises$/ }, () => ({ path: join(here, "src/shims/timers-promises.ts") }));
  },
};

if (process.argv.includes("--tests")) {
  rmSync(join(here, ".test-build"), { recursive: true, force: true });
  await build({
    entryPoints: [join(here, "test/console.test.ts"), join(here, "test/units.test.ts")],
    outdir: join(here, ".test-build"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // The test drives the server with the project's TypeScript client as Node users do (gRPC over h2c).
    external: ["playwright-core"],
    plugins: [oneCopy],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: "warning",
  });
} else {
  const out = join(here, "dist");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(here, "src/main.ts")],
    outfile: join(out, "app.js"),
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    legalComments: "none",
    plugins: [oneCopy],
    logLevel: "warning",
  });
  cpSync(join(here, "src/index.html"), join(out, "index.html"));
  cpSync(join(here, "src/console.css"), join(out, "console.css"));
}
