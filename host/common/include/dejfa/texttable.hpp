// SPDX-License-Identifier: Apache-2.0
//
// One formatter for every text table dejfa prints (the compiler's utilisation report, `dejfa
// sim`'s per-rule summary, `dejfa counters`, `dejfa devices`, `dejfa configs`): columns with a
// heading and an alignment, widths from the widest cell, two spaces between columns, the last
// column never padded (it holds free text such as a rule's msg), no trailing blanks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dejfa {

class TextTable {
 public:
  enum class Align { Left, Right };

  /// Adds a column; returns the table for chaining.
  TextTable& column(std::string heading, Align align = Align::Right);
  /// Adds a row: one cell per column (missing cells are empty, extra ones an error).
  TextTable& row(std::vector<std::string> cells);
  [[nodiscard]] bool empty() const { return rows_.empty(); }
  /// The heading line and the rows, each line prefixed by `indent` and ended by a newline.
  [[nodiscard]] std::string str(std::string_view indent = "") const;

 private:
  std::vector<std::string> heads_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace dejfa
