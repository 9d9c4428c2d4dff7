// Prism SDK: the monotonic clock the I/O modules read (the pure modules take time as a parameter instead).

/** Milliseconds on a monotonic clock (performance.now() where there is one). */
export function now() {
  return globalThis.performance?.now() ?? Date.now();
}
