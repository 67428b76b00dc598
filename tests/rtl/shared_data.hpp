// SPDX-License-Identifier: Apache-2.0
//
// The shared rules and captures as the RTL unit tests read them: unpacked into the build tree by
// the rtl.real_captures and rtl.et_rules fixtures (DEJFA_RTL_DATA), and absent where ../shared
// is not beside the checkout (a test then skips, or fails when CI=true).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>

#include "../../bench/anchor_sets.hpp"
#include "dejfa/pcapio.hpp"
#include "dejfa/rules.hpp"

namespace dejfa::test {

struct SharedData {
  std::string pcaps, rules;  ///< the captures' directory and the rule file
  bool present = false;
  bool required = false;  ///< CI=true: the data must be there
};

inline SharedData shared_data(const std::string& rules_file) {
  SharedData d;
  const char* dir = std::getenv("DEJFA_RTL_DATA");
  const char* ci = std::getenv("CI");
  d.required = ci != nullptr && std::string(ci) == "true";
  if (dir == nullptr) return d;
  d.pcaps = std::string(dir) + "/real-pcaps";
  d.rules = std::string(dir) + "/" + rules_file;
  d.present = std::filesystem::exists(d.pcaps) && std::filesystem::exists(d.rules);
  return d;
}

/// The rule file's rules, or with `snort_literals` its first 1,000 single-content rules as
/// `alert ip any any -> any any` (issue #25 deliverable 2's kind).
inline LoadResult shared_rules(const SharedData& d, bool snort_literals) {
  LoadResult lr;
  if (snort_literals) {
    parse_rules(bench::snort_literals(d.rules, 1000), "snort-literals", {}, lr);
  } else {
    lr = load_rule_files({d.rules}, {});
  }
  return lr;
}

/// Calls f(frame bytes) for every non-empty frame of every capture the hardware can see.
template <class F>
void for_each_capture_frame(const SharedData& d, F&& f) {
  for (const auto& file : capture_files(d.pcaps)) {
    PcapReader rd;
    std::string err;
    if (!rd.open(file, err)) continue;  // link types the hardware never sees
    CapturedFrame cf;
    while (rd.next(cf)) {
      if (!cf.frame.empty()) std::forward<F>(f)(cf.frame);
    }
  }
}

}  // namespace dejfa::test
