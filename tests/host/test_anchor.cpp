// SPDX-License-Identifier: Apache-2.0
//
// Anchors (host/image/include/dejfa/anchor.hpp, issue #25 deliverable 4): fast_pattern honoured
// in its three forms, the rarest window of up to 8 bytes otherwise, nocase folding, sharing, the
// keyword's refusals as Suricata's, and the report's warning for anchors that will hit often.

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dejfa/anchor.hpp"
#include "dejfa/anchor_filter.hpp"
#include "dejfa/content.hpp"
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

// The anchor blocks' tables as the driver will load them through the record port (the derived
// [[rtable]]s): every table the blocks read is written whole, each entry once, within its
// capacity and width, and each entry holds what the block's own write port took in its tests.
TEST(AnchorFilter, LoadWritesRewriteEveryTableTheBlocksRead) {
  namespace rt = dejfa::hw::rtbl;
  namespace af = dejfa::afilt;
  std::mt19937_64 rng(13);
  auto u = [&](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
  std::vector<dejfa::ImageAnchor> anchors;
  std::uint32_t next = 0;
  for (int i = 0; i < 600; ++i) {
    dejfa::ImageAnchor a;
    a.nocase = u(3) == 0;
    for (std::uint32_t k = (i % 12 == 0 ? 1 + u(3) : 4 + u(5)); k > 0; --k) {
      const auto c = static_cast<std::uint8_t>(u(3) == 0 ? 'a' + u(26) : u(256));
      a.bytes.push_back(a.nocase && c >= 'A' && c <= 'Z' ? static_cast<std::uint8_t>(c + 32) : c);
    }
    a.first = next;
    a.count = 1 + u(3);
    next += a.count;
    anchors.push_back(std::move(a));
  }
  const auto t = af::tables_of(anchors);
  ASSERT_LE(t.bucket_max, af::kBucketMax);
  const auto c = af::confirm_tables(t, anchors, 4096);
  const auto sr = af::short_rows(t, anchors);
  const auto rg = af::range_tables(c, t, anchors);
  const auto ws = af::load_writes(anchors, 4096);

  std::map<std::uint32_t, std::map<std::uint32_t, std::vector<std::uint32_t>>> tab;
  for (const auto& w : ws) {
    ASSERT_GE(w.tbl, rt::kImageIds) << "an image table among the derived ones";
    ASSERT_GT(rt::kWords[w.tbl], 0U);
    const std::vector<std::uint32_t> words(w.w.begin(), w.w.begin() + rt::kWords[w.tbl]);
    for (std::size_t k = 0; k < w.w.size(); ++k) {
      const std::uint32_t lo = 32 * static_cast<std::uint32_t>(k);
      const std::uint32_t width = rt::kWidth[w.tbl];
      const std::uint32_t keep = width <= lo        ? 0U
                                 : width - lo >= 32 ? ~0U
                                                    : (1U << (width - lo)) - 1;
      EXPECT_EQ(w.w[k] & ~keep, 0U) << rt::kNames[w.tbl] << " entry " << w.idx << " word " << k;
    }
    EXPECT_TRUE(tab[w.tbl].emplace(w.idx, words).second)
        << rt::kNames[w.tbl] << " entry " << w.idx << " written twice";
  }
  const auto u64_of = [&](std::uint32_t tbl, std::uint32_t idx) {
    const auto& v = tab[tbl].at(idx);
    return std::uint64_t{v[0]} | std::uint64_t{v[1]} << 32;
  };
  ASSERT_EQ(tab[rt::ANCH_BITS].size(), af::kTableWords);
  ASSERT_EQ(tab[rt::ANCH_RANK].size(), af::kTableWords);
  for (std::uint32_t i = 0; i < af::kTableWords; ++i) {
    EXPECT_EQ(u64_of(rt::ANCH_BITS, i), t.bits[i]) << i;
    EXPECT_EQ(tab[rt::ANCH_RANK].at(i), af::rank_words(c.rank[i])) << i;
  }
  ASSERT_EQ(tab[rt::ANCH_REC].size(), c.rec.size());
  ASSERT_EQ(tab[rt::ANCH_RANGE].size(), c.rec.size());
  for (std::uint32_t i = 0; i < c.rec.size(); ++i) {
    EXPECT_EQ(tab[rt::ANCH_REC].at(i), af::record_words(c.rec[i])) << i;
    EXPECT_EQ(tab[rt::ANCH_RANGE].at(i)[0], af::range_word(rg.rec[i])) << i;
  }
  ASSERT_EQ(tab[rt::ANCH_SHORT].size(), 3U * 256U + 3U);
  for (std::uint32_t p = 0; p < 3; ++p) {
    for (std::uint32_t b = 0; b < 256; ++b)
      EXPECT_EQ(u64_of(rt::ANCH_SHORT, 256 * p + b), sr.byte[p][b]);
    EXPECT_EQ(u64_of(rt::ANCH_SHORT, 768 + p), sr.len[p]);
  }
  ASSERT_EQ(tab[rt::SHORT_RANGE].size(), t.shorts.size());
  for (std::uint32_t i = 0; i < t.shorts.size(); ++i) {
    EXPECT_EQ(tab[rt::SHORT_RANGE].at(i)[0], af::range_word(rg.shorts[i])) << i;
  }
  EXPECT_EQ(tab.size(), 6U) << "a derived table written that no block reads";
  EXPECT_GT(t.shorts.size(), 20U);
  EXPECT_GT(c.rec.size(), 500U);
  // Past the confirm's records the load is refused, as confirm_tables refuses it.
  EXPECT_THROW((void)af::load_writes(anchors, static_cast<std::uint32_t>(c.rec.size()) - 1),
               std::invalid_argument);
}

}  // namespace

namespace {

// The filter and the confirm (dejfa::afilt, docs/ARCHITECTURE.md section 7) find exactly the
// anchors occurring in the payload, on both buses: random anchors of 1-8 bytes (nocase among
// them, a family sharing its rarest window), frames with planted anchors in random case, runs
// of one byte, and payload bounds cutting anchors at both ends. The oracle is a plain search.
TEST(AnchorFilter, ConfirmFindsExactlyTheAnchorsInThePayload) {
  std::mt19937_64 rng(7);
  auto u = [&](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
  std::vector<dejfa::ImageAnchor> anchors;
  for (int i = 0; i < 700; ++i) {
    dejfa::ImageAnchor a;
    a.nocase = u(5) < 2;
    const std::uint32_t len = u(10) == 0 ? 1 + u(3) : 4 + u(5);
    for (std::uint32_t k = 0; k < len; ++k) {
      auto c = static_cast<std::uint8_t>(u(2) == 0 ? 'a' + u(6) : u(256));
      if (a.nocase && c >= 'A' && c <= 'Z') c = static_cast<std::uint8_t>(c + 32);
      a.bytes.push_back(c);
    }
    anchors.push_back(std::move(a));
  }
  for (const char* p : {"es", "pi", "ns", "ce", "om", "on", "ss", "cs"}) {
    anchors.push_back(
        dejfa::ImageAnchor{{static_cast<std::uint8_t>(p[0]), static_cast<std::uint8_t>(p[1]), 4,
                            'i', 'n', 'f', 'o', 0},
                           true,
                           0,
                           0});
  }
  const auto t = dejfa::afilt::tables_of(anchors);
  EXPECT_LE(t.bucket_max, dejfa::afilt::kBucketMax);
  std::size_t found = 0, cut = 0;
  for (int i = 0; i < 600; ++i) {
    std::vector<std::uint8_t> f(1 + u(900));
    for (auto& b : f) b = static_cast<std::uint8_t>(u(3) == 0 ? u(256) : 'a' + u(6));
    if (u(4) == 0 && f.size() > 10)
      std::fill(f.begin() + u(static_cast<std::uint32_t>(f.size() - 10)), f.end(), f[0]);
    for (std::uint32_t k = u(10); k > 0; --k) {
      const auto& a = anchors[u(static_cast<std::uint32_t>(anchors.size()))];
      if (a.bytes.size() > f.size()) continue;
      const std::uint32_t at = u(static_cast<std::uint32_t>(f.size() - a.bytes.size() + 1));
      for (std::size_t j = 0; j < a.bytes.size(); ++j) {
        const std::uint8_t c = a.bytes[j];
        f[at + j] =
            a.nocase && u(2) == 0 && c >= 'a' && c <= 'z' ? static_cast<std::uint8_t>(c - 32) : c;
      }
    }
    const std::uint32_t off = u(static_cast<std::uint32_t>(f.size()) + 1);
    const std::uint32_t len = u(static_cast<std::uint32_t>(f.size()) - off + 1);
    const std::span<const std::uint8_t> payload(f.data() + off, len);
    std::vector<std::uint32_t> want;
    for (std::uint32_t a = 0; a < anchors.size(); ++a) {
      if (dejfa::find_bytes(payload, anchors[a].bytes, anchors[a].nocase) >= 0)
        want.push_back(a);
      else if (dejfa::find_bytes(f, anchors[a].bytes, anchors[a].nocase) >= 0)
        ++cut;
    }
    for (const unsigned w : {8U, 64U}) {
      const auto got = dejfa::afilt::confirm_frame(t, anchors, f, w, off, len);
      std::vector<std::uint32_t> ids;
      for (const auto& x : got) {
        ASSERT_LT(x.beat, (f.size() + w - 1) / w);
        ids.push_back(x.anchor);
      }
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      ASSERT_EQ(ids, want) << "frame " << i << ", " << w << "-byte beats";
    }
    found += want.size();
  }
  std::printf("%zu anchors found in payloads; %zu in frames outside their payload\n", found, cut);
  EXPECT_GT(found, 1000U);
  EXPECT_GT(cut, 100U) << "the payload bounds must matter";
}

// The confirm's rank words and records (afilt::confirm_tables) give every hash exactly its
// bucket's anchors, in order, with their comparison records; a third anchor on one hash and more
// records than ANCHORS_N are refused; the write port's bit layout.
TEST(AnchorFilter, ConfirmTablesGiveEachHashItsBucket) {
  std::mt19937_64 rng(11);
  auto u = [&](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
  std::vector<dejfa::ImageAnchor> anchors;
  dejfa::afilt::Tables t;
  // Drawn again until no hash has a third anchor (a random set has one now and then: a pair's
  // hash taken by a 4-byte anchor, which has no other window).
  for (int draw = 0; draw == 0 || t.bucket_max > dejfa::afilt::kBucketMax; ++draw) {
    ASSERT_LT(draw, 20);
    anchors.clear();
    for (int i = 0; i < 3000; ++i) {
      dejfa::ImageAnchor a;
      a.nocase = u(3) == 0;
      for (std::uint32_t k = 4 + u(5); k > 0; --k) {
        a.bytes.push_back(static_cast<std::uint8_t>(a.nocase ? 'a' + u(26) : u(256)));
      }
      anchors.push_back(std::move(a));
    }
    // Pairs on one hash: a 4-byte anchor with and without nocase (one key, one window).
    for (int i = 0; i < 30; ++i) {
      dejfa::ImageAnchor a;
      for (int k = 0; k < 4; ++k) a.bytes.push_back(static_cast<std::uint8_t>('a' + u(26)));
      anchors.push_back(a);
      a.nocase = true;
      anchors.push_back(a);
    }
    t = dejfa::afilt::tables_of(anchors);
  }
  std::size_t twos = 0;
  for (const auto& b : t.bucket) twos += b.size() == 2 ? 1U : 0U;
  std::printf("%zu buckets, %zu of 2 anchors\n", t.bucket.size(), twos);
  ASSERT_GE(twos, 30U);
  const auto c = dejfa::afilt::confirm_tables(t, anchors, 3060);
  ASSERT_EQ(c.rec.size(), anchors.size());
  std::size_t seen = 0;
  for (std::uint32_t h = 0; h < dejfa::afilt::kTableBits; ++h) {
    const auto [first, count] = c.records_of(h);
    if (!t.bit(h)) {
      ASSERT_EQ(count, 0U) << h;
      continue;
    }
    const auto& b = t.bucket[t.rank(h)];
    ASSERT_EQ(count, b.size()) << h;
    ASSERT_EQ(first, seen) << h;  // in hash order, no gaps
    for (std::uint32_t k = 0; k < count; ++k) {
      const auto& r = c.rec[first + k];
      const auto a = b[k];
      ASSERT_EQ(r.id, a);
      ASSERT_EQ(r.nocase, anchors[a].nocase);
      const auto want = dejfa::afilt::cmp_record(anchors[a], t.key_off[a]);
      ASSERT_EQ(r.cmp.bytes, want.bytes);
      ASSERT_EQ(r.cmp.fold, want.fold);
      ASSERT_EQ(r.cmp.first, want.first);
      ASSERT_EQ(r.cmp.len, want.len);
    }
    seen += count;
  }
  EXPECT_EQ(seen, anchors.size());
  EXPECT_THROW((void)dejfa::afilt::confirm_tables(t, anchors, 3059), std::invalid_argument);
  t.bucket[0].push_back(t.bucket[0][0]);
  EXPECT_THROW((void)dejfa::afilt::confirm_tables(t, anchors, 3060), std::invalid_argument);

  const dejfa::afilt::ConfirmRecord r{{{1, 2, 3, 4, 5, 6, 7, 0x88}, 0, 3, 8}, true, 0x1ABC};
  EXPECT_EQ(dejfa::afilt::record_words(r),
            (std::vector<std::uint32_t>{0x04030201, 0x88070605, 0xB8}));
  const dejfa::afilt::RankWord w{0x8000000000000001ULL, 0x1ULL << 32, 0xBEEF};
  EXPECT_EQ(dejfa::afilt::rank_words(w), (std::vector<std::uint32_t>{1, 0x80000000, 0, 1, 0xBEEF}));
}

TEST(AnchorFilter, RangeTablesFollowTheRecordsAndTheShortEntries) {
  // Anchors of 1-8 bytes with ranges tiling rules 0 .. n-1 (1-15 rules each, as the compiler
  // lays them out): each confirm record and each short entry gets its anchor's range.
  std::mt19937_64 rng(12);
  auto u = [&](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
  std::vector<dejfa::ImageAnchor> anchors;
  std::uint32_t next = 0;
  for (int i = 0; i < 400; ++i) {
    dejfa::ImageAnchor a;
    for (std::uint32_t k = (i % 10 == 0 ? 1 + u(3) : 4 + u(5)); k > 0; --k) {
      a.bytes.push_back(static_cast<std::uint8_t>(u(256)));
    }
    a.first = next;
    a.count = 1 + (u(4) == 0 ? u(15) : 0);
    next += a.count;
    anchors.push_back(std::move(a));
  }
  const auto t = dejfa::afilt::tables_of(anchors);
  ASSERT_LE(t.bucket_max, dejfa::afilt::kBucketMax);
  const auto c = dejfa::afilt::confirm_tables(t, anchors, 4096);
  const auto r = dejfa::afilt::range_tables(c, t, anchors);
  ASSERT_EQ(r.rec.size(), c.rec.size());
  ASSERT_EQ(r.shorts.size(), t.shorts.size());
  ASSERT_EQ(r.rec.size() + r.shorts.size(), anchors.size());
  std::vector<bool> covered(next, false);
  const auto cover = [&](const dejfa::afilt::Range& g, std::uint32_t id) {
    EXPECT_EQ(g, (dejfa::afilt::Range{anchors[id].first, anchors[id].count})) << id;
    for (std::uint32_t k = g.first; k < g.first + g.count; ++k) {
      EXPECT_FALSE(covered[k]) << "rule " << k << " in two ranges";
      covered[k] = true;
    }
  };
  for (std::size_t i = 0; i < r.rec.size(); ++i) cover(r.rec[i], c.rec[i].id);
  for (std::size_t i = 0; i < r.shorts.size(); ++i) cover(r.shorts[i], t.shorts[i]);
  EXPECT_EQ(std::count(covered.begin(), covered.end(), true), static_cast<std::ptrdiff_t>(next));
  EXPECT_GT(r.shorts.size(), 20U);

  EXPECT_EQ(dejfa::afilt::range_word({0x1234, 0x0005}), 0x00051234U);
  auto bad = anchors;
  bad[1].count = 0;
  EXPECT_THROW((void)dejfa::afilt::range_tables(c, t, bad), std::invalid_argument);
  bad = anchors;
  bad[1].first = 0x10000;
  EXPECT_THROW((void)dejfa::afilt::range_tables(c, t, bad), std::invalid_argument);
}

}  // namespace
