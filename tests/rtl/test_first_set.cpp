// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_first_set (the priority tree behind the classifier's prefix priority and the
// content engine's candidate pick and match start): for a vector of DEJFA_FS_N bits, `any` is
// whether a bit is set and `idx` the lowest set bit (0 when none). Every single bit, every pair
// of bits, the empty and full vectors, and random vectors of every density from one bit to all.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_first_set.h"

#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

constexpr std::size_t kN = DEJFA_FS_N;

class Tb {
 public:
  /// Drives `bits` (one bool per position), evaluates, and checks the outputs against the
  /// lowest set position.
  void check(const std::vector<bool>& bits) {
    dejfa::test::put_bits(m_->v, bits);
    m_->eval();
    const auto it = std::find(bits.begin(), bits.end(), true);
    const bool any = it != bits.end();
    const auto want = any ? static_cast<std::uint32_t>(it - bits.begin()) : 0U;
    ASSERT_EQ(m_->any, any ? 1U : 0U) << dejfa::test::describe_bits(bits);
    ASSERT_EQ(static_cast<std::uint32_t>(m_->idx), want) << dejfa::test::describe_bits(bits);
    ++checked;
  }
  std::size_t checked = 0;

 private:
  dejfa::test::Model<Vdejfa_first_set> m_;
};

TEST(FirstSet, EmptyFullAndEverySingleBit) {
  Tb tb;
  tb.check(std::vector<bool>(kN, false));
  tb.check(std::vector<bool>(kN, true));
  for (std::size_t i = 0; i < kN; ++i) {
    std::vector<bool> v(kN, false);
    v[i] = true;
    tb.check(v);
    // everything from i up: the lowest is still i (a "last found" chain would say kN - 1)
    std::fill(v.begin() + static_cast<std::ptrdiff_t>(i), v.end(), true);
    tb.check(v);
  }
  EXPECT_EQ(tb.checked, 2 + 2 * kN);
}

TEST(FirstSet, EveryPairOfBits) {
  Tb tb;
  const std::size_t step = kN > 256 ? 7 : 1;  // 1,024 bits: a sample of the 0.5 M pairs
  for (std::size_t i = 0; i < kN; i += step) {
    for (std::size_t j = i + 1; j < kN; ++j) {
      std::vector<bool> v(kN, false);
      v[i] = v[j] = true;
      tb.check(v);
    }
  }
  EXPECT_GT(tb.checked, 0U);
}

TEST(FirstSet, RandomVectorsOfEveryDensity) {
  Tb tb;
  std::mt19937_64 rng(0xF125E7);
  for (int round = 0; round < 20000; ++round) {
    const double p = std::ldexp(1.0, -static_cast<int>(rng() % 12));  // 1 .. 1/2048
    std::bernoulli_distribution bit(p);
    std::vector<bool> v(kN);
    for (std::size_t i = 0; i < kN; ++i) v[i] = bit(rng);
    tb.check(v);
  }
  EXPECT_EQ(tb.checked, 20000U);
}

}  // namespace
