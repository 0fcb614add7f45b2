#!/usr/bin/env bash
# Rewrites each library's PublicAPI.Unshipped.txt from its current public surface (everything not
# already in PublicAPI.Shipped.txt), with the PublicApiAnalyzers code fix. Run it after changing a
# public API on purpose, review the diff, and commit it. Running it twice changes nothing.
# Removing an API that is in PublicAPI.Shipped.txt still needs a "*REMOVED*" line by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false

header='#nullable enable'
for project in src/*/*.csproj; do
  dir=$(dirname "$project")
  [ -s "$dir/PublicAPI.Shipped.txt" ] || printf '%s\n' "$header" > "$dir/PublicAPI.Shipped.txt"
  # Start from nothing so that removed or changed members leave the file too.
  printf '%s\n' "$header" > "$dir/PublicAPI.Unshipped.txt"
  echo "== $project"
  # RS0016: public symbol not declared; RS0037: nullability not enabled in the file.
  dotnet format analyzers "$project" --diagnostics RS0016 RS0037 --severity info --verbosity quiet
  # One order whatever the fixer's: the header, then the entries sorted ordinally.
  { printf '%s\n' "$header"; grep -v -x -F "$header" "$dir/PublicAPI.Unshipped.txt" | LC_ALL=C sort -u; } > "$dir/PublicAPI.Unshipped.txt.tmp"
  mv "$dir/PublicAPI.Unshipped.txt.tmp" "$dir/PublicAPI.Unshipped.txt"
done
echo "Done: review 'git diff -- src/*/PublicAPI.Unshipped.txt' and commit it with the API change."
