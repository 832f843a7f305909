// Shared shapes of the OpenAPI document: a schema registered with `component(name, schema)` appears once
// under components.schemas and everywhere else as a `$ref` to it, so a generated client has one
// type per shape (Split, Snapshot, Problem…) instead of one per place it occurs. The route schemas
// stay whole TypeBox schemas (Fastify validates and serializes with them, TypeScript types them);
// only the document is rewritten (withComponents, @fastify/swagger's transformObject). A use that
// changes only annotations (a figure's own description, unit, deprecation, examples) keeps them
// beside its `$ref`, as OpenAPI 3.1 allows; a use that changes the shape itself is an error.
import { isDeepStrictEqual } from 'node:util';

/** The annotation marking a shared schema in route schemas; never left in the document. */
const MARK = 'x-component';

/** Keywords a use may change beside its $ref: they say what, not which shape. */
const ANNOTATIONS = new Set([
  'description',
  'examples',
  'example',
  'deprecated',
  'x-unit',
  'title',
]);

const REGISTRY = new Map<string, object>();

/**
 * Registers a schema as the shared component `name` (PascalCase: the type name clients get) by
 * marking it in place, right after its definition: every use, and every spread of it, carries the
 * mark from then on.
 */
export function component(name: string, schema: object): void {
  REGISTRY.set(name, schema);
  Object.defineProperty(schema, MARK, { value: name, enumerable: true });
}

type Json = unknown;
type JsonObject = Record<string, Json>;

/** The document with every marked schema moved to components.schemas and referenced. */
export function withComponents<D extends object>(document: D): D {
  const canonical = new Map<string, JsonObject>();

  const walk = (node: Json, path: string): Json => {
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}/${i}`));
    if (node === null || typeof node !== 'object') return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      // examples are data, not schemas: left as they are
      out[key] = key === 'examples' || key === 'example' ? value : walk(value, `${path}/${key}`);
    }
    const name = out[MARK];
    if (typeof name !== 'string') return out;
    delete out[MARK];
    const shape = canonicalOf(name, out);
    // Same shape: only the annotations a use changes stay beside the reference.
    const ref: JsonObject = { $ref: `#/components/schemas/${name}` };
    for (const key of new Set([...Object.keys(shape), ...Object.keys(out)])) {
      if (isDeepStrictEqual(shape[key], out[key])) continue;
      if (!ANNOTATIONS.has(key)) {
        throw new Error(`${path}: component ${name} differs in '${key}' from its definition`);
      }
      if (key in out) ref[key] = out[key];
    }
    return ref;
  };

  /**
   * The component: its shape as the document renders it (its first use, its own shared parts
   * referenced), with the annotations of its definition rather than of that use.
   */
  const canonicalOf = (name: string, use: JsonObject): JsonObject => {
    let shape = canonical.get(name);
    if (!shape) {
      const defined = JSON.parse(JSON.stringify(REGISTRY.get(name) ?? {})) as JsonObject;
      shape = { ...use };
      for (const key of ANNOTATIONS) {
        if (key in defined) shape[key] = defined[key];
        else delete shape[key];
      }
      canonical.set(name, shape);
    }
    return shape;
  };

  const rewritten = walk(document, '#') as D & { components?: { schemas?: object } };
  const components = rewritten.components ?? {};
  const schemas = Object.fromEntries([...canonical].sort(([a], [b]) => a.localeCompare(b)));
  return {
    ...rewritten,
    components: { ...components, schemas: { ...components.schemas, ...schemas } },
  };
}
