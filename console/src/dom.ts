/** A tiny element builder: plain DOM, no framework. Text is always set as text, never parsed as HTML. */
export type Child = Node | string | number | bigint | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) {
      continue;
    }
    if (typeof value === "function") {
      element.addEventListener(name.replace(/^on/, ""), value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A labelled form field. */
export function field(label: string, input: HTMLElement): HTMLLabelElement {
  return h("label", { class: "field" }, h("span", {}, label), input);
}

/** Asks before a destructive operation; resolves true when confirmed. A real dialog, so it can say what will happen. */
export function confirmDialog(title: string, detail: string, action: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "confirm", "data-testid": "confirm" },
      h("h3", {}, title), h("p", {}, detail));
    const done = (value: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    append(dialog, h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: () => done(false) }, "Cancel"),
      h("button", { type: "button", class: "danger", "data-testid": "confirm-ok", onclick: () => done(true) }, action)));
    dialog.addEventListener("cancel", () => done(false));
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

/** Formats protobuf-es timestamps and durations for people. */
export function time(ts: { seconds: bigint; nanos: number } | undefined): string {
  if (!ts) {
    return "";
  }
  return new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6)).toISOString().replace("T", " ").replace("Z", "");
}

export function durationMs(d: { seconds: bigint; nanos: number } | undefined): number {
  return d ? Number(d.seconds) * 1000 + d.nanos / 1e6 : 0;
}

export function ms(d: { seconds: bigint; nanos: number } | undefined): string {
  const value = durationMs(d);
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** An enum value's name without its prefix: RuntimeState.IDLE → "IDLE". */
export function enumName(enumObject: Record<number, string>, value: number): string {
  return enumObject[value] ?? String(value);
}
