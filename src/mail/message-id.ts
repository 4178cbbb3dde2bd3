import { domainToASCII } from 'node:url';

/**
 * The Message-ID of the email an outbox event causes: `<eventId.category@host>`. The same event always gives the
 * same id, so a send retried after a lost answer or a crash is recognisable as the same message (mail clients and
 * many servers drop the second copy); the outbox's job per (consumer, event) keeps it to one send otherwise.
 * The host is the sender's domain (MAIL_FROM), else the public base URL's host.
 */
export function messageId(eventId: string, category: string, host: string): string {
  const safe = (part: string) => part.replace(/[^A-Za-z0-9._-]/g, '-');
  return `<${safe(eventId)}.${safe(category)}@${host}>`;
}

/**
 * The domain of MAIL_FROM's address, else PUBLIC_BASE_URL's host name, else `localhost`; in ASCII (punycode), since
 * a Message-ID is a header of ASCII only: `tickets@bücher.example` gives `xn--bcher-kva.example`.
 */
export function messageIdHost(mailFrom: string | undefined, publicBaseUrl: string | undefined): string {
  const address = mailFrom?.match(/<([^<>]+)>\s*$/)?.[1] ?? mailFrom;
  const domain = address?.slice(address.lastIndexOf('@') + 1);
  if (domain) return domainToASCII(domain.toLowerCase()) || 'localhost';
  return publicBaseUrl ? new URL(publicBaseUrl).hostname : 'localhost';
}
