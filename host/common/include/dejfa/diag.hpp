// SPDX-License-Identifier: Apache-2.0
//
// Diagnostics: every problem found in rules, vars files or images carries where it is and why.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dejfa {

enum class Severity : std::uint8_t { Note, Warning, Error };

/// A located message, printed like a compiler's: `file:line:col: error: [sid N] message`.
struct Diag {
  std::string file;
  std::uint32_t line = 0;  ///< 1-based; 0 when not tied to a line
  std::uint32_t col = 0;   ///< 1-based; 0 when not tied to a column
  std::uint32_t sid = 0;   ///< 0 when unknown
  Severity severity = Severity::Error;
  std::string category;  ///< short reason class for summaries ("pcre", "flowbits", "syntax", ...)
  std::string message;

  [[nodiscard]] std::string str() const;
};

using Diags = std::vector<Diag>;

}  // namespace dejfa
