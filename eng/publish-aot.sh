#!/usr/bin/env bash
# Publishes samples/InYourApp as a native AOT binary against the packed packages (artifacts/packages: run
# `dotnet pack VirtualItCompany.Packages.slnf -c Release -o artifacts/packages` first), then runs it: the team must deliver the
# project offline and the binary exit 0. Warnings are errors in every build, the trim and AOT analysis of the publish
# included, so a trim or AOT warning from any package fails this script; each is listed on its own.
# Needs clang and zlib1g-dev (eng/install-test-dependencies.sh installs them); the SDK picks the ILCompiler package.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false

out=artifacts/aot/InYourApp
rid=$(dotnet --info | awk '$1 == "RID:" { print $2; exit }')
rm -rf "$out"
started=$(date +%s)
dotnet publish samples/InYourApp -c Release -r "$rid" -p:PublishAot=true -p:TrimmerSingleWarn=false -o "$out"
published=$(( $(date +%s) - started ))
size=$(du -m "$out/InYourApp" | cut -f1)

started=$(date +%s)
set +e
timeout 600 "$out/InYourApp"
code=$?
set -e
echo "native AOT ($rid): published in $published s (binary $size MB); the binary exited with $code in $(( $(date +%s) - started )) s"
[ "$code" -eq 0 ] || exit "$code"

# Configuration is read under native AOT too, lists included: a routing model with a negative price must stop the start.
set +e
bad=$(VirtualItCompany__Routing__Models__0__Id=aot/check VirtualItCompany__Routing__Models__0__Provider=aot \
  VirtualItCompany__Routing__Models__0__ModelId=check VirtualItCompany__Routing__Models__0__Pricing__InputPerMillion=-1 \
  VirtualItCompany__Routing__Models__0__Pricing__OutputPerMillion=1 timeout 120 "$out/InYourApp" 2>&1)
bad_code=$?
set -e
if [ "$bad_code" -eq 0 ] || ! grep -q "aot/check' has a negative price" <<< "$bad"; then
  echo "native AOT: a routing model configured with a negative price was not refused at start (exit $bad_code):"
  tail -n 20 <<< "$bad"
  exit 1
fi
echo "native AOT: configured routing models are read (a negative price was refused at start)"
