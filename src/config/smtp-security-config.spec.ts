import { ConfigError, loadConfig } from './app-config.js';

const MAIL = { MAIL_FROM: 'tickets@example.com' };

describe('SMTP security configuration', () => {
  it.each([
    'smtp://mail.example.com:587?pool=true',
    'smtp://mail.example.com:587?socketTimeout=0',
    'smtp://mail.example.com:587?ignoreTLS=true',
    'smtp://mail.example.com:587?tls.rejectUnauthorized=false&maxConnections=5',
  ])('refuses query options that would undo the bounds or TLS: %s', (url) => {
    expect(() => loadConfig({ ...MAIL, SMTP_URL: url })).toThrow(ConfigError);
    expect(() => loadConfig({ ...MAIL, SMTP_URL: url })).toThrow(/^Invalid configuration: SMTP_URL may carry only/);
  });

  it('keeps the TLS options a test server needs', () => {
    const url = 'smtp://mail.example.com:587?tls.rejectUnauthorized=false&name=booking.example.com';
    expect(loadConfig({ ...MAIL, SMTP_URL: url }).smtpUrl).toBe(url);
  });

  it('SMTP_REQUIRE_TLS: unset decides by host; true or false when set; nothing else', () => {
    expect(loadConfig({}).smtpRequireTls).toBeUndefined();
    expect(loadConfig({ SMTP_REQUIRE_TLS: 'false' }).smtpRequireTls).toBe(false);
    expect(loadConfig({ SMTP_REQUIRE_TLS: 'true' }).smtpRequireTls).toBe(true);
    expect(() => loadConfig({ SMTP_REQUIRE_TLS: 'maybe' })).toThrow(/SMTP_REQUIRE_TLS must be true or false/);
  });
});
