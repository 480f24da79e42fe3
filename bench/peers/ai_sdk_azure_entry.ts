// Bundle-size peer: the Vercel AI SDK Azure provider, bundled like our core.
import { createAzure } from "@ai-sdk/azure";
export { createAzure };
