/** Bumped whenever the generator's output for a given seed changes. */
export const SYNTH_VERSION = '1.1.0';
