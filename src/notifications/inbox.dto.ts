import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { toIso } from '../common/iso-date-time.js';
import { PageQuery } from '../common/pagination.js';
import type { Notification } from './inbox.repository.js';

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
  @ApiProperty({ description: 'How many of all your notifications are unread (not only on this page)', example: 3 })
  readonly unreadCount!: number;
}

export const notificationView = (n: Notification): NotificationView => ({ ...n, createdAt: toIso(n.createdAt) });
