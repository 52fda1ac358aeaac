import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { ProblemError } from '@billing/common';
import { z } from 'zod';
import { toProblem } from './problem';

/** What body-parser raises (an http-errors instance), as Nest's adapter hands it over. */
function parserError(type: string, status: number): HttpException {
  const cause = Object.assign(new Error('boom at /srv/app.js:12'), { type, status, statusCode: status });
  return new HttpException('boom', status, { cause });
}

describe('toProblem', () => {
  it('passes a ProblemError through, completing detail and errors', () => {
    const notFound = toProblem(ProblemError.notFound('Customer', 'x'));
    expect(notFound).toEqual({
      unexpected: false,
      problem: {
        type: '/problems/not-found',
        title: 'Not found',
        status: 404,
        detail: 'Customer x was not found.',
        errors: [],
      },
    });
  });

  it('maps body-parser failures to 400, 413 and 415', () => {
    const syntax = Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed' });
    expect(toProblem(new BadRequestException('x', { cause: syntax })).problem).toMatchObject({
      status: 400,
      type: '/problems/malformed-json',
    });
    expect(toProblem(parserError('entity.too.large', 413)).problem).toMatchObject({
      status: 413,
      type: '/problems/payload-too-large',
    });
    expect(toProblem(parserError('charset.unsupported', 415)).problem).toMatchObject({
      status: 415,
      type: '/problems/unsupported-media-type',
    });
  });

  it('turns a zod error into 422 field errors', () => {
    const result = z.object({ name: z.string() }).strict().safeParse({ colour: 1 });
    const { problem } = toProblem(result.error);
    expect(problem.status).toBe(422);
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['colour', 'name']);
  });

  it("answers Nest's unknown route with the not-found problem", () => {
    expect(toProblem(new NotFoundException('Cannot GET /v1/x')).problem).toMatchObject({
      status: 404,
      type: '/problems/not-found',
      detail: 'No such resource.',
    });
  });

  it('hides everything about an unexpected error', () => {
    const mapped = toProblem(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(mapped.unexpected).toBe(true);
    expect(mapped.problem).toEqual({
      type: '/problems/internal-error',
      title: 'Internal error',
      status: 500,
      detail: 'An unexpected error occurred.',
      errors: [],
    });
    expect(toProblem(new HttpException('db password wrong', 502)).problem.status).toBe(500);
  });
});
