import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ErrorCode, PROBLEM_CODES } from './error-codes.js';

export class FieldErrorDoc {
  @ApiProperty({ example: 'numberOfSeats' }) readonly field!: string;
  @ApiProperty({ example: 'numberOfSeats must not be less than 10' }) readonly message!: string;
}

/** RFC 9457 problem details, as every error of the API is sent (media type application/problem+json). */
export class ProblemDoc {
  @ApiProperty({
    example: '/problems/validation-failed',
    description:
      'The problem type: a URI whose page (GET, HTML or JSON) says what the code means and what to do; absolute when the service has PUBLIC_BASE_URL, else relative to it',
  })
  readonly type!: string;
  @ApiProperty({ example: 'The request is not valid' }) readonly title!: string;
  @ApiProperty({ example: 400 }) readonly status!: number;
  @ApiProperty({ example: 'numberOfSeats: numberOfSeats must not be less than 10' }) readonly detail!: string;
  @ApiProperty({ example: '/v1/events' }) readonly instance!: string;
  @ApiProperty({ enum: PROBLEM_CODES, example: ErrorCode.ValidationFailed }) readonly code!: ErrorCode;
  @ApiProperty({ example: '5f0c1d2e-0000-4000-8000-000000000000' }) readonly requestId!: string;
  @ApiPropertyOptional({ type: [FieldErrorDoc], description: 'Present for VALIDATION_FAILED' })
  readonly errors?: FieldErrorDoc[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED, MALFORMED_REQUEST)',
  401: 'Missing, invalid or expired access token',
  403: 'The caller’s role does not allow this',
  404: 'No such object, or not yours',
  409: 'Conflict with the current state',
  412: 'If-Match does not match the current version',
  413: 'Body too large',
  415: 'Body is not JSON',
  422: 'Well-formed but breaks a business rule',
  428: 'If-Match is required',
  429: 'Rate limited',
  503: 'The data store is unreachable; retry after Retry-After seconds',
};

/** Documents the problem+json answers of a route. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDoc' } } },
      }),
    ),
  );
}

/** A route that needs a bearer token: documents the auth scheme and the 401. */
export function ApiSignedIn(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth(), ApiProblems(401));
}
