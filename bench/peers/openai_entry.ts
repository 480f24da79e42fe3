// Bundle-size peer: the official `openai` SDK's Azure client, bundled like our core.
import { AzureOpenAI } from "openai";
export { AzureOpenAI };
