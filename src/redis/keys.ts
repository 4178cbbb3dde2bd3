import { createHash } from 'node:crypto';

/**
 * Every Redis key of the service is built here (the configured prefix is added by the client). Keys of one aggregate
 * share a hash tag in braces, and each Lua script is given keys of one tag only, so the layout works on Redis Cluster.
 * docs/architecture.md has the table of keys, types and TTLs.
 */
const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

export const keys = {
  /** Hash: one user account. */
  user: (userId: string) => `{user:${userId}}`,
  /**
   * String: user id of an email (normalized by users/email.ts; hashed, first 32 hex digits of SHA-256, so odd
   * characters never shape the key).
   */
  userEmail: (email: string) => `user-email:{${digest(email)}}`,
  /** What SCAN MATCH finds user account hashes by (their sub-keys, `{user:<id>}:...`, are filtered out after). */
  userPattern: '{user:*}',
  /** String: the time a one-off data migration finished in this keyspace (it does not run again). */
  migrationDone: (name: string) => `{migrations}:${name}`,
  /** Sorted set (all scores 0): "<createdAt, 15 digits>:<userId>" of users with a role (e.g. the providers list). */
  usersByRole: (role: string) => `{users-by-role:${role}}`,
  /**
   * Sorted set (all scores 0): "<token>\0<createdAt, 15 digits>:<userId>" of the accounts with a role, one member per
   * search token (the email and the name from each word on; users/users.codec.ts): GET /v1/users?query=.
   */
  usersSearch: (role: string) => `{users-search:${role}}`,
  /**
   * Rate-limit counts of one client in one bucket, expiring with the window. Bucket `auth` (client: IP): a string,
   * the attempts in the current fixed window (INCR). Bucket `api:<window number>` (client: `user:<id>` or
   * `ip:<address bucket>`): a hash, instance id -> that instance's count of the client's requests in that window.
   */
  rateLimit: (bucket: string, client: string) => `{rate:${bucket}:${client}}`,
  /** Hash: one refresh-token family (rotation state); expires with the family. */
  refreshFamily: (familyId: string) => `{refresh:${familyId}}`,

  /** Hash: one event (id, name, totalSeats, holdSeconds, startsAt, createdAt, createdBy, layoutEtag, categories). */
  event: (eventId: string) => `{event:${eventId}}`,
  /**
   * List: the event's seat ids in layout order (section by section, row by row; for numberOfSeats events seat n is
   * at index n-1). Never changes after creation.
   */
  eventSeats: (eventId: string) => `{event:${eventId}}:seats`,
  /**
   * Hash: seatId -> "H|userId|expiresAtMs" (held) or "R|userId|reservedAtMs[|categoryId|amount|currency]" (reserved,
   * with the price snapshot since issue 19); absent = available.
   */
  seatState: (eventId: string) => `{event:${eventId}}:seat-state`,
  /**
   * Sorted set: seat ids one user holds in the event, scored by expiry (the per-user hold limit, "my holds").
   * Expires 60 s after its newest hold.
   */
  userHoldsInEvent: (eventId: string, userId: string) => `{event:${eventId}}:holds-of:${userId}`,
  /** String: counter of the event's seat changes; each seat.updated carries the new value as `seq`. */
  seatSeq: (eventId: string) => `{event:${eventId}}:seat-seq`,
  /** Stream: the last ~1000 seat changes, entry ids "<seq>-0", replayed to clients that reconnect. */
  seatLog: (eventId: string) => `{event:${eventId}}:seat-log`,
  /**
   * Hash: seatId -> "<userId>|<renewals>|<expiresAt>|<request token>" of the seat's latest hold, counting how often its
   * holder has held it in a row (HOLD_MAX_RENEWALS). Expires one hold time after the event's latest hold ends.
   */
  holdRenewals: (eventId: string) => `{event:${eventId}}:hold-renewals`,
  /** Sorted set: held seat ids by expiry, for the sweeper that announces holds running out. */
  holdExpiries: (eventId: string) => `{event:${eventId}}:hold-expiries`,
  /**
   * Hash: seatId -> `<categoryId>|<order>|<rowKey>|<position>|<accessible 0 or 1>` (events/venue.codec.ts). Written
   * at creation, never changed.
   */
  seatMeta: (eventId: string) => `{event:${eventId}}:seat-meta`,
  /**
   * Sorted set: the seats of one category with no seat-state entry, scored by their best-available order (the free
   * index; kept exact by the seat scripts).
   */
  freeSeats: (eventId: string, categoryId: string) => `{event:${eventId}}:free:${categoryId}`,
  /** Hash: categoryId -> JSON `{"name", "price": {"amount", "currency"} or null}` (the current price; may change). */
  eventCategories: (eventId: string) => `{event:${eventId}}:categories`,
  /** String: the event's static chart, exactly as GET /v1/events/{id}/layout answers it. Never changes. */
  eventLayout: (eventId: string) => `{event:${eventId}}:layout`,
  /** Sorted set: event ids by their earliest pending hold expiry (which events the sweeper must visit). */
  expiringEvents: () => `{holds}:expiring-events`,
  /** Pub/sub channel of the event's seat changes (not a key: the client prefix is added by the repository). */
  seatChannel: (eventId: string) => `{event:${eventId}}:seat-changes`,
  /** Hash: seatId -> "<userId>|<entryId>|<expiresAtMs>" of every seat held for a waiting-line entry (an offer). */
  seatOffers: (eventId: string) => `{event:${eventId}}:offers`,
  /** Sorted set: the waiting line, entryId by place (1, 2, ...: the order people joined). */
  waitlist: (eventId: string) => `{event:${eventId}}:waitlist`,
  /** Hash: entryId -> "<userId>|<quantity>|<categoryId or empty>|<joinedAtMs>" of everyone in the line. */
  waitlistEntries: (eventId: string) => `{event:${eventId}}:waitlist-entries`,
  /** Hash: userId -> entryId of their place in the line (one per user and event). */
  waitlistUsers: (eventId: string) => `{event:${eventId}}:waitlist-users`,
  /**
   * Sorted set: the line's entries asking for one quantity of one category, scored like the line, so the first
   * fitting entry is one ZRANGE per quantity. `line` is "<quantity>:<categoryId>" (categoryId empty: the whole event);
   * scripts get the prefix (line empty) and append it.
   */
  waitlistLine: (eventId: string, line: string) => `{event:${eventId}}:waitlist-of:${line}`,
  /** Sorted set: event ids whose waiting line the user is in, by joining time (pruned when read). */
  userWaitlistEvents: (userId: string) => `{user:${userId}}:waitlist-events`,
  /** Sorted set (all scores 0): "<createdAt, 15 digits>:<eventId>", so BYLEX pages are exact and stable. */
  eventsByCreation: () => `{events}:by-creation`,
  /** Sorted set: event ids a user held seats in, scored by the latest expiry (pruned when read). */
  userHoldEvents: (userId: string) => `{user:${userId}}:hold-events`,
  /** Sorted set (all scores 0): "<reservedAt, 15 digits>:<eventId>/<seatId>" of a user's reserved seats. */
  userSeatReservations: (userId: string) => `{user:${userId}}:seat-reservations`,
  /** Hash: the stored answer (or in-flight marker) of one Idempotency-Key of one caller (key hashed as above). */
  idempotency: (callerId: string, key: string) => `{user:${callerId}}:idempotency:${digest(key)}`,

  /** String (JSON): one booking, in its owner's slot. */
  booking: (userId: string, bookingId: string) => `{user:${userId}}:booking:${bookingId}`,
  /** String: version a booking was deleted at, kept briefly so a re-delivered delete answers as the first. */
  bookingTombstone: (userId: string, bookingId: string) => `{user:${userId}}:booking-deleted:${bookingId}`,
  /** Sorted set (all scores 0): "<startTime, 15 digits>:<bookingId>" of a user's bookings. */
  userBookings: (userId: string) => `{user:${userId}}:bookings`,
  /** The same, per booking type. */
  userBookingsOfType: (userId: string, type: string) => `{user:${userId}}:bookings:${type}`,
  /** Hash: fingerprint of (type, title, start, end) -> booking id, for O(1) duplicate detection on create. */
  userBookingFingerprints: (userId: string) => `{user:${userId}}:booking-fingerprints`,
  /** String: owner user id of a booking (lets an admin open any booking by id). */
  bookingOwner: (bookingId: string) => `booking-owner:{${bookingId}}`,
  /** Sorted set (all scores 0): "<startTime, 15 digits>:<userId>:<bookingId>" of every booking, for admins. */
  allBookings: () => `{bookings}:by-start`,

  /** Sorted set: a provider's slot ids scored by start (ms). */
  providerSlots: (providerId: string) => `{provider:${providerId}}:slots`,
  /** Hash: slotId -> "start|end" (ms). */
  providerSlotTimes: (providerId: string) => `{provider:${providerId}}:slot-times`,
  /** Hash: start (ms) -> slotId, so the same start is never opened twice. */
  providerSlotStarts: (providerId: string) => `{provider:${providerId}}:slot-starts`,
  /** Hash: slotId -> "P|clientId|expiresAt|appointmentId" (pending) or "C|clientId|appointmentId"; absent = open. */
  providerSlotState: (providerId: string) => `{provider:${providerId}}:slot-state`,
  /** Hash: one appointment. */
  appointment: (providerId: string, appointmentId: string) => `{provider:${providerId}}:appointment:${appointmentId}`,
  /** Sorted set (all scores 0): "<start, 15 digits>:<appointmentId>" of a provider's appointments. */
  providerAppointments: (providerId: string) => `{provider:${providerId}}:appointments`,
  /** Sorted set: a client's pending appointment ids with this provider, scored by expiry (per-client cap). */
  clientPendingWith: (providerId: string, clientId: string) => `{provider:${providerId}}:pending-of:${clientId}`,
  /** Sorted set: "<providerId>/<appointmentId>" of pending appointments by expiry (announcing lapsed ones). */
  pendingAppointments: () => `{appointments}:pending`,
  /**
   * Sorted set (all scores 0): "<start, 15 digits>:<providerId>/<slotId>" of open slots of every provider
   * (GET /v1/slots). One key, so one slot of a Redis Cluster: docs/architecture.md, "Open slots of every provider".
   */
  openSlots: () => `{slots}:open`,
  /** String: provider id of a slot (POST /appointments names only the slot). */
  slotOwner: (slotId: string) => `slot-owner:{${slotId}}`,
  /** String: provider id of an appointment. */
  appointmentOwner: (appointmentId: string) => `appointment-owner:{${appointmentId}}`,
  /** Sorted set (all scores 0): "<start, 15 digits>:<providerId>/<appointmentId>" of a client's appointments. */
  clientAppointments: (clientId: string) => `{user:${clientId}}:appointments`,

  /** Hash: one restaurant (openingHours as JSON). */
  restaurant: (restaurantId: string) => `{restaurant:${restaurantId}}`,
  /** Hash: tableId -> JSON {id, name, seats}. */
  restaurantTables: (restaurantId: string) => `{restaurant:${restaurantId}}:tables`,
  /** Sorted set: "<tableId>|<reservationId>" of live (booked) reservations, scored by start: the overlap check. */
  restaurantSittings: (restaurantId: string) => `{restaurant:${restaurantId}}:sittings`,
  /** Hash: one restaurant reservation. */
  restaurantReservation: (restaurantId: string, reservationId: string) =>
    `{restaurant:${restaurantId}}:reservation:${reservationId}`,
  /** Sorted set: every reservation id of the restaurant (cancelled too), scored by start: listing by date. */
  restaurantReservations: (restaurantId: string) => `{restaurant:${restaurantId}}:reservations`,
  /**
   * Sorted set: ids of one customer's live (booked) reservations at the restaurant, by start (the per-day cap);
   * entries that started more than two days before a booking are pruned by it.
   */
  restaurantLiveOf: (restaurantId: string, userId: string) => `{restaurant:${restaurantId}}:live-of:${userId}`,
  /** Sorted set (all scores 0): "<createdAt, 15 digits>:<restaurantId>". */
  restaurantsByCreation: () => `{restaurants}:by-creation`,

  /** Hash: one inbox notification of a user. */
  notification: (userId: string, notificationId: string) => `{user:${userId}}:notification:${notificationId}`,
  /** Sorted set (all scores 0): "<createdAt, 15 digits>:<notificationId>" of a user's inbox. */
  inbox: (userId: string) => `{user:${userId}}:inbox`,
  /** Set: ids of a user's unread notifications. */
  inboxUnread: (userId: string) => `{user:${userId}}:inbox-unread`,
  /**
   * Hash: a user's preferences (preferences/preferences.codec.ts): `locale`, `timeZone`, `email:<category>` = "0" for
   * each email category turned off (absent: on).
   */
  userPreferences: (userId: string) => `{user:${userId}}:preferences`,
  /** Pub/sub channel of one user's live events (the client prefix is added by the publisher). */
  userChannel: (userId: string) => `user-events:${userId}`,
  /** BullMQ's key prefix: one hash tag, so its multi-key scripts work on Redis Cluster. */
  jobs: () => `{jobs}`,

  /**
   * Stream: the outbox of one aggregate (outbox/outbox.codec.ts), in the aggregate's slot so the script that makes a
   * change appends its event in the same step. Entries live until the relay hands them to delivery jobs.
   */
  eventOutbox: (eventId: string) => `{event:${eventId}}:outbox`,
  providerOutbox: (providerId: string) => `{provider:${providerId}}:outbox`,
  restaurantOutbox: (restaurantId: string) => `{restaurant:${restaurantId}}:outbox`,
  userOutbox: (userId: string) => `{user:${userId}}:outbox`,
  /** What SCAN MATCH finds every outbox stream by (the relay's backstop for lost pending marks). */
  outboxPattern: '{*}:outbox',
  /** Set: outbox streams (their key names, without the client's prefix) that may hold entries; a hint, see the relay. */
  outboxPending: () => `{outbox}:pending`,
  /**
   * Sorted set: the outbox consumers some process delivers for (member: the consumer's name, score: until when the
   * announcement holds, ms). The relay hands over jobs for every one listed, whatever the relaying process runs.
   */
  outboxConsumers: () => `{outbox}:consumers`,

  /** Hash: one webhook endpoint (url, events, owner, secrets, state). */
  webhook: (webhookId: string) => `{webhook:${webhookId}}`,
  /** Hash: one delivery of an event to a webhook endpoint (status, attempts, last answer, the signed body). */
  webhookDelivery: (webhookId: string, deliveryId: string) => `{webhook:${webhookId}}:delivery:${deliveryId}`,
  /** Sorted set (all scores 0): "<createdAt, 15 digits>:<deliveryId>" of one endpoint's deliveries (newest kept). */
  webhookDeliveries: (webhookId: string) => `{webhook:${webhookId}}:deliveries`,
  /** Sorted set (all scores 0): "<createdAt, 15 digits>:<webhookId>" of every endpoint (fan-out, admins' list). */
  webhooks: () => `{webhooks}:all`,
  /** Sorted set (all scores 0): the same members, of one owner's endpoints (the per-owner cap, managers' list). */
  webhooksOfOwner: (ownerId: string) => `{webhooks}:owner:${ownerId}`,
  /** Counter: bumped on every change to any endpoint, so the relay re-reads the endpoints only after one. */
  webhooksVersion: () => `{webhooks}:version`,
} as const;

/** Fixed-width decimal, so that lexicographic order of index members is numeric order of times. */
export const sortableTime = (epochMs: number) => String(epochMs).padStart(15, '0');

/**
 * A member of a "lex" sorted set (all scores 0): `<time, 15 digits>:<ref>`, where the ref is an id or ids joined as
 * the index's module defines. BYLEX ranges over such members are exact, stable pages in time order.
 */
export const lexMember = (epochMs: number, ref: string) => `${sortableTime(epochMs)}:${ref}`;

/** The time and ref of a lex member, split at its first colon. */
export function parseLexMember(member: string): { time: number; ref: string } {
  const colon = member.indexOf(':');
  return { time: Number(member.slice(0, colon)), ref: member.slice(colon + 1) };
}
