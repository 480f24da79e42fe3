// Error handling as the openai SDK's users write it.
import { APIConnectionError, APIError, AzureOpenAI, RateLimitError } from "openai";
import {
  APIConnectionTimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
} from "openai";

const client = new AzureOpenAI({
  endpoint: "https://my-res.openai.azure.com",
  apiKey: "<key>",
  apiVersion: "2024-10-21",
});

// snippet: catch a rate limit, read status, headers and request id
{
  try {
    await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hi" }],
    });
  } catch (err) {
    if (err instanceof RateLimitError) {
      const status: number | undefined = err.status;
      const retryAfter = err.headers?.get("retry-after");
      console.log(status, retryAfter, err.requestID, err.message);
    } else if (err instanceof APIError) {
      console.log(err.status, err.code, err.param, err.type, err.name, err.headers, err.error);
      console.log(err.requestID);
    } else {
      throw err;
    }
  }
}

// snippet: every class, with .catch()
{
  const res = await client.embeddings
    .create({ model: "text-embedding-3-small", input: "hi" })
    .catch((err) => {
      if (err instanceof BadRequestError) console.log("400", err.code);
      else if (err instanceof AuthenticationError) console.log("401");
      else if (err instanceof NotFoundError) console.log("404: check the deployment name");
      else if (err instanceof InternalServerError) console.log(err.status);
      else if (err instanceof APIConnectionTimeoutError) console.log("timed out");
      else if (err instanceof APIUserAbortError) console.log("aborted");
      else if (err instanceof APIConnectionError) console.log("network", err.cause);
      else throw err;
      return null;
    });
  console.log(res?.data.length);
}
