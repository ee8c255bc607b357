"""The example program under Pulumi's Python mocks: each component of the SDK is a remote
component, whose registration reaches the mocks with the inputs the program gave; its outputs are
made up from its name so that the next component's inputs can be checked to carry them."""
import json
import os
import runpy

import pulumi

REGISTERED = {}
OUTPUTS = ["vpcId", "clusterArn", "clusterName", "loadBalancerArn", "arnSuffix", "securityGroupId", "lockTableName", "topicArn"]


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        REGISTERED[f"{args.typ}::{args.name}"] = args.inputs
        outputs = dict(args.inputs)
        outputs.update({key: f"{args.name}-{key}" for key in OUTPUTS})
        for key in ["publicSubnetIds", "privateSubnetIds"]:
            outputs[key] = [f"{args.name}-{key}-0", f"{args.name}-{key}-1"]
        return [f"{args.name}-id", outputs]

    def call(self, args: pulumi.runtime.MockCallArgs):
        return {}


pulumi.runtime.set_all_config(
    {
        "project:image": "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/orders:1.4.2",
        "project:certificateArn": "arn:aws:acm:ap-northeast-1:123456789012:certificate/0c1d2e3f",
    }
)
pulumi.runtime.set_mocks(Mocks(), project="project", stack="stg", preview=False)
PROGRAM = runpy.run_path(os.path.join(os.path.dirname(__file__), "__main__.py"))


@pulumi.runtime.test
def test_the_program_registers_the_components_with_their_inputs():
    def check(registered):
        assert sorted(registered) == sorted(
            [
                "infra:index:Vpc::orders",
                "infra:index:Cluster::orders",
                "infra:index:LoadBalancer::orders",
                "infra:index:ReleasePlatform::orders",
                "infra:index:BlueGreenService::orders",
            ]
        ), json.dumps(sorted(registered))
        vpc = registered["infra:index:Vpc::orders"]
        assert vpc["cidrBlock"] == "10.40.0.0/16"
        assert vpc["natStrategy"] == "single"
        assert vpc["availabilityZones"] == ["ap-northeast-1a", "ap-northeast-1c"]
        alb = registered["infra:index:LoadBalancer::orders"]
        assert alb["vpcId"] == "orders-vpcId"
        assert alb["subnetIds"] == ["orders-publicSubnetIds-0", "orders-publicSubnetIds-1"]
        assert alb["testListener"]["allowedCidrs"] == ["10.0.0.0/8"]
        web = registered["infra:index:BlueGreenService::orders"]
        assert web["serviceName"] == "orders"
        assert web["subnetIds"] == ["orders-privateSubnetIds-0", "orders-privateSubnetIds-1"]
        assert web["cluster"]["clusterArn"] == "orders-clusterArn"
        assert web["loadBalancer"]["loadBalancerArn"] == "orders-loadBalancerArn"
        assert web["task"]["cpu"] == 512
        assert web["task"]["container"]["port"] == 8080
        assert web["release"]["stack"] == "stg"
        assert web["release"]["image"] == "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/orders:1.4.2"
        assert web["release"]["platform"]["lockTableName"] == "orders-lockTableName"

    # A component is registered once its inputs resolve: wait for every one's URN.
    urns = [PROGRAM[name].urn for name in ["network", "cluster", "alb", "platform", "web"]]
    return pulumi.Output.all(*urns).apply(lambda _: check(REGISTERED))
