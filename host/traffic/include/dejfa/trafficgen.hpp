// SPDX-License-Identifier: Apache-2.0
//
// Realistic mixed traffic for demos and tests (`dejfa gen`): web, DNS, TLS-like, ICMP, IPv6 and
// VLAN-tagged flows between RFC 1918 hosts and documentation-range "internet" hosts, with a
// seeded share of scans, policy violations and web-shell/RAT traffic that the default ruleset
// (rules/dejfa-default.rules) detects, and a few malformed frames.
#pragma once

#include <cstdint>
#include <vector>

namespace dejfa {

struct GenFrame {
  std::uint64_t ts_ns;
  std::vector<std::uint8_t> frame;
};

struct GenOptions {
  std::uint64_t packets = 20000;
  std::uint64_t seed = 1;
  double attack_share = 0.03;  ///< fraction of frames drawn from the attack mix
};

std::vector<GenFrame> generate_traffic(const GenOptions& opt);

}  // namespace dejfa
