// SPDX-License-Identifier: Apache-2.0
#include "dejfa/texttable.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace dejfa {

namespace {

// Display width: UTF-8 continuation bytes take no column.
std::size_t width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

}  // namespace

TextTable& TextTable::column(std::string heading, Align align) {
  heads_.push_back(std::move(heading));
  align_.push_back(align);
  return *this;
}

TextTable& TextTable::row(std::vector<std::string> cells) {
  if (cells.size() > heads_.size()) throw std::logic_error("TextTable: more cells than columns");
  cells.resize(heads_.size());
  rows_.push_back(std::move(cells));
  return *this;
}

std::string TextTable::str(std::string_view indent) const {
  std::vector<std::size_t> w(heads_.size(), 0);
  for (std::size_t c = 0; c < heads_.size(); ++c) {
    w[c] = width(heads_[c]);
    for (const auto& r : rows_) w[c] = std::max(w[c], width(r[c]));
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l(indent);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c != 0) l += "  ";
      const std::size_t pad = w[c] - width(cells[c]);
      const bool last = c + 1 == cells.size();
      if (align_[c] == Align::Right) l.append(pad, ' ');
      l += cells[c];
      if (align_[c] == Align::Left && !last) l.append(pad, ' ');
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l;
    out += '\n';
  };
  line(heads_);
  for (const auto& r : rows_) line(r);
  return out;
}

}  // namespace dejfa
