import fc from 'fast-check';
import {
  BAD_AUTHORIZATIONS,
  BAD_IDEMPOTENCY_KEYS,
  BAD_PERCENT_ENCODINGS,
  EDGE_DATES,
  EXTRA_KEYS,
  GARBAGE_CURSORS,
  INTEGER_LITERALS,
  INTEGER_QUERY_VALUES,
  JSON_CONTENT_TYPES,
  MALFORMED_BODIES,
  MALFORMED_DATES,
  MONEY_NUMBER_LITERALS,
  MONEY_STRINGS,
  NOT_UUIDS,
  UNICODE_EDGES,
  WRONG_CONTENT_TYPES,
  WRONG_TYPE_LITERALS,
} from './edge-values';
import { cohere, fieldHint, isDatePattern, isMoneyPattern, unicodeString } from './hints';
import { deref, type OpenApiDocument, type Operation, type Parameter, type Schema } from './openapi';
import {
  JsonEntries,
  RawJson,
  Ref,
  percentEncode,
  wire,
  type Auth,
  type BodyPlan,
  type FuzzValue,
  type QueryPart,
  type RequestPlan,
  type WireText,
  ANY_CURSOR,
  cursorPool,
} from './wire';

/** What the generators know besides the document; all of it fixed before the first request. */
export interface FuzzWorld {
  doc: OpenApiDocument;
  seed: number;
  /** The manual clock's date while fuzzing (valid dates are generated around it). */
  today: string;
  /** Names of the pools of real ids (`templates`, `customers`, ...), for "an id of something else". */
  pools: string[];
}

/** A request while it is generated: the JSON body keeps its schema so mutations can find fields. */
interface Draft {
  op: Operation;
  pathParams: Record<string, WireText | Ref>;
  query: QueryPart[];
  auth: Auth;
  headers: Record<string, string>;
  body: DraftBody;
  mutations: string[];
}

type DraftBody =
  | BodyPlan
  | { kind: 'jsonDraft'; value: FuzzValue; schema: Schema; contentType: string | null }
  | { kind: 'csv'; columns: string[]; rows: string[][]; trailer: string; contentType: string | null };

type Mutator = (world: FuzzWorld, d: Draft) => fc.Arbitrary<Draft> | undefined;
/** A mutation and how often it is chosen among those of its area that apply (targeted ones more). */
interface Weighted {
  weight: number;
  mutator: Mutator;
}
const weigh = (weight: number, mutator: Mutator): Weighted => ({ weight, mutator });
type Area = 'body' | 'wire' | 'query' | 'path' | 'headers';

const IDEMPOTENCY_HEADER = 'idempotency-key';
const EMPTY_OBJECT: Schema = { type: 'object', properties: {}, additionalProperties: false };
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

// ---------------------------------------------------------------------------------------------------
// Valid values from a schema

function typesOf(s: Schema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (s.type) return [s.type];
  if (s.properties) return ['object'];
  if (s.items) return ['array'];
  if (s.enum) return [...new Set(s.enum.map((v) => (v === null ? 'null' : typeof v)))];
  return [];
}

/** Every JSON type the schema accepts (through anyOf/oneOf too). */
function acceptedTypes(world: FuzzWorld, schema: Schema | undefined): Set<string> {
  const s = deref(world.doc, schema);
  const out = new Set<string>();
  for (const alt of s.anyOf ?? s.oneOf ?? []) for (const t of acceptedTypes(world, alt)) out.add(t);
  for (const t of typesOf(s)) out.add(t);
  if (out.has('integer')) out.add('number');
  return out;
}

function allowsNull(world: FuzzWorld, schema: Schema | undefined): boolean {
  const s = deref(world.doc, schema);
  return acceptedTypes(world, s).has('null') || (s.enum?.includes(null) ?? false);
}

/** A value the schema accepts (and, through the hints, the services mostly too). */
export function validValue(
  world: FuzzWorld,
  schema: Schema | undefined,
  name?: string,
  depth = 0,
): fc.Arbitrary<FuzzValue> {
  const s = deref(world.doc, schema);
  const hinted = fieldHint(name, s, world.today);
  if (hinted) return hinted;
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return fc.oneof(...alts.map((a) => validValue(world, a, name, depth + 1)));
  if (s.enum) return fc.constantFrom(...(s.enum as FuzzValue[]));
  const types = typesOf(s);
  const arbs = types.filter((t) => t !== 'null').map((t) => valueOfType(world, s, t, name, depth));
  if (arbs.length === 0) return types.includes('null') ? fc.constant(null) : fc.constant('x');
  const main = arbs.length === 1 ? arbs[0] : fc.oneof(...arbs);
  if (!types.includes('null')) return main;
  return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: main });
}

function valueOfType(
  world: FuzzWorld,
  s: Schema,
  type: string,
  name: string | undefined,
  depth: number,
): fc.Arbitrary<FuzzValue> {
  switch (type) {
    case 'string': {
      if (s.format === 'date-time') {
        return fc
          .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString());
      }
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
      const minLength = s.minLength ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxLength ?? 30, 30));
      return fc.oneof(
        { weight: 3, arbitrary: fc.string({ minLength, maxLength, unit: 'grapheme-ascii' }) },
        { weight: 1, arbitrary: unicodeString(minLength, maxLength) },
      );
    }
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1000 });
    case 'number':
      return fc.double({
        min: s.minimum ?? -1000,
        max: s.maximum ?? 1000,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const item = validValue(world, s.items, name, depth + 1);
      const minLength = s.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 3, depth > 4 ? minLength : 3));
      const itemTypes = acceptedTypes(world, s.items);
      // Lists of plain values (reminder offsets) are sets to the services: no repeats.
      return itemTypes.has('object') || itemTypes.has('array')
        ? fc.array(item, { minLength, maxLength })
        : fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) });
    }
    case 'object': {
      const props = s.properties ?? {};
      const required = (s.required ?? []).filter((k) => k in props);
      const model: Record<string, fc.Arbitrary<FuzzValue>> = {};
      for (const [key, prop] of Object.entries(props)) model[key] = validValue(world, prop, key, depth + 1);
      return fc
        .record(model, { requiredKeys: required })
        .map((o) => cohere(o as Record<string, FuzzValue>, s) as FuzzValue);
    }
    default:
      return fc.constant('x');
  }
}

/** A valid value of a query or path parameter, as wire text. */
function paramValue(world: FuzzWorld, p: Parameter, op: Operation): fc.Arbitrary<WireText | Ref> {
  // A cursor is not made up by a client: it is one the same list handed out (or none yet).
  if (p.in === 'query' && p.name === 'cursor')
    return fc.nat(1000).map((pick) => new Ref(cursorPool(op.path), pick));
  if (p.in === 'path' && p.resource && p.schema.format === 'uuid') {
    const resource = p.resource;
    return fc.oneof(
      { weight: 6, arbitrary: fc.nat(1000).map((pick) => new Ref(resource, pick)) },
      { weight: 1, arbitrary: fc.uuid().map(wire) },
    );
  }
  return validValue(world, p.schema, p.name).map(toWireText);
}

function toWireText(v: FuzzValue): WireText | Ref {
  if (v instanceof Ref) return v;
  if (typeof v === 'string') return wire(percentEncode(v));
  if (typeof v === 'number' || typeof v === 'boolean') return wire(String(v));
  if (v === null) return wire('');
  return wire(percentEncode(JSON.stringify(v)));
}

// ---------------------------------------------------------------------------------------------------
// The valid request of an operation

function jsonMedia(op: Operation) {
  return op.body?.contents.find((c) => /json/i.test(c.mediaType));
}

function csvMedia(op: Operation) {
  return op.body?.contents.find((c) => c.mediaType === 'text/csv');
}

/**
 * The CSV alternative of a JSON body (the transaction import): the rows of the JSON body's one array
 * of objects, one column per property of its items.
 */
function csvItemSchema(world: FuzzWorld, op: Operation): Schema | undefined {
  const json = jsonMedia(op);
  if (!json) return undefined;
  const root = deref(world.doc, json.schema);
  const arrays = Object.values(root.properties ?? {})
    .map((p) => deref(world.doc, p))
    .filter((p) => typesOf(p).includes('array'));
  if (arrays.length !== 1) return undefined;
  const items = deref(world.doc, arrays[0].items);
  return items.properties ? items : undefined;
}

function csvCell(v: FuzzValue | undefined): string {
  if (v === undefined || v === null) return '';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvBody(world: FuzzWorld, op: Operation, contentType: string): fc.Arbitrary<DraftBody> | undefined {
  const items = csvItemSchema(world, op);
  if (!items) return undefined;
  const names = Object.keys(items.properties!);
  return fc
    .tuple(
      fc.shuffledSubarray(names, { minLength: names.length, maxLength: names.length }),
      fc.array(validValue(world, items), { minLength: 1, maxLength: 4 }),
    )
    .map(([columns, rows]) => ({
      kind: 'csv' as const,
      columns,
      rows: rows.map((r) => columns.map((c) => csvCell((r as Record<string, FuzzValue>)[c]))),
      trailer: '',
      contentType,
    }));
}

function validBody(world: FuzzWorld, op: Operation): fc.Arbitrary<DraftBody> {
  const none = fc.constant<DraftBody>({ kind: 'none' });
  if (!op.body) {
    // Actions without input take no body or `{}`.
    if (!WITH_BODY.has(op.method)) return none;
    const empty: DraftBody = {
      kind: 'jsonDraft',
      value: {},
      schema: EMPTY_OBJECT,
      contentType: 'application/json',
    };
    return fc.oneof({ weight: 3, arbitrary: none }, { weight: 1, arbitrary: fc.constant(empty) });
  }
  const options: Array<fc.WeightedArbitrary<DraftBody>> = [];
  const json = jsonMedia(op);
  if (json) {
    const schema = json.schema;
    options.push({
      weight: 3,
      arbitrary: validValue(world, schema).map((value) => ({
        kind: 'jsonDraft' as const,
        value,
        schema,
        contentType: json.mediaType,
      })),
    });
  }
  const csv = csvMedia(op) && csvBody(world, op, 'text/csv');
  if (csv) options.push({ weight: 1, arbitrary: csv });
  if (options.length === 0) {
    options.push({
      weight: 1,
      arbitrary: fc
        .string()
        .map((text) => ({ kind: 'text' as const, text, contentType: op.body!.contents[0].mediaType })),
    });
  }
  const body = fc.oneof(...options);
  return op.body.required ? body : fc.oneof({ weight: 1, arbitrary: none }, { weight: 3, arbitrary: body });
}

function validDraft(world: FuzzWorld, op: Operation): fc.Arbitrary<Draft> {
  const pathParams: Record<string, fc.Arbitrary<WireText | Ref>> = {};
  for (const p of op.parameters.filter((x) => x.in === 'path')) pathParams[p.name] = paramValue(world, p, op);
  const query = op.parameters
    .filter((p) => p.in === 'query')
    .map((p) => {
      const part = paramValue(world, p, op).map((value): QueryPart[] => [{ name: p.name, value }]);
      if (p.required) return part;
      return fc.oneof({ weight: 3, arbitrary: fc.constant<QueryPart[]>([]) }, { weight: 2, arbitrary: part });
    });
  // Clients should send an Idempotency-Key on POSTs; many do.
  const idempotency =
    op.method === 'POST' && op.access !== 'public'
      ? fc.oneof(
          { weight: 3, arbitrary: fc.constant<Record<string, string>>({}) },
          // Unbiased: fast-check's usual bias towards small values would make keys repeat by chance.
          { weight: 2, arbitrary: fc.noBias(fc.uuid()).map((k) => ({ [IDEMPOTENCY_HEADER]: k })) },
        )
      : fc.constant<Record<string, string>>({});
  return fc
    .record({
      pathParams: fc.record(pathParams),
      query: fc.tuple(...query).map((parts) => parts.flat()),
      headers: idempotency,
      body: validBody(world, op),
    })
    .map((r): Draft => ({
      op,
      pathParams: r.pathParams,
      query: r.query,
      auth: op.access === 'public' ? 'none' : op.access,
      headers: r.headers,
      body: r.body,
      mutations: [],
    }));
}

// ---------------------------------------------------------------------------------------------------
// Fields of a JSON body, for the mutations

interface Slot {
  path: Array<string | number>;
  schema: Schema;
  required: boolean;
  name?: string;
  value: FuzzValue;
}

function isPlainObject(v: FuzzValue): v is { [key: string]: FuzzValue } {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !(v instanceof Ref) &&
    !(v instanceof RawJson) &&
    !(v instanceof JsonEntries)
  );
}

function jsonType(v: FuzzValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Ref) return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** For anyOf/oneOf, the alternative the value was generated from. */
function alternativeFor(world: FuzzWorld, s: Schema, v: FuzzValue): Schema {
  const alts = s.anyOf ?? s.oneOf;
  if (!alts) return s;
  const t = jsonType(v);
  const match = alts.find((a) => {
    const types = acceptedTypes(world, a);
    return types.has(t) || (t === 'integer' && types.has('number'));
  });
  return deref(world.doc, match ?? alts[0]);
}

function slotsOf(world: FuzzWorld, value: FuzzValue, schema: Schema): Slot[] {
  const out: Slot[] = [];
  const walk = (
    v: FuzzValue,
    s: Schema | undefined,
    path: Array<string | number>,
    required: boolean,
    name?: string,
  ) => {
    const resolved = alternativeFor(world, deref(world.doc, s), v);
    out.push({ path, schema: resolved, required, name, value: v });
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, resolved.items, [...path, i], true, name));
    else if (isPlainObject(v)) {
      for (const [key, item] of Object.entries(v)) {
        walk(item, resolved.properties?.[key], [...path, key], (resolved.required ?? []).includes(key), key);
      }
    }
  };
  walk(value, schema, [], true);
  return out;
}

const REMOVE = Symbol('remove');

/** A copy of `v` with the value at `path` replaced (or removed). Keys like `__proto__` stay own keys. */
function setAt(v: FuzzValue, path: Array<string | number>, next: FuzzValue | typeof REMOVE): FuzzValue {
  if (path.length === 0) return next === REMOVE ? null : next;
  const [head, ...rest] = path;
  if (Array.isArray(v) && typeof head === 'number') {
    const copy = [...v];
    if (rest.length === 0 && next === REMOVE) copy.splice(head, 1);
    else copy[head] = setAt(copy[head], rest, next);
    return copy;
  }
  if (isPlainObject(v) && typeof head === 'string') {
    const copy: { [key: string]: FuzzValue } = {};
    for (const [k, item] of Object.entries(v)) define(copy, k, item);
    if (rest.length === 0 && next === REMOVE) delete copy[head];
    else define(copy, head, setAt(copy[head], rest, next));
    return copy;
  }
  return v;
}

function define(o: { [key: string]: FuzzValue }, key: string, value: FuzzValue): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `line_items[0].unit_price`, as the gateway names fields; `(body)` for the body itself. */
export function formatPath(path: Array<string | number>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || '(body)';
}

function mutated(d: Draft, label: string, patch: Partial<Draft>): Draft {
  return { ...d, ...patch, mutations: [...d.mutations, label] };
}

/** The JSON body to mutate; a body-less POST/PUT/PATCH action gets `{}` to work on. */
function jsonDraftOf(d: Draft): { value: FuzzValue; schema: Schema; contentType: string | null } | undefined {
  if (d.body.kind === 'jsonDraft') return d.body;
  if (d.body.kind === 'none' && WITH_BODY.has(d.op.method) && !csvMedia(d.op)) {
    return { value: {}, schema: jsonMedia(d.op)?.schema ?? EMPTY_OBJECT, contentType: 'application/json' };
  }
  return undefined;
}

/** A mutation of one field of the JSON body, picked among those `select` accepts. */
function slotMutator(
  label: string,
  select: (world: FuzzWorld, slot: Slot) => boolean,
  replace: (world: FuzzWorld, slot: Slot) => fc.Arbitrary<{ value: FuzzValue | typeof REMOVE; note: string }>,
): Mutator {
  return (world, d) => {
    const body = jsonDraftOf(d);
    if (!body) return undefined;
    const slots = slotsOf(world, body.value, body.schema).filter((s) => select(world, s));
    if (slots.length === 0) return undefined;
    return fc
      .integer({ min: 0, max: slots.length - 1 })
      .chain((i) => replace(world, slots[i]).map((r) => ({ slot: slots[i], r })))
      .map(({ slot, r }) =>
        mutated(d, `${label}(${formatPath(slot.path)}: ${r.note})`, {
          body: {
            kind: 'jsonDraft',
            value: setAt(body.value, slot.path, r.value),
            schema: body.schema,
            contentType: body.contentType,
          },
        }),
      );
  };
}

const raw = (text: string, note = text) => ({ value: new RawJson(text, note), note });
const is = (types: Set<string>, ...names: string[]) => names.some((n) => types.has(n));

function stringSlot(world: FuzzWorld, slot: Slot): boolean {
  return slot.path.length > 0 && is(acceptedTypes(world, slot.schema), 'string');
}

/** Free text: a string with no enum, format or pattern, so the validator lets odd characters through. */
function textSlot(world: FuzzWorld, slot: Slot): boolean {
  return (
    stringSlot(world, slot) &&
    !slot.schema.enum &&
    !slot.schema.format &&
    !slot.schema.pattern &&
    typeof slot.value === 'string'
  );
}

function dateSlot(_world: FuzzWorld, slot: Slot): boolean {
  return (
    isDatePattern(slot.schema) ||
    (typeof slot.name === 'string' && /(_date|^as_of|^today|_on)$/.test(slot.name))
  );
}

function moneySlot(_world: FuzzWorld, slot: Slot): boolean {
  return isMoneyPattern(slot.schema) || slot.name === 'quantity' || slot.name === 'tax_rate';
}

// ---------------------------------------------------------------------------------------------------
// Awkward values

/** Dates that pass the pattern (the services must judge them) more often than ones that do not. */
const edgeDate = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_DATES) },
  { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_DATES) },
);

/** Any code points; built once (fast-check indexes the whole range when the arbitrary is made). */
const anyKey = fc.string({ unit: 'binary', maxLength: 12 });

/** A string of 10k–200k characters made of one repeated unit (ASCII, accented, emoji, NUL, ...). */
const hugeString = fc
  .tuple(
    fc.oneof(fc.integer({ min: 10_000, max: 50_000 }), fc.integer({ min: 50_000, max: 200_000 })),
    fc.constantFrom('a', 'é', '💸', '\u0000', 'ab\u200b', '\ud800', 'x ', '\u202e'),
  )
  .map(([length, unit]) => ({
    text: unit.repeat(Math.ceil(length / unit.length)).slice(0, length),
    note: `${length} × ${JSON.stringify(unit)}`,
  }));

/** JSON nested 50–10,000 levels, as text (no recursion on either side of the suite). */
const deepJson = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 50, max: 500 }),
      fc.integer({ min: 500, max: 5000 }),
      fc.constantFrom(1000, 5000, 10_000),
    ),
    fc.constantFrom('array', 'object', 'mixed'),
  )
  .map(([depth, shape]) => {
    const open = shape === 'array' ? '[' : shape === 'object' ? '{"a":' : '[{"a":';
    const close = shape === 'array' ? ']' : shape === 'object' ? '}' : '}]';
    const levels = shape === 'mixed' ? Math.ceil(depth / 2) : depth;
    return raw(`${open.repeat(levels)}1${close.repeat(levels)}`, `${shape} nested ${depth} levels`);
  });

/** 10k–60k elements of a wrong-type filler (a valid filler could be an accepted 60k-row import). */
const hugeArray = fc
  .tuple(
    fc.integer({ min: 10_000, max: 60_000 }),
    fc.constantFrom('1', '{}', '"x"', 'null', '[]', '{"a":"b"}'),
  )
  .map(([n, filler]) => raw(`[${Array.from({ length: n }, () => filler).join(',')}]`, `${n} × ${filler}`));

/**
 * NUL and lone surrogates first (PostgreSQL refuses NUL in text and `\ud800` in jsonb; a client
 * cannot be trusted not to send them), then everything else.
 */
const unicodeEdge = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...UNICODE_EDGES.filter((u) => /NUL|surrogate/.test(u.label))) },
  { weight: 1, arbitrary: fc.constantFrom(...UNICODE_EDGES) },
);

const unicodeText = (base: string) =>
  fc.tuple(unicodeEdge, fc.constantFrom('whole', 'prefix', 'suffix')).map(([edge, where]) => ({
    text: where === 'whole' ? edge.text : where === 'prefix' ? edge.text + base : base + edge.text,
    note: `${edge.label}, ${where}`,
  }));

function enumVariants(values: unknown[]): string[] {
  const strings = values.filter((v): v is string => typeof v === 'string');
  const first = strings[0] ?? 'x';
  return [
    first.toUpperCase(),
    ` ${first}`,
    `${first} `,
    `${first}\u0000`,
    '',
    `${first}s`,
    'gateway',
    first.normalize('NFD') + '\u0301',
  ];
}

function otherPoolRef(world: FuzzWorld, own: string | undefined): fc.Arbitrary<Ref> {
  const others = world.pools.filter((p) => p !== own);
  return fc.tuple(fc.constantFrom(...others), fc.nat(1000)).map(([pool, pick]) => new Ref(pool, pick));
}

// ---------------------------------------------------------------------------------------------------
// Mutations of the body

const bodyMutators: Weighted[] = [
  weigh(
    3,
    slotMutator(
      'body:wrong-type',
      (_w, s) => s.path.length > 0,
      (world, slot) => {
        const accepted = acceptedTypes(world, slot.schema);
        // JSON's types: 42 is a number, and an integer only if the schema says integer.
        const literalTypes = (l: string): string[] => {
          const v: unknown = JSON.parse(l);
          if (Array.isArray(v)) return ['array'];
          if (v === null) return ['null'];
          if (typeof v === 'number') return Number.isInteger(v) ? ['number', 'integer'] : ['number'];
          return [typeof v];
        };
        const wrong = WRONG_TYPE_LITERALS.filter((l) => !literalTypes(l).some((t) => accepted.has(t)));
        return fc.constantFrom(...(wrong.length ? wrong : WRONG_TYPE_LITERALS)).map((l) => raw(l));
      },
    ),
  ),
  weigh(
    3,
    slotMutator(
      'body:missing-required',
      (_w, s) => s.required && typeof s.path[s.path.length - 1] === 'string',
      () => fc.constant({ value: REMOVE, note: 'removed' }),
    ),
  ),
  weigh(
    2,
    slotMutator(
      'body:extra-field',
      (_w, s) => isPlainObject(s.value),
      (_world, slot) =>
        fc
          .tuple(
            fc.oneof(
              { weight: 3, arbitrary: fc.constantFrom(...EXTRA_KEYS) },
              { weight: 1, arbitrary: anyKey },
            ),
            fc.constantFrom('1', '"x"', 'null', '{}', '[]'),
          )
          .map(([key, val]) => {
            const copy: { [key: string]: FuzzValue } = {};
            for (const [k, item] of Object.entries(slot.value as Record<string, FuzzValue>))
              define(copy, k, item);
            define(copy, key, new RawJson(val, val));
            return { value: copy, note: `+${JSON.stringify(key)}` };
          }),
    ),
  ),
  weigh(
    2,
    slotMutator(
      'body:null',
      (world, s) => s.path.length > 0 && s.value !== null && !allowsNull(world, s.schema),
      () => fc.constant({ value: null, note: 'null' }),
    ),
  ),
  weigh(
    1,
    slotMutator(
      'body:huge-string',
      (world, s) => stringSlot(world, s) || (s.path.length === 0 && isPlainObject(s.value)),
      (_world, slot) =>
        hugeString.map((h) => {
          if (slot.path.length > 0) return { value: h.text, note: h.note };
          // No string field: a new one (the unknown field must be refused however long it is).
          const copy: { [key: string]: FuzzValue } = {};
          for (const [k, item] of Object.entries(slot.value as Record<string, FuzzValue>))
            define(copy, k, item);
          define(copy, 'x', h.text);
          return { value: copy, note: `new field x, ${h.note}` };
        }),
    ),
  ),
  weigh(
    1,
    slotMutator(
      'body:huge-array',
      (world, s) => is(acceptedTypes(world, s.schema), 'array') || s.path.length === 0,
      () => hugeArray,
    ),
  ),
  weigh(
    2,
    slotMutator(
      'body:deep-nesting',
      () => true,
      () => deepJson,
    ),
  ),
  // Every free-text field at once: the one stored where odd characters break something is hit.
  weigh(3, (world, d) => {
    const body = jsonDraftOf(d);
    if (!body) return undefined;
    const slots = slotsOf(world, body.value, body.schema).filter((s) => textSlot(world, s));
    if (slots.length === 0) return undefined;
    return fc.tuple(unicodeEdge, fc.constantFrom('prefix', 'suffix')).map(([edge, where]) => {
      let value = body.value;
      for (const slot of slots) {
        const text = slot.value as string;
        value = setAt(value, slot.path, where === 'prefix' ? edge.text + text : text + edge.text);
      }
      return mutated(d, `body:unicode-everywhere(${slots.length} text fields: ${edge.label}, ${where})`, {
        body: { kind: 'jsonDraft', value, schema: body.schema, contentType: body.contentType },
      });
    });
  }),
  weigh(
    2,
    slotMutator(
      'body:unicode',
      (world, s) => stringSlot(world, s),
      (_w, slot) =>
        unicodeText(typeof slot.value === 'string' ? slot.value : 'x').map((u) => ({
          value: u.text,
          note: u.note,
        })),
    ),
  ),
  weigh(
    4,
    slotMutator('body:date', dateSlot, () => edgeDate.map((d) => ({ value: d, note: JSON.stringify(d) }))),
  ),
  weigh(
    4,
    slotMutator('body:money', moneySlot, () =>
      fc.oneof(
        fc.constantFrom(...MONEY_STRINGS).map((m) => ({ value: m, note: JSON.stringify(m) })),
        fc.constantFrom(...MONEY_NUMBER_LITERALS).map((l) => raw(l, `number ${l}`)),
      ),
    ),
  ),
  weigh(
    3,
    slotMutator(
      'body:number-edge',
      (world, s) => s.path.length > 0 && is(acceptedTypes(world, s.schema), 'integer', 'number'),
      () =>
        fc.oneof(
          fc.constantFrom(...INTEGER_LITERALS).map((l) => raw(l)),
          fc.constantFrom('5', ' 5', '1e2', '0x10').map((l) => ({ value: l, note: JSON.stringify(l) })),
        ),
    ),
  ),
  weigh(
    2,
    slotMutator(
      'body:enum-edge',
      (_w, s) => s.path.length > 0 && Array.isArray(s.schema.enum),
      (_w, slot) =>
        fc
          .constantFrom(...enumVariants(slot.schema.enum!))
          .map((v) => ({ value: v, note: JSON.stringify(v) })),
    ),
  ),
  weigh(
    3,
    slotMutator(
      'body:id',
      (_w, s) => s.path.length > 0 && s.schema.format === 'uuid',
      (world, slot) =>
        fc.oneof(
          fc
            .constantFrom(...NOT_UUIDS.map((x) => decodeURIComponentSafe(x)))
            .map((v) => ({ value: v, note: JSON.stringify(v) })),
          fc.uuid().map((u) => ({ value: u, note: 'random uuid' })),
          otherPoolRef(world, slot.name).map((r) => ({ value: r, note: `id of ${r.pool}` })),
          fc.constant({ value: '00000000-0000-0000-0000-000000000000', note: 'nil uuid' }),
        ),
    ),
  ),
  weigh(
    1,
    slotMutator(
      'body:not-object',
      (_w, s) => s.path.length === 0,
      () => fc.constantFrom('[]', '[{}]', '"x"', '1', 'null', 'true', '[[]]').map((l) => raw(l)),
    ),
  ),
  // Duplicate keys: JSON.parse keeps the last; a wrong value first or last.
  weigh(1, (world, d) => {
    const body = jsonDraftOf(d);
    if (!body || !isPlainObject(body.value) || Object.keys(body.value).length === 0) return undefined;
    const entries = Object.entries(body.value);
    return fc
      .tuple(
        fc.integer({ min: 0, max: entries.length - 1 }),
        fc.constantFrom(...WRONG_TYPE_LITERALS),
        fc.boolean(),
      )
      .map(([i, lit, wrongLast]) => {
        const dup: [string, FuzzValue] = [entries[i][0], new RawJson(lit, lit)];
        const all = wrongLast ? [...entries, dup] : [dup, ...entries];
        return mutated(d, `body:duplicate-key(${entries[i][0]}: ${lit} ${wrongLast ? 'last' : 'first'})`, {
          body: {
            kind: 'jsonDraft',
            value: new JsonEntries(all),
            schema: body.schema,
            contentType: body.contentType,
          },
        });
      });
  }),
];

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ---------------------------------------------------------------------------------------------------
// Mutations of the bytes and the media type

const wireMutators: Weighted[] = [
  weigh(3, (_world, d) =>
    !WITH_BODY.has(d.op.method)
      ? undefined
      : fc
          .tuple(
            fc.constantFrom(...MALFORMED_BODIES),
            fc.constantFrom('application/json', 'application/json; charset=utf-8'),
          )
          .map(([text, contentType]) =>
            mutated(d, `wire:malformed-json(${JSON.stringify(text.slice(0, 30))})`, {
              body: { kind: 'text', text, contentType },
            }),
          ),
  ),
  weigh(3, (_world, d) => {
    const body = jsonDraftOf(d);
    if (!body) return undefined;
    return fc.constantFrom(...WRONG_CONTENT_TYPES).map((contentType) =>
      mutated(d, `wire:content-type(${JSON.stringify(contentType)})`, {
        body: { ...body, kind: 'jsonDraft', contentType },
      }),
    );
  }),
  weigh(1, (_world, d) => {
    const body = jsonDraftOf(d);
    if (!body) return undefined;
    return fc.constantFrom(...JSON_CONTENT_TYPES).map((contentType) =>
      mutated(d, `wire:json-content-type(${contentType})`, {
        body: { ...body, kind: 'jsonDraft', contentType },
      }),
    );
  }),
  weigh(1, (_world, d) =>
    !WITH_BODY.has(d.op.method)
      ? undefined
      : fc
          .constantFrom(
            { hex: '7b226e616d65223a22ff227d', note: 'FF byte' },
            { hex: '7b226e616d65223a22c328227d', note: 'truncated 2-byte sequence' },
            { hex: '7b226e616d65223a22eda080227d', note: 'UTF-8 encoded surrogate' },
            { hex: '7b226e616d65223a22c0af227d', note: 'overlong slash' },
            { hex: 'fffe7b007d00', note: 'UTF-16LE with BOM' },
            { hex: '00', note: 'one NUL byte' },
          )
          .map(({ hex, note }) =>
            mutated(d, `wire:invalid-utf8(${note})`, {
              body: { kind: 'bytes', hex, contentType: 'application/json' },
            }),
          ),
  ),
  weigh(1, (_world, d) => {
    if (WITH_BODY.has(d.op.method)) return undefined;
    return fc.constantFrom('{}', '{"a":1}', '{', '[1,2,3]').map((text) =>
      mutated(d, `wire:body-on-${d.op.method.toLowerCase()}(${text})`, {
        body: { kind: 'text', text, contentType: 'application/json' },
      }),
    );
  }),
  weigh(2, (_world, d) => {
    if (!d.op.body || d.body.kind === 'none') return undefined;
    return fc.constantFrom<string | null>(null, 'application/json').map((contentType) =>
      mutated(d, `wire:no-body(content-type ${String(contentType)})`, {
        body: { kind: 'none', contentType },
      }),
    );
  }),
];

// ---------------------------------------------------------------------------------------------------
// Mutations of a CSV body (the transaction import)

/** A mutation of a CSV body; it applies while the file still has a row and two columns to work on. */
function csvMutator(
  _label: string,
  f: (d: Draft & { body: Extract<DraftBody, { kind: 'csv' }> }) => fc.Arbitrary<Draft>,
): Mutator {
  return (_world, d) =>
    d.body.kind === 'csv' && d.body.rows.length > 0 && d.body.columns.length > 1
      ? f(d as Draft & { body: Extract<DraftBody, { kind: 'csv' }> })
      : undefined;
}

const CSV_CELL_EDGES = [
  ...EDGE_DATES,
  ...MONEY_STRINGS,
  ...UNICODE_EDGES.map((u) => u.text),
  'INCOMING',
  'XXX',
  '"unterminated',
  '=cmd|"/c calc"!A1',
];

const csvMutators: Weighted[] = [
  weigh(
    2,
    csvMutator('csv:bad-cell', (d) =>
      fc
        .tuple(
          fc.integer({ min: 0, max: d.body.rows.length - 1 }),
          fc.integer({ min: 0, max: d.body.columns.length - 1 }),
          fc.constantFrom(...CSV_CELL_EDGES),
        )
        .map(([r, c, cell]) => {
          const rows = d.body.rows.map((row) => [...row]);
          rows[r][c] = csvCell(cell);
          return mutated(
            d,
            `csv:bad-cell(rows[${r + 1}].${d.body.columns[c]}: ${JSON.stringify(cell.slice(0, 20))})`,
            { body: { ...d.body, rows } },
          );
        }),
    ),
  ),
  weigh(
    2,
    csvMutator('csv:missing-column', (d) =>
      fc.integer({ min: 0, max: d.body.columns.length - 1 }).map((c) =>
        mutated(d, `csv:missing-column(${d.body.columns[c]})`, {
          body: {
            ...d.body,
            columns: d.body.columns.filter((_, i) => i !== c),
            rows: d.body.rows.map((row) => row.filter((_, i) => i !== c)),
          },
        }),
      ),
    ),
  ),
  weigh(
    2,
    csvMutator('csv:unknown-column', (d) =>
      fc.constantFrom('extra', 'DATE', '', '\ufeffdate', 'amount').map((name) =>
        mutated(d, `csv:unknown-column(${JSON.stringify(name)})`, {
          body: {
            ...d.body,
            columns: [...d.body.columns, name],
            rows: d.body.rows.map((row) => [...row, '1']),
          },
        }),
      ),
    ),
  ),
  weigh(
    2,
    csvMutator('csv:malformed', (d) =>
      fc
        .constantFrom(
          '"unterminated,1,2\n',
          'a,b,c,d,e,f,g,h,i,j\n',
          ',,,,\n',
          '\u0000\n',
          '\r\n\r\n',
          'x'.repeat(5000),
        )
        .map((trailer) =>
          mutated(d, `csv:malformed(${JSON.stringify(trailer.slice(0, 20))})`, {
            body: { ...d.body, trailer },
          }),
        ),
    ),
  ),
  weigh(
    2,
    csvMutator('csv:header-only', (d) =>
      fc.constant(mutated(d, 'csv:header-only', { body: { ...d.body, rows: [] } })),
    ),
  ),
  weigh(
    2,
    csvMutator('csv:empty', (d) =>
      fc.constantFrom('', '\n', '\ufeff').map((text) =>
        mutated(d, `csv:empty(${JSON.stringify(text)})`, {
          body: { kind: 'text', text, contentType: d.body.contentType },
        }),
      ),
    ),
  ),
  weigh(
    2,
    csvMutator('csv:huge-cell', (d) =>
      fc.tuple(hugeString, fc.integer({ min: 0, max: d.body.columns.length - 1 })).map(([h, c]) => {
        const rows = d.body.rows.map((row) => [...row]);
        rows[0][c] = csvCell(h.text);
        return mutated(d, `csv:huge-cell(${d.body.columns[c]}: ${h.note})`, { body: { ...d.body, rows } });
      }),
    ),
  ),
  weigh(
    2,
    csvMutator('csv:many-bad-rows', (d) =>
      fc.integer({ min: 10_000, max: 40_000 }).map((n) =>
        mutated(d, `csv:many-bad-rows(${n})`, {
          body: {
            ...d.body,
            rows: [...d.body.rows, ...Array.from({ length: n }, () => d.body.columns.map(() => 'x'))],
          },
        }),
      ),
    ),
  ),
];

// ---------------------------------------------------------------------------------------------------
// Mutations of the query string

function queryParams(d: Draft, filter: (p: Parameter) => boolean = () => true): Parameter[] {
  return d.op.parameters.filter((p) => p.in === 'query' && filter(p));
}

/** Sets one query parameter (replacing any value it had). */
function withQuery(d: Draft, name: string, parts: QueryPart[]): QueryPart[] {
  return [...d.query.filter((q) => q.name !== name), ...parts];
}

function queryMutator(
  label: string,
  filter: (p: Parameter) => boolean,
  values: (world: FuzzWorld, p: Parameter) => fc.Arbitrary<{ value: WireText | Ref | null; note: string }>,
): Mutator {
  return (world, d) => {
    const params = queryParams(d, filter);
    if (params.length === 0) return undefined;
    return fc
      .constantFrom(...params)
      .chain((p) => values(world, p).map((v) => ({ p, v })))
      .map(({ p, v }) =>
        mutated(d, `${label}(${p.name}: ${v.note})`, {
          query: withQuery(d, p.name, [{ name: p.name, value: v.value }]),
        }),
      );
  };
}

const w = (text: string, note = text) => ({ value: wire(text) as WireText | Ref | null, note });
const isInteger = (p: Parameter) =>
  typesOf(p.schema).includes('integer') || typesOf(p.schema).includes('number');

const queryMutators: Weighted[] = [
  weigh(
    4,
    queryMutator('query:int-edge', isInteger, () =>
      fc.constantFrom(...INTEGER_QUERY_VALUES).map((v) => w(v)),
    ),
  ),
  weigh(2, (world, d) => {
    const params = queryParams(d);
    if (params.length === 0) return undefined;
    return fc
      .constantFrom(...params)
      .chain((p) =>
        fc
          .array(fc.oneof(paramValue(world, p, d.op), fc.constantFrom(wire('1'), wire('2'), wire('x'))), {
            minLength: 2,
            maxLength: 3,
          })
          .map((vals) => ({ p, vals })),
      )
      .map(({ p, vals }) =>
        mutated(d, `query:repeated(${p.name} × ${vals.length})`, {
          query: withQuery(
            d,
            p.name,
            vals.map((value) => ({ name: p.name, value })),
          ),
        }),
      );
  }),
  weigh(1, (_world, d) => {
    const names = [...queryParams(d).map((p) => p.name), 'a'];
    return fc
      .tuple(
        fc.constantFrom(...names),
        fc.constantFrom('[a]', '[]', '[0]', '[__proto__]', '[a][b][c]', '%5Ba%5D', '[', ']'),
        fc.constantFrom('1', 'x', ''),
      )
      .map(([name, suffix, value]) =>
        mutated(d, `query:bracket(${name}${suffix}=${value})`, {
          query: [...d.query, { name: `${name}${suffix}`, value: wire(value) }],
        }),
      );
  }),
  weigh(1, (_world, d) =>
    fc
      .constantFrom(
        'foo=bar',
        '__proto__=1',
        'constructor%5Bprototype%5D=x',
        'tenant_id=00000000-0000-4000-8000-000000000000',
        '%00=1',
        '=1',
        '&&',
        'a=1%00',
      )
      .map((text) => {
        const [name, ...rest] = text.split('=');
        return mutated(d, `query:unknown-param(${text})`, {
          query: [...d.query, { name, value: rest.length ? wire(rest.join('=')) : null }],
        });
      }),
  ),
  weigh(
    4,
    queryMutator(
      'query:cursor',
      (p) => p.name === 'cursor',
      (world) =>
        fc.oneof(
          fc.constantFrom(...GARBAGE_CURSORS).map((c) => w(c, `garbage ${c.slice(0, 24)}`)),
          fc.integer({ min: 201, max: 8000 }).map((n) => w('A'.repeat(n), `${n} chars`)),
          fc.nat(1000).map((pick) => ({
            value: new Ref(ANY_CURSOR, pick),
            note: 'a cursor of another list',
          })),
          otherPoolRef(world, undefined).map((r) => ({
            value: r,
            note: `id of ${r.pool}`,
          })),
        ),
    ),
  ),
  weigh(
    3,
    queryMutator(
      'query:id',
      (p) => p.schema.format === 'uuid',
      (world, p) =>
        fc.oneof(
          fc.constantFrom(...NOT_UUIDS).map((v) => w(v)),
          fc.uuid().map((u) => w(u, 'random uuid')),
          otherPoolRef(world, p.name).map((r) => ({
            value: r,
            note: `id of ${r.pool}`,
          })),
        ),
    ),
  ),
  weigh(
    3,
    queryMutator(
      'query:enum-edge',
      (p) => Array.isArray(p.schema.enum) || (p.schema.anyOf ?? []).some((a) => Array.isArray(a.enum)),
      (_w, p) =>
        fc
          .constantFrom(...enumVariants(p.schema.enum ?? ['true']))
          .map((v) => w(percentEncode(v), JSON.stringify(v))),
    ),
  ),
  weigh(
    4,
    queryMutator(
      'query:date',
      (p) => isDatePattern(p.schema),
      () => edgeDate.map((v) => w(percentEncode(v), JSON.stringify(v))),
    ),
  ),
  weigh(
    2,
    queryMutator(
      'query:unicode',
      (p) => typesOf(p.schema).includes('string') || p.name === 'cursor',
      () => unicodeText('x').map((u) => w(percentEncode(u.text), u.note)),
    ),
  ),
  weigh(1, (_world, d) => {
    const names = [...queryParams(d).map((p) => p.name), 'cursor'];
    return fc
      .tuple(fc.constantFrom(...names), fc.constantFrom(...BAD_PERCENT_ENCODINGS), fc.boolean())
      .map(([name, bad, inName]) =>
        mutated(d, `query:bad-encoding(${inName ? 'name' : name}: ${bad})`, {
          query: inName
            ? [...d.query, { name: `${name}${bad}`, value: wire('1') }]
            : withQuery(d, name, [{ name, value: wire(bad) }]),
        }),
      );
  }),
  weigh(4, (_world, d) => {
    const required = queryParams(d, (p) => p.required);
    if (required.length === 0) return undefined;
    return fc
      .constantFrom(...required)
      .map((p) =>
        mutated(d, `query:missing-required(${p.name})`, { query: d.query.filter((q) => q.name !== p.name) }),
      );
  }),
  weigh(1, (_world, d) => {
    const names = [...queryParams(d).map((p) => p.name), 'x'];
    // Up to 10k stays under Node's 16 KB limit for the request head; some go over it (431).
    return fc
      .tuple(
        fc.constantFrom(...names),
        fc.oneof(
          { weight: 4, arbitrary: fc.integer({ min: 1000, max: 10_000 }) },
          { weight: 1, arbitrary: fc.integer({ min: 17_000, max: 40_000 }) },
        ),
      )
      .map(([name, n]) =>
        mutated(d, `query:huge(${name}: ${n} chars)`, {
          query: withQuery(d, name, [{ name, value: wire('9'.repeat(n)) }]),
        }),
      );
  }),
  weigh(2, (_world, d) => {
    const params = queryParams(d);
    if (params.length === 0) return undefined;
    return fc.tuple(fc.constantFrom(...params), fc.boolean()).map(([p, bare]) =>
      mutated(d, `query:empty(${p.name}${bare ? '' : '='})`, {
        query: withQuery(d, p.name, [{ name: p.name, value: bare ? null : wire('') }]),
      }),
    );
  }),
];

// ---------------------------------------------------------------------------------------------------
// Mutations of the path

function pathMutator(
  label: string,
  filter: (p: Parameter) => boolean,
  values: (world: FuzzWorld, p: Parameter) => fc.Arbitrary<{ value: WireText | Ref; note: string }>,
): Mutator {
  return (world, d) => {
    const params = d.op.parameters.filter((p) => p.in === 'path' && filter(p));
    if (params.length === 0) return undefined;
    return fc
      .constantFrom(...params)
      .chain((p) => values(world, p).map((v) => ({ p, v })))
      .map(({ p, v }) =>
        mutated(d, `${label}(${p.name}: ${v.note})`, { pathParams: { ...d.pathParams, [p.name]: v.value } }),
      );
  };
}

const pw = (text: string, note = text) => ({ value: wire(text) as WireText | Ref, note });
const isUuidParam = (p: Parameter) => p.schema.format === 'uuid';

const pathMutators: Weighted[] = [
  weigh(
    3,
    pathMutator('path:not-uuid', isUuidParam, () => fc.constantFrom(...NOT_UUIDS).map((v) => pw(v))),
  ),
  weigh(
    2,
    pathMutator('path:random-uuid', isUuidParam, () => fc.uuid().map((u) => pw(u, 'random uuid'))),
  ),
  weigh(
    3,
    pathMutator('path:other-resource', isUuidParam, (world, p) =>
      otherPoolRef(world, p.resource).map((r) => ({ value: r, note: `id of ${r.pool}` })),
    ),
  ),
  weigh(
    1,
    pathMutator(
      'path:uppercase-uuid',
      (p) => isUuidParam(p) && p.resource !== undefined,
      (_w, p) =>
        fc.nat(1000).map((pick) => ({
          value: new Ref(p.resource!, pick, true),
          note: `upper-case id of ${p.resource}`,
        })),
    ),
  ),
  weigh(
    2,
    pathMutator(
      'path:bad-encoding',
      () => true,
      () =>
        fc
          .tuple(
            fc.constantFrom(...BAD_PERCENT_ENCODINGS),
            fc.constantFrom('', '00000000-0000-4000-8000-00000000000'),
          )
          .map(([bad, prefix]) => pw(`${prefix}${bad}`)),
    ),
  ),
  weigh(
    2,
    pathMutator(
      'path:unicode',
      () => true,
      () => unicodeText('x').map((u) => pw(percentEncode(u.text), u.note)),
    ),
  ),
  weigh(
    1,
    pathMutator(
      'path:huge',
      () => true,
      () => fc.integer({ min: 1000, max: 12_000 }).map((n) => pw('a'.repeat(n), `${n} chars`)),
    ),
  ),
  weigh(
    3,
    pathMutator(
      'path:enum-edge',
      (p) => Array.isArray(p.schema.enum),
      (_w, p) =>
        fc.constantFrom(...enumVariants(p.schema.enum!)).map((v) => pw(percentEncode(v), JSON.stringify(v))),
    ),
  ),
];

// ---------------------------------------------------------------------------------------------------
// Mutations of the headers

const headerMutators: Weighted[] = [
  weigh(1, (_world, d) =>
    fc.constantFrom(...BAD_AUTHORIZATIONS).map((header) =>
      mutated(d, `auth:bad(${header === null ? 'none' : JSON.stringify(header.slice(0, 40))})`, {
        auth: header === null ? 'none' : { header },
      }),
    ),
  ),
  weigh(1, (_world, d) => {
    const other: Auth = d.op.access === 'admin' ? 'tenant' : d.op.access === 'tenant' ? 'admin' : 'tenant';
    return fc.constant(mutated(d, `auth:other-realm(${other})`, { auth: other }));
  }),
  weigh(2, (_world, d) => {
    if (d.op.method !== 'POST') return undefined;
    return fc.constantFrom(...BAD_IDEMPOTENCY_KEYS).map((key) =>
      mutated(
        d,
        `idempotency:invalid(${JSON.stringify(key.slice(0, 20))}${key.length > 20 ? `… ${key.length}` : ''})`,
        {
          headers: { ...d.headers, [IDEMPOTENCY_HEADER]: key },
        },
      ),
    );
  }),
  // A few keys shared by all requests of the run: the same key again, for the same or another request.
  weigh(2, (world, d) => {
    if (d.op.method !== 'POST') return undefined;
    return fc.integer({ min: 0, max: 11 }).map((n) =>
      mutated(d, `idempotency:shared-key(${n})`, {
        headers: { ...d.headers, [IDEMPOTENCY_HEADER]: `fuzz-${world.seed}-shared-${n}` },
      }),
    );
  }),
];

const AREAS: Record<Area, { weight: (d: Draft) => number; mutators: Weighted[] }> = {
  body: { weight: () => 12, mutators: [...bodyMutators, ...csvMutators] },
  // A GET has no body to get wrong: one sent anyway now and then.
  wire: { weight: (d) => (WITH_BODY.has(d.op.method) ? 4 : 1), mutators: wireMutators },
  // Without query parameters, only unknown ones: less often.
  query: { weight: (d) => (queryParams(d).length ? 8 : 2), mutators: queryMutators },
  path: { weight: () => 6, mutators: pathMutators },
  headers: { weight: () => 2, mutators: headerMutators },
};

/** One mutation: an area of the request first (those that apply), then one of its mutations. */
function mutation(world: FuzzWorld, d: Draft): fc.Arbitrary<Draft> {
  const areas: Array<fc.WeightedArbitrary<Draft>> = [];
  for (const area of Object.values(AREAS)) {
    const arbs: Array<fc.WeightedArbitrary<Draft>> = [];
    for (const { weight, mutator } of area.mutators) {
      const arbitrary = mutator(world, d);
      if (arbitrary) arbs.push({ weight, arbitrary });
    }
    if (arbs.length) areas.push({ weight: area.weight(d), arbitrary: fc.oneof(...arbs) });
  }
  return fc.oneof(...areas);
}

// ---------------------------------------------------------------------------------------------------
// The request

function finish(d: Draft): RequestPlan {
  let body: BodyPlan;
  if (d.body.kind === 'jsonDraft')
    body = { kind: 'json', value: d.body.value, contentType: d.body.contentType };
  else if (d.body.kind === 'csv') {
    const lines = [d.body.columns.map(csvCell).join(','), ...d.body.rows.map((r) => r.join(','))];
    body = { kind: 'text', text: `${lines.join('\n')}\n${d.body.trailer}`, contentType: d.body.contentType };
  } else body = d.body;
  return {
    operation: d.op.id,
    method: d.op.method,
    path: d.op.path,
    pathParams: d.pathParams,
    query: d.query,
    auth: d.auth,
    headers: d.headers,
    body,
    mutations: d.mutations,
  };
}

/**
 * Requests for one operation: valid ones (about 30%) and ones with one to three mutations. The
 * same seed gives the same requests.
 */
export function requestArbitrary(world: FuzzWorld, op: Operation): fc.Arbitrary<RequestPlan> {
  const count = fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.constant(1) },
    { weight: 2, arbitrary: fc.constant(2) },
    { weight: 1, arbitrary: fc.constant(3) },
  );
  return fc
    .tuple(validDraft(world, op), count)
    .chain(([draft, n]) => {
      let arb: fc.Arbitrary<Draft> = fc.constant(draft);
      for (let i = 0; i < n; i++) arb = arb.chain((d) => mutation(world, d));
      return arb;
    })
    .map(finish);
}

/** Requests outside the document: unknown routes and methods, the docs; the same error format applies. */
export function offSpecArbitrary(world: FuzzWorld, ops: Operation[]): fc.Arbitrary<RequestPlan> {
  const paths = [...new Set(ops.map((o) => o.path))];
  const plan = (
    operation: string,
    method: string,
    path: string,
    auth: Auth,
    mutations: string[],
  ): RequestPlan => ({
    operation,
    method,
    path,
    pathParams: {},
    query: [],
    auth,
    headers: {},
    body: { kind: 'none' },
    mutations,
  });
  return fc.oneof(
    fc
      .constantFrom('/docs/openapi.json', '/docs/', '/docs/swagger-ui.css')
      .map((p) => plan(`GET ${p}`, 'GET', p, 'none', [])),
    fc
      .tuple(
        fc.constantFrom(
          '/v1/nope',
          '/v1',
          '/',
          '/v2/templates',
          '/v1/templates/x/y/z',
          '/.env',
          '/v1//templates',
        ),
        fc.constantFrom<Auth>('tenant', 'none', 'admin'),
      )
      .map(([p, auth]) => plan('(unknown route)', 'GET', p, auth, [`off-spec:unknown-route(${p})`])),
    fc
      .tuple(
        fc.constantFrom(...paths),
        fc.constantFrom('PUT', 'DELETE', 'PATCH', 'POST', 'OPTIONS'),
        fc.constantFrom<Auth>('tenant', 'admin'),
      )
      .filter(([p, m]) => !ops.some((o) => o.path === p && o.method === m))
      .map(([p, m, auth]) => {
        const path = p.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        return plan('(unknown method)', m, path, auth, [`off-spec:unknown-method(${m} ${p})`]);
      }),
  );
}

/** The pools of real ids the document's path parameters name, and other tenants' ids. */
export function worldPools(ops: Operation[]): string[] {
  const resources = ops.flatMap((o) => o.parameters.map((p) => p.resource).filter((r): r is string => !!r));
  return [...new Set(resources), 'foreign'];
}

/** FNV-1a: a stable number per operation, so each operation's requests depend on the seed and its name only. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Money values sent whole to every money field (the generated ones pick from MONEY_STRINGS at random). */
const MONEY_SWEEP: Array<{ value: FuzzValue; note: string }> = [
  ...[
    '1.001',
    '1e3',
    '-0.00',
    '0.00',
    '12345678901234567890',
    '9999999999999.99',
    '1.',
    ' 1.00',
    '-1.00',
  ].map((m) => ({ value: m, note: JSON.stringify(m) })),
  ...['1.5', '100', '12345678901234567890'].map((l) => raw(l, `number ${l}`)),
];

/**
 * Each edge date to every date field and parameter, each money value to every money field, one
 * request each: short closed lists, and a bug tied to one value (a clock at 0000-01-01) is not left
 * to chance.
 */
function sweepRequests(world: FuzzWorld, op: Operation): RequestPlan[] {
  const out: RequestPlan[] = [];
  // Each swept request is a request of its own: one Idempotency-Key for all would make every one
  // after the first a key reused for another body (refused before the value is looked at).
  const ownKey = (d: Draft): Draft => {
    const key = d.headers[IDEMPOTENCY_HEADER];
    return key ? { ...d, headers: { ...d.headers, [IDEMPOTENCY_HEADER]: `${key}-${out.length}` } } : d;
  };
  const drafts = fc.sample(validDraft(world, op), {
    seed: (world.seed ^ hash(`${op.id}#sweep`)) | 0,
    numRuns: 6,
  });
  // Optional fields come and go between valid requests: each field from the first request that has it.
  const seen = new Set<string>();
  for (const d of drafts) {
    const body = jsonDraftOf(d);
    if (!body) continue;
    for (const slot of slotsOf(world, body.value, body.schema)) {
      const key = formatPath(slot.path.map((p) => (typeof p === 'number' ? 0 : p)));
      if (seen.has(key)) continue;
      const values = isDatePattern(slot.schema)
        ? EDGE_DATES.map((v) => ({ value: v, note: JSON.stringify(v) }))
        : moneySlot(world, slot) && slot.path.length > 0
          ? MONEY_SWEEP
          : [];
      if (values.length) seen.add(key);
      for (const v of values) {
        out.push(
          finish(
            mutated(
              ownKey(d),
              `${isDatePattern(slot.schema) ? 'body:date' : 'body:money'}(${formatPath(slot.path)}: ${v.note})`,
              {
                body: { ...body, kind: 'jsonDraft', value: setAt(body.value, slot.path, v.value) },
              },
            ),
          ),
        );
      }
    }
  }
  const d = drafts[0];
  for (const p of queryParams(d, (q) => isDatePattern(q.schema))) {
    for (const v of EDGE_DATES) {
      out.push(
        finish(
          mutated(ownKey(d), `query:date(${p.name}: ${JSON.stringify(v)})`, {
            query: withQuery(d, p.name, [{ name: p.name, value: wire(v) }]),
          }),
        ),
      );
    }
  }
  return out;
}

/**
 * For each mutation that applies to the operation, one request with that mutation alone on an
 * otherwise valid request: every kind of wrong input reaches every route, whatever the seed. The
 * mutation's own value (which garbage cursor, which edge date) is still the seed's choice.
 */
function systematicRequests(world: FuzzWorld, op: Operation): RequestPlan[] {
  const out: RequestPlan[] = [];
  Object.values(AREAS)
    .flatMap((area) => area.mutators)
    .forEach(({ mutator }, k) => {
      const arb = validDraft(world, op).chain(
        (d): fc.Arbitrary<Draft | null> => mutator(world, d) ?? fc.constant(null),
      );
      // The valid request may lack what the mutation needs (an optional field): a few tries.
      const found = fc
        .sample(arb, { seed: (world.seed ^ hash(`${op.id}#${k}`)) | 0, numRuns: 8 })
        .find((d) => d);
      if (found) out.push(finish(found));
    });
  return out;
}

/**
 * The run's requests: every operation with every mutation that applies to it once, and the sweeps of
 * edge dates and money values (together at most 75% of the total); then random ones up to the total,
 * each operation its share (those with a body a larger one, they have more to get wrong), about 30%
 * of them valid; about 2% outside the document. The list is shuffled. Deterministic in the seed: the
 * same seed and document give the same list.
 */
export function generateRequests(world: FuzzWorld, ops: Operation[], total: number): RequestPlan[] {
  const offSpec = Math.max(6, Math.round(total * 0.02));
  let systematic = ops.flatMap((op) => [...systematicRequests(world, op), ...sweepRequests(world, op)]);
  const maxSystematic = Math.floor(total * 0.75);
  if (systematic.length > maxSystematic) {
    const [keep] = fc.sample(
      fc.shuffledSubarray(systematic, { minLength: maxSystematic, maxLength: maxSystematic }),
      { seed: world.seed, numRuns: 1 },
    );
    systematic = keep;
  }
  const randomTotal = Math.max(ops.length, total - offSpec - systematic.length);
  const weights = ops.map((op) => (op.body ? 3 : 2));
  const sum = weights.reduce((a, b) => a + b, 0);
  const quotas = weights.map((wt) => Math.max(1, Math.floor((randomTotal * wt) / sum)));
  for (let i = 0; quotas.reduce((a, b) => a + b, 0) < randomTotal; i = (i + 1) % ops.length) quotas[i]++;
  const all: RequestPlan[] = [...systematic];
  ops.forEach((op, i) => {
    all.push(
      ...fc.sample(requestArbitrary(world, op), { seed: (world.seed ^ hash(op.id)) | 0, numRuns: quotas[i] }),
    );
  });
  all.push(
    ...fc.sample(offSpecArbitrary(world, ops), {
      seed: (world.seed ^ hash('(off-spec)')) | 0,
      numRuns: offSpec,
    }),
  );
  const indexes = all.map((_, i) => i);
  const [order] = fc.sample(fc.shuffledSubarray(indexes, { minLength: all.length, maxLength: all.length }), {
    seed: world.seed,
    numRuns: 1,
  });
  return order.map((i) => all[i]);
}

/** One valid request of each operation, seeded by `salt` (to see every route on a strange day). */
export function validRequests(world: FuzzWorld, ops: Operation[], salt: number): RequestPlan[] {
  return ops.map(
    (op) =>
      fc.sample(validDraft(world, op).map(finish), {
        seed: (world.seed ^ hash(`${op.id}#valid#${salt}`)) | 0,
        numRuns: 1,
      })[0],
  );
}
