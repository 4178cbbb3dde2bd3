import { classifySmtpError } from './smtp-mailer.js';

describe('classifySmtpError', () => {
  it.each([
    [{ responseCode: 421, code: 'EPROTOCOL' }, true],
    [{ responseCode: 450, code: 'EENVELOPE' }, true],
    [{ responseCode: 451, code: 'EMESSAGE' }, true],
    [{ responseCode: 550, code: 'EENVELOPE' }, false],
    [{ responseCode: 554, code: 'EMESSAGE' }, false],
    [{ responseCode: 535, code: 'EAUTH' }, true],
    [{ code: 'ECONNECTION' }, true],
    [{ code: 'ETIMEDOUT' }, true],
    [{ code: 'ESOCKET' }, true],
    [{ code: 'EDNS' }, true],
    [{ code: 'EENVELOPE' }, false],
    [{}, true],
  ])('%j is retryable: %s', (error, retryable) => {
    const classified = classifySmtpError(Object.assign(new Error('failed'), error));
    expect(classified.retryable).toBe(retryable);
    expect(classified.responseCode).toBe((error as { responseCode?: number }).responseCode);
  });
});
