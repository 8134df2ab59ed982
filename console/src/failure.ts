import { Code } from "@connectrpc/connect";
import { RuntimeClientError } from "../../clients/typescript/src/errors.js";
import { h, type Child } from "./dom.js";

/** Every failure, decoded the way the TypeScript client does: code, ErrorInfo reason and metadata, field violations. */
export function decode(error: unknown): RuntimeClientError {
  return RuntimeClientError.fromError(error);
}

/** True when a call failed for want of a (valid) credential: the page then asks for one. */
export function needsCredentials(error: unknown): boolean {
  return decode(error).code === Code.Unauthenticated;
}

/**
 * Shows a server error in full: what failed, the canonical code, the stable reason, every metadata value and
 * field violation. For a filter, the position is pointed at under the text that was sent.
 */
export function errorBox(what: string, error: unknown, source?: string): HTMLElement {
  const e = decode(error);
  const metadata = Object.entries(e.errorMetadata);
  const position = Number(e.errorMetadata["position"] ?? "0");
  const pointer: Child = source !== undefined && position > 0
    ? h("pre", { class: "pointer", "data-testid": "error-position" }, `${source}\n${" ".repeat(position - 1)}^ position ${position}`)
    : null;
  return h("div", { class: "error", role: "alert", "data-testid": "error", "data-reason": e.reason },
    h("strong", {}, `${what}: `), h("span", { class: "code" }, Code[e.code] ?? String(e.code)),
    e.reason ? h("span", { class: "reason", "data-testid": "error-reason" }, e.reason) : null,
    h("div", { class: "message" }, e.rawMessage),
    pointer,
    metadata.length > 0 ? h("dl", { class: "metadata" }, ...metadata.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])) : null,
    e.fieldViolations.length > 0
      ? h("ul", { class: "violations", "data-testid": "field-violations" },
        ...e.fieldViolations.map((v) => h("li", {}, h("code", {}, v.field), ` ${v.description}`)))
      : null);
}
