#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# seed.sh TARGET CORPUS_DIR DEJFA ROOT: writes a small seed corpus for a fuzz target.
set -euo pipefail
t=$1 dir=$2 dejfa=$3 root=$4
mkdir -p "$dir"
case $t in
  rules)
    i=0
    while IFS= read -r line; do
      [[ $line == alert* || $line == drop* || $line == pass* ]] || continue
      printf '%s\n' "$line" > "$dir/seed_$i"; i=$((i + 1))
    done < <(cat "$root/rules/dejfa-default.rules" "$root/rules/examples/syntax-tour.rules")
    ;;
  image)
    "$dejfa" compile -q --config 10g -o "$dir/seed_default" "$root/rules/dejfa-default.rules" 2>/dev/null
    "$dejfa" compile -q --config 10g -o "$dir/seed_tour" "$root/rules/examples/syntax-tour.rules" 2>/dev/null
    "$dejfa" compile -q --config 10g --format 3 -o "$dir/seed_default_v3" "$root/rules/dejfa-default.rules" 2>/dev/null
    ;;
  vars)
    printf '%%YAML 1.1\n---\nvars:\n  address-groups:\n    HOME_NET: "[10.0.0.0/8]"\n    EXTERNAL_NET: "!$HOME_NET"\n  port-groups:\n    HTTP_PORTS: "80"\n' > "$dir/seed_block"
    printf 'vars:\n  address-groups: {HOME_NET: &h "[192.0.2.0/24]", DMZ_NET: *h}\n  port-groups:\n    <<: {SSH_PORTS: 22}\n    HTTP_PORTS: "[80,8080]"\n' > "$dir/seed_flow"
    ;;
  packet)
    # Ethernet/IPv4/TCP to port 80 with "GET abc", and an IPv6/ICMPv6 echo.
    printf '\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00\x45\x00\x00\x2f\x12\x34\x00\x00\x40\x06\x00\x00\x0a\x00\x00\x01\x0a\x00\x00\x02\x04\xd2\x00\x50\x00\x00\x10\x00\x00\x00\x20\x00\x50\x18\xff\xff\x00\x00\x00\x00GET abc' > "$dir/seed_tcp"
    printf '\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x86\xdd\x60\x00\x00\x00\x00\x08\x3a\x40\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x80\x00\x00\x00\x00\x00\x00\x00' > "$dir/seed_icmp6"
    ;;
esac
echo "seed corpus for $t: $(ls "$dir" | wc -l) files"
