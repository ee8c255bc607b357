#!/usr/bin/env bash
# Builds Pulumi's CLI, the Pulumi YAML language host and this project's stand-in language host
# from the Go module proxy, at the versions the go.mod files here pin, into a cache folder, and
# prints that folder's bin/ path. A second run with the same sources prints the same path at once.
#
#   PATH="$(toolchain/install.sh):$PATH" pulumi version
#
# The cache: $INFRA_TOOLCHAIN_CACHE, else $XDG_CACHE_HOME/infra-toolchain, else
# ~/.cache/infra-toolchain; a folder named by a hash of the sources below (an earlier build's is
# removed). The first build takes about
# 6-8 minutes on 2 cores (the CLI is most of it) and about 1 GB of Go module and build cache.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v go >/dev/null || { echo "toolchain/install.sh: Go is needed to build the Pulumi CLI (go.dev/dl), or put a pulumi CLI on PATH" >&2; exit 1; }

key=$(cd "$here" && find . -name '*.go' -o -name 'go.mod' -o -name 'go.sum' -o -name install.sh | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
cache="${INFRA_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/infra-toolchain}/$key"
bin="$cache/bin"
if [ -x "$bin/pulumi" ] && [ -f "$cache/complete" ]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$bin"
export GOFLAGS=-mod=readonly CGO_ENABLED=0
start=$SECONDS
log() { echo "toolchain: $* ($((SECONDS - start)) s)" >&2; }
(cd "$here" && go build -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) && log "built pulumi"
(cd "$here" && go build -o "$bin/pulumi-language-nodejs" ./language-host) && log "built the stand-in language host"
for language in python go dotnet; do ln -sf pulumi-language-nodejs "$bin/pulumi-language-$language"; done
(cd "$here/dotnet-codegen" && go build -o "$bin/infra-dotnet-codegen" .) && log "built the .NET generator"
(cd "$here/yaml-host" && go build -o "$bin/pulumi-language-yaml" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml) && log "built pulumi-language-yaml"
touch "$cache/complete"
# Builds of earlier sources are not used again: keep only this one.
find "$(dirname "$cache")" -mindepth 1 -maxdepth 1 -type d ! -name "$key" ! -name 'python-*' -exec rm -rf {} +
echo "$bin"
