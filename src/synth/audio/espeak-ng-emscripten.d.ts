// Types for the parts of @echogarden/espeak-ng-emscripten 0.3.5 that tts.ts uses
// (the package ships plain JavaScript; see its espeak-ng.js for the full binding).
declare module '@echogarden/espeak-ng-emscripten' {
  export interface EspeakEvent {
    type: 'list_terminated' | 'word' | 'sentence' | 'mark' | 'play' | 'end' | 'msg_terminated' | 'phoneme' | 'samplerate';
    /** 1-based character index of the event in the synthesized text. */
    text_position: number;
    word_length: number;
    /** Milliseconds from the start of the synthesized audio. */
    audio_position: number;
    id?: number | string;
  }

  export interface EspeakVoiceInfo {
    name: string;
    identifier: string;
    languages: { priority: number; name: string }[];
  }

  export interface ESpeakNGWorker {
    /** Returns 0 on success; unknown names are accepted silently and then synthesize silence. */
    set_voice(name: string, language: string): number;
    set_rate(wordsPerMinute: number): void;
    set_pitch(pitch: number): void;
    set_range(range: number): void;
    get_samplerate(): number;
    list_voices(): EspeakVoiceInfo[];
    /** Synchronous: the callback receives 16-bit PCM chunks; return nonzero to abort. */
    synthesize(text: string, callback: (audio: Int16Array, events: EspeakEvent[]) => number | boolean): void;
  }

  export interface EspeakModule {
    eSpeakNGWorker: new () => ESpeakNGWorker;
    /** The module's whole memory (asm.js-style build: all C state lives here). */
    HEAPU8: Uint8Array;
  }

  const createModule: (options?: Record<string, unknown>) => Promise<EspeakModule>;
  export default createModule;
}
