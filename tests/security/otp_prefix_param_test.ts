// A parameter whose name starts with otp (`otp_code`, `otpauth`) carries a one-time password as
// `otp` and `totp` do; names holding those letters elsewhere (`hotspot`, `footprint`) do not.
import assert from "node:assert/strict";
import { redactUrl } from "../../src/errors/redact.ts";

Deno.test("redactUrl() masks parameters whose name starts with otp", () => {
  assert.equal(
    redactUrl("https://x.test/a?otp_code=123456&otpauth=abc&totp=1&hotspot=2&footprint=3"),
    "https://x.test/a?otp_code=***&otpauth=***&totp=***&hotspot=2&footprint=3",
  );
});
