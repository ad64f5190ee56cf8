/**
 * Initializer (de)serialisation for the custom layers. tfjs-layers keeps its own helpers
 * private, but every built-in initializer is registered in tfjs-core's SerializationMap
 * under its class name, which is all a round trip needs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initializers } from '@tensorflow/tfjs-layers';

export type Initializer = ReturnType<typeof initializers.ones>;
/** An instance, a name ('heNormal' or 'HeNormal') or a serialised {className, config}. */
export type InitializerSpec = Initializer | string | tf.serialization.ConfigDict;

export function serializeInitializer(initializer: Initializer): tf.serialization.ConfigDict {
  return { className: initializer.getClassName(), config: initializer.getConfig() };
}

function isInitializer(spec: InitializerSpec): spec is Initializer {
  return typeof spec === 'object' && typeof (spec as Partial<Initializer>).apply === 'function';
}

/**
 * Resolves `spec` to an initializer. `seed` is written into the config of a named one. A
 * random initializer left without a seed is refused: tfjs would then draw from Math.random,
 * and every random choice in a run must flow from its recorded seed.
 */
export function resolveInitializer(spec: InitializerSpec, seed?: number): Initializer {
  let initializer: Initializer;
  if (isInitializer(spec)) {
    initializer = spec;
  } else {
    const named = typeof spec === 'string';
    const className = named ? spec.charAt(0).toUpperCase() + spec.slice(1) : String(spec.className);
    const config = named ? {} : ((spec.config ?? {}) as tf.serialization.ConfigDict);
    const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
    if (entry === undefined) throw new Error(`unknown initializer ${className}`);
    const [cls, fromConfig] = entry;
    const withSeed = named && seed !== undefined ? { ...config, seed } : config;
    initializer = fromConfig(cls, withSeed) as Initializer;
  }
  const config = initializer.getConfig();
  if ('seed' in config && (config.seed === undefined || config.seed === null)) {
    throw new Error(`initializer ${initializer.getClassName()} needs a seed (draw it from the run's Rng)`);
  }
  return initializer;
}
