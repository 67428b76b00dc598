// SPDX-License-Identifier: Apache-2.0
//
// Rule sets and traffic the anchor benches share (bench_design_anchors, bench_confirm_queue,
// bench_seen_expand; issue #25): the Snort-community-literal rules of deliverable 2, the literal
// flood of deliverable 3, and the command line of the models that replay them over the captures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dejfa/ir.hpp"
#include "dejfa/pcapio.hpp"
#include "dejfa/pktbuild.hpp"
#include "dejfa/rules.hpp"

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

/// The command line of the models that replay rule sets over the captures (bench_confirm_queue,
/// bench_seen_expand): `--rules [NAME=]FILE...` (each a set), `--snort FILE` (the 1,000 Snort
/// literals made from it, a set of its own), `--pcaps DIR` (every frame of every capture under
/// it), and any other `--name value` pair, kept in `extra` for the model.
struct ReplayArgs {
  std::vector<std::pair<std::string, std::vector<Rule>>> rule_sets;
  std::vector<std::vector<std::uint8_t>> frames;
  std::string pcaps;
  std::map<std::string, std::string> extra;
};
/// None when no rule set or no capture directory is named.
inline std::optional<ReplayArgs> replay_args(int argc, char** argv) {
  ReplayArgs out;
  std::vector<std::pair<std::string, std::string>> sets;  // name, file
  std::string snort;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--rules") {
      const auto eq = v.find('=');
      sets.emplace_back(eq == std::string::npos ? v : v.substr(0, eq),
                        eq == std::string::npos ? v : v.substr(eq + 1));
    } else if (a == "--snort") {
      snort = v;
    } else if (a == "--pcaps") {
      out.pcaps = v;
    } else {
      out.extra[a] = v;
    }
  }
  if ((sets.empty() && snort.empty()) || out.pcaps.empty()) return std::nullopt;
  for (const auto& f : capture_files(out.pcaps)) {
    PcapReader rd;
    std::string err;
    if (!rd.open(f, err)) continue;
    CapturedFrame cf;
    while (rd.next(cf)) {
      if (!cf.frame.empty()) out.frames.push_back(cf.frame);
    }
  }
  out.rule_sets.reserve(sets.size() + 1);
  for (const auto& [name, file] : sets) {
    out.rule_sets.emplace_back(name, load_rule_files({file}, {}).set.rules);
  }
  if (!snort.empty()) {
    LoadResult res;
    parse_rules(snort_literals(snort, 1000), "snort-literals", {}, res);
    out.rule_sets.emplace_back("1,000 Snort literals", res.set.rules);
  }
  return out;
}

}  // namespace dejfa::bench
