// Pulumi's .NET SDK generator, for the stand-in language host (../language-host/main.go).
//
// pkg/v3 v3.224.0 is the last release the Go module proxy serves that still ships
// codegen/dotnet (it moved to pulumi-dotnet, whose module the proxy does not serve here), so
// this is a module of its own. Reads a package schema on standard input and prints the C# SDK's
// files as one JSON object (file name to base64 contents) for the host to write; fails on any
// schema error the binder reports.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"os"

	"github.com/pulumi/pulumi/pkg/v3/codegen/dotnet"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	if len(os.Args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: infra-dotnet-codegen < schema.json > files.json")
		os.Exit(2)
	}
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	var spec schema.PackageSpec
	if err := json.NewDecoder(in).Decode(&spec); err != nil {
		return fmt.Errorf("reading the schema: %w", err)
	}
	// No loader: a component package that references another package's types cannot be bound here.
	pkg, diags, err := schema.BindSpec(spec, nil, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return diags
	}
	// The generator downloads the package's logo (Pulumi's, when the schema names none) into the
	// NuGet package; this machine has no network, so the download is answered with a plain logo.
	http.DefaultTransport = logoTransport{}
	files, err := dotnet.GeneratePackage("pulumi-language-dotnet", pkg, nil, nil)
	if err != nil {
		return err
	}
	return json.NewEncoder(out).Encode(files)
}

// logoTransport answers every request with a 64x64 PNG in one colour.
type logoTransport struct{}

func (logoTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for x := 0; x < 64; x++ {
		for y := 0; y < 64; y++ {
			img.Set(x, y, color.RGBA{R: 0x1f, G: 0x6f, B: 0xb5, A: 0xff})
		}
	}
	var body bytes.Buffer
	if err := png.Encode(&body, img); err != nil {
		return nil, err
	}
	return &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"image/png"}},
		Body: io.NopCloser(&body), ContentLength: int64(body.Len()), Request: req,
	}, nil
}
