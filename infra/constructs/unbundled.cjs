'use strict';
/**
 * What the packages in `unbundledPackages` (infra/constructs/lambda.ts) resolve to inside a
 * Lambda bundle: exceljs requires them at import but uses them only to read workbooks, stream
 * them, or parse CSV, none of which a bundle does. Any property is a function that throws, so
 * destructuring at import works and a call names what is missing instead of failing obscurely.
 */
module.exports = new Proxy(
  {},
  {
    get(_target, name) {
      if (name === '__esModule') return false;
      return function unbundled() {
        throw new Error(`${String(name)}: this package is not bundled into the Lambda (infra/constructs/lambda.ts, unbundledPackages)`);
      };
    },
  },
);
