// Reads a zod schema's structure at a data path, so problem messages can say which keys
// are allowed ("did you mean …?") and what a missing field is for (its .describe() text).
// zod 4 exposes the structure through `_zod.def`; we only look at the few wrapper kinds we use.
import { z } from 'zod';

type Def = {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
};

const defOf = (schema: z.core.$ZodType): Def => schema._zod.def as unknown as Def;

/** Steps through optional/default/pipe wrappers, yielding each layer (descriptions may sit on any). */
function* layers(schema: z.core.$ZodType): Generator<z.core.$ZodType> {
  let current: z.core.$ZodType | undefined = schema;
  while (current) {
    yield current;
    const def = defOf(current);
    current = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  }
}

/** The schema that validates the value at `path`, or undefined when the path leaves the schema. */
export function schemaAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType | undefined {
  let current: z.core.$ZodType | undefined = schema;
  for (const segment of path) {
    if (!current) return undefined;
    let next: z.core.$ZodType | undefined;
    for (const layer of layers(current)) {
      const def = defOf(layer);
      if (def.type === 'object' && typeof segment === 'string') next = def.shape?.[segment];
      if (def.type === 'array' && typeof segment === 'number') next = def.element;
      if (next) break;
    }
    current = next;
  }
  return current;
}

/** Keys an object schema at `path` accepts (empty when it is not an object). */
export function knownKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  const target = schemaAt(schema, path);
  if (!target) return [];
  for (const layer of layers(target)) {
    const def = defOf(layer);
    if (def.type === 'object') return Object.keys(def.shape ?? {});
  }
  return [];
}

/** The .describe() text of the field at `path`, looking through wrappers. */
export function descriptionAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string | undefined {
  const target = schemaAt(schema, path);
  if (!target) return undefined;
  for (const layer of layers(target)) {
    const description = z.globalRegistry.get(layer)?.description;
    if (description) return description;
  }
  return undefined;
}
