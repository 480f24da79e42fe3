import assert from "node:assert/strict";
import { redactSecrets, redactUrl } from "./redact.ts";

Deno.test("redactUrl() masks secret query parameters whatever their case", () => {
  assert.equal(
    redactUrl("https://x.openai.azure.com/openai?API-Key=abc&api-version=1&sig=s&apikey=k"),
    "https://x.openai.azure.com/openai?API-Key=***&api-version=1&sig=***&apikey=***",
  );
  assert.equal(redactUrl("https://x/?access_token=t&code=c&token=u&key=v").includes("t&"), false);
});

Deno.test("redactUrl() masks APIM, OAuth and SAS secrets, and keeps api-version and the rest", () => {
  const url = "https://apim.example/openai?subscription-key=s1&client_secret=s2&refresh_token=s3" +
    "&id_token=s4&password=s5&signature=s6&auth=s7&x-functions-key=s8&authorization=s9" +
    "&pwd=s10&credential=s11&api-version=2024-10-21" +
    "&deployment=gpt-4o&sv=2024-01-01&se=2030";
  const masked = redactUrl(url);
  for (let i = 1; i <= 11; i++) assert.ok(!masked.includes(`=s${i}&`), `s${i} in ${masked}`);
  assert.ok(masked.includes("api-version=2024-10-21&deployment=gpt-4o&sv=2024-01-01&se=2030"));
});

Deno.test("redactUrl() drops credentials and returns other URLs unchanged", () => {
  assert.equal(redactUrl("https://user:pass@x.openai.azure.com/a"), "https://x.openai.azure.com/a");
  const plain = "https://x.openai.azure.com/openai/deployments/d/chat?api-version=2024-10-21";
  assert.equal(redactUrl(plain), plain);
  assert.equal(redactUrl("not a url"), "not a url");
});

Deno.test("redactSecrets() replaces every occurrence of secrets of 4 characters or more", () => {
  assert.equal(redactSecrets("k sk-1 sk-12345 sk-12345", ["sk-12345", "sk-"]), "k sk-1 *** ***");
});

Deno.test("redactUrl() masks secrets in fragments, relative URLs and percent-encoded names", () => {
  assert.equal(
    redactUrl("https://app.example/cb#access_token=t1&state=s&expires_in=3600"),
    "https://app.example/cb#access_token=***&state=s&expires_in=3600",
  );
  assert.equal(
    redactUrl("/openai/deployments/d/embeddings?api-key=k1&api-version=2024-10-21"),
    "/openai/deployments/d/embeddings?api-key=***&api-version=2024-10-21",
  );
  assert.equal(redactUrl("?api%2Dkey=k2&sig=a%3D%3D"), "?api%2Dkey=***&sig=***");
  assert.equal(redactUrl("https://x/a?key=v1=="), "https://x/a?key=***");
  // An "@" past the authority is not a user name.
  assert.equal(redactUrl("https://x/users/a@b?q=1"), "https://x/users/a@b?q=1");
  assert.equal(redactUrl("https://u:p@x/users/a@b"), "https://x/users/a@b");
  assert.equal(redactUrl("https://x/?%E0%A4%A=1&token=t"), "https://x/?%E0%A4%A=1&token=***");
});

Deno.test("redactUrl() masks a secret parameter after a second '?' (inside another parameter's value)", () => {
  assert.equal(redactUrl("https://x/a?api-version=1?key=zz"), "https://x/a?api-version=1?key=***");
  assert.equal(redactUrl("https://x/a?q?sig=zz&n=1"), "https://x/a?q?sig=***&n=1");
  assert.equal(
    redactUrl("https://x/a?q=1?b=2?api-key=zz&token=t#s=1?code=c"),
    "https://x/a?q=1?b=2?api-key=***&token=***#s=1?code=***",
  );
  // A secret's value holding '?' is masked whole; a value with a '?' but no pair is kept.
  assert.equal(redactUrl("https://x/a?sig=ab?cd=e&q=why?"), "https://x/a?sig=***&q=why?");
  // Many pairs behind '?'s in one value (no recursion to run out of stack).
  const many = `?q=${"a=?".repeat(20_000)}key=zz`;
  assert.equal(redactUrl(many), many.replace("zz", "***"));
  // In a path, '&key=' masks up to the next '&' or '#' (the path's rest and the query's first
  // parameter): more than needed, never less.
  assert.equal(
    redactUrl("https://x/a&key=k1/b?api-version=1&api-key=k2&n=1"),
    "https://x/a&key=***&api-key=***&n=1",
  );
});

Deno.test("redactUrl() masks a secret parameter of a percent-encoded URL inside a value (once or twice encoded)", () => {
  assert.equal(
    redactUrl("https://x/a?redirect=https%3A%2F%2Fy%3Fapi-key%3DS1%26n%3D1&api-version=1"),
    "https://x/a?redirect=https%3A%2F%2Fy%3Fapi-key%3D***&api-version=1",
  );
  assert.equal(
    redactUrl("https://x/a?r=https%253A%252F%252Fy%253Fq%253D1%2526sig%253DS2&api-version=1"),
    "https://x/a?r=https%253A%252F%252Fy%253Fq%253D1%2526sig%253D***&api-version=1",
  );
  assert.equal(
    redactUrl("/cb?next=%2Fo%23access_token%3DS3"),
    "/cb?next=%2Fo%23access_token%3D***",
  );
  // A secret's value holding an encoded '&' or '?' is masked whole; other values are kept.
  assert.equal(
    redactUrl("https://x/?key=S4%26S5%3FS6&q=a%26b%3Fc"),
    "https://x/?key=***&q=a%26b%3Fc",
  );
  const plain = "https://x/a?q=50%25%3D1&model=gpt-4o&api-version=1";
  assert.equal(redactUrl(plain), plain);
});

Deno.test("redactUrl() masks JWT, assertion and SAS parameters, not model, input or api-version", () => {
  const url = "https://x/a?jwt=S1&assertion=S2&client_assertion=S3&id_token=S4&sas=S5" +
    "&X-Amz-Signature=S6&access_key=S7&X-Amz-Credential=S8&id_jwt=S9" +
    "&model=gpt-4o&api-version=1&input=hi&client_assertion_type=jwt-bearer&sp=r";
  const masked = redactUrl(url);
  for (let i = 1; i <= 9; i++) assert.ok(!masked.includes(`=S${i}`), `S${i} in ${masked}`);
  assert.ok(
    masked.endsWith("&model=gpt-4o&api-version=1&input=hi&client_assertion_type=jwt-bearer&sp=r"),
    masked,
  );
});

Deno.test("redactUrl() drops a user and password of a URL inside a value (encoded once, twice or not)", () => {
  assert.equal(
    redactUrl("https://x/cb?next=https%3A%2F%2Fuser%3Apass%40host%2Fp&api-version=1"),
    "https://x/cb?next=https%3A%2F%2Fhost%2Fp&api-version=1",
  );
  assert.equal(
    redactUrl("/cb?next=https%253A%252F%252Fu%253Ap%2540h%252F&a=1"),
    "/cb?next=https%253A%252F%252Fh%252F&a=1",
  );
  assert.equal(redactUrl("/cb?next=https://u:p@h/&a=1"), "/cb?next=https://h/&a=1");
  assert.equal(redactUrl("https://u:p&w@h/?a=1"), "https://h/?a=1");
  // An '@' past the nested URL's host (its path, the next parameter) is no user: kept.
  for (
    const plain of [
      "https://x/cb?next=https%3A%2F%2Fhost%2Fa%40b&mail=a@b",
      "https://x/cb?next=https%3A%2F%2Fhost&mail=a@b",
      "https://x/cb?next=https%3A%2F%2Fhost%3Fm%3Da%40b",
    ]
  ) assert.equal(redactUrl(plain), plain);
});

Deno.test("redactUrl() masks pass, passphrase and passwd parameters, not names that only hold 'pass'", () => {
  const masked = redactUrl(
    "https://x/a?pass=S1&passphrase=S2&ssh_passphrase=S3&passwd=S4" +
      "&bypass=1&passenger=2&compass=3&passes=4",
  );
  for (let i = 1; i <= 4; i++) assert.ok(!masked.includes(`=S${i}`), `S${i} in ${masked}`);
  assert.ok(masked.endsWith("&bypass=1&passenger=2&compass=3&passes=4"), masked);
});
