/**
 * HTML for email bodies, escaped by construction: `html` escapes every value put into it unless the value is itself
 * `Html` (made by `html` or `raw`), so text from users (names, titles, notes) can never become markup. Nothing else
 * builds HTML in the mail module.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type Value = Html | string | number | null | undefined | readonly Value[];

const render = (value: Value): string => {
  if (value === null || value === undefined) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
};

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ''), ''));
}

/** Markup written in the repository's own templates, never from data. */
export const raw = (markup: string): Html => new Html(markup);
