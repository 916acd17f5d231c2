/**
 * Keyboard-wedge scanner detection: a pure state machine. A wedge scanner "types" the code, much faster
 * than a person, usually followed by Enter. Fed key events with timestamps, the detector says what to do
 * with each key (let it through or hold it back), which held keys turned out to be typing (replay them), and
 * when a scan is complete. The UI applies the decisions; nothing here touches the DOM or reads a clock.
 *
 * Rules:
 * - Outside a text input, printable keys are held while they come faster than `maxInterKeyMs` apart. A
 *   suffix key (Enter) after at least `minLength` of them makes a scan; anything else (a slow key, a
 *   non-printable key, too few characters, the quiet deadline) releases the held keys for replay.
 * - Inside a text input the cashier may be typing, so no key is ever held: everything passes through. If what
 *   was typed still looks like a scan when the suffix comes, the scan is reported with how many characters
 *   already went into the input (`typedIntoInput`); the UI decides whether to take them back out.
 * - A configured `prefix` key (one a scanner can be programmed to send first, e.g. "F13") cannot come from a
 *   person, so after it every key is captured until the suffix, wherever the focus is.
 * - Modifier keys (Shift for capitals) are ignored: scanners press them too.
 */

export type WedgeConfig = {
  /** Longest gap between two scanner keystrokes; people rarely sustain less than 50 ms. */
  readonly maxInterKeyMs: number;
  /** Shortest code that counts as a scan; shorter bursts are typing. */
  readonly minLength: number;
  /** Keys that end a scan (`KeyboardEvent.key`). Empty: scans end when the keys stop (the deadline). */
  readonly suffix: readonly string[];
  /** A key the scanner sends first; optional. */
  readonly prefix: string | undefined;
  /** Keys some scanners send for the GS1 group separator; they become ASCII 29 in the code. */
  readonly groupSeparatorKeys: readonly string[];
};

export const DEFAULT_WEDGE_CONFIG: WedgeConfig = {
  maxInterKeyMs: 30,
  minLength: 6,
  suffix: ['Enter'],
  prefix: undefined,
  groupSeparatorKeys: [],
};

/** The till's configured framing (status `keyboardWedge`, config `devices.keyboardWedge`) as detector settings. */
export function wedgeConfigFrom(framing: {
  readonly prefixKey: string | null;
  readonly suffixKeys: readonly string[];
  readonly maxInterKeyMs: number;
  readonly minLength: number;
}): WedgeConfig {
  return { ...DEFAULT_WEDGE_CONFIG, prefix: framing.prefixKey ?? undefined, suffix: framing.suffixKeys, maxInterKeyMs: framing.maxInterKeyMs, minLength: framing.minLength };
}

export type WedgeTarget = 'text-input' | 'other';

export type WedgeInput =
  | { readonly type: 'key'; readonly key: string; readonly at: number; readonly target: WedgeTarget }
  | { readonly type: 'tick'; readonly at: number };

export type WedgeOutput = {
  /** For a key input: let the key through (`pass`) or prevent its default (`swallow`). Undefined for ticks. */
  readonly key: 'pass' | 'swallow' | undefined;
  /** Held keys that were typing after all; deliver them, in order, before the current key. */
  readonly replay: readonly string[];
  /** Set when this input completed a scan. */
  readonly scan: { readonly code: string; readonly typedIntoInput: number } | undefined;
};

export type WedgeState =
  | { readonly mode: 'idle' }
  | {
      readonly mode: 'buffering';
      /** Characters so far (GS already mapped). */
      readonly chars: readonly string[];
      /** The keys as pressed, for replay. */
      readonly keys: readonly string[];
      readonly last: number;
      /** Keys went straight into a text input (nothing held). */
      readonly passthrough: boolean;
      /** Started by the prefix key: captured regardless of timing and focus. */
      readonly prefixed: boolean;
    };

export const IDLE: WedgeState = { mode: 'idle' };

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock']);

const out = (key: WedgeOutput['key'], replay: readonly string[] = [], scan?: WedgeOutput['scan']): WedgeOutput => ({ key, replay, scan });

type Step = { readonly state: WedgeState; readonly output: WedgeOutput };

/**
 * How long a scan framed by a prefix waits for its suffix. The point of a prefix is that timing stops
 * mattering (a loaded till delivers keys late), so the gap limit does not apply; this only ends a capture
 * whose suffix never came (a scanner programmed without one), a second being far beyond any scanner's pause.
 */
export const PREFIXED_SUFFIX_WAIT_MS = 1000;

/** How long the state may stay quiet before `tick` acts on it. */
function quietLimit(config: WedgeConfig, state: Extract<WedgeState, { mode: 'buffering' }>): number {
  return state.prefixed && config.suffix.length > 0 ? PREFIXED_SUFFIX_WAIT_MS : config.maxInterKeyMs;
}

/** When the UI should call `tick` if no key comes first; undefined when idle. */
export function wedgeDeadline(config: WedgeConfig, state: WedgeState): number | undefined {
  return state.mode === 'buffering' ? state.last + quietLimit(config, state) + 1 : undefined;
}

export function wedgeStep(config: WedgeConfig, state: WedgeState, input: WedgeInput): Step {
  if (input.type === 'tick') return tick(config, state, input.at);
  const { key, at, target } = input;
  if (MODIFIERS.has(key)) return { state, output: out(state.mode === 'buffering' && !state.passthrough ? 'swallow' : 'pass') };

  if (config.prefix !== undefined && key === config.prefix) {
    // A new prefix ends whatever was pending: replay held typing, drop an unfinished prefixed capture.
    const replay = state.mode === 'buffering' && !state.passthrough && !state.prefixed ? state.keys : [];
    return { state: { mode: 'buffering', chars: [], keys: [], last: at, passthrough: false, prefixed: true }, output: out('swallow', replay) };
  }

  if (state.mode === 'buffering' && !state.prefixed && at - state.last > config.maxInterKeyMs) {
    // Too slow: what was held is typing. Replay it, then treat this key as the start of something new.
    const released = state.passthrough ? [] : state.keys;
    const next = wedgeStep(config, IDLE, input);
    return { state: next.state, output: { ...next.output, replay: [...released, ...next.output.replay] } };
  }

  if (config.suffix.includes(key)) return onSuffix(config, state);

  const char = config.groupSeparatorKeys.includes(key) ? '\u001d' : key.length === 1 ? key : undefined;
  if (char === undefined) {
    // Arrows, Backspace, F-keys: a person is at the keyboard. Release anything held and let the key act.
    if (state.mode === 'buffering' && state.prefixed) return { state: { ...state, last: at }, output: out('swallow') };
    return { state: IDLE, output: out('pass', state.mode === 'buffering' && !state.passthrough ? state.keys : []) };
  }

  if (state.mode === 'idle') {
    const passthrough = target === 'text-input';
    return {
      state: { mode: 'buffering', chars: [char], keys: [key], last: at, passthrough, prefixed: false },
      output: out(passthrough ? 'pass' : 'swallow'),
    };
  }
  return {
    state: { ...state, chars: [...state.chars, char], keys: [...state.keys, key], last: at },
    output: out(state.passthrough ? 'pass' : 'swallow'),
  };
}

function onSuffix(config: WedgeConfig, state: WedgeState): Step {
  if (state.mode === 'idle') return { state, output: out('pass') };
  if (state.chars.length >= config.minLength || (state.prefixed && state.chars.length > 0)) {
    const typedIntoInput = state.passthrough ? state.chars.length : 0;
    return { state: IDLE, output: out('swallow', [], { code: state.chars.join(''), typedIntoInput }) };
  }
  if (state.prefixed) return { state: IDLE, output: out('swallow') };
  return { state: IDLE, output: out('pass', state.passthrough ? [] : state.keys) };
}

function tick(config: WedgeConfig, state: WedgeState, at: number): Step {
  if (state.mode === 'idle' || at - state.last <= quietLimit(config, state)) return { state, output: out(undefined) };
  // Keys stopped. Without a suffix that ends a scan of sufficient length; otherwise it was typing.
  const endsByQuiet = config.suffix.length === 0 || state.prefixed;
  if (endsByQuiet && state.chars.length >= (state.prefixed ? 1 : config.minLength)) {
    const typedIntoInput = state.passthrough ? state.chars.length : 0;
    return { state: IDLE, output: out(undefined, [], { code: state.chars.join(''), typedIntoInput }) };
  }
  return { state: IDLE, output: out(undefined, state.passthrough || state.prefixed ? [] : state.keys) };
}

/** Convenience wrapper that keeps the state; still pure apart from its own field. */
export class KeyboardWedgeDetector {
  private state: WedgeState = IDLE;
  readonly config: WedgeConfig;

  constructor(config: Partial<WedgeConfig> = {}) {
    this.config = { ...DEFAULT_WEDGE_CONFIG, ...config };
  }

  key(key: string, at: number, target: WedgeTarget): WedgeOutput {
    return this.apply({ type: 'key', key, at, target });
  }

  tick(at: number): WedgeOutput {
    return this.apply({ type: 'tick', at });
  }

  deadline(): number | undefined {
    return wedgeDeadline(this.config, this.state);
  }

  reset(): void {
    this.state = IDLE;
  }

  private apply(input: WedgeInput): WedgeOutput {
    const { state, output } = wedgeStep(this.config, this.state, input);
    this.state = state;
    return output;
  }
}
