// SPDX-License-Identifier: Apache-2.0
//
// Rule keywords, Suricata sigmatch_table style: one file per keyword defines a KeywordDef
// (name, whether it takes a value, how it lowers into the IR) and table.cpp lists them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dejfa/ir.hpp"

namespace dejfa::kw {

/// What a keyword's apply() sees.
struct Ctx {
  Rule& rule;
  std::string_view value;  ///< trimmed; quotes kept (keywords unquote as they need)
  bool has_value = false;
  std::string error;  ///< set by apply() on failure

  bool fail(std::string msg) {
    error = std::move(msg);
    return false;
  }
  /// The content a modifier applies to, or nullptr (and an error) when there is none.
  Content* last_content(std::string_view modifier);
};

struct KeywordDef {
  std::string_view name;
  enum class Value : std::uint8_t { None, Required, Optional } value;
  bool (*apply)(Ctx&);
  std::string_view help;
};

/// All supported keywords.
std::span<const KeywordDef* const> table();
/// The supported keyword called `name`, or nullptr.
const KeywordDef* find(std::string_view name);

// Helpers shared by keyword files.
std::optional<std::uint32_t> parse_u32(std::string_view s);
std::optional<std::int32_t> parse_i32(std::string_view s);
/// Removes one pair of surrounding double quotes; false if quotes are unbalanced.
bool unquote(std::string_view in, std::string& out, std::string& err);
/// Suricata's unsigned comparison syntax: n, !n, <n, <=n, >n, >=n, a-b, a<>b (exclusive).
bool parse_uint_match(std::string_view s, std::uint32_t max, UintMatch& out, std::string& err);

}  // namespace dejfa::kw
