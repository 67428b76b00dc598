// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_anchor_short (issue #25, docs/ARCHITECTURE.md section 7) against its host
// model, the short anchors of dejfa::afilt::confirm_frame: both banks loaded with different sets
// of 64 anchors of 1-3 bytes (nocase among them, some never valid), frames of 1 byte up to 300 /
// 1,600 bytes with planted anchors in random case, payload bounds within the frame (cutting
// anchors at both ends), banks alternated per frame, random gaps between beats; each beat's
// anchors found must equal the model's, and those new in their frame (found in none of its earlier
// beats) the block's m_new. Then one bank is rewritten between beats of frames judged with the
// other.
#include <cstdint>
#include <cstdio>
#include <deque>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_anchor_short.h"

#include "dejfa/gen/regs.hpp"

#include "../common/randgen.hpp"
#include "anchor_frames.hpp"
#include "block_bench.hpp"
#include "dejfa/anchor_filter.hpp"
#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

namespace afilt = dejfa::afilt;
using dejfa::test::get_field;
using dejfa::test::put;

constexpr unsigned kShortN = afilt::kShortN;  // the block's SHORT_N
const dejfa::hw::Config& cfg() { return dejfa::hw::kConfigs[DEJFA_CFG_INDEX]; }
unsigned lanes() { return cfg().data_w / 8; }

std::vector<dejfa::ImageAnchor> shorts(dejfa::testgen::Gen& g, std::size_t n) {
  return dejfa::test::random_anchors(g, n,
                                     {.min_len = 1, .len_span = 3, .letter_p = 0.6, .letters = 8});
}

struct Sent {
  std::vector<std::uint8_t> frame;
  bool bank = false;
  std::uint32_t lo = 0, hi = 0;
};

struct Bench {
  dejfa::test::Model<Vdejfa_anchor_short> m;
  std::array<std::vector<dejfa::ImageAnchor>, 2> anchors;
  std::deque<std::pair<std::size_t, std::size_t>> expect;
  dejfa::test::FixedLatency latency{4};  // the block's
  std::vector<Sent> sent;
  std::size_t beats = 0, found = 0, repeats = 0;  // repeats: found again in a frame

  Bench() {
    m->tw_en = 0;
    m->s_valid = 0;
    m.reset(4);
  }
  // One row write (tw_*), or none.
  void set_row(bool en, unsigned bank, unsigned sel, unsigned row, std::uint64_t data) {
    put(m->tw_en, en ? 1 : 0);
    put(m->tw_bank, bank);
    put(m->tw_sel, sel);
    put(m->tw_row, row);
    put(m->tw_data, data);
  }
  // A bank's writes: afilt::short_rows of the set (entries past it are in no length row, so
  // empty; the byte tables' columns of those entries are all ones, as short_rows writes them).
  static std::vector<std::array<std::uint64_t, 3>> writes(
      const std::vector<dejfa::ImageAnchor>& a) {
    const auto r = afilt::short_rows(afilt::tables_of(a), a);
    std::vector<std::array<std::uint64_t, 3>> w;
    for (unsigned p = 0; p < 3; ++p) {
      for (unsigned b = 0; b < 256; ++b) w.push_back({p, b, r.byte[p][b]});
    }
    for (unsigned n = 0; n < 3; ++n) w.push_back({3, n, r.len[n]});
    return w;
  }
  void load(unsigned bank, const std::vector<dejfa::ImageAnchor>& a) {
    for (const auto& [sel, row, data] : writes(a)) {
      set_row(true, bank, static_cast<unsigned>(sel), static_cast<unsigned>(row), data);
      step();
    }
    m->tw_en = 0;
    anchors[bank] = a;
  }
  void step() {
    check_output();
    m.edge();
    latency.tick();
  }
  void check_output() {
    ASSERT_TRUE(latency.check(m->m_valid != 0));
    if (m->m_valid == 0) return;
    ASSERT_FALSE(expect.empty());
    const auto [fi, bi] = expect.front();
    expect.pop_front();
    const Sent& s = sent[fi];
    const auto& an = anchors[s.bank ? 1 : 0];
    const auto t = afilt::tables_of(an);
    ASSERT_EQ(t.shorts.size(), an.size());
    std::vector<bool> want(kShortN, false), before(kShortN, false);
    for (const auto& f : afilt::confirm_frame(t, an, s.frame, lanes(), s.lo, s.hi - s.lo)) {
      if (f.beat == bi) want[t.shorts[f.anchor]] = true;
      if (f.beat < bi) before[t.shorts[f.anchor]] = true;
    }
    const std::string at = "frame " + std::to_string(fi) + " beat " + std::to_string(bi);
    ASSERT_EQ(m->m_last != 0, bi + 1 == (s.frame.size() + lanes() - 1) / lanes()) << at;
    ASSERT_EQ(m->m_bank != 0, s.bank) << at;
    for (unsigned k = 0; k < kShortN; ++k) {
      ASSERT_EQ(get_field(m->m_found, k, 1) != 0, want[k]) << at << " entry " << k;
      // New in the frame: found here and in none of its earlier beats.
      ASSERT_EQ(get_field(m->m_new, k, 1) != 0, want[k] && !before[k]) << at << " entry " << k;
      found += want[k] ? 1U : 0U;
      repeats += want[k] && before[k] ? 1U : 0U;
    }
    ++beats;
  }
  void drive_beat(std::size_t k) {
    const Sent& s = sent.back();
    const unsigned w = lanes();
    std::vector<std::uint32_t> words((w + 3) / 4, 0);
    for (unsigned e = 0; e < w; ++e) {
      if (k * w + e < s.frame.size())
        words[e / 4] |= std::uint32_t{s.frame[k * w + e]} << (8 * (e % 4));
    }
    dejfa::test::put_words(m->s_data, words);
    put(m->s_last, (k + 1) * w >= s.frame.size() ? 1 : 0);
    put(m->s_bank, s.bank ? 1 : 0);
    put(m->s_lo, s.lo);
    put(m->s_hi, s.hi);
    m->s_valid = 1;
    expect.emplace_back(sent.size() - 1, k);
    latency.given();
  }
  void send(Sent s, dejfa::testgen::Gen& g, double gap) {
    sent.push_back(std::move(s));
    const std::size_t nb = (sent.back().frame.size() + lanes() - 1) / lanes();
    dejfa::test::send_with_gaps(
        g, gap, nb,
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

Sent random_frame(dejfa::testgen::Gen& g, const std::vector<dejfa::ImageAnchor>& an, bool bank,
                  std::size_t max_len) {
  auto f = dejfa::test::planted_frame(g, an, max_len, 12, 0.0);
  return Sent{std::move(f.bytes), bank, f.lo, f.hi};
}

TEST(AnchorShort, MatchesTheModelOnBothBanks) {
  dejfa::testgen::Gen g(DEJFA_CFG_INDEX * 100 + 11);
  Bench b;
  b.load(0, shorts(g, kShortN));
  b.load(1, shorts(g, 40));
  const std::size_t max_len = lanes() == 8 ? 300 : 1600;
  for (int i = 0; i < 300; ++i) {
    const bool bank = g.p(0.5);
    b.send(random_frame(g, b.anchors[bank ? 1 : 0], bank, max_len), g, i < 150 ? 0.0 : 0.3);
    if (::testing::Test::HasFatalFailure()) return;
  }
  b.drain();
  std::printf("%zu beats, %zu short anchors found, %zu of them again in their frame\n", b.beats,
              b.found, b.repeats);
  EXPECT_GT(b.found, 1000U);
  EXPECT_GT(b.repeats, 100U);  // the seen bits were exercised, not only first finds
}

TEST(AnchorShort, ShadowWritesUnderTraffic) {
  dejfa::testgen::Gen g(DEJFA_CFG_INDEX * 100 + 12);
  Bench b;
  b.load(0, shorts(g, kShortN));
  const std::size_t max_len = lanes() == 8 ? 200 : 900;
  for (int round = 0; round < 4; ++round) {
    const unsigned active = static_cast<unsigned>(round) % 2, shadow = 1 - active;
    auto next = shorts(g, kShortN);
    const auto w = Bench::writes(next);
    std::size_t k = 0;
    while (k < w.size()) {
      b.sent.push_back(random_frame(g, b.anchors[active], active != 0, max_len));
      const std::size_t nb = (b.sent.back().frame.size() + lanes() - 1) / lanes();
      for (std::size_t j = 0; j < nb; ++j) {
        b.drive_beat(j);
        const bool en = k < w.size() && j % 2 == 1;
        if (en) {
          b.set_row(true, shadow, static_cast<unsigned>(w[k][0]), static_cast<unsigned>(w[k][1]),
                    w[k][2]);
        } else {
          b.m->tw_en = 0;
        }
        k += en ? 1 : 0;
        b.step();
        if (::testing::Test::HasFatalFailure()) return;
      }
      b.m->s_valid = 0;
      b.m->tw_en = 0;
    }
    b.anchors[shadow] = std::move(next);
    for (int i = 0; i < 30; ++i) {
      b.send(random_frame(g, b.anchors[shadow], shadow != 0, max_len), g, 0.2);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
  b.drain();
  EXPECT_GT(b.found, 100U);
}

}  // namespace
