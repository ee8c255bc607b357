// A C# team's program with the generated SDK: the network, the cluster, a load balancer with a
// test listener, and one blue/green web service released by CodeDeploy, with its release
// platform. `pulumi package add` of the plugin folder generates the SDK (README: "From C#").
// Not compiled here (no .NET toolchain on the machine): test/plugin/cli.test.ts checks every
// class, argument and property name it uses against the generated C# SDK.
using System.Collections.Generic;
using Pulumi;
using Infra = Pulumi.Infra;

return await Deployment.RunAsync(() =>
{
    var config = new Config();
    var image = config.Require("image");
    var zones = new[] { "ap-northeast-1a", "ap-northeast-1c" };

    var network = new Infra.Vpc("orders", new Infra.VpcArgs
    {
        CidrBlock = "10.40.0.0/16",
        AvailabilityZones = { zones[0], zones[1] },
        NatStrategy = "single",
    });
    var cluster = new Infra.Cluster("orders", new Infra.ClusterArgs { ClusterName = "orders" });
    // The SDK takes a list of inputs, not an output of a list: one subnet id per zone.
    var alb = new Infra.LoadBalancer("orders", new Infra.LoadBalancerArgs
    {
        VpcId = network.VpcId,
        SubnetIds = { network.PublicSubnetIds.Apply(ids => ids[0]), network.PublicSubnetIds.Apply(ids => ids[1]) },
        CertificateArn = config.Require("certificateArn"),
        TestListener = new Infra.Inputs.TestListenerArgs { AllowedCidrs = { "10.0.0.0/8" } },
    });
    var platform = new Infra.ReleasePlatform("orders", new Infra.ReleasePlatformArgs());
    new Infra.BlueGreenService("orders", new Infra.BlueGreenServiceArgs
    {
        ServiceName = "orders",
        Cluster = new Infra.Inputs.ClusterRefArgs { ClusterArn = cluster.ClusterArn, ClusterName = cluster.ClusterName },
        LoadBalancer = new Infra.Inputs.LoadBalancerRefArgs
        {
            LoadBalancerArn = alb.LoadBalancerArn,
            ArnSuffix = alb.ArnSuffix,
            SecurityGroupId = alb.SecurityGroupId,
            CertificateArn = alb.CertificateArn,
        },
        VpcId = network.VpcId,
        SubnetIds = { network.PrivateSubnetIds.Apply(ids => ids[0]), network.PrivateSubnetIds.Apply(ids => ids[1]) },
        Task = new Infra.Inputs.TaskSettingsArgs
        {
            Family = "orders",
            Cpu = 512,
            Memory = 1024,
            Container = new Infra.Inputs.AppContainerArgs { Image = image, Port = 8080 },
        },
        Release = new Infra.Inputs.ServiceReleaseArgs
        {
            Stack = Deployment.Instance.StackName,
            Image = image,
            Region = "ap-northeast-1",
            Platform = new Infra.Inputs.ReleasePlatformRefArgs { LockTableName = platform.LockTableName, TopicArn = platform.TopicArn },
        },
    });
});
