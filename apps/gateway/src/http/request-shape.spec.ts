import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { GatewayAppModule } from '../app.module';
import { TransactionFilePipe } from '../suggestions/transaction-file';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './request-shape';
import { ZodPipe } from './zod.pipe';

describe('nestsDeeperThan', () => {
  const nest = (levels: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
    return value;
  };

  it('measures objects and arrays, not scalars', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({ a: 1, b: [1, 2] }, 2)).toBe(false);
    expect(nestsDeeperThan({ a: 1, b: [1, 2] }, 1)).toBe(true);
    expect(nestsDeeperThan(nest(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nest(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('walks a body nested a million levels without recursion', () => {
    expect(nestsDeeperThan(nest(1_000_000), MAX_JSON_DEPTH)).toBe(true);
  });

  it('finds the deep branch among wide shallow ones', () => {
    const wide = { rows: Array.from({ length: 10_000 }, (_, i) => ({ i, tags: [i] })), deep: nest(30) };
    expect(nestsDeeperThan(wide, MAX_JSON_DEPTH)).toBe(true);
  });
});

describe('every route declares its inputs through a validating pipe', () => {
  interface Arg {
    index: number;
    pipes: unknown[];
  }
  const routes = (GatewayAppModule.forRoot({} as never).controllers ?? []).flatMap((controller) => {
    const proto = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto)
      .filter(
        (name) =>
          name !== 'constructor' && Reflect.getMetadata(PATH_METADATA, proto[name] as object) !== undefined,
      )
      .map((name) => {
        const method = Reflect.getMetadata(METHOD_METADATA, proto[name] as object) as RequestMethod;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
          string,
          Arg
        >;
        const of = (type: RouteParamtypes) =>
          Object.entries(args)
            .filter(([key]) => Number(key.split(':')[0]) === (type as number))
            .map(([, arg]) => arg);
        return {
          route: `${RequestMethod[method]} ${controller.name}.${name}`,
          method,
          bodies: of(RouteParamtypes.BODY),
          queries: of(RouteParamtypes.QUERY),
          requests: of(RouteParamtypes.REQUEST),
        };
      });
  });

  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThan(40);
  });

  const validating = (arg: Arg) =>
    arg.pipes.length === 1 &&
    (arg.pipes[0] instanceof ZodPipe || arg.pipes[0] instanceof TransactionFilePipe);

  it.each(routes.map((r) => [r.route, r] as const))('%s', (_, r) => {
    if ([RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH].includes(r.method)) {
      // A POST without input still declares an empty body (EmptyBodySchema) or takes none at all.
      expect(r.bodies.every(validating)).toBe(true);
    } else {
      expect(r.bodies).toEqual([]);
    }
    expect(r.queries.every(validating)).toBe(true);
    // The raw request would let a handler read what no pipe validated.
    expect(r.requests).toEqual([]);
  });
});
