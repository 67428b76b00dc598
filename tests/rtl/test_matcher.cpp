// SPDX-License-Identifier: Apache-2.0
//
// dejfa_matcher (Verilated, both configurations) against dejfa::prefilter_seen(), the host's
// statement of the prefilter: generated rule sets' FP tables loaded through the write port
// (dejfa::table_writes, the driver's code), generated frames streamed with random valid bubbles
// and ready stalls, keys split across beats included; m_seen equals the model's groups for
// every frame, exactly kLatency cycles after its last beat, while random words are written into
// the other bank (the shadow) at the same time: a write never disturbs a lookup.

#include <cstdio>
#include <deque>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_matcher.h"

#include "dejfa/gen/regs.hpp"

#include "../common/randgen.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_tables.hpp"
#include "dejfa/sim/axis.hpp"
#include "dejfa/sim/harness.hpp"

namespace {

using Model = Vdejfa_matcher;
constexpr const dejfa::hw::Config& kCfg = dejfa::hw::kConfigs[DEJFA_CFG_INDEX];
constexpr std::size_t kKeepW = kCfg.data_w / 8;
// input register, hash + table read, compare, mark (docs/HARDWARE.md; the core asserts the same)
constexpr std::uint64_t kLatency = 4;

std::vector<bool> seen_of(Model& m) {
  std::vector<bool> v(kCfg.rules_n);
  for (std::size_t r = 0; r < kCfg.rules_n; ++r) {
    v[r] = ((m.m_seen[r / 32] >> (r % 32)) & 1U) != 0;  // RULES_N >= 256: a VlWide
  }
  return v;
}

TEST(Matcher, MarksTheModelsGroups) {
  const auto seed = dejfa::sim::seed_from_env();
  std::printf("config %s seed %llu\n", std::string(kCfg.name).c_str(),
              static_cast<unsigned long long>(seed));
  dejfa::testgen::Gen g(seed);
  dejfa::Image img;
  for (std::uint32_t n = kCfg.rules_n == 256 ? 120 : 300; n >= 10; n -= 10) {
    auto res = dejfa::compile_v2(g.rules(n), kCfg);
    if (res.ok) {
      img = std::move(res.image);
      break;
    }
  }
  ASSERT_FALSE(img.rules.empty());
  const dejfa::Prefilter pf = dejfa::prefilter(img);

  dejfa::sim::Harness<Model> h(seed);
  Model& m = h.m();
  m.s_axis_tvalid = 0;
  m.s_axis_tready = 1;
  m.tbl_wr_en = 0;
  m.s_bank = 1;
  h.reset();
  for (const auto& w : dejfa::table_writes(img)) {  // into bank 1; bank 0 stays empty
    m.tbl_wr_en = 1;
    m.tbl_wr_addr = w.word;
    m.tbl_wr_data = w.data;
    m.tbl_wr_bank = 1;
    h.tick();
  }
  m.tbl_wr_en = 0;

  std::mt19937_64 rng(seed);
  std::deque<std::vector<bool>> expect;
  std::deque<std::uint64_t> due;  // cycle at which each frame's result must appear
  std::uint64_t cycle = 0;
  std::size_t frames = 0, marked = 0, shadow_writes = 0;
  const auto tick = [&] {
    // a random FP word into bank 0, which no frame reads, or a word of another table into bank 1
    const bool other = rng() % 4 == 0;
    const auto id = other ? static_cast<std::uint32_t>(1 + rng() % 31) : dejfa::hw::tbl::FP;
    m.tbl_wr_en = rng() % 3 == 0 ? 1 : 0;
    m.tbl_wr_addr = (id << dejfa::hw::kTblIndexW) | static_cast<std::uint32_t>(rng() % 4096);
    m.tbl_wr_data = static_cast<std::uint32_t>(rng());
    m.tbl_wr_bank = other ? 1 : 0;
    shadow_writes += m.tbl_wr_en;
    h.tick();
    ++cycle;
    if (!m.m_valid) {
      ASSERT_TRUE(due.empty() || due.front() != cycle) << "frame " << frames << " result late";
      return;
    }
    ASSERT_FALSE(expect.empty()) << "a result without a frame";
    ASSERT_EQ(cycle, due.front()) << "frame " << frames << " result at the wrong cycle";
    ASSERT_EQ(seen_of(m), expect.front()) << "frame " << frames;
    ++frames;
    expect.pop_front();
    due.pop_front();
  };
  for (int f = 0; f < 1500; ++f) {
    auto bytes = g.frame();
    // Payload-heavy frames: half of them carry the literals at every alignment.
    if (f % 2 == 0) bytes.insert(bytes.end(), bytes.begin(), bytes.end());
    const auto want = dejfa::prefilter_seen(pf, bytes);
    for (bool b : want) marked += b ? 1 : 0;
    expect.push_back(want);
    for (std::size_t off = 0; off < bytes.size(); off += kKeepW) {
      while (rng() % 5 == 0) {  // valid bubble
        m.s_axis_tvalid = 0;
        tick();
      }
      const std::size_t n = std::min(kKeepW, bytes.size() - off);
      dejfa::sim::put_bytes(m.s_axis_tdata, bytes.data() + off, n);
      dejfa::sim::put_mask(m.s_axis_tkeep, n);
      m.s_axis_tlast = off + kKeepW >= bytes.size() ? 1 : 0;
      m.s_axis_tvalid = 1;
      do {  // a stalled beat is held and not counted
        m.s_axis_tready = rng() % 4 == 0 ? 0 : 1;
        if (m.s_axis_tready && m.s_axis_tlast) due.push_back(cycle + kLatency);
        tick();
      } while (!m.s_axis_tready);
    }
    m.s_axis_tvalid = 0;
  }
  for (std::uint64_t i = 0; i <= kLatency; ++i) tick();
  EXPECT_EQ(frames, 1500U);
  EXPECT_GT(shadow_writes, 1000U);
  EXPECT_GT(marked, 500U) << "the traffic must hit the prefilter";
}

}  // namespace
