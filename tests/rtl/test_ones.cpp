// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_ones (the adder tree behind the core's matched-rule count and the
// classifier's port and payload-size classes): for a vector of DEJFA_ONES_N bits, `cnt` is the
// number of set bits. The empty and full vectors, every prefix and suffix of ones (every count),
// every single bit, and random vectors of every density.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_ones.h"

#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

constexpr std::size_t kN = DEJFA_ONES_N;

class Tb {
 public:
  /// Drives `bits`, evaluates, and checks the count.
  void check(const std::vector<bool>& bits) {
    dejfa::test::put_bits(m_->v, bits);
    m_->eval();
    const auto want = static_cast<std::uint32_t>(std::count(bits.begin(), bits.end(), true));
    ASSERT_EQ(static_cast<std::uint32_t>(m_->cnt), want) << dejfa::test::describe_bits(bits);
    ++checked;
  }
  std::size_t checked = 0;

 private:
  dejfa::test::Model<Vdejfa_ones> m_;
};

TEST(Ones, EveryCountAsPrefixAndSuffix) {
  Tb tb;
  // ones at the bottom, then at the top: counts 0 .. N both ways (N itself needs the top bit of
  // the count, which a tree one bit too narrow would drop)
  for (std::size_t k = 0; k <= kN; ++k) {
    std::vector<bool> v(kN, false);
    std::fill(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), true);
    tb.check(v);
    std::vector<bool> w(kN, false);
    std::fill(w.end() - static_cast<std::ptrdiff_t>(k), w.end(), true);
    tb.check(w);
  }
  EXPECT_EQ(tb.checked, 2 * (kN + 1));
}

TEST(Ones, EverySingleBitAndItsComplement) {
  Tb tb;
  for (std::size_t i = 0; i < kN; ++i) {
    std::vector<bool> v(kN, false);
    v[i] = true;
    tb.check(v);
    v.flip();
    tb.check(v);
  }
  EXPECT_EQ(tb.checked, 2 * kN);
}

TEST(Ones, RandomVectorsOfEveryDensity) {
  Tb tb;
  std::mt19937_64 rng(0x0E5C0);
  for (int round = 0; round < 20000; ++round) {
    const double p = std::ldexp(1.0, -static_cast<int>(rng() % 12));  // 1 .. 1/2048
    std::bernoulli_distribution bit(rng() % 2 ? p : 1.0 - p);         // sparse or dense
    std::vector<bool> v(kN);
    for (std::size_t i = 0; i < kN; ++i) v[i] = bit(rng);
    tb.check(v);
  }
  EXPECT_EQ(tb.checked, 20000U);
}

}  // namespace
