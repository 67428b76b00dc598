// SPDX-License-Identifier: Apache-2.0
//
// Runs one suricata-verify case (test.rules + input.pcap) through the reference model and
// counts alert events per sid, as Suricata's eve.json would in per-packet mode.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "dejfa/pcapio.hpp"
#include "dejfa/refmodel.hpp"
#include "dejfa/rules.hpp"

namespace dejfa::conformance {

struct CaseResult {
  std::map<std::string, std::uint64_t> expected;  ///< sid (or "total") -> alerts
  std::map<std::string, std::uint64_t> ours;      ///< same keys as expected
  std::size_t packets = 0;
  std::size_t rules_loaded = 0, rules_skipped = 0;
  std::string error;
  [[nodiscard]] bool agrees() const { return error.empty() && expected == ours; }
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

inline std::string fmt_counts(const std::map<std::string, std::uint64_t>& m) {
  std::string s;
  for (const auto& [k, v] : m) s += (s.empty() ? "" : ",") + k + "=" + std::to_string(v);
  return s;
}

inline CaseResult run_case(const std::filesystem::path& dir) {
  CaseResult r;
  const std::string exp = slurp(dir / "expected.json");
  // expected.json is a flat object of "key": count pairs.
  for (std::size_t i = exp.find('"'); i != std::string::npos; i = exp.find('"', i)) {
    const std::size_t close = exp.find('"', i + 1);
    if (close == std::string::npos) break;
    const std::string key = exp.substr(i + 1, close - i - 1);
    std::size_t j = exp.find_first_not_of(" \t\r\n", close + 1);
    if (j == std::string::npos || exp[j] != ':') {
      i = close + 1;
      continue;
    }
    j = exp.find_first_not_of(" \t\r\n", j + 1);
    std::size_t e = j;
    while (e < exp.size() && exp[e] >= '0' && exp[e] <= '9') ++e;
    if (e > j) r.expected[key] = std::stoull(exp.substr(j, e - j));
    i = e;
  }
  auto lr = load_rule_files({(dir / "test.rules").string()}, ParseOptions{});
  r.rules_loaded = lr.stats.loaded;
  r.rules_skipped = lr.stats.skipped;
  RefModel model(lr.set);
  PcapReader rd;
  if (!rd.open((dir / "input.pcap").string(), r.error)) return r;
  std::map<std::uint32_t, std::uint64_t> per_sid;
  std::uint64_t total = 0;
  CapturedFrame f;
  while (rd.next(f)) {
    ++r.packets;
    const auto v = model.judge(f.frame);
    for (auto i : v.alerted) {
      ++per_sid[lr.set.rules[i].sid];
      ++total;
    }
  }
  for (const auto& [k, _] : r.expected) {
    r.ours[k] = k == "total" ? total : per_sid[static_cast<std::uint32_t>(std::stoul(k))];
  }
  return r;
}

}  // namespace dejfa::conformance
