import { pathsAcceptingUnsafeText } from '@billing/common/testing';
import fc from 'fast-check';
import { z } from 'zod';
import * as contracts from '@billing/contracts';
import {
  CalendarDateSchema,
  PageQuerySchema,
  QueryBooleanSchema,
  RunResultsQuerySchema,
  SERVICES_WITH_CONSUMERS,
  SuggestionListQuerySchema,
  TransactionEvents,
  parkedRpc,
  queryInt,
  readRunResultCursor,
  readSuggestionCursor,
  requiredText,
  runResultCursor,
  suggestionCursor,
  text,
} from '@billing/contracts';

const codes = (schema: z.ZodType, value: unknown) =>
  schema
    .safeParse(value)
    .error?.issues.map((i) => (i as { params?: { code?: string } }).params?.code ?? i.code);

const ID = '0190f0e0-0000-7000-8000-000000000001';

describe('text', () => {
  it('refuses NUL and unpaired surrogates, with their own codes', () => {
    for (const schema of [text(50), requiredText(50)]) {
      expect(codes(schema, 'a\u0000b')).toEqual(['nul_character']);
      expect(codes(schema, 'lone \ud800')).toEqual(['invalid_unicode']);
      expect(codes(schema, '\udfff first')).toEqual(['invalid_unicode']);
      expect(codes(schema, 'pair \ud83d\ude00 then \udc00')).toEqual(['invalid_unicode']);
    }
  });

  it('accepts any other character: emoji, combining marks, right-to-left, zero-width, controls', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const clean = s.split('\u0000').join('');
        expect(text(400).safeParse(clean).success).toBe(true);
      }),
    );
    for (const ok of ['Café 😀', 'e\u0301', 'שלום', 'a\u200bb', 'tab\tand\nnew line', '\u0001']) {
      expect(text(50).safeParse(ok).success).toBe(true);
    }
  });

  it('trims required text and refuses it blank', () => {
    expect(requiredText(10).parse('  Acme  ')).toBe('Acme');
    expect(codes(requiredText(10), '   ')).toEqual(['too_small']);
    expect(codes(requiredText(3), 'abcd')).toEqual(['too_big']);
  });
});

describe('every inbound contract refuses unsafe text in every string it accepts', () => {
  /** Every RPC contract exported by the contracts (and the per-service ones), by name. */
  function rpcContracts(): Array<[string, contracts.RpcContract]> {
    const found: Array<[string, contracts.RpcContract]> = [];
    const visit = (name: string, value: unknown) => {
      if (!value || typeof value !== 'object') return;
      if ((value as { kind?: unknown }).kind === 'rpc') found.push([name, value as contracts.RpcContract]);
      else if (!(value instanceof z.ZodType))
        for (const [k, v] of Object.entries(value)) visit(`${name}.${k}`, v);
    };
    for (const [name, value] of Object.entries(contracts)) visit(name, value);
    for (const service of SERVICES_WITH_CONSUMERS) visit(`parkedRpc(${service})`, parkedRpc(service));
    return found;
  }

  it('finds the contracts it checks', () => {
    expect(rpcContracts().length).toBeGreaterThan(40);
  });

  it.each(rpcContracts())('%s', (_, contract) => {
    expect(pathsAcceptingUnsafeText(contract.request)).toEqual([]);
  });

  it('transaction.recorded (published by other platforms)', () => {
    expect(pathsAcceptingUnsafeText(TransactionEvents.recorded.data)).toEqual([]);
  });

  it('would notice a plain string', () => {
    expect(pathsAcceptingUnsafeText(z.object({ a: z.array(z.object({ b: z.string() })) }))).toEqual([
      '$.a[].b',
    ]);
  });
});

describe('CalendarDateSchema', () => {
  it('takes real days from 1900 to 2999', () => {
    for (const ok of ['1900-01-01', '2024-02-29', '2999-12-31'])
      expect(CalendarDateSchema.parse(ok)).toBe(ok);
  });

  it('refuses other shapes, impossible days and dates outside the calendar, one error each', () => {
    expect(codes(CalendarDateSchema, '31/01/2026')).toEqual(['invalid_format']);
    expect(codes(CalendarDateSchema, '2027-02-30')).toEqual(['invalid_date']);
    expect(codes(CalendarDateSchema, '2027-13-01')).toEqual(['invalid_date']);
    expect(codes(CalendarDateSchema, '0000-01-01')).toEqual(['date_out_of_range']);
    expect(codes(CalendarDateSchema, '9999-12-31')).toEqual(['date_out_of_range']);
    expect(codes(CalendarDateSchema, 20270101)).toEqual(['invalid_type']);
  });
});

describe('query integers', () => {
  const limit = queryInt(1, 200);

  it('reads plain decimal digits, and numbers forwarded as numbers', () => {
    expect(limit.parse('5')).toBe(5);
    expect(limit.parse('200')).toBe(200);
    expect(limit.parse(7)).toBe(7);
  });

  it.each(['1e2', ' 5', '5 ', '0x10', '5.0', '5.5', '+5', '05', '', '١٢', 'Infinity', '9'.repeat(20)])(
    'refuses %j',
    (value) => {
      expect(limit.safeParse(value).success).toBe(false);
    },
  );

  it('refuses a repeated or bracketed parameter (an array or an object) and values out of range', () => {
    expect(limit.safeParse(['1', '2']).success).toBe(false);
    expect(limit.safeParse({ a: '1' }).success).toBe(false);
    expect(codes(limit, '0')).toEqual(['too_small']);
    expect(codes(limit, '201')).toEqual(['too_big']);
    expect(codes(limit, '-1')).toEqual(['too_small']);
  });

  it('is what every page and count uses', () => {
    expect(PageQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(PageQuerySchema.safeParse({ limit: '1e2' }).success).toBe(false);
    expect(SuggestionListQuerySchema.safeParse({ min_confidence: '1e-1' }).success).toBe(false);
    expect(SuggestionListQuerySchema.parse({ min_confidence: '0.85' }).min_confidence).toBe(0.85);
    expect(QueryBooleanSchema.parse('true')).toBe(true);
    expect(QueryBooleanSchema.safeParse('yes').success).toBe(false);
  });
});

describe('cursors', () => {
  it('page lists by id: a UUID, nothing else', () => {
    expect(PageQuerySchema.parse({ cursor: ID }).cursor).toBe(ID);
    for (const bad of ['garbage', '\u0000', '-'.repeat(36), `${ID}x`, 'x'.repeat(300)]) {
      expect(codes(PageQuerySchema, { cursor: bad })).toEqual(['invalid_cursor']);
    }
  });

  it("round-trip a run's results (template and date)", () => {
    const cursor = runResultCursor({ templateId: ID, occurrenceDate: '2026-03-01' });
    expect(cursor).toBe(`${ID}:2026-03-01`);
    expect(readRunResultCursor(cursor)).toEqual({ templateId: ID, occurrenceDate: '2026-03-01' });
    expect(RunResultsQuerySchema.parse({ cursor })).toEqual({ limit: 50, cursor });
    for (const bad of ['', 'nope', ID, `${ID}:2026-02-30`, 'x:2026-03-01', ':2026-03-01']) {
      expect(readRunResultCursor(bad)).toBeNull();
      expect(RunResultsQuerySchema.safeParse({ cursor: bad }).success).toBe(false);
    }
  });

  it('round-trip the suggestion list (confidence and id)', () => {
    const cursor = suggestionCursor({ confidence: '0.9', id: ID });
    expect(cursor).toBe(`0.900_${ID}`);
    expect(readSuggestionCursor(cursor)).toEqual({ confidence: '0.900', id: ID });
    for (const bad of [`2_${ID}`, `0.9_${ID}`, `0.900_${'-'.repeat(36)}`, '0.900_', ID]) {
      expect(readSuggestionCursor(bad)).toBeNull();
      expect(SuggestionListQuerySchema.safeParse({ cursor: bad }).success).toBe(false);
    }
  });
});
