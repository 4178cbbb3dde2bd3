import { isPrivateAddress, resolveWebhookUrl } from '../../src/webhooks/webhook-address.js';

/** Review finding 12: the SSRF list, with the forms an attacker writes an inside address in. */
describe('webhook address checks (SSRF)', () => {
  it('refuses IPv6 forms that carry or tunnel to an inside IPv4 address', () => {
    for (const address of [
      '::', // unspecified
      '::1',
      '::127.0.0.1', // IPv4-compatible (::/96)
      '::7f00:1',
      '::a9fe:a9fe',
      '::ffff:127.0.0.1', // IPv4-mapped
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe', // 169.254.169.254
      '0:0:0:0:0:ffff:10.0.0.1',
      '::ffff:0:8.8.8.8', // IPv4-translated (::ffff:0:0:0/96)
      '64:ff9b::127.0.0.1', // NAT64
      '64:ff9b::a00:1',
      '64:ff9b:1::8.8.8.8', // local-use NAT64 (64:ff9b:1::/48)
      '2002:7f00:1::', // 6to4 of 127.0.0.1
      '2002:a9fe:a9fe::1', // 6to4 of 169.254.169.254
      '2002:c0a8:101::', // 6to4 of 192.168.1.1
      '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
    ]) {
      expect({ address, private: isPrivateAddress(address) }).toEqual({ address, private: true });
    }
  });

  it('lets public IPv6 through, also when it carries a public IPv4 address', () => {
    for (const address of [
      '2606:4700::1111',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
      '2002:808:808::1',
      '2a00:1450::1',
    ]) {
      expect({ address, private: isPrivateAddress(address) }).toEqual({ address, private: false });
    }
  });

  it('decimal, octal and hex IPv4 hosts and a bracketed IPv6 host are checked as the address they mean', async () => {
    for (const url of [
      'https://2130706433/hook',
      'https://0x7f000001/hook',
      'https://0177.0.0.1/hook',
      'https://0x7f.1/hook',
      'https://127.1/hook',
      'https://[::127.0.0.1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://[::ffff:a9fe:a9fe]/latest/meta-data',
      'https://0xa9.0xfe.0xa9.0xfe/latest/meta-data',
    ]) {
      const verdict = await resolveWebhookUrl(url, false, 1000);
      expect({ url, ok: verdict.ok, retryable: !verdict.ok && verdict.retryable }).toEqual({
        url,
        ok: false,
        retryable: false,
      });
    }
  });
});
