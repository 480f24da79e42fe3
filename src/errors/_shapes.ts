/** Content filter results as found in error bodies: category → verdict, kept loose. */
export type ContentFilterResultsLike = Record<string, unknown>;
