import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { CurrentUser } from '../auth/auth.decorators.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { CursorCodec } from '../common/cursor.js';
import { NotFoundError } from '../common/domain-error.js';
import { toIso } from '../common/iso-date-time.js';
import { PageQuery } from '../common/pagination.js';
import type { Page } from '../common/pagination.js';
import { UuidPipe } from '../common/validation.js';
import type { AuthUser } from '../auth/auth-user.js';
import { InboxRepository } from './inbox.repository.js';

export class InboxQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'true: unread only' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  readonly unread?: boolean;
}

export class NotificationView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ example: 'booking.reminder' }) readonly type!: string;
  @ApiProperty({ example: 'Flat in Lisbon starts in 60 minutes' }) readonly title!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) readonly data!: Record<string, unknown>;
  @ApiProperty() readonly read!: boolean;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
}

export class NotificationsPage {
  @ApiProperty({ type: [NotificationView] }) readonly items!: NotificationView[];
  @ApiProperty({ nullable: true, type: String }) readonly nextCursor!: string | null;
}

@ApiTags('notifications')
@ApiSignedIn()
@ApiProblems(400, 503)
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly inbox: InboxRepository,
    private readonly cursors: CursorCodec,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your notifications, newest first' })
  @ApiOkResponse({ type: NotificationsPage })
  async list(@Query() query: InboxQuery, @CurrentUser() user: AuthUser): Promise<Page<NotificationView>> {
    const page = await this.inbox.list(user.id, {
      unreadOnly: query.unread === true,
      after: query.cursor ? this.cursors.decodePosition(query.cursor) : null,
      limit: query.limit ?? 20,
    });
    return {
      items: page.notifications.map((n) => ({ ...n, createdAt: toIso(n.createdAt) })),
      nextCursor: page.next ? this.cursors.encodePosition(page.next) : null,
    };
  }

  @Post('read-all')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark all your notifications read' })
  @ApiNoContentResponse({ description: 'Done' })
  readAll(@CurrentUser() user: AuthUser): Promise<void> {
    return this.inbox.markAllRead(user.id);
  }

  @Post(':notificationId/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark one of your notifications read' })
  @ApiNoContentResponse({ description: 'Done' })
  @ApiProblems(404)
  async read(@Param('notificationId', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    if (!(await this.inbox.markRead(user.id, id))) throw new NotFoundError('The notification');
  }
}
