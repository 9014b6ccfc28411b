// Plan-time reads of the account: a read that finds nothing means "not deployed yet"; any other
// failure (access denied, a disabled API, a wrong region) must stop the run, never read as "not there".
import * as pulumi from "@pulumi/pulumi";

export type AccountRead = <T>(what: string, read: () => Promise<T>) => Promise<T | undefined>;

/**
 * A read of `account` (as the refusal names it: "the AWS account") that answers undefined where the
 * error's message matches `notFound` and not `refused` (a cloud that words a denial like an absence).
 */
export function accountRead(account: string, notFound: RegExp, refused?: RegExp): AccountRead {
  return async (what, read) => {
    try {
      return await read();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (notFound.test(message) && !refused?.test(message)) return undefined;
      throw new pulumi.RunError(`could not read ${what} from ${account} (nothing was changed): ${message}`);
    }
  };
}
