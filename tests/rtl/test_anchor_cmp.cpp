// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_anchor_cmp (issue #25, docs/HARDWARE.md "Anchor confirm") against the host
// model: for one anchor of 4-8 bytes and one beat, the lanes where its key ends with the anchor
// wholly inside the payload are those where afilt::occurs_at finds it (the starts
// afilt::confirm_frame tries). Anchor sets of 200 (nocase among them, keys spread by
// afilt::tables_of so key offsets 0-4 occur), frames of 1 byte up to 300 / 1,600 bytes with
// planted anchors in random case and near misses (one byte changed in bit 0 or in its case bit),
// payload bounds within the frame (cutting anchors at both ends); every beat compared with its
// frame's planted anchors and random others, one comparison a cycle, random gaps in half.
#include <cstdint>
#include <cstdio>
#include <deque>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_anchor_cmp.h"

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
using dejfa::test::put_words;

const dejfa::hw::Config& cfg() { return dejfa::hw::kConfigs[DEJFA_CFG_INDEX]; }
unsigned lanes() { return cfg().data_w / 8; }

struct Job {
  std::size_t frame = 0, beat = 0;
  std::uint32_t anchor = 0;
};

using Frame = dejfa::test::PlantedFrame;

struct Bench {
  dejfa::test::Model<Vdejfa_anchor_cmp> m;
  std::vector<dejfa::ImageAnchor> an;
  afilt::Tables t;
  std::vector<Frame> frames;
  std::deque<Job> expect;
  dejfa::test::FixedLatency latency{3};  // the block's
  std::size_t compared = 0, found = 0;

  Bench(std::vector<dejfa::ImageAnchor> a) : an(std::move(a)), t(afilt::tables_of(an)) {
    m->c_valid = 0;
    m.reset(4);
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
    const Job j = expect.front();
    expect.pop_front();
    ASSERT_EQ(get_field(m->m_tag, 0, 8), compared % 256);
    const Frame& f = frames[j.frame];
    const auto& a = an[j.anchor];
    const unsigned w = lanes();
    bool any = false;
    for (unsigned x = 0; x < w; ++x) {
      const std::int64_t start = std::int64_t(j.beat) * w + x - t.key_off[j.anchor] - 3;
      const bool want = afilt::occurs_at(a, f.bytes, start, f.lo, f.hi);
      ASSERT_EQ(get_field(m->m_at, x, 1) != 0, want)
          << "frame " << j.frame << " beat " << j.beat << " anchor " << j.anchor << " lane " << x;
      any = any || want;
    }
    ASSERT_EQ(m->m_found != 0, any);
    ++compared;
    found += any ? 1U : 0U;
  }
  void drive(std::size_t fi, std::size_t k, std::uint32_t ai) {
    const Frame& f = frames[fi];
    const unsigned w = lanes();
    // The window: frame bytes k * w - 7 .. k * w + w + 3, zeros outside the frame.
    std::vector<std::uint32_t> words((w + 11 + 3) / 4, 0);
    for (unsigned i = 0; i < w + 11; ++i) {
      const std::int64_t at = std::int64_t(k) * w - 7 + i;
      if (at >= 0 && at < static_cast<std::int64_t>(f.bytes.size())) {
        words[i / 4] |= std::uint32_t{f.bytes[static_cast<std::size_t>(at)]} << (8 * (i % 4));
      }
    }
    put_words(m->c_win, words);
    put(m->c_off, static_cast<std::uint32_t>(k * w));
    put(m->c_lo, f.lo);
    put(m->c_hi, f.hi);
    const auto r = afilt::cmp_record(an[ai], t.key_off[ai]);
    std::uint64_t bytes = 0;
    for (unsigned i = 0; i < 8; ++i) bytes |= std::uint64_t{r.bytes[i]} << (8 * i);
    put(m->c_bytes, bytes);
    put(m->c_fold, r.fold);
    put(m->c_first, r.first);
    put(m->c_len, r.len);
    put(m->c_tag, static_cast<std::uint32_t>((compared + expect.size()) % 256));
    m->c_valid = 1;
    expect.push_back(Job{fi, k, ai});
    latency.given();
  }
};

TEST(AnchorCmp, MatchesTheModel) {
  dejfa::testgen::Gen g(DEJFA_CFG_INDEX * 100 + 21);
  Bench b(dejfa::test::random_anchors(
      g, 200, {.min_len = 4, .len_span = 5, .letter_p = 0.7, .letters = 6}));
  const std::size_t max_len = lanes() == 8 ? 300 : 1600;
  for (int i = 0; i < 600; ++i) {
    b.frames.push_back(dejfa::test::planted_frame(g, b.an, max_len, 10, 0.3));
    const Frame& f = b.frames.back();
    const std::size_t nb = (f.bytes.size() + lanes() - 1) / lanes();
    const double gap = i < 300 ? 0.0 : 0.3;
    for (std::size_t k = 0; k < nb; ++k) {
      std::vector<std::uint32_t> jobs = f.planted;
      for (int r = 0; r < 2; ++r) jobs.push_back(g.u(static_cast<std::uint32_t>(b.an.size())));
      for (const auto ai : jobs) {
        while (g.p(gap)) {
          b.m->c_valid = 0;
          b.step();
        }
        b.drive(b.frames.size() - 1, k, ai);
        b.step();
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
  b.m->c_valid = 0;
  for (int i = 0; i < 6; ++i) b.step();
  EXPECT_TRUE(b.expect.empty());
  std::printf("%zu comparisons, %zu found\n", b.compared, b.found);
  EXPECT_GT(b.found, 600U);  // 711 at 10g, 1,077 at 100g
}

}  // namespace
