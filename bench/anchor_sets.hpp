// SPDX-License-Identifier: Apache-2.0
//
// Rule sets and traffic the anchor benches share (bench_design_anchors, bench_confirm_queue;
// issue #25): the Snort-community-literal rules of deliverable 2 and the literal flood of
// deliverable 3.
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "dejfa/ir.hpp"
#include "dejfa/pktbuild.hpp"

namespace dejfa::bench {

/// The Snort-community-literal kind: `alert ip any any -> any any (content:X; [nocase;])` from
/// the first content (and its nocase) of the first `n` rules with one, in file order.
inline std::string snort_literals(const std::string& path, std::size_t n) {
  std::ifstream in(path);
  std::string line, out;
  const std::regex re("content:\\s*\"([^\"]*)\"\\s*(,[^;]*)?;(\\s*nocase;)?");
  std::size_t k = 0;
  std::set<std::string> seen;
  while (k < n && std::getline(in, line)) {
    std::smatch m;
    if (line.empty() || line[0] == '#' || !std::regex_search(line, m, re)) continue;
    const std::string lit = m[1].str() + (m[3].matched ? "|nc" : "");
    if (m[1].str().empty() || !seen.insert(lit).second) continue;
    out += "alert ip any any -> any any (content:\"" + m[1].str() + "\";" +
           (m[3].matched ? " nocase;" : "") + " sid:" + std::to_string(500000 + k) + ";)\n";
    ++k;
  }
  return out;
}

/// Deliverable 3's literal flood: `n` frames whose 1,400-byte payloads are the rule set's
/// anchors' source contents back to back (each rule's fast_pattern or longest positive content),
/// in a seeded random order.
inline std::vector<std::vector<std::uint8_t>> literal_flood(const std::vector<Rule>& rules,
                                                            std::size_t n) {
  std::vector<const std::vector<std::uint8_t>*> lits;
  for (const auto& r : rules) {
    const Content* best = nullptr;
    for (const auto& c : r.contents) {
      if (!c.negated && (best == nullptr || c.bytes.size() > best->bytes.size())) best = &c;
    }
    if (best != nullptr) lits.push_back(&best->bytes);
  }
  std::vector<std::vector<std::uint8_t>> out;
  std::uint64_t z = 0x2545F4914F6CDD1DULL;
  auto rnd = [&] {
    z ^= z << 13, z ^= z >> 7, z ^= z << 17;
    return z;
  };
  for (std::size_t i = 0; i < n && !lits.empty(); ++i) {
    FrameSpec fs;
    fs.sport = static_cast<std::uint16_t>(40000 + i % 20000);
    while (fs.payload.size() < 1400) {
      const auto& l = *lits[rnd() % lits.size()];
      fs.payload.insert(fs.payload.end(), l.begin(), l.end());
    }
    fs.payload.resize(1400);
    out.push_back(build_frame(fs));
  }
  return out;
}

}  // namespace dejfa::bench
