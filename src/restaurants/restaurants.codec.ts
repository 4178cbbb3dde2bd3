/**
 * The stored formats of restaurants that are not plain records, in one place for TypeScript. A member of
 * `{restaurant:<id>}:sittings` is `<tableId>|<reservationId>`, scored by the reservation's start; the book, move,
 * cancel and remove-table scripts build and read it too, defined once for them in lua/include/sitting.lua.
 */
export interface SittingRef {
  readonly tableId: string;
  readonly reservationId: string;
}

export function encodeSitting(ref: SittingRef): string {
  return `${ref.tableId}|${ref.reservationId}`;
}

/** The sitting a member names; `reservationId` is '' when the member has no `|`. */
export function parseSitting(member: string): SittingRef {
  const [tableId, reservationId] = member.split('|');
  return { tableId, reservationId: reservationId ?? '' };
}
