// A Pulumi program that creates nothing: `pulumi-load.cjs <stack> --no-program` runs it in place
// of Pulumi.yaml's main, to time what Pulumi's runtime costs before any program (the bench's floor).
"use strict";
module.exports = async () => ({});
