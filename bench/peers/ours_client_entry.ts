// Bundle-size row on the peers' footing: only our `AzureOpenAI` (what the openai entry exports),
// so the bundler drops every export the client does not use.
import { AzureOpenAI } from "../../mod.ts";
export { AzureOpenAI };
