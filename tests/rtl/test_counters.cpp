// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_counters: every hit counted (hot rules hit on consecutive cycles, many rules
// per frame), 64-bit packets and bytes exact, and a snapshot taken while traffic continues holds
// exactly the counts of the frames before it, read back while traffic continues.

#include <cstdio>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_counters.h"
// The model's internals (the wrap test presets the totals RAM): Verilator's generated root class
// uses anonymous structs, which -Wpedantic refuses; the warning is Verilator's, not ours.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include "Vdejfa_counters___024root.h"
#pragma GCC diagnostic pop

#include "dejfa/gen/regs.hpp"

#include "dejfa/sim/harness.hpp"

namespace {

using dejfa::sim::Harness;
using Model = Vdejfa_counters;
constexpr const dejfa::hw::Config& kCfg = dejfa::hw::kConfigs[DEJFA_CFG_INDEX];
constexpr std::size_t kR = kCfg.rules_n;

struct Counts {
  std::vector<std::uint64_t> p = std::vector<std::uint64_t>(kR, 0);
  std::vector<std::uint64_t> b = std::vector<std::uint64_t>(kR, 0);
};

class Tb {
 public:
  explicit Tb(std::uint64_t seed, bool wait_clear = true) : h(seed), rng(seed) {
    idle();
    h.reset();
    for (std::size_t i = 0; wait_clear && i < kR + 4; ++i)
      step(false, false, 0, 0);  // RAM clearing
  }
  void idle() {
    h.m().s_valid = 0;
    h.m().snap_req = 0;
    h.m().rd_en = 0;
  }
  /// One cycle: maybe a frame, maybe a snapshot request, maybe a read.
  void step(bool frame, bool snap, bool rd, std::uint32_t addr) {
    idle();
    auto& m = h.m();
    if (snap && !m.snap_busy) {
      m.snap_req = 1;
      snapshot = model;  // the frames before this cycle
    }
    if (frame) {
      m.s_valid = 1;
      const auto bytes = static_cast<std::uint16_t>(
          std::uniform_int_distribution<std::uint32_t>(60, dejfa::hw::kFrameMaxB)(rng));
      m.s_bytes = bytes;
      for (std::size_t w = 0; w < kR / 32; ++w) m.s_match[w] = 0;
      const bool dense = std::bernoulli_distribution(0.1)(rng);
      for (std::size_t r = 0; r < kR; ++r) {
        const bool hot = r % 37 == 5 || (hot_ends && (r == 0 || r == kR - 1));
        if (hot || std::bernoulli_distribution(dense ? 0.5 : 0.02)(rng)) {
          m.s_match[r / 32] |= 1U << (r % 32);
          ++model.p[r];
          model.b[r] += bytes;
        }
      }
    }
    if (rd) {
      m.rd_en = 1;
      m.rd_addr = static_cast<std::remove_reference_t<decltype(m.rd_addr)>>(addr);
    }
    h.tick();
  }
  /// Waits for snap_done with traffic continuing, then reads every counter (still with
  /// traffic) and compares with the snapshot.
  void check_snapshot(double load) {
    step(std::bernoulli_distribution(load)(rng), true, false, 0);
    int guard = 0;
    while (!h.m().snap_done) {
      step(std::bernoulli_distribution(load)(rng), false, false, 0);
      ASSERT_LT(++guard, static_cast<int>(4 * kR)) << "snapshot never completed";
    }
    for (std::size_t r = 0; r < kR; ++r) {
      std::uint64_t v[4];
      for (std::uint32_t k = 0; k < 4; ++k) {
        step(std::bernoulli_distribution(load)(rng), false, true,
             static_cast<std::uint32_t>(4 * r + k));
        ASSERT_TRUE(h.m().rd_valid);
        v[k] = h.m().rd_data;
      }
      const std::uint64_t pk = v[0] | (v[1] << 32);
      const std::uint64_t by = v[2] | (v[3] << 32);
      ASSERT_EQ(pk, snapshot.p[r]) << "packets of rule " << r;
      ASSERT_EQ(by, snapshot.b[r]) << "bytes of rule " << r;
    }
  }
  Harness<Model> h;
  std::mt19937_64 rng;
  Counts model, snapshot;
  bool hot_ends = false;  // every frame also hits the first and the last rule
};

TEST(Counters, ExactUnderTrafficWithSnapshots) {
  const auto seed = dejfa::sim::seed_from_env();
  std::printf("config %s seed %llu\n", std::string(kCfg.name).c_str(),
              static_cast<unsigned long long>(seed));
  Tb tb(seed);
  for (int round = 0; round < 4; ++round) {
    const double load = round == 0 ? 1.0 : 0.7;  // round 0: a frame every cycle
    for (int i = 0; i < 3000; ++i)
      tb.step(std::bernoulli_distribution(load)(tb.rng), false, false, 0);
    tb.check_snapshot(load);
    if (HasFatalFailure()) return;
  }
  // Quiesce: a final snapshot holds every frame.
  for (int i = 0; i < 10; ++i) tb.step(false, false, false, 0);
  tb.check_snapshot(0.0);
  EXPECT_EQ(tb.snapshot.p, tb.model.p);
  std::uint64_t hits = 0;
  for (auto x : tb.model.p) hits += x;
  EXPECT_GT(hits, 10000U);
  EXPECT_GT(tb.model.p[5], 10000U) << "a hot rule hit on consecutive cycles";
}

// 64-bit wrap: the totals of some rules are preset just below 2^64 (through the model's internal
// RAM: the hardware has no preset port), then hot traffic runs: the counts wrap modulo 2^64 like
// the model's uint64_t, with no carry into a neighbour and the snapshot still exact.
TEST(Counters, WrapModulo64Bits) {
  const auto seed = dejfa::sim::seed_from_env();
  std::printf("config %s seed %llu\n", std::string(kCfg.name).c_str(),
              static_cast<unsigned long long>(seed));
  Tb tb(seed);
  auto& mem = tb.h.m().rootp->dejfa_counters__DOT__tot_mem;
  // Twice, a few idle cycles apart: the round-robin flush may hold a rule's old total between
  // its read and its write-back when the first preset lands; by the second every rule in flight
  // carries the preset.
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t r = 0; r < kR; r += 3) {
      const std::uint64_t p = ~std::uint64_t{0} - (r % 7), b = ~std::uint64_t{0} - 9000 * (r % 5);
      mem[r][0] = static_cast<std::uint32_t>(p);
      mem[r][1] = static_cast<std::uint32_t>(p >> 32);
      mem[r][2] = static_cast<std::uint32_t>(b);
      mem[r][3] = static_cast<std::uint32_t>(b >> 32);
      tb.model.p[r] = p;
      tb.model.b[r] = b;
    }
    for (int i = 0; pass == 0 && i < 8; ++i) tb.step(false, false, false, 0);
  }
  for (int i = 0; i < 2000; ++i) tb.step(true, false, false, 0);
  for (int i = 0; i < 10; ++i) tb.step(false, false, false, 0);
  tb.check_snapshot(0.0);
  if (HasFatalFailure()) return;
  std::size_t wrapped = 0;
  for (std::size_t r = 0; r < kR; r += 3) wrapped += tb.model.p[r] < 1000 ? 1U : 0U;
  EXPECT_GT(wrapped, 0U) << "no packet counter wrapped";
}

// A request is never lost: one written while the RAMs are still being cleared after reset (a
// driver's first SNAPSHOT.GO can come that early), and one written while another snapshot runs,
// each complete (snap_done) and hold the counts.
TEST(Counters, RequestsDuringClearingOrASnapshotAreKept) {
  Tb tb(dejfa::sim::seed_from_env(), /*wait_clear=*/false);
  auto& m = tb.h.m();
  tb.idle();
  m.snap_req = 1;  // cycle 1 after reset: clearing
  tb.h.tick();
  tb.idle();
  int done = 0, cycles = 0;
  for (; done == 0 && cycles < static_cast<int>(4 * kR); ++cycles) {
    EXPECT_TRUE(m.snap_busy) << "cycle " << cycles;
    tb.step(false, false, false, 0);
    done += m.snap_done;
  }
  ASSERT_EQ(done, 1) << "the snapshot requested during clearing never completed";
  // Frames, then two requests back to back: the second arrives while the first runs.
  for (int i = 0; i < 50; ++i) tb.step(true, false, false, 0);
  tb.step(false, true, false, 0);
  m.snap_req = 1;  // bypasses step()'s !snap_busy guard on purpose
  tb.h.tick();
  tb.idle();
  done = 0;
  for (cycles = 0; done < 2 && cycles < static_cast<int>(8 * kR); ++cycles) {
    tb.step(false, false, false, 0);
    done += m.snap_done;
  }
  ASSERT_EQ(done, 2) << "a request during a running snapshot was lost";
  tb.snapshot = tb.model;  // no frames since: both snapshots hold every frame
  tb.check_snapshot(0.0);
}

// A reset in the middle of traffic and of a snapshot: every counter restarts from zero, the
// snapshot in flight is abandoned (snap_busy stays high through the clearing, no snap_done), and
// frames that arrive while the RAMs are being cleared are all counted. Every frame hits the first
// rule, the one the flush pointer rests on during the clearing (its accumulator was being
// replaced by each cycle's increment there, so all but the last such frame were lost), and the
// last rule, the last word the clearing writes.
TEST(Counters, ResetMidTrafficRestartsAndLosesNoFrameDuringClearing) {
  const auto seed = dejfa::sim::seed_from_env();
  std::printf("config %s seed %llu\n", std::string(kCfg.name).c_str(),
              static_cast<unsigned long long>(seed));
  Tb tb(seed);
  tb.hot_ends = true;
  auto& m = tb.h.m();
  for (int i = 0; i < 500; ++i) tb.step(true, false, false, 0);
  tb.step(true, true, false, 0);  // a snapshot starts
  for (std::size_t i = 0; i < kR / 2; ++i) tb.step(true, false, false, 0);
  ASSERT_TRUE(m.snap_busy);
  // one cycle of reset with a frame on the input (reset wins: it is not counted)
  m.rst = 1;
  tb.step(true, false, false, 0);
  m.rst = 0;
  tb.model = Counts{};
  int done = 0;
  std::size_t busy = 0;
  for (std::size_t i = 0; i < kR + 8; ++i) {
    busy += m.snap_busy;
    tb.step(true, false, false, 0);  // a frame on every cycle of the clearing
    done += m.snap_done;
  }
  EXPECT_EQ(done, 0) << "the snapshot interrupted by the reset completed";
  EXPECT_GE(busy, kR) << "snap_busy fell during the clearing";
  for (int i = 0; i < 300; ++i) tb.step(true, false, false, 0);
  tb.check_snapshot(1.0);
  if (HasFatalFailure()) return;
  for (int i = 0; i < 10; ++i) tb.step(false, false, false, 0);
  tb.check_snapshot(0.0);
  EXPECT_EQ(tb.snapshot.p, tb.model.p);
  EXPECT_EQ(tb.snapshot.b, tb.model.b);
  EXPECT_GT(tb.model.p[0], kR) << "rule 0 was not hit through the clearing";
}

}  // namespace
