//go:build tools

// The command install.sh builds from this module's requirements.
package yamlhost

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
