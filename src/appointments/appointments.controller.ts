import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import type { Page } from '../common/pagination.js';
import { UuidPipe } from '../common/validation.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import type { AuthUser } from '../auth/auth-user.js';
import { AppointmentView, AppointmentsPage, AppointmentsQuery, ReserveAppointmentDto } from './appointments.dto.js';
import { AppointmentsService } from './appointments.service.js';

@ApiTags('appointments')
@ApiSignedIn()
@ApiProblems(400, 503)
@Controller('appointments')
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Post()
  @Roles('customer')
  @Idempotent()
  @ApiOperation({
    summary: 'Reserve a slot (customer); pending until confirmed',
    description:
      'The reservation holds the slot for APPOINTMENT_PENDING_SECONDS (30 min) and must be made at least ' +
      'APPOINTMENT_LEAD_HOURS (24 h) before the slot starts (422 LEAD_TIME_TOO_SHORT). 409 SLOT_UNAVAILABLE when ' +
      'another client holds or confirmed it; reserving a slot you already hold answers 200 with that reservation. ' +
      'Providers cannot reserve (403): a provider booking their own slot is refused by role.',
  })
  @ApiCreatedResponse({ type: AppointmentView })
  @ApiProblems(403, 404, 409, 422)
  async reserve(
    @Body() dto: ReserveAppointmentDto,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AppointmentView> {
    const { appointment, created } = await this.appointments.reserve(dto.slotId, user);
    void reply.status(created ? 201 : 200);
    return appointment;
  }

  @Post(':appointmentId/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm your pending reservation',
    description:
      'Allowed while the reservation is pending (before expiresAt), even when that is less than the lead time before ' +
      'the slot: the lead time is checked when reserving. After expiresAt: 409 RESERVATION_EXPIRED and the slot is ' +
      'open again. Confirming twice answers 200.',
  })
  @ApiOkResponse({ type: AppointmentView })
  @ApiProblems(404, 409)
  confirm(@Param('appointmentId', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<AppointmentView> {
    return this.appointments.confirm(id, user);
  }

  @Delete(':appointmentId')
  @ApiOperation({ summary: 'Cancel (its client or its provider); the slot opens again' })
  @ApiOkResponse({ type: AppointmentView })
  @ApiProblems(404)
  cancel(@Param('appointmentId', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<AppointmentView> {
    return this.appointments.cancel(id, user);
  }

  @Get()
  @ApiOperation({ summary: 'Your appointments by start (providers: those on your schedule)' })
  @ApiOkResponse({ type: AppointmentsPage })
  list(@Query() query: AppointmentsQuery, @CurrentUser() user: AuthUser): Promise<Page<AppointmentView>> {
    return this.appointments.list(query, user);
  }

  @Get(':appointmentId')
  @ApiOperation({ summary: 'One appointment (its client or provider; anyone else 404)' })
  @ApiOkResponse({ type: AppointmentView })
  @ApiProblems(404)
  get(@Param('appointmentId', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<AppointmentView> {
    return this.appointments.get(id, user);
  }
}
