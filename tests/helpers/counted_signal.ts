// An AbortSignal whose live "abort" listeners are counted, to catch listeners left behind.

/** A counted signal: `live` holds the abort listeners added and not yet removed (or run, if once). */
export interface CountedSignal {
  controller: AbortController;
  signal: AbortSignal;
  live: Set<unknown>;
  /** Abort listeners live now. */
  listeners: () => number;
}

/** A fresh signal whose abort listeners are counted; a `once` listener is gone after it ran. */
export function countedSignal(): CountedSignal {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, fn: EventListener, opts?: AddEventListenerOptions) => {
    if (type === "abort") live.add(fn);
    add(type, fn, opts);
    if (type === "abort" && opts?.once) add(type, () => live.delete(fn), { once: true });
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, fn: EventListener, opts?: EventListenerOptions) => {
    if (type === "abort") live.delete(fn);
    remove(type, fn, opts);
  }) as typeof signal.removeEventListener;
  return { controller, signal, live, listeners: () => live.size };
}
