/**
 * The error beep: a short low tone, so a cashier who is looking at the customer hears that a scan was
 * refused. Browsers allow audio only after a user gesture; before that (or without audio hardware) it is
 * silent and the screen's flash carries the message alone.
 */
let context: AudioContext | undefined;

export function beep(frequency = 440, durationMs = 180): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = 'square';
    osc.frequency.value = frequency;
    gain.gain.value = 0.08;
    osc.connect(gain).connect(context.destination);
    osc.start();
    osc.stop(context.currentTime + durationMs / 1000);
  } catch {
    // No audio device: the flash is enough.
  }
}
