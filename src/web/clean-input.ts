// Query strings and urlencoded forms as the pages read them. Two kinds of odd input reached
// the handlers and became 500s: a repeated key (`?q=a&q=b`) arrives as an array where a page
// reads a string, and a NUL character, which a PostgreSQL text value cannot hold, fails the
// query it lands in. Repeated query keys keep their first value (no page takes a list in its
// query string); NULs are dropped from every query value and form field.

/** Own properties only, on an object without a prototype: `__proto__` stays a plain key. */
export function cleanQuery(query: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (typeof query !== 'object' || query === null) return out;
  for (const [key, value] of Object.entries(query)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[key] = withoutNul(first);
  }
  return out;
}

/** Urlencoded form fields: strings and lists of strings (repeated checkboxes) keep their shape. */
export function cleanForm(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Buffer.isBuffer(body)) return body;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') (body as Record<string, unknown>)[key] = withoutNul(value);
    else if (Array.isArray(value)) (body as Record<string, unknown>)[key] = value.map((item) => (typeof item === 'string' ? withoutNul(item) : item));
    else if (isMultipartField(value)) value.value = withoutNul(value.value);
  }
  return body;
}

function isMultipartField(value: unknown): value is { type: 'field'; value: string } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'field' && typeof (value as { value?: unknown }).value === 'string';
}

const withoutNul = (text: string): string => (text.includes('\0') ? text.replaceAll('\0', '') : text);
