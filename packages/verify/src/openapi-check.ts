// Checks HTTP responses against the service's own OpenAPI document: the status must be declared
// for the operation, and the body must validate against the declared schema of its content type.
// Exported for the end-to-end test, which checks every response it gets this way.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = addFormatsModule.default;

export interface CheckedResponse {
  method: string;
  /** The request URL (path and query). */
  url: string;
  statusCode: number;
  /** The content-type header, if any. */
  contentType?: string | undefined;
  /** The raw body. */
  body: string;
}

/** One server-sent event of a `text/event-stream` response, as {event, id, data}. */
export interface CheckedEvent {
  /** The request URL (path and query) of the stream. */
  url: string;
  event: string;
  id?: string | undefined;
  /** The event's data, parsed from JSON. */
  data: unknown;
}

export interface OpenApiChecker {
  /** Problems with the response: empty when it conforms to the document. */
  check(response: CheckedResponse): string[];
  /**
   * Problems with one event of a GET stream: the operation's 200 response must declare
   * `text/event-stream` with a schema, and {event, id, data} must validate against it.
   */
  checkEvent(event: CheckedEvent): string[];
}

interface MediaType {
  schema?: object;
}
interface Operation {
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}
interface Document {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const COMPONENT_REF = '#/components/schemas/';

/**
 * A schema with each `$ref` to components.schemas replaced by the component (its sibling
 * annotations kept), so that it compiles on its own.
 */
function inlineComponents(
  node: unknown,
  components: Record<string, unknown>,
  within: readonly string[] = [],
): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineComponents(item, components, within));
  if (node === null || typeof node !== 'object') return node;
  const { $ref, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, inlineComponents(value, components, within)]),
  );
  if (typeof $ref !== 'string' || !$ref.startsWith(COMPONENT_REF)) {
    return $ref === undefined ? out : { $ref, ...out };
  }
  const name = $ref.slice(COMPONENT_REF.length);
  if (within.includes(name)) throw new Error(`component ${name} refers to itself`);
  if (!(name in components)) throw new Error(`no component ${name} for ${$ref}`);
  const target = inlineComponents(components[name], components, [...within, name]);
  return { ...(target as object), ...out };
}

function pathMatcher(template: string): RegExp {
  const escaped = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${escaped}$`);
}

export function createOpenApiChecker(document: unknown): OpenApiChecker {
  const doc = document as Document;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const paths = Object.entries(doc.paths ?? {}).map(([template, item]) => ({
    template,
    match: pathMatcher(template),
    item,
  }));
  const compiled = new Map<object, ValidateFunction>();

  /** The operation and its path template, or why there is none. */
  const operationOf = (method: string, url: string): [Operation, string] | string => {
    const pathname = new URL(url, 'http://x').pathname;
    const path = paths.find((p) => p.match.test(pathname));
    if (!path) return `no path in the document matches ${pathname}`;
    const operation = path.item[method.toLowerCase()];
    return operation
      ? [operation, path.template]
      : `${method} ${path.template} is not in the document`;
  };
  const validatorOf = (schema: object): ValidateFunction => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(inlineComponents(schema, doc.components?.schemas ?? {}) as object);
      compiled.set(schema, validate);
    }
    return validate;
  };
  const errorsOf = (validate: ValidateFunction) =>
    (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);

  return {
    checkEvent({ url, event, id, data }) {
      const found = operationOf('GET', url);
      if (typeof found === 'string') return [found];
      const [operation] = found;
      const schema = operation.responses?.['200']?.content?.['text/event-stream']?.schema;
      if (!schema) return [`GET ${url} declares no text/event-stream schema for 200`];
      const validate = validatorOf(schema);
      const value = id === undefined ? { event, data } : { event, id, data };
      return validate(value) ? [] : errorsOf(validate);
    },

    check({ method, url, statusCode, contentType, body }) {
      const found = operationOf(method, url);
      if (typeof found === 'string') return [found];
      const [operation, template] = found;
      const response = operation.responses?.[String(statusCode)] ?? operation.responses?.default;
      if (!response) return [`${method} ${template} does not declare status ${statusCode}`];
      if (!response.content) {
        return body.length === 0 ? [] : [`status ${statusCode} declares no body but one was sent`];
      }
      const type = (contentType ?? '').split(';')[0]!.trim();
      const media = response.content[type];
      if (!media) return [`status ${statusCode} does not declare content type '${type}'`];
      if (!media.schema) return [];
      const validate = validatorOf(media.schema);
      let value: unknown = body;
      if (type.endsWith('json')) {
        try {
          value = JSON.parse(body);
        } catch {
          return [`the body is not JSON`];
        }
      }
      return validate(value) ? [] : errorsOf(validate);
    },
  };
}
