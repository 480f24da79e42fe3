/**
 * Failures the app has reported through its `onError` already: a response body it fails after
 * reporting the upstream's cut, which Deno.serve then hands to its `onError` ({@link denoOnError}
 * skips it, so one cut is one line).
 *
 * @module
 */

/** The errors a response body failed with once the app reported them. */
export const REPORTED: WeakSet<object> = new WeakSet();
