import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth-user.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import type { Page } from '../common/pagination.js';
import { UuidPipe } from '../common/validation.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import {
  CreateWebhookDto,
  DeliveriesPage,
  DeliveriesQuery,
  UpdateWebhookDto,
  WebhookCreatedView,
  WebhookSecretView,
  WebhookView,
  WebhooksList,
} from './webhooks.dto.js';
import type { DeliveryView } from './webhooks.dto.js';
import { WebhooksService } from './webhooks.service.js';

@ApiTags('webhooks')
@ApiProblems(400, 503)
@ApiSignedIn()
@Roles('manager', 'admin')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Register a webhook endpoint (manager, admin)',
    description:
      'Deliveries follow Standard Webhooks (docs/operations.md, "Webhooks"): headers webhook-id (the event id, the ' +
      'same on every retry), webhook-timestamp and webhook-signature, body {type, timestamp, data}. The answer ' +
      'carries the signing secret, shown only here (and to a retry with the same Idempotency-Key). The URL must be https and must not resolve to a loopback, ' +
      'private, link-local or metadata address (checked again at every delivery).',
  })
  @ApiCreatedResponse({ type: WebhookCreatedView })
  @ApiProblems(403, 409, 422)
  create(@Body() dto: CreateWebhookDto, @CurrentUser() user: AuthUser): Promise<WebhookCreatedView> {
    return this.webhooks.create(dto, user);
  }

  @Get()
  @ApiOperation({
    summary: 'Webhook endpoints: an admin sees every one, a manager their own',
    description: 'At most WEBHOOK_MAX_PER_OWNER (25) per owner; registering one more is refused (409).',
  })
  @ApiOkResponse({ type: WebhooksList })
  @ApiProblems(403)
  async list(@CurrentUser() user: AuthUser): Promise<WebhooksList> {
    return { items: await this.webhooks.list(user) };
  }

  @Get(':webhookId')
  @ApiOkResponse({ type: WebhookView })
  @ApiProblems(403, 404)
  get(@Param('webhookId', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<WebhookView> {
    return this.webhooks.get(id, user);
  }

  @Patch(':webhookId')
  @ApiOperation({ summary: 'Change the URL, events or description, or disable / enable the endpoint' })
  @ApiOkResponse({ type: WebhookView })
  @ApiProblems(403, 404, 422)
  update(
    @Param('webhookId', UuidPipe) id: string,
    @Body() dto: UpdateWebhookDto,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookView> {
    return this.webhooks.update(id, dto, user);
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the endpoint; deliveries in flight are dropped' })
  @ApiNoContentResponse()
  @ApiProblems(403, 404)
  delete(@Param('webhookId', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.webhooks.delete(id, user);
  }

  @Post(':webhookId/rotate-secret')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: 'Replace the signing secret',
    description:
      'The new secret is shown once (and to a retry with the same Idempotency-Key). The old one keeps signing for ' +
      'WEBHOOK_SECRET_GRACE_MS (a day): meanwhile webhook-signature carries two signatures, so the receiver can ' +
      'switch at its own pace. A rotation during that grace keeps the secret from before the first rotation (and ' +
      'its deadline) and replaces the newer one at once: a rotation retried after a lost answer never cuts off the ' +
      'secret the receiver checks; a receiver that had already switched to the replaced secret must switch again.',
  })
  @ApiOkResponse({ type: WebhookSecretView })
  @ApiProblems(403, 404)
  rotateSecret(@Param('webhookId', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<WebhookSecretView> {
    return this.webhooks.rotateSecret(id, user);
  }

  @Get(':webhookId/deliveries')
  @ApiOperation({ summary: 'Deliveries to the endpoint, newest first (status, attempts, last answer)' })
  @ApiOkResponse({ type: DeliveriesPage })
  @ApiProblems(403, 404)
  deliveries(
    @Param('webhookId', UuidPipe) id: string,
    @Query() query: DeliveriesQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<Page<DeliveryView>> {
    return this.webhooks.listDeliveries(id, query, user);
  }

  @Post(':webhookId/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a delivery again',
    description:
      'Same webhook-id and body, a fresh timestamp and signature; retried like a first delivery. Refused (409) ' +
      'while the delivery is pending or retrying: its own retries are still under way.',
  })
  @ApiAcceptedResponse({ description: 'Queued' })
  // 409: the endpoint is disabled, or the delivery is still pending or retrying (WEBHOOK_DELIVERY_RETRYING).
  @ApiProblems(403, 404, 409)
  redeliver(
    @Param('webhookId', UuidPipe) id: string,
    @Param('deliveryId') deliveryId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    return this.webhooks.redeliver(id, deliveryId, user);
  }
}
