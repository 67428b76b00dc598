// SPDX-License-Identifier: Apache-2.0
//
// Rule language front end: Suricata/Snort-style rule text -> validated IR, with located
// diagnostics and a Suricata-like load summary. No I/O besides reading the named files.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dejfa/diag.hpp"
#include "dejfa/ir.hpp"

namespace dejfa {

/// Address and port variables ($HOME_NET, $HTTP_PORTS, ...), as suricata.yaml's
/// vars.address-groups and vars.port-groups.
struct Vars {
  std::map<std::string, std::string, std::less<>> addr, port;

  /// Suricata's default suricata.yaml values.
  static Vars defaults();
  /// NAME=VALUE from the command line. NAME goes to port-groups when it is a known port
  /// variable or ends in _PORTS/_PORT, else to address-groups. False with `err` on bad syntax.
  bool set(std::string_view s, std::string& err);
  /// Reads vars.address-groups / vars.port-groups from a suricata.yaml (libyaml: flow style,
  /// anchors and aliases, merge keys, `include:` and `!include` relative to the file). Problems
  /// are appended to `diags` with file:line:column; false on error.
  bool load_file(const std::string& path, Diags& diags);
  /// The same from text named `name`, with includes refused (the fuzz target's entry).
  bool load_text(std::string_view text, const std::string& name, Diags& diags);
};

struct ParseOptions {
  Vars vars = Vars::defaults();
};

/// What a load did, as Suricata's "N rules successfully loaded, M rules failed" summary.
struct LoadStats {
  std::size_t files = 0;
  std::size_t rules = 0;     ///< rule lines seen (not comments)
  std::size_t loaded = 0;    ///< in the rule set
  std::size_t skipped = 0;   ///< rejected: unsupported or malformed
  std::size_t disabled = 0;  ///< commented-out rules (#alert ...), not counted in `rules`
  std::map<std::string, std::size_t> skip_reasons;  ///< category -> count

  [[nodiscard]] std::string summary() const;
};

struct LoadResult {
  RuleSet set;
  Diags diags;  ///< one error per skipped rule, plus warnings
  LoadStats stats;
};

/// Parses rule text; `filename` is used in diagnostics only.
void parse_rules(std::string_view text, std::string_view filename, const ParseOptions& opts,
                 LoadResult& out);

/// Reads and parses files in order; duplicate sid:gid across all of them is an error.
LoadResult load_rule_files(const std::vector<std::string>& paths, const ParseOptions& opts);

/// Parses one rule (tests, tools). Diagnostics name the file "<rule>".
LoadResult parse_rule_string(std::string_view rule, const ParseOptions& opts = {});

}  // namespace dejfa
