// A stand-in for Pulumi's Node, Python, Go and .NET language hosts, for this machine only.
//
// Pulumi's own hosts (pulumi-language-nodejs, -python, -go, -dotnet) are Go modules of their own
// that the Go module proxy does not serve here; the CLI cannot generate an SDK or start a Node
// plugin without them. This program stands in for the two things the tests ask of them, and
// nothing else:
//
//   - GeneratePackage (`pulumi package gen-sdk`): it binds the schema with the engine's loader
//     and calls Pulumi's own code generator for its language (pkg/v3/codegen/nodejs, python, go;
//     for .NET, the generator of pkg/v3 v3.224.0, the last that shipped it, run as
//     infra-dotnet-codegen beside this binary).
//   - RunPlugin, as nodejs (`pulumi package add`, get-schema, every Construct of a component
//     package): it runs `node <@pulumi/pulumi/cmd/run-plugin resolved from the plugin folder>
//     <plugin folder> <args>` in the consumer's working directory, with
//     PULUMI_NODEJS_TYPESCRIPT=true unless the plugin's runtime options turn typescript off, as
//     pulumi-language-nodejs's RunPlugin does. What runs inside is Pulumi's own run-plugin. A
//     policy pack (`--policy-pack`, an analyzer) starts as the real host starts it: through
//     Pulumi's own PolicyProxy (sdk/v3), which answers the engine's StackConfigure, then
//     `node <run-policy-pack> <args> <pack folder>` in the pack's folder with the stack's
//     PULUMI_NODEJS_* and PULUMI_CONFIG.
//   - Run, as nodejs (`pulumi preview`, `up`, `destroy` of a Node project): it runs
//     `node <@pulumi/pulumi/cmd/run resolved from the program folder> --monitor ... <entry point>`
//     with PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS, the arguments and environment
//     pulumi-language-nodejs's Run gives it (its constructArguments and execRuntime). What runs
//     inside is Pulumi's own cmd/run: the program's loading, ts-node and its type check included.
//     Left out: the monitor proxy and the `--sync` pipes (only SDKs older than the one here use
//     them), the debugger and the OOM sniffer.
//
// It cannot run a Python, Go or .NET program: every other call answers Unimplemented, naming
// this file. Which language it is comes from the name it is installed under
// (pulumi-language-<name>); the engine's address is its last argument.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is the Pulumi release whose generators this host serves (go.mod's pkg/v3).
const version = "3.274.1"

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	language string
	engine   string
}

func main() {
	language := strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-language-")
	switch language {
	case "nodejs", "python", "go", "dotnet":
	default:
		fmt.Fprintf(os.Stderr, "install this host as pulumi-language-<nodejs|python|go|dotnet>, not %s\n", filepath.Base(os.Args[0]))
		os.Exit(2)
	}
	h := &host{language: language}
	if len(os.Args) > 1 {
		h.engine = os.Args[len(os.Args)-1]
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(s *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(s, h)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "could not start the language host: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line this plugin prints.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "language host: %v\n", err)
		os.Exit(1)
	}
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *host) Handshake(context.Context, *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

// InstallDependencies is asked before a plugin folder is run; the folder's dependencies are the
// repository's own (`npm ci` at its root), so there is nothing to install.
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer) error {
	if h.language != "nodejs" {
		return unimplemented("InstallDependencies")
	}
	return nil
}

func unimplemented(call string) error {
	return status.Errorf(codes.Unimplemented, "%s is not served by the stand-in language host (toolchain/language-host/main.go): only GeneratePackage, and Run and RunPlugin for nodejs", call)
}

// nodeModule resolves a module the way Node does from dir (the program's or plugin's own @pulumi/pulumi).
func nodeModule(node, dir, module string) (string, error) {
	resolve := exec.Command(node, "-e", fmt.Sprintf("console.log(require.resolve(%q))", module))
	resolve.Dir = dir
	out, err := resolve.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", fmt.Errorf("cannot find %s from %s (npm install in %s?): %s", module, dir, dir, exitErr.Stderr)
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// nodeOptions are the runtime options of Pulumi.yaml (or PulumiPlugin.yaml) as environment and node arguments.
func nodeOptions(options map[string]interface{}) (env []string, nodeargs []string) {
	if typescript, ok := options["typescript"].(bool); !ok || typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if tsconfig, ok := options["tsconfig"].(string); ok && tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}
	if args, ok := options["nodeargs"].(string); ok && args != "" {
		nodeargs = strings.Fields(args)
	}
	return env, nodeargs
}

func exitError(err error, what string) string {
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok {
			return fmt.Sprintf("Program exited with non-zero exit code: %d", ws.ExitStatus())
		}
	}
	return fmt.Sprintf("could not run the %s: %v", what, err)
}

// nodeExitedWithMessage is cmd/run's exit code once it has shown the user an actionable message.
const nodeExitedWithMessage = 32

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if h.language != "nodejs" {
		return nil, unimplemented("Run")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not find node on the $PATH: %v", err)}, nil
	}
	info := req.GetInfo()
	run, err := nodeModule(node, info.GetProgramDirectory(), "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	// The engine sends `<package>:<name>` keys; cmd/run reads `<package>:config:<name>`.
	config := map[string]string{}
	for key, value := range req.GetConfig() {
		namespace, name, found := strings.Cut(key, ":")
		if !found {
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("config key %q has no namespace", key)}, nil
		}
		config[namespace+":config:"+name] = value
	}
	configJSON, _ := json.Marshal(config)
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, _ := json.Marshal(secretKeys)

	optionEnv, args := nodeOptions(info.GetOptions().AsMap())
	args = append(args, run)
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", h.engine)
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root-directory", info.GetRootDirectory())
	flag("stack", req.GetStack())
	flag("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flag("parallel", fmt.Sprint(req.GetParallel()))
	args = append(args, info.GetEntryPoint())
	args = append(args, req.GetArgs()...)

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = append(append(os.Environ(), "PULUMI_CONFIG="+string(configJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON)), optionEnv...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) && exitErr.ExitCode() == nodeExitedWithMessage {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		return &pulumirpc.RunResponse{Error: exitError(err, "program")}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	if h.language != "nodejs" {
		return unimplemented("RunPlugin")
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	node, err := exec.LookPath("node")
	if err != nil {
		return err
	}
	dir := req.GetInfo().GetProgramDirectory()
	analyzer := req.GetKind() == string(apitype.AnalyzerPlugin)
	// Resolved from the plugin's folder, as the real host does: the plugin's own @pulumi/pulumi.
	// A policy pack (an analyzer) starts through run-policy-pack, every other plugin through run-plugin.
	module := "@pulumi/pulumi/cmd/run-plugin"
	if analyzer {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	runPath, err := nodeModule(node, dir, module)
	if err != nil {
		return err
	}
	optionEnv, args := nodeOptions(req.GetInfo().GetOptions().AsMap())
	env := append(req.GetEnv(), optionEnv...)
	args = append(args, runPath)
	if analyzer {
		// run-policy-pack takes the pack's folder last.
		args = append(append(args, req.GetArgs()...), dir)
	} else {
		args = append(append(args, dir), req.GetArgs()...)
	}

	// A policy pack reads the stack it judges from its environment: the engine's StackConfigure
	// call is answered by Pulumi's own proxy, which then starts the pack and forwards the rest.
	var proxy *sdk.PolicyProxy
	if analyzer {
		proxy, stdout, err = sdk.NewPolicyProxy(server.Context(), stdout)
		if err != nil {
			return fmt.Errorf("could not start the policy pack proxy: %w", err)
		}
		config, err := proxy.AwaitConfiguration(server.Context())
		if err != nil {
			return fmt.Errorf("could not get the stack configuration: %w", err)
		}
		if config != nil {
			set := func(k, v string) {
				if v != "" {
					env = append(env, k+"="+v)
				}
			}
			set("PULUMI_NODEJS_ORGANIZATION", config.Organization)
			set("PULUMI_NODEJS_PROJECT", config.Project)
			set("PULUMI_NODEJS_STACK", config.Stack)
			set("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(config.DryRun))
			if config.Config != nil {
				configJSON, err := json.Marshal(config.Config)
				if err != nil {
					return err
				}
				set("PULUMI_CONFIG", string(configJSON))
			}
		}
	}

	cmd := exec.CommandContext(server.Context(), node, args...)
	// A policy pack runs in its own folder; any other plugin in the consumer's program folder.
	cmd.Dir = req.GetPwd()
	if analyzer {
		cmd.Dir = dir
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if proxy != nil {
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("could not run the policy pack: %w", err)
		}
		return proxy.Attach(server.Context(), cmd)
	}
	if err := cmd.Run(); err != nil {
		return errors.New(exitError(err, "plugin"))
	}
	return nil
}

func (h *host) GeneratePackage(ctx context.Context, req *pulumirpc.GeneratePackageRequest) (*pulumirpc.GeneratePackageResponse, error) {
	if h.language == "dotnet" {
		return generateDotnet(ctx, req)
	}
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, err
	}
	cached := schema.NewCachedLoader(loader)
	pkg, diags, err := schema.BindSpec(spec, cached, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	response := &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}
	if diags.HasErrors() {
		return response, nil
	}
	tool := "pulumi-language-" + h.language
	var files map[string][]byte
	switch h.language {
	case "nodejs":
		files, err = nodejsgen.GeneratePackage(tool, pkg, req.GetExtraFiles(), req.GetLocalDependencies(), req.GetLocal(), cached)
	case "python":
		files, err = pythongen.GeneratePackage(tool, pkg, req.GetExtraFiles(), cached)
	case "go":
		files, err = gogen.GeneratePackage(tool, pkg, req.GetLocalDependencies())
	}
	if err != nil {
		return nil, err
	}
	return response, writeFiles(req.GetDirectory(), files)
}

// generateDotnet runs the .NET generator (a module of its own: it needs an older pkg/v3) with the
// schema on its standard input, and writes the files it prints.
func generateDotnet(ctx context.Context, req *pulumirpc.GeneratePackageRequest) (*pulumirpc.GeneratePackageResponse, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(filepath.Dir(self), "infra-dotnet-codegen"))
	cmd.Stdin = strings.NewReader(req.GetSchema())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("the .NET generator failed: %v: %s", err, stderr.String())
	}
	var files map[string][]byte
	if err := json.Unmarshal(out, &files); err != nil {
		return nil, fmt.Errorf("the .NET generator's output: %w", err)
	}
	return &pulumirpc.GeneratePackageResponse{}, writeFiles(req.GetDirectory(), files)
}

func writeFiles(dir string, files map[string][]byte) error {
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
