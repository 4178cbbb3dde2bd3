/** Defensive readers of event data members (JSON): a member of the wrong shape reads as absent. */
type Data = Readonly<Record<string, unknown>>;

export const text = (data: Data, key: string): string | null => {
  const value = data[key];
  return typeof value === 'string' && value !== '' ? value : null;
};

export const integer = (data: Data, key: string): number | null => {
  const value = data[key];
  return Number.isSafeInteger(value) ? (value as number) : null;
};

/** A time given as epoch milliseconds or as an ISO 8601 string. */
export const instant = (data: Data, key: string): number | null => {
  const value = data[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
};

export const object = (data: Data, key: string): Data | null => {
  const value = data[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Data) : null;
};

export const array = (data: Data, key: string): readonly unknown[] => {
  const value = data[key];
  return Array.isArray(value) ? value : [];
};

export const isData = (value: unknown): value is Data =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
