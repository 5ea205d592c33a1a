#!/usr/bin/env bash
# Replaces the block between "<!-- NAME:begin" and "<!-- NAME:end" in DOC with FILE's
# contents (which carry their own markers). Usage: bench/splice_doc.sh NAME DOC FILE
set -euo pipefail
name=$1 doc=$2 file=$3
awk -v tables="$file" -v begin="<!-- $name:begin" -v end="<!-- $name:end" '
  index($0, begin) == 1 { while ((getline line < tables) > 0) print line; skip = 1; next }
  index($0, end) == 1 { skip = 0; next }
  !skip { print }' "$doc" > "$doc.tmp" && mv "$doc.tmp" "$doc"
