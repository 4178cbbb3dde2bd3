import { classifySmtpError } from './smtp-mailer.js';

/** Refusals about the service's own setup are retried (the operator can fix them); those about the message are not. */
describe('classifySmtpError: setup or message', () => {
  it.each([
    // The sender refused: MAIL_FROM not allowed for the account.
    [
      { responseCode: 553, code: 'EENVELOPE', command: 'MAIL FROM', response: '553 5.7.1 Sender address rejected' },
      true,
    ],
    [{ responseCode: 550, code: 'EENVELOPE', command: 'MAIL FROM', response: '550 Sender not allowed' }, true],
    // STARTTLS required and refused (the server offers none).
    [{ responseCode: 502, code: 'ETLS', command: 'STARTTLS', response: '502 5.5.1 Unrecognized command' }, true],
    // Relaying denied at RCPT TO.
    [
      {
        responseCode: 554,
        code: 'EENVELOPE',
        command: 'RCPT TO',
        response: '554 5.7.1 <a@b.test>: Relay access denied',
      },
      true,
    ],
    [{ responseCode: 550, code: 'EENVELOPE', command: 'RCPT TO', response: '550 relaying denied' }, true],
    // The mailbox: final, also when the reply mentions a relay table.
    [
      {
        responseCode: 550,
        code: 'EENVELOPE',
        command: 'RCPT TO',
        response: '550 5.1.1 User unknown in relay recipient table',
      },
      false,
    ],
    [{ responseCode: 550, code: 'EENVELOPE', command: 'RCPT TO', response: '550 5.1.1 No such user' }, false],
    [{ responseCode: 554, code: 'EMESSAGE', command: 'DATA', response: '554 5.7.1 Message rejected as spam' }, false],
    // nodemailer's own refusals without a reply that no retry changes.
    [{ code: 'EMESSAGE', command: 'MAIL FROM' }, false],
    [{ code: 'EMESSAGE', command: 'API' }, false],
    [{ code: 'ECONFIG' }, false],
    [{ code: 'ETLS' }, true],
  ])('%j is retryable: %s', (error, retryable) => {
    expect(classifySmtpError(Object.assign(new Error('failed'), error)).retryable).toBe(retryable);
  });
});
