import { fileURLToPath } from 'node:url';

/**
 * Cold start (issue 16): the meta Lambda answers `GET /v1/openapi.json` with a document that
 * takes every module's schemas and the generator to build, about 0.3 s of CPU and 400 KB of
 * code on a cold container's first request. The document is a pure function of the route
 * specs, which are fixed when the bundle is built; so the bundle is given the finished
 * document, brotli-compressed as base64 text (esbuild `define`, infra/constructs/lambda.ts),
 * and the builder, marked external, is left out of it. Running from the sources (local
 * stack, tests), the global is not defined and the route builds the document itself, once
 * per process.
 */
export const prebuiltDocumentGlobal = '__XIUHUA_OPENAPI_DOCUMENT__';

/** The module that builds the document from the sources: external to the meta bundle. */
export const documentBuilderFile: string = fileURLToPath(new URL('./build-document.ts', import.meta.url));
