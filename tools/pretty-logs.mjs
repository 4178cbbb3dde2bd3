// Readable log lines for `npm run start:dev`: the service writes pino's JSON lines (as in production); this turns each
// into `12:00:01.234 INFO  [context] message key=value ...`, coloured on a terminal. Lines that are not pino JSON pass
// through unchanged. Development only: production logs stay JSON for the log pipeline. No dependency (pino-pretty
// would do the same for one more package).
import { createInterface } from 'node:readline';

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLOURS = { 10: 90, 20: 36, 30: 32, 40: 33, 50: 31, 60: 35 };
/** Fields every line has, shown in the line's head or not at all. */
const HEAD = new Set(['level', 'time', 'msg', 'context', 'service', 'pid', 'hostname']);

function value(v) {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

/** One line made readable; `colour`: ANSI colours (a terminal). */
export function prettyLine(line, { colour = false } = {}) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (entry === null || typeof entry !== 'object' || typeof entry.level !== 'number') return line;
  const paint = (code, text) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const time =
    typeof entry.time === 'string'
      ? entry.time.slice(11, 23)
      : new Date(entry.time ?? Date.now()).toISOString().slice(11, 23);
  const level = (LEVELS[entry.level] ?? String(entry.level)).padEnd(5);
  const context = entry.context ? `${paint(90, `[${entry.context}]`)} ` : '';
  const rest = Object.entries(entry)
    .filter(([key]) => !HEAD.has(key) && key !== 'err' && key !== 'trace')
    .map(([key, v]) => `${paint(90, `${key}=`)}${value(v)}`);
  const stack = entry.err?.stack ?? entry.trace;
  const head = `${paint(90, time)} ${paint(COLOURS[entry.level] ?? 0, level)} ${context}${entry.msg ?? ''}`;
  return [head, ...rest].join(' ') + (stack ? `\n${paint(31, String(stack))}` : '');
}

/** Copies `input` to `output`, each line made readable. */
export function prettyStream(input, output, options) {
  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => output.write(`${prettyLine(line, options)}\n`));
  return lines;
}
