import type { z } from 'zod';

/** Text no field may accept: NUL, and unpaired UTF-16 surrogates (high and low). */
export const UNSAFE_TEXTS = ['a\u0000b', 'a\ud800b', 'a\udfffb', '\ud800'] as const;

/**
 * The paths of every place in a schema that accepts a string holding NUL or an unpaired surrogate.
 * Containers (objects, arrays, records, wrappers) are walked; anything else is a leaf and must refuse
 * each of UNSAFE_TEXTS (a number or an enum refuses them anyway; a pipe is judged as a whole, so a
 * string refined by its output schema counts as refusing).
 */
export function pathsAcceptingUnsafeText(schema: z.ZodType, path = '$'): string[] {
  const def = (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([key, child]) =>
        pathsAcceptingUnsafeText(child, `${path}.${key}`),
      );
    case 'array':
      return pathsAcceptingUnsafeText(def.element!, `${path}[]`);
    case 'record':
      return [
        ...pathsAcceptingUnsafeText(def.keyType!, `${path}{key}`),
        ...pathsAcceptingUnsafeText(def.valueType!, `${path}{}`),
      ];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return pathsAcceptingUnsafeText(def.innerType!, path);
    case 'lazy':
      return pathsAcceptingUnsafeText(def.getter!(), path);
    case 'union': {
      const inside = (def.options ?? []).flatMap((o, i) => pathsAcceptingUnsafeText(o, `${path}|${i}`));
      return inside.length > 0 ? inside : leaf(schema, path);
    }
    case 'pipe':
      // `out` may be a container (a preprocessed object); the pipe as a whole decides about strings.
      return [...leaf(schema, path), ...containersOf(def.out!, path)];
    default:
      return leaf(schema, path);
  }
}

function leaf(schema: z.ZodType, path: string): string[] {
  return UNSAFE_TEXTS.some((text) => schema.safeParse(text).success) ? [path] : [];
}

function containersOf(schema: z.ZodType, path: string): string[] {
  const type = (schema as unknown as { _zod: { def: SchemaDef } })._zod.def.type;
  return ['object', 'array', 'record'].includes(type) ? pathsAcceptingUnsafeText(schema, path) : [];
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  getter?: () => z.ZodType;
  options?: z.ZodType[];
  out?: z.ZodType;
}
