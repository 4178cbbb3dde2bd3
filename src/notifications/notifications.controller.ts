import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { UuidPipe } from '../common/validation.js';
import type { AuthUser } from '../auth/auth-user.js';
import { InboxQuery, NotificationsPage } from './inbox.dto.js';
import { InboxService } from './inbox.service.js';

@ApiTags('notifications')
@ApiSignedIn()
@ApiProblems(400, 503)
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({
    summary: 'Your notifications, newest first',
    description: 'Each page also carries `unreadCount`: how many of all your notifications are unread.',
  })
  @ApiOkResponse({ type: NotificationsPage })
  list(@Query() query: InboxQuery, @CurrentUser() user: AuthUser): Promise<NotificationsPage> {
    return this.inbox.list(query, user);
  }

  @Post('read-all')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark all your notifications read' })
  @ApiNoContentResponse({ description: 'Done' })
  readAll(@CurrentUser() user: AuthUser): Promise<void> {
    return this.inbox.markAllRead(user);
  }

  @Post(':notificationId/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark one of your notifications read' })
  @ApiNoContentResponse({ description: 'Done' })
  @ApiProblems(404)
  read(@Param('notificationId', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.inbox.markRead(id, user);
  }
}
