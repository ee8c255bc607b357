// A program that imports a module of its own only when its default function runs.
import * as aws from "@pulumi/aws";

export default async () => {
  const { topicName } = await import("./naming");
  const topic = new aws.sns.Topic("events", { name: topicName("dev") });
  return { topicName: topic.name };
};
