/**
 * The deployment names the app sends upstream as a path segment.
 *
 * Azure documents no character rule for deployment names (its naming rules list only the
 * Cognitive Services account; the management API gives deployments no pattern), so this refuses
 * only what cannot be one path segment safely, and takes every name a deployment is seen with
 * (letters, digits, `-`, `_`, `.`).
 *
 * @module
 */

/** Longest deployment name the app sends upstream, in UTF-16 code units. */
export const MAX_DEPLOYMENT_NAME = 255;

/**
 * Why `name` cannot be sent as a deployment path segment, or undefined when it can: longer than
 * {@link MAX_DEPLOYMENT_NAME}, a path separator (`/`, or `\` that URL parsers take for one), a
 * control character, or a lone surrogate (which no URL can carry). The empty name and the dot
 * segments are the caller's (a missing `model`; not found).
 */
export function deploymentNameProblem(name: string): string | undefined {
  if (name.length > MAX_DEPLOYMENT_NAME) return `is longer than ${MAX_DEPLOYMENT_NAME} characters`;
  if (/[/\\]/.test(name)) return 'holds "/" or "\\"';
  if (/[\p{Cc}\p{Cs}]/u.test(name)) return "holds a control character or a lone surrogate";
  return undefined;
}
