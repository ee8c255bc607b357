// A JavaScript program whose default export is a function: what it returns are the outputs.
const aws = require("@pulumi/aws");

module.exports = async () => {
  const queue = new aws.sqs.Queue("jobs", { name: "jobs", visibilityTimeoutSeconds: 60 });
  return { queueArn: queue.arn };
};
