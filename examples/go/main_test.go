package main

import (
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// mocks record what the program registers. A component of the SDK is a remote component: under
// Pulumi's Go mocks its registration reaches NewResource like any resource, with the inputs the
// program gave; its outputs are made up from its name so that the next component's inputs can be
// checked to carry them.
type mocks struct {
	mu         sync.Mutex
	registered map[string]resource.PropertyMap
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.registered[args.TypeToken+"::"+args.Name] = args.Inputs
	outputs := args.Inputs.Copy()
	for _, key := range []string{"vpcId", "clusterArn", "clusterName", "loadBalancerArn", "arnSuffix", "securityGroupId", "lockTableName", "topicArn"} {
		outputs[resource.PropertyKey(key)] = resource.NewStringProperty(args.Name + "-" + key)
	}
	for _, key := range []string{"publicSubnetIds", "privateSubnetIds"} {
		outputs[resource.PropertyKey(key)] = resource.NewArrayProperty([]resource.PropertyValue{
			resource.NewStringProperty(args.Name + "-" + key + "-0"), resource.NewStringProperty(args.Name + "-" + key + "-1"),
		})
	}
	return args.Name + "-id", outputs, nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

func TestProgramRegistersTheComponentsWithTheirInputs(t *testing.T) {
	m := &mocks{registered: map[string]resource.PropertyMap{}}
	err := pulumi.RunErr(program, pulumi.WithMocks("orders", "stg", m), func(info *pulumi.RunInfo) {
		info.Config = map[string]string{
			"orders:image":          "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/orders:1.4.2",
			"orders:certificateArn": "arn:aws:acm:ap-northeast-1:123456789012:certificate/0c1d2e3f",
		}
	})
	if err != nil {
		t.Fatalf("the program failed: %v", err)
	}
	want := []string{"infra:index:Vpc::orders", "infra:index:Cluster::orders", "infra:index:LoadBalancer::orders", "infra:index:ReleasePlatform::orders", "infra:index:BlueGreenService::orders"}
	if len(m.registered) != len(want) {
		t.Fatalf("registered %d resources, want %d: %v", len(m.registered), len(want), m.registered)
	}
	get := func(key string) resource.PropertyMap {
		inputs, ok := m.registered[key]
		if !ok {
			t.Fatalf("%s was not registered", key)
		}
		return inputs
	}
	for _, key := range want {
		get(key)
	}

	vpc := get("infra:index:Vpc::orders")
	expect(t, "Vpc cidrBlock", vpc["cidrBlock"].StringValue(), "10.40.0.0/16")
	expect(t, "Vpc natStrategy", vpc["natStrategy"].StringValue(), "single")
	expect(t, "Vpc availabilityZones", len(vpc["availabilityZones"].ArrayValue()), 2)

	alb := get("infra:index:LoadBalancer::orders")
	expect(t, "LoadBalancer vpcId", alb["vpcId"].StringValue(), "orders-vpcId")
	expect(t, "LoadBalancer subnetIds[1]", alb["subnetIds"].ArrayValue()[1].StringValue(), "orders-publicSubnetIds-1")
	expect(t, "LoadBalancer testListener", alb["testListener"].ObjectValue()["allowedCidrs"].ArrayValue()[0].StringValue(), "10.0.0.0/8")

	web := get("infra:index:BlueGreenService::orders")
	expect(t, "BlueGreenService serviceName", web["serviceName"].StringValue(), "orders")
	expect(t, "BlueGreenService subnetIds[0]", web["subnetIds"].ArrayValue()[0].StringValue(), "orders-privateSubnetIds-0")
	expect(t, "BlueGreenService cluster", web["cluster"].ObjectValue()["clusterArn"].StringValue(), "orders-clusterArn")
	expect(t, "BlueGreenService loadBalancer", web["loadBalancer"].ObjectValue()["loadBalancerArn"].StringValue(), "orders-loadBalancerArn")
	task := web["task"].ObjectValue()
	expect(t, "task cpu", task["cpu"].NumberValue(), 512.0)
	expect(t, "task container port", task["container"].ObjectValue()["port"].NumberValue(), 8080.0)
	release := web["release"].ObjectValue()
	expect(t, "release stack", release["stack"].StringValue(), "stg")
	expect(t, "release image", release["image"].StringValue(), "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/orders:1.4.2")
	expect(t, "release platform", release["platform"].ObjectValue()["lockTableName"].StringValue(), "orders-lockTableName")
}

func expect[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}
