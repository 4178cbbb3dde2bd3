/**
 * A seat's place in the venue, a field of `{event:<id>}:seat-meta` (written once, at the event's creation):
 * `<categoryId>|<order>|<rowKey>|<position>|<accessible 0 or 1>`. `order` is the seat's place in best-available order
 * over the whole event (the score of its free-set entry), `rowKey` `<sectionIndex>.<rowIndex>`, `position` its index
 * in the row. lua/include/seat-meta.lua is the Lua definition; a change here is a change there.
 */
export interface SeatMeta {
  readonly categoryId: string;
  readonly order: number;
  readonly rowKey: string;
  readonly position: number;
  readonly accessible: boolean;
}

const META = /^([^|]+)\|(\d+)\|([^|]*)\|(\d+)\|([01])$/;

export function encodeSeatMeta(meta: SeatMeta): string {
  return `${meta.categoryId}|${meta.order}|${meta.rowKey}|${meta.position}|${meta.accessible ? 1 : 0}`;
}

/** The meta a stored value says, or undefined for a value that cannot be read. */
export function parseSeatMeta(value: string): SeatMeta | undefined {
  const match = META.exec(value);
  if (!match) return undefined;
  return {
    categoryId: match[1],
    order: Number(match[2]),
    rowKey: match[3],
    position: Number(match[4]),
    accessible: match[5] === '1',
  };
}
