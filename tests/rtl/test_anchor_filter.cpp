// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_anchor_filter (issue #25, docs/ARCHITECTURE.md section 7) against its host
// model, dejfa::afilt::beats_of: both banks loaded with the tables of different anchor sets
// (random anchors of 1-8 bytes, nocase among them, and a family sharing its rarest window as ET
// Open's "..|04|info|00|" anchors do), frames of every length from 1 byte with anchors planted in
// random case, runs and repeats, alternating banks, random gaps between beats. Every output beat
// must equal the model's: data, keep, last, bank, the passing lanes, the first lane of each
// distinct hash, and the hash of every lane with a key. And the filter's contract with the
// confirm: every occurrence of an anchor of 4+ bytes leaves a first-marked lane with its key's
// hash in the beat where its key ends. Then the shadow bank is rewritten while frames run on the
// active one, and after the switch the new tables judge.
#include <cstdint>
#include <cstdio>
#include <deque>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_anchor_filter.h"

#include "dejfa/gen/regs.hpp"

#include "../common/randgen.hpp"
#include "block_bench.hpp"
#include "dejfa/anchor_filter.hpp"
#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

namespace afilt = dejfa::afilt;
using dejfa::test::get_field;

const dejfa::hw::Config& cfg() { return dejfa::hw::kConfigs[DEJFA_CFG_INDEX]; }
unsigned lanes() { return cfg().data_w / 8; }
constexpr unsigned kHw = dejfa::hw::kAnchorHashW;

std::uint8_t upper(std::uint8_t c) { return (c >= 'a' && c <= 'z') ? c - 32 : c; }

std::vector<dejfa::ImageAnchor> random_anchors(dejfa::testgen::Gen& g, std::size_t n) {
  std::vector<dejfa::ImageAnchor> v;
  const std::string alpha = "abcdefghijklmnopqrstuvwxyz0123456789./-_";
  for (std::size_t i = 0; i < n; ++i) {
    dejfa::ImageAnchor a;
    a.nocase = g.p(0.4);
    const std::size_t len = g.p(0.1) ? 1 + g.u(3) : 4 + g.u(5);
    for (std::size_t k = 0; k < len; ++k) {
      std::uint8_t c =
          g.p(0.5) ? static_cast<std::uint8_t>(alpha[g.u(static_cast<std::uint32_t>(alpha.size()))])
                   : static_cast<std::uint8_t>(g.u(256));
      if (a.nocase && c >= 'A' && c <= 'Z') c += 32;
      a.bytes.push_back(c);
    }
    v.push_back(std::move(a));
  }
  // A family sharing its rarest 4 bytes: the spread keys them elsewhere.
  for (const char* p : {"es", "pi", "ns", "ce", "om", "on", "ss", "cs"}) {
    dejfa::ImageAnchor a;
    a.nocase = true;
    a.bytes = {
        static_cast<std::uint8_t>(p[0]), static_cast<std::uint8_t>(p[1]), 4, 'i', 'n', 'f', 'o', 0};
    v.push_back(std::move(a));
  }
  return v;
}

std::vector<std::uint8_t> random_frame(dejfa::testgen::Gen& g,
                                       const std::vector<dejfa::ImageAnchor>& anchors,
                                       std::size_t max_len) {
  std::vector<std::uint8_t> f(1 + g.u(static_cast<std::uint32_t>(max_len)));
  const unsigned kind = g.u(3);
  for (auto& b : f) {
    b = kind == 0   ? static_cast<std::uint8_t>(g.u(256))
        : kind == 1 ? static_cast<std::uint8_t>("ab\0\x04"[g.u(4)])
                    : static_cast<std::uint8_t>('a' + g.u(26));
  }
  // Runs of one byte, and planted anchors in random case.
  if (g.p(0.3) && f.size() > 8) {
    const std::size_t at = g.u(static_cast<std::uint32_t>(f.size() - 8));
    std::fill(f.begin() + static_cast<std::ptrdiff_t>(at), f.end(), f[at]);
  }
  const std::uint32_t plants = g.u(8);
  for (std::uint32_t i = 0; i < plants; ++i) {
    const auto& a = anchors[g.u(static_cast<std::uint32_t>(anchors.size()))];
    if (a.bytes.size() > f.size()) continue;
    const std::size_t at = g.u(static_cast<std::uint32_t>(f.size() - a.bytes.size() + 1));
    for (std::size_t k = 0; k < a.bytes.size(); ++k) {
      f[at + k] = a.nocase && g.p(0.5) ? upper(a.bytes[k]) : a.bytes[k];
    }
  }
  return f;
}

struct Sent {
  std::vector<std::uint8_t> frame;
  bool bank = false;
};

struct Bench {
  dejfa::test::Model<Vdejfa_anchor_filter> m;
  std::array<afilt::Tables, 2> tables;
  std::array<std::vector<dejfa::ImageAnchor>, 2> anchors;
  std::deque<std::pair<std::size_t, std::size_t>> expect;  // (frame, beat) in output order
  std::vector<Sent> sent;
  std::size_t beats = 0, passes = 0, firsts = 0, occurrences = 0;

  Bench() {
    m->tw_en = 0;
    m->s_valid = 0;
    m.reset(4);
  }

  void write_tables(unsigned bank, const afilt::Tables& t) {
    for (std::uint32_t w = 0; w < afilt::kTableWords; ++w) {
      write_word(true, bank, w, t.bits[w]);
      step();
    }
    m->tw_en = 0;
  }

  // One edge, with the output checked before it.
  void step() {
    check_output();
    m.edge();
  }

  void check_output() {
    if (m->m_valid == 0) return;
    ASSERT_FALSE(expect.empty()) << "a beat nobody sent";
    const auto [fi, bi] = expect.front();
    expect.pop_front();
    const Sent& s = sent[fi];
    const unsigned w = lanes();
    const auto mb = afilt::beats_of(tables[s.bank ? 1 : 0], s.frame, w);
    const afilt::Beat& b = mb[bi];
    const std::string at = "frame " + std::to_string(fi) + " beat " + std::to_string(bi);
    ASSERT_EQ(m->m_bank != 0, s.bank) << at;
    ASSERT_EQ(m->m_last != 0, bi + 1 == mb.size()) << at;
    std::uint64_t keep = 0;
    for (unsigned e = 0; e < w; ++e) {
      const std::size_t i = bi * w + e;
      if (i < s.frame.size()) {
        keep |= std::uint64_t{1} << e;
        ASSERT_EQ(get_field(m->m_data, 8 * e, 8), s.frame[i]) << at << " lane " << e;
      }
    }
    ASSERT_EQ(static_cast<std::uint64_t>(m->m_keep), keep) << at;
    std::uint64_t pass = 0, first = 0;
    for (unsigned e = 0; e < w; ++e) {
      pass |= std::uint64_t{get_field(m->m_pass, e, 1)} << e;
      first |= std::uint64_t{get_field(m->m_first, e, 1)} << e;
      if (((b.keyed >> e) & 1U) != 0) {
        ASSERT_EQ(get_field(m->m_hash, kHw * e, kHw), b.hash[e]) << at << " lane " << e;
      }
    }
    ASSERT_EQ(pass, b.pass) << at;
    ASSERT_EQ(first, b.first) << at;
    ++beats;
    passes += static_cast<std::size_t>(std::popcount(pass));
    firsts += static_cast<std::size_t>(std::popcount(first));
    // The contract with the confirm: an anchor of 4+ bytes at frame byte p has its key end at
    // p + key_off + 3; the beat holding that byte marks a first lane with the key's hash.
    const auto& an = anchors[s.bank ? 1 : 0];
    const auto& t = tables[s.bank ? 1 : 0];
    for (std::size_t a = 0; a < an.size(); ++a) {
      const auto& bytes = an[a].bytes;
      if (bytes.size() < 4 || bytes.size() > s.frame.size()) continue;
      for (std::size_t p = 0; p + bytes.size() <= s.frame.size(); ++p) {
        const std::size_t end = p + t.key_off[a] + 3;
        if (end / w != bi) continue;
        bool eq = true;
        for (std::size_t k = 0; k < bytes.size() && eq; ++k) {
          const std::uint8_t c = s.frame[p + k];
          eq = (an[a].nocase ? (c >= 'A' && c <= 'Z' ? c + 32 : c) : c) == bytes[k];
        }
        if (!eq) continue;
        ++occurrences;
        bool found = false;
        for (unsigned e = 0; e < w && !found; ++e) {
          found = ((first >> e) & 1U) != 0 && get_field(m->m_hash, kHw * e, kHw) == t.key_hash[a];
        }
        ASSERT_TRUE(found) << at << ": anchor " << a << " at byte " << p << " not marked";
      }
    }
  }

  void write_word(bool en, unsigned bank, std::uint32_t w, std::uint64_t bits) {
    dejfa::test::put(m->tw_en, en ? 1 : 0);
    dejfa::test::put(m->tw_bank, bank);
    dejfa::test::put(m->tw_addr, w);
    dejfa::test::put(m->tw_data, bits);
  }

  // Beat k of the last frame sent on the input (the caller steps).
  void drive_beat(std::size_t k) {
    const Sent& s = sent.back();
    const unsigned w = lanes();
    const std::size_t nb = (s.frame.size() + w - 1) / w;
    std::vector<std::uint32_t> words((w + 3) / 4, 0);
    std::uint64_t keep = 0;
    for (unsigned e = 0; e < w; ++e) {
      if (k * w + e >= s.frame.size()) continue;
      words[e / 4] |= std::uint32_t{s.frame[k * w + e]} << (8 * (e % 4));
      keep |= std::uint64_t{1} << e;
    }
    dejfa::test::put_words(m->s_data, words);
    dejfa::test::put(m->s_keep, keep);
    dejfa::test::put(m->s_last, k + 1 == nb ? 1 : 0);
    dejfa::test::put(m->s_bank, s.bank ? 1 : 0);
    m->s_valid = 1;
    expect.emplace_back(sent.size() - 1, k);
  }

  static std::size_t beats_of(const std::vector<std::uint8_t>& f) {
    return (f.size() + lanes() - 1) / lanes();
  }

  void send(const std::vector<std::uint8_t>& f, bool bank, dejfa::testgen::Gen& g, double gap) {
    sent.push_back(Sent{f, bank});
    dejfa::test::send_with_gaps(
        g, gap, beats_of(f),
        [&] {
          m->s_valid = 0;
          step();
        },
        [&](std::size_t k) {
          drive_beat(k);
          step();
        });
    m->s_valid = 0;
  }

  void drain() {
    for (int i = 0; i < 8; ++i) step();
    EXPECT_TRUE(expect.empty());
  }
};

TEST(AnchorFilter, MatchesTheModelOnBothBanks) {
  dejfa::testgen::Gen g(DEJFA_CFG_INDEX * 100 + 1);
  Bench b;
  for (unsigned k = 0; k < 2; ++k) {
    b.anchors[k] = random_anchors(g, 600);
    b.tables[k] = afilt::tables_of(b.anchors[k]);
    EXPECT_LE(b.tables[k].bucket_max, 2U) << "the spread keys keep buckets small";
    b.write_tables(k, b.tables[k]);
  }
  const std::size_t max_len = lanes() == 8 ? 300 : 1600;
  for (int i = 0; i < 400; ++i) {
    const bool bank = g.p(0.5);
    b.send(random_frame(g, b.anchors[bank ? 1 : 0], max_len), bank, g, i < 200 ? 0.0 : 0.3);
    if (::testing::Test::HasFatalFailure()) return;
  }
  b.drain();
  std::printf("%zu beats: %zu lanes passed, %zu marked for a confirm; %zu anchor occurrences\n",
              b.beats, b.passes, b.firsts, b.occurrences);
  EXPECT_GT(b.occurrences, 500U);
  EXPECT_GT(b.firsts, b.occurrences / 2);
  EXPECT_LT(b.firsts, b.passes) << "equal hashes in a beat are marked once";
}

// The shadow bank is rewritten between beats of frames judged with the active bank; after the
// switch the new tables judge (the bank written is never the one read: asserted in the block).
TEST(AnchorFilter, ShadowWritesUnderTraffic) {
  dejfa::testgen::Gen g(DEJFA_CFG_INDEX * 100 + 2);
  Bench b;
  b.anchors[0] = random_anchors(g, 400);
  b.tables[0] = afilt::tables_of(b.anchors[0]);
  b.write_tables(0, b.tables[0]);
  const std::size_t max_len = lanes() == 8 ? 200 : 1000;
  for (int round = 0; round < 4; ++round) {
    const unsigned active = static_cast<unsigned>(round) % 2, shadow = 1 - active;
    auto next = random_anchors(g, 400);
    const auto nt = afilt::tables_of(next);
    // Interleave: a word of the shadow bank in every other cycle while frames run.
    std::uint32_t w = 0;
    while (w < afilt::kTableWords) {
      b.sent.push_back(Sent{random_frame(g, b.anchors[active], max_len), active != 0});
      for (std::size_t k = 0; k < Bench::beats_of(b.sent.back().frame); ++k) {
        b.drive_beat(k);
        const bool en = w < afilt::kTableWords && k % 2 == 0;
        b.write_word(en, shadow, w, en ? nt.bits[w] : 0);
        w += en ? 1 : 0;
        b.step();
        if (::testing::Test::HasFatalFailure()) return;
      }
      b.m->s_valid = 0;
      b.m->tw_en = 0;
    }
    b.anchors[shadow] = std::move(next);
    b.tables[shadow] = nt;
    for (int i = 0; i < 30; ++i) {
      b.send(random_frame(g, b.anchors[shadow], max_len), shadow != 0, g, 0.2);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
  b.drain();
  EXPECT_GT(b.occurrences, 100U);
}

}  // namespace
