// The CrossGuard pack: `pulumi preview --policy-pack policy` (after `npm ci` at the repository
// root, which installs @pulumi/policy). The rules are policy/rules.ts, shared with `npm run policy`.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("infra", { policies });
