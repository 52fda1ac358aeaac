/**
 * The awkward inputs the mutations draw from. Kept as data so a report can say which one it was.
 */

/** Characters that break naive text handling (PostgreSQL refuses NUL in text; lone surrogates are not UTF-8). */
export const UNICODE_EDGES: Array<{ label: string; text: string }> = [
  { label: 'NUL', text: '\u0000' },
  { label: 'NUL inside', text: 'a\u0000b' },
  { label: 'lone high surrogate', text: '\ud800' },
  { label: 'lone low surrogate', text: '\udfff' },
  { label: 'reversed surrogate pair', text: '\udc00\ud800' },
  { label: 'high surrogate at end', text: 'abc\udbff' },
  { label: 'RTL override', text: '\u202eevil\u202c' },
  { label: 'RTL text', text: 'שלום עולם مرحبا' },
  { label: 'zero-width space', text: 'a\u200bb' },
  { label: 'zero-width joiner only', text: '\u200d' },
  { label: 'BOM', text: '\ufeffname' },
  { label: 'emoji', text: '💸👩‍👩‍👧‍👦🏳️‍🌈' },
  { label: 'combining marks', text: 'Z\u0351\u0360\u0334a\u0336\u0337\u0321l\u0338go' },
  { label: 'noncharacter U+FFFF', text: '\uffff' },
  { label: 'astral plane', text: '\u{10FFFF}\u{1F4A9}' },
  { label: 'C0 controls', text: '\u0001\u0002\u001b[31m\u007f' },
  { label: 'line separators', text: 'a\u2028b\u2029c' },
  { label: 'CRLF injection', text: 'x\r\nSet-Cookie: a=b' },
  { label: 'whitespace only', text: ' \t\n ' },
  { label: 'fullwidth digits', text: '１２３' },
  { label: 'html', text: '<script>alert(1)</script>' },
  { label: 'sql', text: "'; DROP TABLE templates; --" },
  { label: 'format string', text: '%s%n%x%d' },
  { label: 'percent signs', text: '%00%zz%' },
];

/** Dates that match `^\d{4}-\d{2}-\d{2}$` but are not (or barely are) calendar dates. */
export const EDGE_DATES = [
  '2027-02-30',
  '2027-02-29',
  '2028-02-29',
  '0000-01-01',
  '0001-01-01',
  '9999-12-31',
  '2027-13-01',
  '2027-00-10',
  '2027-01-00',
  '2027-01-32',
  '2027-04-31',
  '1969-12-31',
  '1900-02-29',
  '2100-02-29',
];

/** Dates that do not even match the pattern. */
export const MALFORMED_DATES = [
  '2027-1-1',
  '27-01-01',
  '2027/01/01',
  '2027-01-01T00:00:00Z',
  '20270101',
  '+002027-01-01',
  ' 2027-01-01',
  '2027-01-01 ',
  '٢٠٢٧-٠١-٠١',
  'yesterday',
  '',
];

/** Money as text that the `^-?\d{1,13}(\.\d{1,2})?$` pattern or the services must refuse or take exactly. */
export const MONEY_STRINGS = [
  '1.001',
  '1e3',
  '-0.00',
  '0.00',
  '0',
  '-0',
  '12345678901234567890',
  '9999999999999.99',
  '-9999999999999.99',
  '99999999999999',
  '1.',
  '.5',
  '+1.00',
  ' 1.00',
  '1,00',
  '1 000.00',
  'NaN',
  'Infinity',
  '0x10',
  '١٢٣.٤٥',
  '-',
  '',
];

/** Money written as JSON numbers, exactly as they go on the wire. */
export const MONEY_NUMBER_LITERALS = [
  '1.5',
  '100',
  '1e3',
  '-0',
  '0.1',
  '12345678901234567890',
  '1e400',
  '-1e-400',
  '9007199254740993',
];

/** Integers written as JSON number literals (what goes on the wire, not what JS would print). */
export const INTEGER_LITERALS = [
  '0',
  '-1',
  '1.5',
  '1e2',
  '1.0',
  '-0',
  '32',
  '366',
  '2147483648',
  '9007199254740993',
  '1e400',
  '100001',
];

/** Integer query parameters (`limit`, `count`) as they appear in a query string (already encoded). */
export const INTEGER_QUERY_VALUES = [
  '1e2',
  '%205',
  '5%20',
  '0x10',
  '-1',
  '5.5',
  '0',
  '201',
  '121',
  '',
  'abc',
  '1_000',
  '%2B5',
  '05',
  '99999999999999999999999',
  'Infinity',
  'NaN',
  'null',
  'true',
  '%D9%A3',
  '1%00',
  '0b101',
];

/** Cursors that no server handed out (already encoded for a query string). */
export const GARBAGE_CURSORS = [
  'garbage',
  '%00',
  'eyJpZCI6MX0',
  'eyJpZCI6IjEyMyIsImF0IjoiMjAyNy0wMi0zMCJ9',
  'eyJpZCI6bnVsbH0',
  'W10',
  'e30',
  'bnVsbA',
  '..%2F..%2Fetc%2Fpasswd',
  '%FF%FE',
  "'%20OR%201%3D1--",
  '00000000-0000-0000-0000-000000000000',
  '%7B%22id%22%3A%22x%22%7D',
  '-1',
  '=',
  '%E0%A4%A',
];

/** Percent-encodings that do not decode (or decode to invalid UTF-8). */
export const BAD_PERCENT_ENCODINGS = ['%', '%zz', '%E0%A4%A', '%C0%AF', '%FF', '%ED%A0%80', 'a%2', '%%30'];

/** Path ids that are not UUIDs (already encoded for a path segment). */
export const NOT_UUIDS = [
  'abc',
  '123',
  '0',
  'null',
  'undefined',
  '00000000000000000000000000000000',
  '%7B00000000-0000-0000-0000-000000000000%7D',
  '00000000-0000-0000-0000-00000000000g',
  '00000000-0000-0000-0000-0000000000000',
  'urn%3Auuid%3A00000000-0000-4000-8000-000000000000',
  '%2E%2E',
  '..',
  '%2F',
  '%20',
  '%00',
  '%E2%80%AE',
  '%F0%9F%92%B8',
  '%ED%A0%80',
];

/** Values with the wrong JSON type for whatever field they replace. */
export const WRONG_TYPE_LITERALS = [
  '42',
  '-1.5',
  'true',
  'false',
  '"str"',
  '[]',
  '{}',
  '[1,"a"]',
  '{"a":1}',
  '""',
];

/** Unknown field names, some aimed at prototype pollution. */
export const EXTRA_KEYS = [
  'unknown',
  'id',
  'tenant_id',
  'created_at',
  '__proto__',
  'constructor',
  'prototype',
  'a.b',
  'line_items[0]',
  '',
  ' ',
  '\u0000',
  '\ud800',
  'émoji💸',
];

/** Content types other than JSON for a body. */
export const WRONG_CONTENT_TYPES: Array<string | null> = [
  null,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/csv',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/jsonx',
  'json',
  '',
];

/** Content types that are JSON by the README (`application/json` or `+json`). */
export const JSON_CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/merge-patch+json',
  'application/vnd.billing+json',
];

/** Bodies that are not JSON (or not an object/array, which the strict parser refuses). */
export const MALFORMED_BODIES = [
  '',
  '{',
  '{"a":1',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}garbage',
  '{"a":1}{"b":2}',
  'null',
  '"just a string"',
  '42',
  'true',
  '{"a":NaN}',
  '{"a":undefined}',
  '{"a":0x10}',
  '\ufeff{}',
  '{"a":"\\ud800"',
  '{"a":"\\u00"}',
  '{"a":"\u0001raw control"}',
  '[',
  '[1,2',
  '{"a" 1}',
  '// comment\n{}',
];

/** Idempotency-Key values the gateway must refuse (1–255 printable ASCII), as header text. */
export const BAD_IDEMPOTENCY_KEYS = [
  '',
  ' ',
  'has space',
  'tab\there',
  'x'.repeat(256),
  'caf\u00e9',
  '\u00ff\u00fe',
];

/** Authorization headers that authenticate nobody. */
export const BAD_AUTHORIZATIONS: Array<string | null> = [
  null,
  '',
  'Bearer',
  'Bearer ',
  'Bearer bk_',
  'Bearer bk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  'Bearer not-a-key',
  'Basic dXNlcjpwYXNz',
  'Token abc',
  `Bearer ${'x'.repeat(5000)}`,
];
