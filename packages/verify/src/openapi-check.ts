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

export interface OpenApiChecker {
  /** Problems with the response: empty when it conforms to the document. */
  check(response: CheckedResponse): string[];
}

interface MediaType {
  schema?: object;
}
interface Operation {
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}
interface Document {
  paths?: Record<string, Record<string, Operation>>;
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

  return {
    check({ method, url, statusCode, contentType, body }) {
      const pathname = new URL(url, 'http://x').pathname;
      const path = paths.find((p) => p.match.test(pathname));
      if (!path) return [`no path in the document matches ${pathname}`];
      const operation = path.item[method.toLowerCase()];
      if (!operation) return [`${method} ${path.template} is not in the document`];
      const response = operation.responses?.[String(statusCode)] ?? operation.responses?.default;
      if (!response) return [`${method} ${path.template} does not declare status ${statusCode}`];
      if (!response.content) {
        return body.length === 0 ? [] : [`status ${statusCode} declares no body but one was sent`];
      }
      const type = (contentType ?? '').split(';')[0]!.trim();
      const media = response.content[type];
      if (!media) return [`status ${statusCode} does not declare content type '${type}'`];
      if (!media.schema) return [];
      let validate = compiled.get(media.schema);
      if (!validate) {
        validate = ajv.compile(media.schema);
        compiled.set(media.schema, validate);
      }
      let value: unknown = body;
      if (type.endsWith('json')) {
        try {
          value = JSON.parse(body);
        } catch {
          return [`the body is not JSON`];
        }
      }
      if (validate(value)) return [];
      return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    },
  };
}
