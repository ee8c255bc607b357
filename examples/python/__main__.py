"""A Python team's program with the generated SDK: the network, the cluster, a load balancer with
a test listener, and one blue/green web service released by CodeDeploy, with its release
platform. `pulumi package add` of the plugin folder generates the SDK (README: "From Python")."""
import pulumi
import pulumi_infra as infra

ZONES = ["ap-northeast-1a", "ap-northeast-1c"]


def each(ids: pulumi.Output) -> list:
    """One subnet id per zone: the SDK takes a list of inputs, not an output of a list."""
    return [ids[i] for i in range(len(ZONES))]


config = pulumi.Config()
image = config.require("image")

network = infra.Vpc("orders", cidr_block="10.40.0.0/16", availability_zones=ZONES, nat_strategy="single")
cluster = infra.Cluster("orders", cluster_name="orders")
alb = infra.LoadBalancer(
    "orders",
    vpc_id=network.vpc_id,
    subnet_ids=each(network.public_subnet_ids),
    certificate_arn=config.require("certificateArn"),
    test_listener=infra.TestListenerArgs(allowed_cidrs=["10.0.0.0/8"]),
)
platform = infra.ReleasePlatform("orders")
web = infra.BlueGreenService(
    "orders",
    service_name="orders",
    cluster=infra.ClusterRefArgs(cluster_arn=cluster.cluster_arn, cluster_name=cluster.cluster_name),
    load_balancer=infra.LoadBalancerRefArgs(
        load_balancer_arn=alb.load_balancer_arn,
        arn_suffix=alb.arn_suffix,
        security_group_id=alb.security_group_id,
        certificate_arn=alb.certificate_arn,
    ),
    vpc_id=network.vpc_id,
    subnet_ids=each(network.private_subnet_ids),
    task=infra.TaskSettingsArgs(
        family="orders", cpu=512, memory=1024, container=infra.AppContainerArgs(image=image, port=8080)
    ),
    release=infra.ServiceReleaseArgs(
        stack=pulumi.get_stack(),
        image=image,
        region="ap-northeast-1",
        platform=infra.ReleasePlatformRefArgs(lock_table_name=platform.lock_table_name, topic_arn=platform.topic_arn),
    ),
)
