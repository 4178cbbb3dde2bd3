/**
 * The inverse of a key builder of keys.ts: `keyMatcher(keys.seatState)` answers the ids a key was built from, or
 * null for a key of another kind. Derived from the builder itself (built once with placeholders), so a key whose
 * shape changes in keys.ts is matched by its new shape, and no module writes a regular expression that repeats it.
 * An id inside the hash tag never contains a brace; an id after it may contain anything but is never empty.
 */
export function keyMatcher<A extends string[]>(build: (...ids: A) => string): (key: string) => A | null {
  const marks = Array.from({ length: build.length }, (_, i) => `\u0000${i}\u0000`);
  const shape = build(...(marks as A));
  let source = '';
  let rest = shape;
  for (const mark of marks) {
    const at = rest.indexOf(mark);
    if (at < 0) throw new Error(`key builder does not use its argument ${marks.indexOf(mark)}: ${shape}`);
    const before = shape.length - rest.length + at;
    const inTag = shape.lastIndexOf('{', before) > shape.lastIndexOf('}', before);
    source += escape(rest.slice(0, at)) + (inTag ? '([^{}]+)' : '(.+)');
    rest = rest.slice(at + mark.length);
  }
  const pattern = new RegExp(`^${source}${escape(rest)}$`);
  return (key) => {
    const match = pattern.exec(key);
    return match ? (match.slice(1) as A) : null;
  };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
