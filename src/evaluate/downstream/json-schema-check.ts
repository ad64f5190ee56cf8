/**
 * A small JSON Schema (draft 2020-12) checker covering exactly the keywords
 * downstream-manifest.v1.schema.json uses; any other keyword throws, so the schema cannot
 * silently outgrow it. Test support (no validator package is installed).
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

const KEYWORDS = new Set([
  '$schema', '$id', 'title', 'description', '$defs', '$ref', 'const', 'enum', 'type', 'properties', 'required',
  'additionalProperties', 'items', 'minimum', 'minLength', 'pattern', 'oneOf', 'if', 'then', 'else',
]);

/** Error paths (empty when `value` conforms). */
export function checkJsonSchema(schema: Schema, value: Json, root: Schema = schema, at = '$'): string[] {
  for (const key of Object.keys(schema)) if (!KEYWORDS.has(key)) throw new Error(`checkJsonSchema: unsupported keyword ${key}`);
  const errors: string[] = [];
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const target = ref.replace(/^#\//, '').split('/').reduce<Json>((node, part) => (node as Schema)[part]!, root);
    errors.push(...checkJsonSchema(target as Schema, value, root, at));
  }
  if ('const' in schema && JSON.stringify(schema['const']) !== JSON.stringify(value)) errors.push(`${at}: not ${JSON.stringify(schema['const'])}`);
  if (Array.isArray(schema['enum']) && !schema['enum'].some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${at}: not in enum`);
  if (schema['type'] !== undefined) {
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    const ok = ([] as Json[]).concat(schema['type']).some((t) => t === actual || (t === 'integer' && Number.isInteger(value)));
    if (!ok) errors.push(`${at}: type ${actual}`);
  }
  if (typeof value === 'number' && typeof schema['minimum'] === 'number' && value < schema['minimum']) errors.push(`${at}: below minimum`);
  if (typeof value === 'string') {
    if (typeof schema['minLength'] === 'number' && value.length < schema['minLength']) errors.push(`${at}: too short`);
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) errors.push(`${at}: does not match ${schema['pattern']}`);
  }
  if (Array.isArray(value) && schema['items']) value.forEach((item, i) => errors.push(...checkJsonSchema(schema['items'] as Schema, item, root, `${at}[${i}]`)));
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
    for (const key of (schema['required'] ?? []) as string[]) if (!(key in value)) errors.push(`${at}: missing ${key}`);
    const extra = schema['additionalProperties'];
    for (const [key, item] of Object.entries(value)) {
      if (properties[key]) errors.push(...checkJsonSchema(properties[key], item, root, `${at}.${key}`));
      else if (extra === false) errors.push(`${at}: extra ${key}`);
      else if (extra && typeof extra === 'object') errors.push(...checkJsonSchema(extra as Schema, item, root, `${at}.${key}`));
    }
  }
  if (Array.isArray(schema['oneOf'])) {
    const passing = schema['oneOf'].filter((s) => checkJsonSchema(s as Schema, value, root, at).length === 0).length;
    if (passing !== 1) errors.push(`${at}: oneOf matched ${passing}`);
  }
  if (schema['if']) {
    const branch = checkJsonSchema(schema['if'] as Schema, value, root, at).length === 0 ? schema['then'] : schema['else'];
    if (branch) errors.push(...checkJsonSchema(branch as Schema, value, root, at));
  }
  return errors;
}
