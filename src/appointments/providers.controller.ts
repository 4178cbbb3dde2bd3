import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { PageQuery } from '../common/pagination.js';
import type { Page } from '../common/pagination.js';
import { UuidPipe } from '../common/validation.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import type { AuthUser } from '../auth/auth-user.js';
import {
  AvailabilityDto,
  AvailabilityView,
  ProviderView,
  ProvidersPage,
  SlotView,
  SlotsQuery,
} from './appointments.dto.js';
import { AppointmentsService } from './appointments.service.js';

@ApiTags('appointments')
@ApiSignedIn()
@ApiProblems(400, 503)
@Controller('providers')
export class ProvidersController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Post('me/availability')
  @Roles('provider')
  @Idempotent()
  @ApiOperation({
    summary: 'Publish times you are available (provider)',
    description:
      'Each window is cut into APPOINTMENT_SLOT_MINUTES (15) slots. Start and end must be on slot boundaries (UTC ' +
      'minutes), in the future, at most APPOINTMENT_MAX_WINDOW_HOURS (12) long; up to 100 windows. Slots already ' +
      'open at the same start are not duplicated: 201 when the call opened any slot, 200 when every slot was open ' +
      'already (created: 0).',
  })
  @ApiCreatedResponse({ type: AvailabilityView })
  @ApiOkResponse({ type: AvailabilityView, description: 'Nothing new: every slot was open already' })
  @ApiProblems(403)
  async publish(
    @Body() dto: AvailabilityDto,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AvailabilityView> {
    const view = await this.appointments.publish(dto, user);
    void reply.status(view.created > 0 ? 201 : 200);
    return view;
  }

  @Get()
  @ApiOperation({ summary: 'Providers, oldest account first' })
  @ApiOkResponse({ type: ProvidersPage })
  list(@Query() query: PageQuery): Promise<Page<ProviderView>> {
    return this.appointments.providers(query.limit, query.cursor);
  }

  @Get(':providerId/slots')
  @ApiOperation({
    summary: 'Slots you can reserve now',
    description:
      'Open slots (not held by a live pending reservation, not confirmed) starting at least APPOINTMENT_LEAD_HOURS ' +
      '(24) from now, by start. The range defaults to 14 days from `from` (default now) and may not exceed 31 days.',
  })
  @ApiOkResponse({ type: [SlotView] })
  @ApiProblems(404)
  slots(@Param('providerId', UuidPipe) providerId: string, @Query() query: SlotsQuery): Promise<SlotView[]> {
    return this.appointments.openSlots(providerId, query);
  }

  @Delete('me/slots/:slotId')
  @Roles('provider')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove one of your open slots (409 SLOT_RESERVED while a reservation holds it)' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(403, 404, 409)
  removeSlot(@Param('slotId', UuidPipe) slotId: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.appointments.removeSlot(slotId, user);
  }
}
