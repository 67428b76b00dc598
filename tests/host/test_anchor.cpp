// SPDX-License-Identifier: Apache-2.0
//
// Anchors (host/image/include/dejfa/anchor.hpp, issue #25 deliverable 4): fast_pattern honoured
// in its three forms, the rarest window of up to 8 bytes otherwise, nocase folding, sharing, the
// keyword's refusals as Suricata's, and the report's warning for anchors that will hit often.

#include <string>

#include <gtest/gtest.h>

#include "dejfa/anchor.hpp"
#include "dejfa/rules.hpp"

namespace {

dejfa::Rule one(const std::string& text) {
  const auto r = dejfa::parse_rule_string(text);
  EXPECT_EQ(r.set.rules.size(), 1U) << (r.diags.empty() ? "" : r.diags[0].str());
  return r.set.rules.empty() ? dejfa::Rule{} : r.set.rules[0];
}

std::string text(const dejfa::Anchor& a) { return {a.bytes.begin(), a.bytes.end()}; }

// The score of every window of up to 8 bytes of a content, the lowest (rarest) found by brute
// force, for comparison with anchor_of.
double rarest(const dejfa::Content& c, std::size_t from, std::size_t to) {
  const auto& lf = dejfa::anchor_byte_logfreq();
  const std::size_t w = std::min<std::size_t>(8, to - from);
  double best = 1e300;
  for (std::size_t off = from; off + w <= to; ++off) {
    double s = 0;
    for (std::size_t k = 0; k < w; ++k) {
      std::uint8_t b = c.bytes[off + k];
      if (b >= 'A' && b <= 'Z') b = static_cast<std::uint8_t>(b + 32);
      s += lf[b];
    }
    best = std::min(best, s);
  }
  return best;
}

TEST(Anchor, RarestWindowOfAnyPositiveContent) {
  const auto r =
      one("alert tcp any any -> any any (content:\"GET / HTTP/1.1\"; content:\"|00|\"; "
          "content:\"zq7x|ff fe|Kw9\"; content:!\"never-here-at-all\"; sid:1;)");
  const auto a = dejfa::anchor_of(r);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->bytes.size(), 8U);
  EXPECT_FALSE(a->named);
  EXPECT_NE(a->content, 3U) << "a negated content anchored the rule";
  double best = 1e300;
  for (std::size_t i = 0; i < 3; ++i)
    best = std::min(best, rarest(r.contents[i], 0, r.contents[i].bytes.size()));
  EXPECT_DOUBLE_EQ(a->score, best);
  EXPECT_EQ(a->content, 2U) << "binary bytes and rare letters are rarer than a request line";
}

TEST(Anchor, FastPatternHonouredInItsThreeForms) {
  // Named: the anchor comes from that content even when another is rarer.
  auto r =
      one("alert tcp any any -> any any (content:\"zq7x|ff fe|Kw9\"; content:\"User-Agent|3a|\"; "
          "fast_pattern; sid:1;)");
  auto a = dejfa::anchor_of(r);
  ASSERT_TRUE(a.has_value());
  EXPECT_TRUE(a->named);
  EXPECT_EQ(a->content, 1U);
  // only: as plain.
  r =
      one("alert tcp any any -> any any (content:\"abc\"; content:\"evil-thing\"; "
          "fast_pattern:only; sid:2;)");
  a = dejfa::anchor_of(r);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->content, 1U);
  EXPECT_TRUE(r.contents[1].fast_pattern_only);
  // offset,length: within those bytes only (spaces after the comma as Suricata allows).
  r =
      one("alert tcp any any -> any any (content:\"|00 00 00 00|abcdefgh|ff|\"; fast_pattern:4, 5; "
          "sid:3;)");
  a = dejfa::anchor_of(r);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(text(*a), "abcde");
  EXPECT_EQ(a->offset, 4U);
  // On a negated content it cannot anchor: the rarest positive window does, not named.
  r = one(
      "alert tcp any any -> any any (content:\"abcdef\"; content:!\"zzzz\"; fast_pattern; sid:4;)");
  a = dejfa::anchor_of(r);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->content, 0U);
  EXPECT_FALSE(a->named);
}

TEST(Anchor, NocaseFoldsAndEqualAnchorsAreShared) {
  const auto lr = dejfa::parse_rule_string(
      "alert tcp any any -> any any (content:\"CMD.EXE\"; nocase; sid:1;)\n"
      "alert tcp any any -> any 80 (content:\"cmd.exe\"; nocase; sid:2;)\n"
      "alert tcp any any -> any 80 (content:\"cmd.exe\"; sid:3;)\n"
      "alert tcp any any -> any 80 (sid:4;)\n");
  ASSERT_EQ(lr.set.rules.size(), 4U);
  const auto set = dejfa::anchors_of(lr.set);
  ASSERT_EQ(set.anchors.size(), 2U);
  EXPECT_EQ(text(set.anchors[0]), "cmd.exe");
  EXPECT_TRUE(set.anchors[0].nocase);
  EXPECT_EQ(set.rules[0], (std::vector<std::uint32_t>{0, 1}));
  EXPECT_FALSE(set.anchors[1].nocase) << "a case-sensitive content is another anchor";
  EXPECT_EQ(set.without, 1U);
}

TEST(Anchor, KeywordRefusesWhatSuricataRefuses) {
  const auto refused = [](const std::string& opts, const std::string& why) {
    const auto r = dejfa::parse_rule_string("alert tcp any any -> any any (" + opts + " sid:1;)");
    ASSERT_EQ(r.set.rules.size(), 0U) << opts;
    ASSERT_FALSE(r.diags.empty());
    EXPECT_NE(r.diags[0].message.find(why), std::string::npos) << r.diags[0].str();
  };
  refused("content:\"ab\"; fast_pattern; content:\"cd\"; fast_pattern;", "only one content");
  refused("content:!\"ab\"; fast_pattern:only;", "negated");
  refused("content:!\"abcd\"; fast_pattern:0,2;", "negated");
  refused("content:\"abcd\"; fast_pattern:2,3;", "not within the content's 4 bytes");
  refused("content:\"abcd\"; fast_pattern:1,0;", "not within");
  refused("content:\"abcd\"; fast_pattern:x;", "'only' or 'offset,length'");
}

TEST(Anchor, ReportWarnsOnAnchorsThatWillHitOften) {
  const auto lr = dejfa::parse_rule_string(
      "alert tcp any any -> any any (content:\"e \"; sid:1;)\n"
      "alert tcp any any -> any any (content:\"zq7x|ff fe|Kw9\"; sid:2;)\n");
  ASSERT_EQ(lr.set.rules.size(), 2U);
  const auto set = dejfa::anchors_of(lr.set);
  const std::string rep = dejfa::anchor_report(lr.set, set);
  EXPECT_NE(rep.find("anchors: 2 for 2 rules"), std::string::npos) << rep;
  EXPECT_NE(rep.find("warning: anchor \"e \" (2 B, 1 rule, first sid 1) will hit often"),
            std::string::npos)
      << rep;
  EXPECT_EQ(rep.find("first sid 2"), std::string::npos) << "a rare anchor was warned about:\n"
                                                        << rep;
}

}  // namespace
