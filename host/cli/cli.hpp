// SPDX-License-Identifier: Apache-2.0
//
// Shared pieces of the dejfa CLI commands: exit codes, rule inputs, option parsing.
#pragma once

#include <cstdio>
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "dejfa/gen/regs.hpp"

#include "dejfa/rules.hpp"

namespace dejfa::cli {

namespace po = boost::program_options;

constexpr int kExitOk = 0;
constexpr int kExitUsage = 64;  // EX_USAGE
struct RuleInputs {
  std::vector<std::string> files;
  std::vector<std::string> vars;
  std::vector<std::string> vars_files;
  bool strict = false;
  bool quiet = false;
  bool allow_empty = false;

  void add_to(po::options_description& o) {
    o.add_options()("var", po::value(&vars)->composing(),
                    "set a variable, NAME=VALUE (repeatable; e.g. HOME_NET=[10.0.0.0/8])")(
        "vars", po::value(&vars_files)->composing(),
        "read vars.address-groups/port-groups from a suricata.yaml-shaped FILE")(
        "strict", po::bool_switch(&strict), "fail if any rule is skipped")(
        "allow-empty", po::bool_switch(&allow_empty),
        "run even when no rule loads (otherwise an error: a capture or a wrong file given as "
        "rules)")("quiet,q", po::bool_switch(&quiet),
                  "print only the summary, not each skipped rule");
  }
};

constexpr int kExitRules = 2;     // rule errors (or skips under --strict, or no rule loaded)
constexpr int kExitCapacity = 3;  // the rule set does not fit the configuration
constexpr int kExitIo = 4;        // a file cannot be read or written

/// Loads the rules, prints diagnostics and the summary to stderr. Returns the exit code to use
/// if nonzero, or 0 with `out` filled.
inline int load_rules(const RuleInputs& in, dejfa::LoadResult& out) {
  dejfa::ParseOptions po;
  dejfa::Diags vdiags;
  bool ok = true;
  for (const auto& f : in.vars_files) ok = po.vars.load_file(f, vdiags) && ok;
  for (const auto& v : in.vars) {
    std::string err;
    if (!po.vars.set(v, err)) {
      vdiags.push_back(dejfa::Diag{"--var", 0, 0, 0, dejfa::Severity::Error, "vars", err});
      ok = false;
    }
  }
  bool vars_io = false;
  for (const auto& d : vdiags) {
    std::cerr << d.str() << "\n";
    vars_io = vars_io || d.category == "io";
  }
  if (!ok) return vars_io ? kExitIo : kExitRules;
  if (in.files.empty()) {
    std::cerr << "dejfa: no rule files given\n";
    return kExitUsage;
  }
  out = dejfa::load_rule_files(in.files, po);
  bool io_error = false;
  for (const auto& d : out.diags) {
    if (d.category == "io") io_error = true;
    if (!in.quiet || d.category == "io") std::cerr << d.str() << "\n";
  }
  std::cerr << out.stats.summary() << "\n";
  if (io_error) return kExitIo;
  if (in.strict && out.stats.skipped != 0) {
    std::cerr << "dejfa: --strict: " << out.stats.skipped << " rule(s) skipped\n";
    return kExitRules;
  }
  if (out.set.rules.empty() && !in.allow_empty) {
    std::cerr << "dejfa: no rules loaded (" << out.stats.skipped
              << " skipped); is a capture or another file given as rules? --allow-empty runs "
                 "with none\n";
    return kExitRules;
  }
  return 0;
}

inline po::variables_map parse_args(std::span<const std::string> args,
                                    po::options_description& opts,
                                    const char* positional = nullptr) {
  po::positional_options_description pos;
  if (positional != nullptr) pos.add(positional, -1);
  po::variables_map vm;
  po::store(po::command_line_parser(std::vector<std::string>(args.begin(), args.end()))
                .options(opts)
                .positional(pos)
                .run(),
            vm);
  po::notify(vm);
  return vm;
}

inline const dejfa::hw::Config* find_config(const std::string& name) {
  for (const auto& c : dejfa::hw::kConfigs) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

/// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlong forms,
/// no surrogates, nothing above U+10FFFF), or 0 when it is not one.
inline std::size_t utf8_len(std::string_view s) {
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = at(0);
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < n || at(1) < lo || at(1) > hi) return 0;
  for (std::size_t i = 2; i < n; ++i) {
    if (at(i) < 0x80 || at(i) > 0xBF) return 0;
  }
  return n;
}

/// `s` as valid UTF-8: well-formed sequences kept, every other byte taken as the Latin-1 code
/// point of its value (the same reading as json_str; for outputs without escapes, such as
/// Prometheus label values).
inline std::string utf8_clean(std::string_view s) {
  std::string o;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : utf8_len(s.substr(i));
    if (n > 0) {
      o.append(s.substr(i, n));
      i += n;
    } else {
      o += static_cast<char>(0xC0 | (c >> 6));
      o += static_cast<char>(0x80 | (c & 0x3F));
      ++i;
    }
  }
  return o;
}

/// JSON documents dejfa writes (EVE, counters, device and configuration lists): one library,
/// nlohmann/json, with keys in insertion order (Suricata's field order in EVE).
using Json = nlohmann::ordered_json;

/// A JSON string value for any bytes `s` (docs/SEMANTICS.md "Output encoding"): well-formed UTF-8
/// kept; every other byte (Latin-1 text, binary) as the code point of the same value, so the
/// document is always valid UTF-8 and a Latin-1 `msg` reads as intended. The library escapes
/// quotes, backslashes and control characters.
inline Json json_str(std::string_view s) {
  Json j = utf8_clean(s);  // not `return {...}`: a braced list of one makes a JSON array
  return j;
}

/// A document on one line, as EVE and the counters files are written.
inline std::string json_line(const Json& j) { return j.dump() + "\n"; }

constexpr int kExitMismatch = 5;  // lock-step comparison found a difference
constexpr int kExitDevice = 6;    // a card (or the Verilated core) missing, refusing or misbehaving
constexpr int kExitInternal = 1;  // an internal error: a bug

int cmd_gen(std::span<const std::string> args);
int cmd_sim(std::span<const std::string> args);
int cmd_devices(std::span<const std::string> args);
int cmd_load(std::span<const std::string> args);
int cmd_counters(std::span<const std::string> args);
int cmd_rule(std::span<const std::string> args);
int cmd_simcard(std::span<const std::string> args);
/// `dejfa info --device SPEC`
int device_info(const std::string& spec, const std::string& shell, const std::string& state_dir);

}  // namespace dejfa::cli
