/**
 * Request body validation of the edge app (valibot inside, plain results outside).
 *
 * @module
 */
export { checkAudioForm } from "./audio.ts";
export { checkChatBody } from "./chat.ts";
export { checkCompletionsBody } from "./completions.ts";
export { deploymentNameProblem, MAX_DEPLOYMENT_NAME } from "./deployment.ts";
export { checkEmbeddingsBody, checkTextOrTokens, MAX_EMBEDDING_INPUTS } from "./embeddings.ts";
export { checkImagesBody, checkSpeechBody } from "./images.ts";
export { parseJsonObject } from "./_common.ts";
export { formatPath, problemOf } from "./_issues.ts";
export type { Checked, Problem } from "./_issues.ts";
