import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, Roles } from '../auth/auth.decorators.js';
import { ApiProblems, ApiSignedIn } from '../common/api-docs.js';
import { PageQuery } from '../common/pagination.js';
import type { Page } from '../common/pagination.js';
import { UuidPipe } from '../common/validation.js';
import type { AuthUser } from '../auth/auth-user.js';
import {
  CreateRestaurantDto,
  CreateTableDto,
  OpeningHoursBody,
  RestaurantView,
  RestaurantsPage,
  TableView,
  TimeslotView,
  TimeslotsQuery,
} from './restaurants.dto.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { RestaurantsService } from './restaurants.service.js';

@ApiTags('restaurants')
@ApiProblems(400, 503)
@Controller('restaurants')
export class RestaurantsController {
  constructor(private readonly restaurants: RestaurantsService) {}

  @Post()
  @Roles('manager', 'admin')
  @Idempotent()
  @ApiSignedIn()
  @ApiOperation({
    summary: 'Create a restaurant (manager, admin); its creator manages it',
    description: 'openingHours entries whose closes is earlier than opens run past midnight.',
  })
  @ApiCreatedResponse({ type: RestaurantView })
  @ApiProblems(403)
  create(@Body() dto: CreateRestaurantDto, @CurrentUser() user: AuthUser): Promise<RestaurantView> {
    return this.restaurants.create(dto, user);
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Restaurants, oldest first' })
  @ApiOkResponse({ type: RestaurantsPage })
  list(@Query() query: PageQuery): Promise<Page<RestaurantView>> {
    return this.restaurants.list(query.limit, query.cursor);
  }

  @Public()
  @Get(':restaurantId')
  @ApiOkResponse({ type: RestaurantView })
  @ApiProblems(404)
  get(@Param('restaurantId', UuidPipe) id: string): Promise<RestaurantView> {
    return this.restaurants.get(id);
  }

  @Put(':restaurantId/opening-hours')
  @Roles('manager', 'admin')
  @ApiSignedIn()
  @ApiOperation({ summary: 'Replace the opening hours (its manager); existing reservations stay' })
  @ApiOkResponse({ type: RestaurantView })
  @ApiProblems(403, 404)
  setOpeningHours(
    @Param('restaurantId', UuidPipe) id: string,
    @Body() dto: OpeningHoursBody,
    @CurrentUser() user: AuthUser,
  ): Promise<RestaurantView> {
    return this.restaurants.setOpeningHours(id, dto.openingHours, user);
  }

  @Post(':restaurantId/tables')
  @Roles('manager', 'admin')
  @Idempotent()
  @ApiSignedIn()
  @ApiOperation({ summary: 'Add a table of 1..20 seats (its manager)' })
  @ApiCreatedResponse({ type: TableView })
  @ApiProblems(403, 404)
  addTable(
    @Param('restaurantId', UuidPipe) id: string,
    @Body() dto: CreateTableDto,
    @CurrentUser() user: AuthUser,
  ): Promise<TableView> {
    return this.restaurants.addTable(id, dto, user);
  }

  @Public()
  @Get(':restaurantId/tables')
  @ApiOperation({ summary: 'Tables, smallest first' })
  @ApiOkResponse({ type: [TableView] })
  @ApiProblems(404)
  tables(@Param('restaurantId', UuidPipe) id: string): Promise<TableView[]> {
    return this.restaurants.tables(id);
  }

  @Delete(':restaurantId/tables/:tableId')
  @Roles('manager', 'admin')
  @HttpCode(204)
  @ApiSignedIn()
  @ApiOperation({
    summary: 'Remove a table (its manager); 409 TABLE_HAS_RESERVATIONS while it has current or future ones',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(403, 404, 409)
  removeTable(
    @Param('restaurantId', UuidPipe) id: string,
    @Param('tableId', UuidPipe) tableId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    return this.restaurants.removeTable(id, tableId, user);
  }

  @Public()
  @Get(':restaurantId/timeslots')
  @ApiOperation({
    summary: 'Bookable start times of a local date',
    description:
      'Inside opening hours, with the whole sitting ending by closing time, computed in the restaurant’s time zone ' +
      '(daylight-saving days have fewer or more slots). start/end carry the restaurant’s offset.',
  })
  @ApiOkResponse({ type: [TimeslotView] })
  @ApiProblems(404, 422)
  timeslots(@Param('restaurantId', UuidPipe) id: string, @Query() query: TimeslotsQuery): Promise<TimeslotView[]> {
    return this.restaurants.timeslots(id, query.date, query.partySize);
  }
}
