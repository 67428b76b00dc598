// SPDX-License-Identifier: Apache-2.0
//
// Small string helpers shared by the parsers (rules, vars, keyword values, CLI scripts), so that
// every reader agrees on what whitespace is: a file with CRLF line ends, or a tab where a space
// was, reads the same everywhere.
#pragma once

#include <cstdint>
#include <string_view>

namespace dejfa {

/// Space, tab, CR, LF, vertical tab, form feed (C's isspace in the "C" locale).
constexpr bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/// `s` without whitespace (is_space) at either end.
constexpr std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

/// An ASCII upper-case letter in lower case, every other byte as it is: what `nocase` compares
/// (Suricata's u8_tolower), and the folding of the fast keys and anchors.
constexpr std::uint8_t ascii_lower(std::uint8_t c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c + 32) : c;
}

}  // namespace dejfa
