import { ApiProperty } from '@nestjs/swagger';
import { ErrorCode } from '../common/error-codes.js';
import type { ProblemTypeDescription } from './problem-pages.js';

/** A problem type as JSON: what the `type` URI of a problem leads to. */
export class ProblemTypeView implements ProblemTypeDescription {
  @ApiProperty({ example: '/problems/seat-unavailable', description: 'The same URI as the `type` of such a problem' })
  readonly type!: string;
  @ApiProperty({ enum: Object.values(ErrorCode), example: ErrorCode.SeatUnavailable }) readonly code!: ErrorCode;
  @ApiProperty({ example: 409 }) readonly status!: number;
  @ApiProperty({ example: 'The seat is not available' }) readonly title!: string;
  @ApiProperty({
    example: 'the seat is held by someone else or reserved; for several seats, `seatIds` names the ones not available',
    description: 'When the service answers with it (Markdown code spans)',
  })
  readonly when!: string;
  @ApiProperty({
    example: 'Pick other seats (the seat map shows which are free), or wait for the hold to run out.',
    description: 'What the client should do (Markdown code spans)',
  })
  readonly action!: string;
  @ApiProperty({ example: false, description: 'Only a WebSocket `error` message carries this code' })
  readonly socketOnly!: boolean;
}

export class ProblemTypeListView {
  @ApiProperty({ type: [ProblemTypeView] }) readonly items!: ProblemTypeView[];
}
