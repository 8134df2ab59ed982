import { LifecycleOperation, type LifecycleReport } from "../../../clients/typescript/src/gen/runtime/v1/control_plane_service_pb.js";
import { RuntimeState } from "../../../clients/typescript/src/gen/runtime/v1/runtime_pb.js";
import type { Api } from "../api.js";
import { enumName, h, time } from "../dom.js";

/** A lifecycle operation the console offers, with what it does in words for the confirmation. */
export interface RuntimeOperation {
  name: string;
  label: string;
  explain: string;
  danger: boolean;
  call(api: Api, runtimeId: string): Promise<LifecycleReport | undefined>;
}

export const runtimeOperations: RuntimeOperation[] = [
  { name: "retire", label: "Retire", danger: false, explain: "Refuses new input, drains what is queued, then stops. Idempotent.",
    call: async (api, runtimeId) => (await api.controlPlane.retireRuntime({ runtimeId })).report },
  { name: "recycle", label: "Recycle", danger: false, explain: "A new driver instance; the ledger is kept and in-flight inputs are re-queued.",
    call: async (api, runtimeId) => (await api.controlPlane.recycleRuntime({ runtimeId })).report },
  { name: "reset", label: "Reset", danger: true, explain: "Abandons every input not finished (reason RESET) and goes back to IDLE. Refused while a run is in flight.",
    call: async (api, runtimeId) => (await api.controlPlane.resetRuntime({ runtimeId })).report },
  { name: "recover", label: "Recover", danger: false, explain: "Replays the durable ledger and restores the runtime's state from it.",
    call: async (api, runtimeId) => (await api.controlPlane.recoverRuntime({ runtimeId })).report },
  { name: "destroy", label: "Destroy", danger: true, explain: "Abandons everything (reason DESTROYED). Terminal: the runtime cannot be used again.",
    call: async (api, runtimeId) => (await api.controlPlane.destroyRuntime({ runtimeId })).report },
];

/** The report an operation returns, in full. */
export function reportBox(report: LifecycleReport | undefined): HTMLElement {
  if (!report) {
    return h("div", { class: "report", "data-testid": "report" }, "No report returned.");
  }
  const counts: [string, bigint][] = [
    ["abandoned", report.inputsAbandoned], ["requeued", report.inputsRequeued], ["consumed", report.inputsConsumed],
    ["transferred", report.inputsTransferred], ["draining", report.inputsDraining]];
  return h("div", { class: "report", "data-testid": "report", "data-operation": enumName(LifecycleOperation, report.operation) },
    h("strong", {}, `${enumName(LifecycleOperation, report.operation)} ${report.runtimeId}`),
    ` ${enumName(RuntimeState, report.previousState)} → ${enumName(RuntimeState, report.state)}`,
    report.noOp ? " (no-op: nothing to do)" : "",
    h("ul", {}, ...counts.map(([k, v]) => h("li", {}, `inputs ${k}: ${v}`))),
    report.completeTime ? h("small", {}, `completed ${time(report.completeTime)}`) : null);
}
