/** Types of compat/runtime/scenarios.mjs (plain JS shared by every runtime of the matrix). */
import type { EmulatorScript } from "../../src/emulator/mod.ts";

/** One scenario's outcome. */
export interface ScenarioResult {
  name: string;
  ok: boolean;
  error?: string;
}

/** Options every emulator of the matrix is made with: the runTools() scenarios' chat script. */
export declare const EMULATOR_OPTIONS: { script: EmulatorScript };

/** Names of the scenarios, in the order {@link runScenarios} reports them. */
export declare const SCENARIO_NAMES: string[];

/** Runs every scenario against the bundled `core` and `edge` modules; never throws. */
export declare function runScenarios(options: {
  core: unknown;
  edge: unknown;
  endpoint: string;
  apiKey: string;
}): Promise<ScenarioResult[]>;

/** Names of the `chat.completions.stream()` and `runTools()` scenarios (also in {@link SCENARIO_NAMES}). */
export declare const CHAT_STREAM_SCENARIO_NAMES: string[];

/** Runs only the `stream()` and `runTools()` scenarios against the bundled `core`; never throws. */
export declare function runChatStreamScenarios(options: {
  core: unknown;
  endpoint: string;
  apiKey: string;
}): Promise<ScenarioResult[]>;

/** A WAV file of silence: 16-bit mono, 24 kHz unless `rate` says otherwise. */
export declare function wavBytes(seconds: number, rate?: number): Uint8Array;
