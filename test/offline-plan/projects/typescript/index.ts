// A program as `pulumi new aws-typescript` lays it out: top-level resources, exports as outputs.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const bucket = new aws.s3.BucketV2("site", { bucket: `${config.require("bucketPrefix")}-${config.require("owner")}` });
const zones: Promise<string[]> = aws.getAvailabilityZones().then((z) => z.names);

export const bucketName = bucket.bucket;
export const availabilityZones = zones;
