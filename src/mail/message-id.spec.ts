import { messageId, messageIdHost } from './message-id.js';

describe('Message-ID', () => {
  it('is the event id and category at the sender’s domain, the same every time', () => {
    const host = messageIdHost('Box Office <Tickets@Mail.Example.com>', 'https://api.example.org');
    expect(host).toBe('mail.example.com');
    expect(messageId('1700000000000-0', 'reminders', host)).toBe('<1700000000000-0.reminders@mail.example.com>');
    expect(messageId('a b<c>@d', 'x', host)).toBe('<a-b-c--d.x@mail.example.com>');
  });

  it('falls back to the public host, then localhost', () => {
    expect(messageIdHost(undefined, 'https://api.example.org/base')).toBe('api.example.org');
    expect(messageIdHost(undefined, undefined)).toBe('localhost');
    expect(messageIdHost('tickets@example.net', undefined)).toBe('example.net');
  });
});
