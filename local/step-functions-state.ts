/** The local Step Functions emulation's state: the ASL it reads, executions as kept across restarts. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type AslState = {
  Type: string;
  Resource?: string;
  Seconds?: number;
  SecondsPath?: string;
  /** A Task's timeout (a callback Task's: how long it waits for its token). */
  TimeoutSeconds?: number;
  Retry?: unknown[];
  Parameters?: Record<string, unknown>;
};
export type Asl = { StartAt: string; States: Record<string, AslState> };
export type LocalLambda = (input: unknown) => Promise<unknown>;

/** Where a running execution is: the top-level state it last entered, with that state's input. */
export interface Checkpoint {
  state: string;
  input: Json;
  /** Epoch ms when the state was entered (a resumed Wait only waits for what is left). */
  enteredAt: number;
}

/** What is kept of a running execution across restarts. */
export interface StoredExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  checkpoint?: Checkpoint;
}

export interface Execution extends StoredExecution {
  /** The definition it runs (parsed once). */
  asl?: Asl;
  events: unknown[];
  abort?: () => void;
  done: Promise<void>;
}

export type StoredMachine = { definition: string; roleArn: string; versions: string[] };
export interface StoredState {
  machines: Record<string, StoredMachine>;
  executions: StoredExecution[];
}

/** How long a Wait state waits, in (scaled) ms, for the given input: Seconds or SecondsPath. */
export function waitDurationMs(state: AslState, input: Json, scale: number): number | undefined {
  if (typeof state.Seconds === 'number') return Math.round((state.Seconds * 1000) / scale);
  if (!state.SecondsPath) return undefined;
  // Only the simple `$.a.b` paths the compiler emits; the computed seconds are already scaled.
  let value: Json | undefined = input;
  for (const key of state.SecondsPath.replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)) {
    value = value && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
  }
  return typeof value === 'number' ? value * 1000 : undefined;
}
