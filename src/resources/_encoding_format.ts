/**
 * True when the api-version's spec defines `encoding_format` for embeddings: dated versions from
 * 2024-05-01(-preview) on (2024-02-01 lacks it); undated ones (`v1`, `preview`) are the v1 API.
 */
export function takesEncodingFormat(version: string): boolean {
  return !/^\d{4}-\d\d-\d\d/.test(version) || version >= "2024-05-01";
}
