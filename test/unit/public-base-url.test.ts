import { ConfigError, loadConfig } from '../../src/config/app-config.js';

describe('PUBLIC_BASE_URL', () => {
  it('is optional, and kept without its trailing slash', () => {
    expect(loadConfig({}).publicBaseUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_BASE_URL: '' }).publicBaseUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://booking.example.com/' }).publicBaseUrl).toBe(
      'https://booking.example.com',
    );
    expect(loadConfig({ PUBLIC_BASE_URL: 'http://10.0.0.2:3000/api/' }).publicBaseUrl).toBe('http://10.0.0.2:3000/api');
  });

  it.each([
    'booking.example.com',
    'ftp://example.com',
    'https://example.com/?a=1',
    'https://example.com/#x',
    'https://u:p@example.com',
  ])('refuses %s, naming the variable', (value) => {
    expect(() => loadConfig({ PUBLIC_BASE_URL: value })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_BASE_URL: value })).toThrow(/PUBLIC_BASE_URL/);
  });
});
