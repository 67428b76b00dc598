// SPDX-License-Identifier: Apache-2.0
//
// suricata-verify conformance of the reference model, case by case, against the recorded table
// tests/conformance/suricata-verify.tsv (agree, or differ with the documented reason).

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "conformance.hpp"

namespace {

namespace fs = std::filesystem;

struct Row {
  std::string name, status, ours, reason;
};

std::vector<Row> table() {
  std::vector<Row> rows;
  std::ifstream f(DEJFA_CONFORMANCE_TABLE);
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    Row r;
    std::getline(ss, r.name, '\t');
    std::getline(ss, r.status, '\t');
    std::getline(ss, r.ours, '\t');
    std::getline(ss, r.reason, '\t');
    rows.push_back(r);
  }
  return rows;
}

const fs::path kRoot = fs::path(DEJFA_SHARED_DATA) / "suricata-verify";

bool data_missing() {
  if (fs::exists(kRoot)) return false;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string(ci) == "true") {
    ADD_FAILURE() << kRoot << " is missing, and CI=true requires the shared data";
  }
  return true;
}

class SuricataVerify : public ::testing::TestWithParam<Row> {};

TEST_P(SuricataVerify, MatchesRecordedOutcome) {
  if (data_missing()) {
    GTEST_SKIP() << kRoot << " not found (shared data is beside the checkout)";
  }
  const Row& row = GetParam();
  const auto r = dejfa::conformance::run_case(kRoot / row.name);
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(dejfa::conformance::fmt_counts(r.ours), row.ours)
      << "expected (Suricata): " << dejfa::conformance::fmt_counts(r.expected);
  EXPECT_EQ(r.agrees(), row.status == "agree")
      << "status changed; update tests/conformance/suricata-verify.tsv and docs/CONFORMANCE.md";
  if (row.status == "differ") {
    EXPECT_NE(row.reason, "-") << "a difference needs its reason";
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, SuricataVerify, ::testing::ValuesIn(table()), [](const auto& i) {
  std::string n = i.param.name;
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
});

TEST(SuricataVerifyTable, CoversEveryCase) {
  if (data_missing()) {
    GTEST_SKIP() << kRoot << " not found";
  }
  std::set<std::string> listed;
  for (const auto& r : table()) listed.insert(r.name);
  for (const auto& e : fs::recursive_directory_iterator(kRoot)) {
    if (e.path().filename() != "test.rules") continue;
    const auto name = fs::relative(e.path().parent_path(), kRoot).string();
    EXPECT_TRUE(listed.contains(name)) << name << " is not in the conformance table";
  }
}

}  // namespace
