//go:build tools

// The command install.sh builds from this module's requirements.
package toolchain

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
