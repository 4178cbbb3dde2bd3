import { DomainError, NotFoundError } from './domain-error.js';
import { ErrorCode } from './error-codes.js';

describe('DomainError', () => {
  it('captures no stack for a refusal the client caused (4xx), and leaves the limit as it was', () => {
    const before = Error.stackTraceLimit;
    const error = new NotFoundError('A live hold of yours on this seat');
    expect(error.stack).not.toMatch(/\n\s+at /);
    expect(error.message).toBe('A live hold of yours on this seat was not found');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('x').stack).toMatch(/\n\s+at /);
  });

  it('keeps the stack of a 5xx, which is logged', () => {
    expect(new DomainError(ErrorCode.ServiceUnavailable, 'Redis is away').stack).toMatch(/\n\s+at /);
  });
});
