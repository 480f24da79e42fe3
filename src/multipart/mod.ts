/**
 * Upload helpers for multipart requests.
 * @module
 */
export { toBlob, type UploadInput, UploadTooLargeError } from "./to_blob.ts";
