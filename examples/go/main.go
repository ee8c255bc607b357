// A Go team's program with the generated SDK: the network, the cluster, a load balancer with a
// test listener, and one blue/green web service released by CodeDeploy, with its release
// platform. `pulumi package add` of the plugin folder generates the SDK (README: "From Go").
package main

import (
	"example.com/pulumi-infra/sdk/go/infra"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(program)
}

// zones are the network's availability zones; subnets are passed one id per zone.
var zones = []string{"ap-northeast-1a", "ap-northeast-1c"}

// each lists one subnet id per zone: the SDK takes a list of inputs, not an output of a list.
func each(ids pulumi.StringArrayOutput) []pulumi.StringInput {
	inputs := make([]pulumi.StringInput, len(zones))
	for i := range zones {
		inputs[i] = ids.Index(pulumi.Int(i))
	}
	return inputs
}

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	image := cfg.Require("image")
	certificateArn := cfg.Require("certificateArn")

	network, err := infra.NewVpc(ctx, "orders", &infra.VpcArgs{
		CidrBlock:         "10.40.0.0/16",
		AvailabilityZones: zones,
		NatStrategy:       pulumi.StringRef("single"),
	})
	if err != nil {
		return err
	}
	cluster, err := infra.NewCluster(ctx, "orders", &infra.ClusterArgs{ClusterName: "orders"})
	if err != nil {
		return err
	}
	alb, err := infra.NewLoadBalancer(ctx, "orders", &infra.LoadBalancerArgs{
		VpcId:          network.VpcId,
		SubnetIds:      each(network.PublicSubnetIds),
		CertificateArn: certificateArn,
		TestListener:   infra.TestListenerArgs{AllowedCidrs: []string{"10.0.0.0/8"}},
	})
	if err != nil {
		return err
	}
	platform, err := infra.NewReleasePlatform(ctx, "orders", &infra.ReleasePlatformArgs{})
	if err != nil {
		return err
	}
	_, err = infra.NewBlueGreenService(ctx, "orders", &infra.BlueGreenServiceArgs{
		ServiceName: "orders",
		Cluster:     infra.ClusterRefArgs{ClusterArn: cluster.ClusterArn, ClusterName: cluster.ClusterName},
		LoadBalancer: infra.LoadBalancerRefArgs{
			LoadBalancerArn: alb.LoadBalancerArn, ArnSuffix: alb.ArnSuffix,
			SecurityGroupId: alb.SecurityGroupId, CertificateArn: alb.CertificateArn,
		},
		VpcId:     network.VpcId,
		SubnetIds: each(network.PrivateSubnetIds),
		Task: infra.TaskSettingsArgs{
			Family: "orders", Cpu: 512, Memory: 1024,
			Container: infra.AppContainerArgs{Image: pulumi.String(image), Port: pulumi.Float64Ref(8080)},
		},
		Release: &infra.ServiceReleaseArgs{
			Stack:    ctx.Stack(),
			Image:    pulumi.String(image),
			Region:   pulumi.String("ap-northeast-1"),
			Platform: infra.ReleasePlatformRefArgs{LockTableName: platform.LockTableName, TopicArn: platform.TopicArn},
		},
	})
	return err
}
