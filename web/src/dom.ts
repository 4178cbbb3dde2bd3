import { ProblemError } from '../../clients/typescript/src/index.js';

type Child = Node | string | number | false | null | undefined;
type Handler = (event: Event) => void;
export type Attrs = Record<string, string | number | boolean | Handler | null | undefined>;

/**
 * Creates an element. `class` and `for` are the HTML attribute names; `on<Event>` (onClick, onSubmit) adds a listener;
 * `true` sets a boolean attribute, `false`/`null`/`undefined` leaves it out; everything else is an attribute as is
 * (aria-*, data-*, type, ...). Children: nodes or text (never parsed as HTML).
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') {
      if (!/^on[A-Z]/.test(name)) throw new Error(`a function for ${name}: listeners are on<Event>`);
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'value' && 'value' in element) {
      (element as HTMLInputElement).value = String(value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

/** Appends children, skipping false/null/undefined (so `cond && h(...)` works). */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let fieldIds = 0;

/** A <label> wrapping its text and control (the control is named by the label for screen readers). */
export function formField(label: string, input: HTMLElement): HTMLLabelElement {
  if (!input.id) input.id = `field-${++fieldIds}`;
  return h('label', { class: 'field', for: input.id }, h('span', { class: 'field-label' }, label), input);
}

/** What to tell the user about a failed call: a problem's detail (or title), else a generic line. */
export function problemMessage(error: unknown): string {
  if (error instanceof ProblemError) {
    const fields = error.field<{ field: string; message: string }[]>('errors');
    if (Array.isArray(fields) && fields.length > 0) return fields.map((f) => f.message).join('; ');
    return error.detail || error.title;
  }
  if (error instanceof TypeError) return 'The service cannot be reached. Check the connection and try again.';
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** A date-time for people, in the browser's locale and time zone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * A listener that runs `work` with its button, or its form's buttons, disabled until it ends: a double click sends
 * one request.
 */
export const busy = (work: () => Promise<unknown>) => (event: Event) => {
  event.preventDefault();
  const target = event.currentTarget;
  const buttons =
    target instanceof HTMLFormElement ? [...target.querySelectorAll('button')] : [target as HTMLButtonElement];
  for (const button of buttons) button.disabled = true;
  void work().finally(() => {
    for (const button of buttons) button.disabled = false;
  });
};

/** Runs a submit handler with the form's buttons disabled meanwhile (no double submits). */
export function onSubmit(form: HTMLFormElement, handler: () => Promise<void>): void {
  form.addEventListener('submit', busy(handler));
}
