import { messageId, messageIdHost } from './message-id.js';

describe('Message-ID host', () => {
  it('is ASCII: an internationalised sender domain in punycode', () => {
    const host = messageIdHost('Bücherei <kasse@Bücher.Example>', undefined);
    expect(host).toBe('xn--bcher-kva.example');
    expect(messageId('1-0', 'confirmations', host)).toBe('<1-0.confirmations@xn--bcher-kva.example>');
  });
});
