// Alarm e-mail addresses: the forms SNS and every mail system deliver to pass, malformed ones are
// refused with the reason.
import { emailProblem, sameMailbox } from "../../stacks/emails";

const refused: [string, string][] = [
  ["oncall.example.com", "there is no @"],
  ["a@@example.com", "more than one @"],
  ["ops@team@example.com", "more than one @"],
  ["on call@example.com", "contains a space or line break"],
  ["oncall@example.com\n", "contains a space or line break"],
  ["@example.com", "nothing before the @"],
  ["oncall@", "nothing after the @"],
  [".oncall@example.com", "may not start or end with a dot"],
  ["oncall.@example.com", "may not start or end with a dot"],
  ["on..call@example.com", "two dots in a row"],
  ["on(call)@example.com", "holds a character outside letters"],
  ['"oncall"@example.com', "holds a character outside letters"],
  ["on,call@example.com", "holds a character outside letters"],
  [`${"a".repeat(65)}@example.com`, "the part before the @ is 65 characters long; at most 64"],
  [`oncall@${"d".repeat(63)}.${"e".repeat(63)}.${"f".repeat(63)}.${"g".repeat(63)}.com`, "it is 266 characters long; at most 254"],
  ["oncall@localhost", "has no dot"],
  ["oncall@-example.com", "is not a host name"],
  ["oncall@example-.com", "is not a host name"],
  ["oncall@exa_mple.com", "is not a host name"],
  ["oncall@example..com", "is not a host name"],
  [`oncall@${"l".repeat(64)}.com`, "is not a host name"],
  ["oncall@example.c0m", "does not end in a top-level domain of letters"],
  ["oncall@example.c", "does not end in a top-level domain of letters"],
  ["oncall@192.168.0.1", "does not end in a top-level domain of letters"],
];

const accepted = [
  "oncall@example.com",
  "first.last+alerts@sub.example.co.uk",
  "o'brien@example.ie",
  "ops_team-1@example.io",
  "x@xn--80ak6aa92e.com",
  "alerts@example.xn--p1ai",
  "UPPER@EXAMPLE.COM",
  `${"a".repeat(64)}@example.com`,
  "1234@123.example.org",
];

describe("alarm e-mail addresses", () => {
  it.each(refused)("%j is refused: %s", (address, reason) => {
    const problem = emailProblem(address);
    expect(problem).toMatch(/^expected an email address such as oncall@example\.com: /);
    expect(problem).toContain(reason);
  });

  it.each(accepted.map((a) => [a]))("%j is accepted", (address) => {
    expect(emailProblem(address)).toBeUndefined();
  });

  it("treats addresses that differ only in case as one mailbox", () => {
    expect(sameMailbox("Ops@Example.com", "ops@example.COM")).toBe(true);
    expect(sameMailbox("ops@example.com", "ops2@example.com")).toBe(false);
  });
});
