import { ConfigError, loadConfig } from './app-config.js';

describe('email configuration', () => {
  it('is off by default', () => {
    const config = loadConfig({});
    expect(config.smtpUrl).toBeUndefined();
    expect(config.mailFrom).toBeUndefined();
    expect(config.smtpTimeoutMs).toBe(10_000);
  });

  it('reads SMTP_URL with MAIL_FROM', () => {
    const config = loadConfig({
      SMTP_URL: 'smtps://user:secret@mail.example.com:465',
      MAIL_FROM: 'Box Office <tickets@example.com>',
      SMTP_TIMEOUT_MS: '5000',
    });
    expect(config).toMatchObject({
      smtpUrl: 'smtps://user:secret@mail.example.com:465',
      mailFrom: 'Box Office <tickets@example.com>',
      smtpTimeoutMs: 5000,
    });
  });

  it.each([
    [{ SMTP_URL: 'http://mail.example.com' }, 'SMTP_URL'],
    [{ SMTP_URL: 'mail.example.com:25' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://localhost:1025' }, 'MAIL_FROM'],
    [{ SMTP_URL: 'smtp://localhost:1025', MAIL_FROM: 'not an address' }, 'MAIL_FROM'],
    [{ SMTP_URL: 'smtp://localhost:1025', MAIL_FROM: 'a@example.com, b@example.com' }, 'MAIL_FROM'],
    [{ SMTP_URL: 'smtp://localhost:1025', MAIL_FROM: 'Box, Office <a@example.com>' }, 'MAIL_FROM'],
    [{ SMTP_URL: 'smtp://localhost:1025', MAIL_FROM: 'X <a@example.com>\r\nBcc: b@example.com' }, 'MAIL_FROM'],
    [{ SMTP_TIMEOUT_MS: '0' }, 'SMTP_TIMEOUT_MS'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });
});
