import { html, raw } from './html.js';
import type { Html } from './html.js';

/**
 * One email as its template writes it: a subject and blocks of content. Each template builds this once and both
 * bodies are rendered from it, so the plain-text part (always sent) says everything the HTML part says.
 */
export type Block =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'facts'; readonly rows: readonly (readonly [label: string, value: string])[] }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'link'; readonly label: string; readonly url: string };

export interface MailTemplate {
  readonly subject: string;
  /** Whom it addresses ("Ada Lovelace"). */
  readonly name: string;
  readonly blocks: readonly Block[];
  /** Why the reader gets it and how to stop it, said at the end of both parts. */
  readonly footer: string;
}

export interface MailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
export const facts = (rows: readonly (readonly [string, string])[]): Block => ({ kind: 'facts', rows });
export const list = (items: readonly string[]): Block => ({ kind: 'list', items });
export const link = (label: string, url: string): Block => ({ kind: 'link', label, url });

function textBlock(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return block.text;
    case 'facts':
      return block.rows.map(([label, value]) => `${label}: ${value}`).join('\n');
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'link':
      return `${block.label}: ${block.url}`;
  }
}

function htmlBlock(block: Block): Html {
  switch (block.kind) {
    case 'paragraph':
      return html`<p>${block.text}</p>`;
    case 'facts':
      return html`<table role="presentation" cellpadding="4">
        ${block.rows.map(
          ([label, value]) =>
            html`<tr>
              <th align="left" valign="top">${label}</th>
              <td>${value}</td>
            </tr>`,
        )}
      </table>`;
    case 'list':
      return html`<ul>
        ${block.items.map((item) => html`<li>${item}</li>`)}
      </ul>`;
    case 'link':
      return html`<p><a href="${block.url}">${block.label}</a></p>`;
  }
}

/**
 * Subject, plain text and HTML of a template. The subject is one line whatever the names in it hold (an event named
 * with a line break must not end the header and start another: nodemailer folds, but this does not rely on it).
 */
export function renderMail(template: MailTemplate): MailContent {
  const subject = template.subject.replace(/[\r\n\u2028\u2029\t\v\f]+/g, ' ');
  const text = [`Hello ${template.name},`, ...template.blocks.map(textBlock), '--', template.footer].join('\n\n');
  const body = html`<!doctype html>
    <html>
      <head>
        <meta charset="utf-8" />
        <title>${subject}</title>
      </head>
      <body style="font-family: sans-serif; line-height: 1.4">
        <p>Hello ${template.name},</p>
        ${template.blocks.map((b) => html`${htmlBlock(b)}${raw('\n')}`)}
        <hr />
        <p style="color: #555; font-size: smaller">${template.footer}</p>
      </body>
    </html> `;
  return { subject, text: `${text}\n`, html: body.value };
}
