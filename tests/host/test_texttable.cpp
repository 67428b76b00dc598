// SPDX-License-Identifier: Apache-2.0
//
// The one text-table formatter (host/common/src/texttable.cpp): widths from the widest cell, right
// or left alignment, two spaces between columns, the last column unpadded, no trailing blanks,
// UTF-8 text counted by characters, a row with too many cells refused.
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "dejfa/texttable.hpp"

namespace {

using dejfa::TextTable;
using A = TextTable::Align;

TEST(TextTable, AlignsColumnsByTheirWidestCell) {
  TextTable t;
  t.column("sid", A::Left).column("packets").column("msg", A::Left);
  t.row({"1", "12345", "first rule"}).row({"900001", "7", "café"}).row({"2"});
  EXPECT_EQ(t.str("  "),
            "  sid     packets  msg\n"
            "  1         12345  first rule\n"
            "  900001        7  café\n"
            "  2\n");
}

TEST(TextTable, HeadingsWiderThanCellsAndEmptyLastColumns) {
  TextTable t;
  t.column("resource", A::Left).column("available").column("", A::Left);
  t.row({"a", "1", "OVER"}).row({"bb", "22", ""});
  EXPECT_EQ(t.str(),
            "resource  available\n"
            "a                 1  OVER\n"
            "bb               22\n");
  EXPECT_FALSE(t.empty());
  EXPECT_TRUE(TextTable{}.empty());
}

TEST(TextTable, MoreCellsThanColumnsIsRefused) {
  TextTable t;
  t.column("one");
  EXPECT_THROW(t.row({"1", "2"}), std::logic_error);
}

}  // namespace
