import { h, replaceChildren } from '../dom.js';
import { IMPLICIT_ROW } from './seat-chart.js';
import type { ChartPart, ChartSeat } from './seat-chart.js';

export interface SeatGridOptions {
  /** A seat was clicked (or Enter/Space on it). */
  readonly choose: (seat: ChartSeat) => void;
  /** Sets the button's name and classes from the seat's state (called when a button is made). */
  readonly paint: (seat: ChartSeat) => void;
  /** The seat in words for the line under the map: place, category and price, status. */
  readonly describe: (seat: ChartSeat) => string;
  /** The seat's category letter, drawn on its button (none when there is one category). */
  readonly mark: (seat: ChartSeat) => string | undefined;
}

export interface SeatGrid {
  /** The map: one tab stop, arrow keys inside. */
  readonly element: HTMLElement;
  /** The line under the map saying what the seat under focus or pointer is. */
  readonly info: HTMLElement;
  /** Draws `part`, dropping the buttons of the part shown before (their seats get `button` undefined). */
  show(part: ChartPart, implicit: boolean): void;
  /** The seats that have a button now. */
  shown(): ChartSeat[];
  /** The seat changed: the line under the map says it again if it is about that seat. */
  refresh(seat: ChartSeat): void;
}

interface Placed {
  readonly seat: ChartSeat;
  /** Visual line (a row, or ten seats of an event without rows) and place in it: arrow Up/Down keep the column. */
  readonly line: number;
  readonly column: number;
}

/**
 * The seat buttons of one part of the chart: a heading per named section, each row led by its label (rows of ten
 * for `numberOfSeats` events, as before venues). Only this part's seats have buttons, so a 20,000-seat event costs
 * the buttons of one section.
 */
export function seatGrid(options: SeatGridOptions): SeatGrid {
  let placed: Placed[] = [];
  let focused = 0;
  /** The seat the line under the map is about. */
  let described: ChartSeat | undefined;
  const info = h('p', { class: 'seat-info', 'aria-hidden': 'true' });
  const element = h('div', {
    class: 'seat-map',
    role: 'group',
    'aria-label': 'Seats',
    'aria-describedby': 'seat-help',
    onKeydown: (event: Event) => moveFocus(event as KeyboardEvent),
  });

  const show = (part: ChartPart, implicit: boolean) => {
    for (const { seat } of placed) seat.button = undefined;
    placed = [];
    const children: HTMLElement[] = [];
    for (const section of part.sections) {
      if (section.name) children.push(h('h3', { class: 'section-name' }, section.name));
      for (const row of section.rows) {
        const lines = implicit
          ? Array.from({ length: Math.ceil(row.seats.length / IMPLICIT_ROW) }, (_, i) =>
              row.seats.slice(i * IMPLICIT_ROW, (i + 1) * IMPLICIT_ROW),
            )
          : [row.seats];
        for (const seatsOfLine of lines) {
          const line = placed.length ? placed.at(-1)!.line + 1 : 0;
          const lineElement = h('div', { class: implicit ? 'seat-line seat-line-numbered' : 'seat-line' });
          // The row's label is seen; screen readers hear it in each seat's name.
          if (!implicit) lineElement.append(h('span', { class: 'row-label', 'aria-hidden': 'true' }, row.label));
          seatsOfLine.forEach((seat, column) => {
            lineElement.append(seatButton(seat));
            placed.push({ seat, line, column });
          });
          children.push(lineElement);
        }
      }
    }
    replaceChildren(element, ...children);
    focused = 0;
    described = undefined;
    info.textContent = '';
    placed[0]?.seat.button?.setAttribute('tabindex', '0');
  };

  const describe = (seat: ChartSeat) => {
    described = seat;
    info.textContent = options.describe(seat);
  };

  const seatButton = (seat: ChartSeat): HTMLButtonElement => {
    const mark = options.mark(seat);
    const button = h(
      'button',
      { type: 'button', tabindex: -1 },
      seat.label,
      seat.accessible && h('span', { class: 'accessible-mark', 'aria-hidden': 'true' }, '♿'),
    );
    // Drawn by CSS (`::after`), not as text: the button's visible text stays its label, part of its name.
    if (mark) button.dataset.mark = mark;
    const position = placed.length;
    button.addEventListener('click', () => options.choose(seat));
    button.addEventListener('focus', () => {
      focused = position;
      describe(seat);
    });
    button.addEventListener('mouseenter', () => describe(seat));
    seat.button = button;
    options.paint(seat);
    return button;
  };

  const moveFocus = (event: KeyboardEvent) => {
    const from = placed[focused];
    if (!from) return;
    let next: number;
    if (event.key === 'ArrowLeft') next = focused - 1;
    else if (event.key === 'ArrowRight') next = focused + 1;
    else if (event.key === 'ArrowUp') next = nearestInLine(from, -1);
    else if (event.key === 'ArrowDown') next = nearestInLine(from, 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = placed.length - 1;
    else return;
    event.preventDefault();
    next = Math.min(Math.max(next, 0), placed.length - 1);
    placed[focused]?.seat.button?.setAttribute('tabindex', '-1');
    focused = next;
    placed[next]?.seat.button?.setAttribute('tabindex', '0');
    placed[next]?.seat.button?.focus();
  };

  /** The seat of the line above (step -1) or below (+1) nearest to the same column (rows differ in length). */
  const nearestInLine = (from: Placed, step: number): number => {
    const line = from.line + step;
    let found = focused;
    for (let i = focused + step; i >= 0 && i < placed.length; i += step) {
      const candidate = placed[i]!;
      if (candidate.line === from.line) continue;
      if (candidate.line !== line) break;
      found = i;
      if (step > 0 ? candidate.column >= from.column : candidate.column <= from.column) break;
    }
    return found;
  };

  const refresh = (seat: ChartSeat) => {
    if (seat === described) info.textContent = options.describe(seat);
  };

  return { element, info, show, shown: () => placed.map((p) => p.seat), refresh };
}
