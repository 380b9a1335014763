import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { XMLBuilder } from 'fast-xml-parser';
import { HttpError } from '../../shared/errors';
import { ok, type ErrorRenderer, type HttpResult } from '../../shared/http';
import { open311Errors } from '../../shared/problem';

/**
 * The formats of GeoReport v2 (wiki.open311.org/GeoReport_v2 "Format Support"): XML is the
 * required one, JSON the optional one, chosen by the extension of the resource
 * (`services.xml`, `requests/{id}.json`). The XML is the spec's: schemaless, no namespace,
 * the declaration with the encoding first, a list as a root element holding one element per
 * item (`<services><service>…`), null as an empty element. The JSON is the same content.
 */

export const open311Formats = ['json', 'xml'] as const;
export type Open311Format = (typeof open311Formats)[number];

export const open311MediaTypes: Readonly<Record<Open311Format, string>> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** The element of each item of a nested list in XML (JSON keeps the array). */
const itemElements: Readonly<Record<string, string>> = { endpoints: 'endpoint', formats: 'format', attributes: 'attribute', values: 'value' };

const builder = new XMLBuilder({ format: false, suppressEmptyNode: false });

function xmlValue(value: unknown, name?: string): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const item = name === undefined ? undefined : itemElements[name];
    if (item === undefined) throw new RangeError(`no XML element is defined for the items of '${name ?? '?'}'`);
    return value.length === 0 ? '' : { [item]: value.map((one) => xmlValue(one)) };
  }
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, one]) => [key, xmlValue(one, key)]));
  return value;
}

/**
 * A GeoReport XML document: `root` holds `content` (an object's fields), or one `item`
 * element per row when `content` is a list.
 */
export function xmlDocument(root: string, content: unknown, item?: string): string {
  let inner: unknown;
  if (Array.isArray(content)) {
    if (item === undefined) throw new RangeError(`the items of <${root}> need an element name`);
    inner = content.length === 0 ? '' : { [item]: content.map((row) => xmlValue(row)) };
  } else {
    inner = xmlValue(content);
  }
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ [root]: inner }) as string}`;
}

/** The XML element names of an answer: the root, and the element of each row of a list. */
export interface XmlNames {
  readonly root: string;
  readonly item?: string;
}

/** An answer in the format asked for: `content` as JSON, or as the XML document `names` say. */
export function answer(format: Open311Format, content: unknown, names: XmlNames, status = 200): HttpResult {
  if (format === 'json') return ok(content, status);
  return { status, body: xmlDocument(names.root, content, names.item), headers: { 'content-type': open311MediaTypes.xml } };
}

/** `{id}.{format}` split; `format` undefined when the extension is not one we serve. */
export function splitFormat(name: string): { readonly base: string; readonly extension: string | undefined; readonly format: Open311Format | undefined } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { base: name, extension: undefined, format: undefined };
  const extension = name.slice(dot + 1);
  const format = (open311Formats as readonly string[]).includes(extension.toLowerCase()) ? (extension.toLowerCase() as Open311Format) : undefined;
  return { base: name.slice(0, dot), extension, format };
}

/** The format a path asks for; JSON unless it ends in `.xml` (errors of unknown formats too). */
export function formatOfPath(path: string | undefined): Open311Format {
  return /\.xml$/i.test(path ?? '') ? 'xml' : 'json';
}

/** 404 for `{name}` in a format we do not serve (or none), naming the ones we do. */
export class UnknownFormatError extends HttpError {
  override readonly name = 'UnknownFormatError';
  constructor(resource: string, extension: string | undefined) {
    super(
      404,
      'Not Found',
      extension === undefined
        ? `${resource} needs a format: ask for ${resource}.xml or ${resource}.json`
        : `format '${extension}' is not served: ask for ${resource}.xml or ${resource}.json`,
      {
        zh: extension === undefined ? `${resource} 需要注明格式：请求 ${resource}.xml 或 ${resource}.json` : `不提供 '${extension}' 格式：请求 ${resource}.xml 或 ${resource}.json`,
      },
    );
  }
}

/**
 * The HTTP status of a refusal under /open311/ (GeoReport v2 "Errors": "404 for resources
 * that don't exist, 403 for errors because of wrong or missing api_key and basically 400 for
 * any other error where the request can not be fulfilled"). The body's `code` keeps the
 * specific status (405, 413, 415, 409, 422...), as the spec allows. Two answers keep their
 * status because a client must act on it rather than on the body: a 429 (slow down, with
 * Retry-After) and a server error (5xx: retry, nothing the client sent was wrong).
 */
export function open311Status(status: number): number {
  if (status === 403 || status === 404 || status === 429 || status >= 500) return status;
  return 400;
}

/** Every error of the Open311 module: the GeoReport error array, in the format the path asks for. */
export const renderOpen311Error: ErrorRenderer = (problem, event: APIGatewayProxyEventV2, standard): APIGatewayProxyStructuredResultV2 => {
  const format = formatOfPath(event.rawPath);
  const errors = open311Errors(problem);
  const kept = Object.fromEntries(Object.entries(standard.headers ?? {}).filter(([name]) => !/^content-(type|language)$/i.test(name)));
  return {
    statusCode: open311Status(problem.status),
    headers: { ...kept, 'content-type': open311MediaTypes[format] },
    body: format === 'json' ? JSON.stringify(errors) : xmlDocument('errors', errors, 'error'),
  };
};
