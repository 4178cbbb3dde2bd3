import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { OpenSlotsPageView, OpenSlotsQuery } from './appointments.dto.js';
import { OpenSlotsService } from './open-slots.service.js';

@ApiTags('appointments')
@ApiSignedIn()
@ApiProblems(400, 503)
@Controller('slots')
export class SlotsController {
  constructor(private readonly openSlots: OpenSlotsService) {}

  @Get()
  @ApiOperation({
    summary: 'Slots you can reserve now, across providers',
    description:
      'Open slots (not held by a live pending reservation, not confirmed) of every provider, or of the providers ' +
      'named by `providerId` (repeatable, up to 20), starting in [from, to) and at least APPOINTMENT_LEAD_HOURS (24) ' +
      'from now, ordered by start (then provider and slot id). The range defaults to 14 days from `from` (default ' +
      'now) and may not exceed 31 days. Follow `nextCursor` (bound to the same providers) until it is null; a page ' +
      'may hold fewer than `limit` slots. A slot is reserved with POST /v1/appointments as always; one listed here ' +
      'and taken meanwhile is refused there (409 SLOT_UNAVAILABLE), never booked twice.',
  })
  @ApiOkResponse({ type: OpenSlotsPageView })
  find(@Query() query: OpenSlotsQuery): Promise<OpenSlotsPageView> {
    return this.openSlots.find(query);
  }
}
