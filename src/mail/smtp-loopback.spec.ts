import { isLoopbackHost } from './smtp-mailer.js';

describe('SMTP hosts exempt from STARTTLS by default', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['mailpit.localhost', true],
    ['mail.example.com', false],
    ['10.0.0.5', false],
    ['localhost.example.com', false],
  ])('%s is loopback (no TLS required by default): %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
