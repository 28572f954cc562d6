#!/usr/bin/env bash
# Runs one program of this folder against a real server, through bindings generated from that
# server's own dump:
#   ODOO_API_KEY=... examples/real-methods/run.sh odoo19   --url http://127.0.0.1:8070 [--db openspp] [--user admin] [--xmlrpc]
#   ODOO_API_KEY=... examples/real-methods/run.sh openspp2 --url http://127.0.0.1:8071 --db openspp2
# It dumps only the models the program uses (with their methods, from /doc-bearer on 19+),
# generates them into models/ (not committed) and runs the program with the same arguments.
# Set CARGO to run cargo through a wrapper.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cargo="${CARGO:-cargo}"
program="${1:?usage: run.sh odoo19|openspp2 --url URL [--db DB] [--user LOGIN] [--xmlrpc]}"
shift
case "$program" in
  odoo19) models="res.partner,res.users,res.company,res.country,res.currency,res.partner.category" ;;
  openspp2) models="spp.program,spp.cycle,spp.program.membership,spp.entitlement,res.partner" ;;
  *) echo "unknown program $program (odoo19 or openspp2)" >&2; exit 2 ;;
esac
url="" db="openspp" user="admin"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --url) url="${args[i+1]}" ;;
    --db) db="${args[i+1]}" ;;
    --user) user="${args[i+1]}" ;;
  esac
done
[ -n "$url" ] || { echo "--url is required" >&2; exit 2; }
dump="$here/target/dump-$program"
rm -rf "$dump"
(cd "$root" && "$cargo" xtask dump --url "$url" --db "$db" --user "$user" \
  --api-key-env ODOO_API_KEY --models "$models" --out "$dump")
(cd "$root" && "$cargo" xtask codegen --schemas "$dump" --out "$here/models" --client-dep path)
[ -f "$here/Cargo.lock" ] || cp "$root/Cargo.lock" "$here/Cargo.lock"
"$cargo" run --quiet --offline --manifest-path "$here/Cargo.toml" --bin "$program" -- "$@"
