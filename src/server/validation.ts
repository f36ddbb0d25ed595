/**
 * Request validation. Bodies are strict: no type coercion ("12" is not a number) and no
 * silent removal of unknown fields. Query strings and params arrive as text, so they
 * are coerced to the schema's types.
 */
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const common: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };

const strict = new Ajv({ ...common, coerceTypes: false });
const coercing = new Ajv({ ...common, coerceTypes: 'array' });
for (const ajv of [strict, coercing]) {
  addFormats.default(ajv);
}

/**
 * Where a string holding U+0000 is (JSON pointer), or null. PostgreSQL text cannot store NUL
 * (SQLite can): it is refused in every part of every request, so both engines answer 400
 * instead of one of them failing with a 500. Iterative: bodies may be nested thousands deep.
 */
export function nulPointer(data: unknown): string | null {
  const stack: [unknown, string][] = [[data, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string];
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path;
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes('\u0000')) return path;
        stack.push([child, `${path}/${key}`]);
      }
    }
  }
  return null;
}

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  const validate = ajv.compile(schema as object);
  const check = (data: unknown) => {
    const at = nulPointer(data);
    if (at !== null) {
      check.errors = [{ instancePath: at, message: 'must not contain a NUL character' }];
      return false;
    }
    const valid = validate(data);
    check.errors = validate.errors as typeof check.errors;
    return valid;
  };
  check.errors = null as null | { instancePath: string; message: string }[];
  return check as unknown as ReturnType<FastifySchemaCompiler<unknown>>;
};
