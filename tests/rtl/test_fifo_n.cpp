// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_fifo_n (dejfa_anchor_expand's short and merged queues): up to N entries in
// and out a cycle through N interleaved sub-FIFOs. Against a deque, every cycle: the count, and
// the oldest min(count, N) entries in order. Writes of 0 .. N entries and pops of 0 .. all
// visible at random, a fill to the brim (N x DEPTH) and a drain to empty, runs that keep it
// nearly full, and a reset with entries held. Built at dejfa_fifo_n.f's #@variant lines.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_fifo_n.h"

#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

constexpr unsigned kN = DEJFA_FN_N;
constexpr unsigned kDepth = DEJFA_FN_DEPTH;
constexpr unsigned kWidth = DEJFA_FN_WIDTH;
static_assert(kN * kWidth <= 128, "the test builds in_data from 32-bit words");

struct Tb {
  dejfa::test::Model<Vdejfa_fifo_n> m;
  std::deque<std::uint32_t> model;
  struct Gen {
    std::mt19937 r;
    /// uniform in [0, n)
    std::uint32_t u(std::uint32_t n) {
      return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(r);
    }
  } gen{std::mt19937(kN * 1000 + kDepth)};
  std::uint32_t next = 1;
  std::size_t pushed = 0, popped = 0, full_cycles = 0;

  Tb() {
    m->in_n = 0;
    m->pop_n = 0;
    m.reset(2);
  }

  void check() {
    ASSERT_EQ(m->count, model.size());
    for (unsigned k = 0; k < kN && k < model.size(); ++k) {
      ASSERT_EQ(dejfa::test::get_field(m->out_data, k * kWidth, kWidth), model[k])
          << "entry " << k << " of " << model.size();
    }
  }

  /// One cycle: `in` entries written (at most the room left after `pop`), `pop` taken.
  void cycle(unsigned in, unsigned pop) {
    check();
    if (::testing::Test::HasFatalFailure()) return;
    pop = std::min<unsigned>({pop, kN, static_cast<unsigned>(model.size())});
    const std::size_t room = kN * kDepth - model.size() + pop;
    in = std::min<unsigned>({in, kN, static_cast<unsigned>(room)});
    std::vector<std::uint32_t> words((kN * kWidth + 31) / 32, 0);
    for (unsigned k = 0; k < kN; ++k) {
      // (entries past in_n carry values too: they must not be written)
      const std::uint32_t v = k < in ? next++ & ((1U << kWidth) - 1) : gen.u(1U << kWidth);
      for (unsigned i = 0; i < kWidth; ++i) {
        if (((v >> i) & 1U) != 0) words[(k * kWidth + i) / 32] |= 1U << ((k * kWidth + i) % 32);
      }
      if (k < in) model.push_back(v);
    }
    for (unsigned k = 0; k < pop; ++k) model.pop_front();
    pushed += in;
    popped += pop;
    dejfa::test::put(m->in_n, in);
    dejfa::test::put(m->pop_n, pop);
    dejfa::test::put_words(m->in_data, words);
    m.edge();
    full_cycles += model.size() == kN * kDepth ? 1U : 0U;
  }
};

TEST(FifoN, EntriesInOrderAtAnyRate) {
  Tb t;
  // random rates, both sides
  for (int i = 0; i < 20000; ++i) {
    t.cycle(t.gen.u(kN + 1), t.gen.u(kN + 1));
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
  }
  // to the brim and back, at random widths
  for (int round = 0; round < 20; ++round) {
    while (t.model.size() < kN * kDepth) {
      t.cycle(1 + t.gen.u(kN), 0);
      ASSERT_FALSE(::testing::Test::HasFatalFailure());
    }
    for (int i = 0; i < 50; ++i) {  // nearly full: as many in as out
      const unsigned n = t.gen.u(kN + 1);
      t.cycle(n, n);
      ASSERT_FALSE(::testing::Test::HasFatalFailure());
    }
    while (!t.model.empty()) {
      t.cycle(0, 1 + t.gen.u(kN));
      ASSERT_FALSE(::testing::Test::HasFatalFailure());
    }
  }
  t.cycle(0, 0);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  EXPECT_GT(t.full_cycles, 100U);
  EXPECT_GT(t.popped, 20000U * kN / 4);
}

TEST(FifoN, ResetEmptiesIt) {
  Tb t;
  for (int i = 0; i < 30; ++i) t.cycle(kN, 1);
  ASSERT_GT(t.model.size(), 0U);
  t.m->in_n = 0;
  t.m->pop_n = 0;
  t.m.reset(1);
  t.model.clear();
  for (int i = 0; i < 2000; ++i) {
    t.cycle(t.gen.u(kN + 1), t.gen.u(kN + 1));
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
  }
}

}  // namespace
