/**
 * Layered configuration: defaults overlaid with each layer in turn (a config file, then
 * flags). Nested objects merge key by key; arrays and scalars replace; an unknown key is an
 * error unless its parent is an open object (one whose keys are free, e.g. an engine's options).
 */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

export interface OverlayRules {
  /** Prefix of the unknown-key error, e.g. 'downstream config'. */
  label: string;
  /** Whether the object at this dotted path accepts keys its defaults lack. */
  isOpen: (path: string) => boolean;
}

/** A deep copy of `defaults` with every layer overlaid in order. */
export function overlayLayers<T>(defaults: T, layers: readonly unknown[], rules: OverlayRules): T {
  let config = structuredClone(defaults) as unknown as Record<string, unknown>;
  for (const layer of layers) config = overlay(config, layer as Record<string, unknown>, '', rules);
  return config as unknown as T;
}

function overlay(base: Record<string, unknown>, over: Record<string, unknown>, path: string, rules: OverlayRules): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const where = path ? `${path}.${key}` : key;
    if (!(key in base) && !rules.isOpen(path)) throw new Error(`${rules.label}: unknown key '${where}'`);
    const current = base[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? overlay(current, value, where, rules) : value;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
