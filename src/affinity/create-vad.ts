import { EnergyVad, type EnergyVadConfig } from './energy-vad.js';
import { SileroVad, type SileroVadConfig } from './silero-vad.js';
import type { VadEngine, VadEngineName } from './vad-engine.js';
import { WebrtcVad, type WebrtcVadConfig } from './webrtc-vad.js';

export interface VadConfigs {
  energy: EnergyVadConfig;
  webrtc: WebrtcVadConfig;
  silero: SileroVadConfig;
}

/** Builds a VAD engine by name; `config` overrides that engine's documented defaults. */
export async function createVad<N extends VadEngineName>(name: N, config: Partial<VadConfigs[N]> = {}): Promise<VadEngine> {
  switch (name) {
    case 'energy':
      return new EnergyVad(config as Partial<EnergyVadConfig>);
    case 'webrtc':
      return new WebrtcVad(config as Partial<WebrtcVadConfig>);
    case 'silero':
      return SileroVad.create(config as Partial<SileroVadConfig>);
    default:
      throw new Error(`unknown VAD engine '${String(name)}' (expected energy, webrtc or silero)`);
  }
}
