import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';

export class TooManyConnectionsError extends DomainError {
  constructor(what: 'WebSockets' | 'seat-map streams', max: number) {
    super(ErrorCode.TooManyConnections, `You have ${max} ${what} open already; close one first`, { max });
  }
}
