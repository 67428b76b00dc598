// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_hdr_count (the counters of indexed header groups, docs/HARDWARE.md
// "Counters of indexed groups") against exact counts kept here: every (lane, group, rule
// position) entry's packets and bytes. Hits come on every lane at random, on a few hot groups
// (the same entry in consecutive cycles: the write forwarded) and anywhere, with random enables
// and frame sizes. SNAPSHOT and clear are requested at random while hits run; once `busy` falls
// every snapshot entry is read back through the host port, while hits go on, and must equal the
// counts at the snapshot's cycle. Floods of a hit on every lane in every cycle hold a sweep back
// (never a count); a request while busy is ignored; a reset restarts from zero.
#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_hdr_count.h"

#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

constexpr std::uint32_t kGroups = DEJFA_HC_GROUPS;
constexpr unsigned kLanes = 8;
constexpr unsigned kGl = dejfa::test::clog2(kGroups);

using dejfa::test::put;
using dejfa::test::put_words;

// Exact counts: per lane and group, both positions' packets and bytes.
struct Counts {
  std::vector<std::array<std::uint64_t, 4>> e = std::vector<std::array<std::uint64_t, 4>>(
      std::size_t{kLanes} * kGroups, std::array<std::uint64_t, 4>{});
  std::array<std::uint64_t, 4>& at(unsigned lane, std::uint32_t g) {
    return e[std::size_t{lane} * kGroups + g];
  }
};

struct Hit {
  bool valid = false;
  std::array<bool, kLanes> hit{};
  std::array<std::uint32_t, kLanes> group{};
  std::array<std::uint32_t, kLanes> en{};  // bit k: position k counts
  std::uint32_t bytes = 0;
};

class Tb {
 public:
  Tb() { reset_now(); }
  Tb(const Tb&) = delete;
  Tb& operator=(const Tb&) = delete;

  /// Reset, then the zeroing sweep (no hits); the model restarts from zero.
  void reset_now() {
    idle();
    m_.reset(3);
    live_ = Counts{};
    snap_ = Counts{};
    for (std::uint32_t i = 0; i < kGroups + 8 && m_->busy != 0U; ++i) step(Hit{}, false, false);
  }
  bool busy() const { return m_->busy != 0U; }

  struct Read {
    unsigned lane = 0;
    std::uint32_t group = 0;
  };

  /// One cycle: a packet's lanes, requests, and a host read. A request counts only when not
  /// busy: the model applies it before this cycle's hits, which come after it.
  void step(const Hit& h, bool snap, bool clear, const Read* rd = nullptr) {
    idle();
    const bool idle_now = m_->busy == 0U;
    if (idle_now && clear) {
      live_ = Counts{};
      ++clears_;
    } else if (idle_now && snap) {
      snap_ = live_;
      ++snaps_;
    }
    m_->snap = snap ? 1 : 0;
    m_->clear = clear ? 1 : 0;
    if (rd != nullptr) {
      m_->rd_valid = 1;
      put(m_->rd_lane, rd->lane);
      put(m_->rd_group, rd->group);
    }
    m_->s_valid = h.valid ? 1 : 0;
    std::uint32_t hits = 0, en = 0;
    std::vector<std::uint32_t> groups((kGl * kLanes + 31) / 32, 0);
    for (unsigned l = 0; l < kLanes; ++l) {
      if (h.hit[l]) hits |= 1U << l;
      en |= h.en[l] << (2 * l);
      for (unsigned b = 0; b < kGl; ++b) {
        const unsigned at = kGl * l + b;
        groups[at / 32] |= ((h.group[l] >> b) & 1U) << (at % 32);
      }
      if (!h.valid || !h.hit[l]) continue;
      auto& c = live_.at(l, h.group[l]);
      for (unsigned k = 0; k < 2; ++k) {
        if (((h.en[l] >> k) & 1U) == 0) continue;
        c[2 * k] += 1;
        c[2 * k + 1] += h.bytes;
      }
    }
    put(m_->s_hit, hits);
    put(m_->s_en, en);
    put_words(m_->s_group, groups);
    put(m_->s_bytes, h.bytes);
    m_.edge();
  }

  /// Reads every snapshot entry through the host port while `traffic` gives each cycle's hits,
  /// and compares it with the model's snapshot.
  template <class F>
  ::testing::AssertionResult check_snapshot(F&& traffic) {
    const std::size_t n = std::size_t{kLanes} * kGroups;
    std::size_t issued = 0, got = 0;
    std::vector<std::size_t> flight;
    while (got < n) {
      Read r;
      const bool ask = issued < n;
      if (ask) {
        r.lane = static_cast<unsigned>(issued / kGroups);
        r.group = static_cast<std::uint32_t>(issued % kGroups);
        flight.push_back(issued++);
      }
      step(traffic(), false, false, ask ? &r : nullptr);
      if (m_->rd_ack == 0U) continue;
      const std::size_t i = flight.at(got++);
      const auto& want = snap_.e[i];
      for (unsigned w = 0; w < 4; ++w) {
        const std::uint64_t v = (std::uint64_t{m_->rd_data[2 * w + 1]} << 32) | m_->rd_data[2 * w];
        if (v != want[w]) {
          return ::testing::AssertionFailure()
                 << "lane " << i / kGroups << " group " << i % kGroups << " word " << w << ": " << v
                 << ", expected " << want[w] << " (snapshot " << snaps_ << ")";
        }
      }
    }
    return ::testing::AssertionSuccess();
  }
  unsigned snaps() const { return snaps_; }
  unsigned clears() const { return clears_; }

 private:
  void idle() {
    m_->s_valid = 0;
    m_->snap = 0;
    m_->clear = 0;
    m_->rd_valid = 0;
  }

  dejfa::test::Model<Vdejfa_hdr_count> m_;
  Counts live_, snap_;
  unsigned snaps_ = 0, clears_ = 0;
};

// Random hits: each lane hits with probability `p`, on a hot group half of the time.
class Traffic {
 public:
  Traffic(std::uint64_t seed, double p) : rng_(seed), p_(p) {
    for (auto& g : hot_) g = static_cast<std::uint32_t>(rng_() % kGroups);
  }
  Hit operator()() {
    Hit h;
    h.valid = std::bernoulli_distribution(0.8)(rng_);
    h.bytes = 60 + static_cast<std::uint32_t>(rng_() % 9157);
    for (unsigned l = 0; l < kLanes; ++l) {
      h.hit[l] = std::bernoulli_distribution(p_)(rng_);
      h.group[l] = (rng_() & 1U) != 0 ? hot_[rng_() % hot_.size()]
                                      : static_cast<std::uint32_t>(rng_() % kGroups);
      h.en[l] = static_cast<std::uint32_t>(rng_() % 4);
    }
    return h;
  }
  /// Hits on the hot groups only.
  Hit hot_only() {
    Hit h = (*this)();
    for (unsigned l = 0; l < kLanes; ++l) h.group[l] = hot_[l % hot_.size()];
    return h;
  }
  /// Every lane hits in every cycle (beyond what line rate allows).
  Hit flood() {
    Hit h = (*this)();
    h.valid = true;
    h.hit.fill(true);
    return h;
  }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
  double p_;
  std::array<std::uint32_t, 3> hot_{};
};

TEST(HdrCount, SnapshotsEqualExactCounts) {
  Tb tb;
  Traffic t(1, 0.3);
  for (int round = 0; round < 6; ++round) {
    for (int i = 0; i < 2000; ++i) tb.step(t(), false, false);
    tb.step(t(), true, false);  // SNAPSHOT with hits in the same cycle (they come after it)
    ASSERT_TRUE(tb.busy());
    while (tb.busy()) tb.step(t(), (t.rng()() & 7U) == 0, false);  // ignored while busy
    ASSERT_TRUE(tb.check_snapshot([&] { return t(); })) << "round " << round;
  }
  EXPECT_EQ(tb.snaps(), 6U);
}

TEST(HdrCount, ClearsAndSnapshotsUnderHits) {
  Tb tb;
  Traffic t(2, 0.5);
  for (int round = 0; round < 8; ++round) {
    for (int i = 0; i < 1000; ++i) tb.step(t(), false, false);
    const bool clear = round % 3 == 1;
    tb.step(t(), !clear, clear);
    while (tb.busy()) tb.step(t(), false, false);
    if (clear) {
      for (int i = 0; i < 500; ++i) tb.step(t(), false, false);
      tb.step(t(), true, false);
      while (tb.busy()) tb.step(t(), false, false);
    }
    ASSERT_TRUE(tb.check_snapshot([&] { return t(); })) << "round " << round;
  }
  EXPECT_GE(tb.clears(), 2U);
}

// Two clears, with hits between them on a few groups only: the entries untouched since before
// the first clear have the generation bit the second clear returns to, so only the clear's sweep
// keeps their old counts from coming back.
TEST(HdrCount, TwoClearsLeaveNoStaleCounts) {
  Tb tb;
  Traffic all(5, 0.6);
  Traffic few(6, 0.3);
  for (int i = 0; i < 4000; ++i) tb.step(all(), false, false);
  for (int c = 0; c < 2; ++c) {
    tb.step(few.hot_only(), false, true);
    while (tb.busy()) tb.step(few.hot_only(), false, false);
    for (int i = 0; i < 300; ++i) tb.step(few.hot_only(), false, false);
  }
  tb.step(few.hot_only(), true, false);
  while (tb.busy()) tb.step(few.hot_only(), false, false);
  ASSERT_TRUE(tb.check_snapshot([&] { return few.hot_only(); }));
  EXPECT_EQ(tb.clears(), 2U);
}

// A hit on every lane in every cycle leaves a sweep no cycle: it waits, and counts stay exact.
TEST(HdrCount, FloodHoldsTheSweepBackNotTheCounts) {
  Tb tb;
  Traffic t(3, 0.2);
  tb.step(t(), true, false);
  for (int i = 0; i < 3 * static_cast<int>(kGroups); ++i) {
    tb.step(t.flood(), false, false);
    ASSERT_TRUE(tb.busy()) << "the sweep cannot end without free cycles";
  }
  int waited = 0;
  while (tb.busy()) tb.step(t(), false, false), ++waited;
  ASSERT_TRUE(tb.check_snapshot([&] { return t.flood(); }));
  std::printf("sweep ended %d cycles after the flood\n", waited);
}

// A reset in the middle of hits restarts every counter from zero.
TEST(HdrCount, ResetRestartsFromZero) {
  Tb tb;
  Traffic t(4, 0.4);
  for (int i = 0; i < 3000; ++i) tb.step(t(), false, false);
  tb.reset_now();
  for (int i = 0; i < 1500; ++i) tb.step(t(), false, false);
  tb.step(Hit{}, true, false);
  while (tb.busy()) tb.step(t(), false, false);
  ASSERT_TRUE(tb.check_snapshot([&] { return t(); }));
}

}  // namespace
