// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_first_set (the priority tree behind the content engine's candidate pick and
// match start and the metadata's lowest-K pipeline): for a vector of N bits, `any` is whether a
// bit is set and `idx` the lowest set bit (0 when none). Every single bit, every pair of bits, the
// empty and full vectors, and random vectors of every density from one bit to all, at each width
// of dejfa_first_set.f's #@variant lines (DEJFA_FS_NS), in both forms at once: the test bench
// tests/rtl/tb/dejfa_first_set_widths.sv feeds every instance from the low bits of one vector, so
// each evaluation checks all eight.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_first_set_widths.h"

#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

constexpr std::array<std::size_t, 4> kNs = {DEJFA_FS_NS};
static_assert(std::is_sorted(kNs.begin(), kNs.end()), "the bench takes the widths ascending");

class Tb {
 public:
  /// Drives `bits` (N of the widest instance's bits; random above), evaluates, and checks every
  /// instance against the lowest set position among its own low bits, in both forms.
  void check(const std::vector<bool>& bits) {
    std::vector<bool> all(bits);
    all.resize(kNs.back(), false);
    for (std::size_t i = bits.size(); i < all.size(); ++i) all[i] = (fill_() & 1U) != 0;
    dejfa::test::put_bits(m_->v, all);
    m_->eval();
    for (std::size_t w = 0; w < kNs.size(); ++w) {
      const auto end = all.begin() + static_cast<std::ptrdiff_t>(kNs[w]);
      const auto it = std::find(all.begin(), end, true);
      const bool any = it != end;
      const auto want = any ? static_cast<std::uint32_t>(it - all.begin()) : 0U;
      const auto lsb = static_cast<unsigned>(16 * w);
      const auto bit = static_cast<unsigned>(w);
      ASSERT_EQ(dejfa::test::get_field(m_->any_sim, bit, 1), any ? 1U : 0U)
          << "width " << kNs[w] << ", simulation form; " << dejfa::test::describe_bits(bits);
      ASSERT_EQ(dejfa::test::get_field(m_->idx_sim, lsb, 16), want)
          << "width " << kNs[w] << ", simulation form; " << dejfa::test::describe_bits(bits);
      ASSERT_EQ(dejfa::test::get_field(m_->any_tree, bit, 1), any ? 1U : 0U)
          << "width " << kNs[w] << ", synthesis form; " << dejfa::test::describe_bits(bits);
      ASSERT_EQ(dejfa::test::get_field(m_->idx_tree, lsb, 16), want)
          << "width " << kNs[w] << ", synthesis form; " << dejfa::test::describe_bits(bits);
    }
    ++checked;
  }
  std::size_t checked = 0;

 private:
  dejfa::test::Model<Vdejfa_first_set_widths> m_;
  std::mt19937_64 fill_{0xF125E8};
};

/// One test per width: the vectors are that wide (the wider instances see random bits above).
class FirstSet : public ::testing::TestWithParam<std::size_t> {};

TEST_P(FirstSet, EmptyFullAndEverySingleBit) {
  const std::size_t width = GetParam();
  Tb tb;
  tb.check(std::vector<bool>(width, false));
  tb.check(std::vector<bool>(width, true));
  for (std::size_t i = 0; i < width; ++i) {
    std::vector<bool> v(width, false);
    v[i] = true;
    tb.check(v);
    // everything from i up: the lowest is still i (a "last found" chain would say width - 1)
    std::fill(v.begin() + static_cast<std::ptrdiff_t>(i), v.end(), true);
    tb.check(v);
  }
  EXPECT_EQ(tb.checked, 2 + 2 * width);
}

TEST_P(FirstSet, EveryPairOfBits) {
  const std::size_t width = GetParam();
  Tb tb;
  const std::size_t step = width > 256 ? 7 : 1;  // 1,024 bits: a sample of the 0.5 M pairs
  for (std::size_t i = 0; i < width; i += step) {
    for (std::size_t j = i + 1; j < width; ++j) {
      std::vector<bool> v(width, false);
      v[i] = v[j] = true;
      tb.check(v);
    }
  }
  EXPECT_GT(tb.checked, 0U);
}

TEST_P(FirstSet, RandomVectorsOfEveryDensity) {
  const std::size_t width = GetParam();
  Tb tb;
  std::mt19937_64 rng(0xF125E7);
  const int rounds = width >= 256 ? 20000 : 4000;  // the narrow ones have fewer vectors to try
  for (int round = 0; round < rounds; ++round) {
    const double p = std::ldexp(1.0, -static_cast<int>(rng() % 12));  // 1 .. 1/2048
    std::bernoulli_distribution bit(p);
    std::vector<bool> v(width);
    for (std::size_t i = 0; i < width; ++i) v[i] = bit(rng);
    tb.check(v);
  }
  EXPECT_EQ(tb.checked, static_cast<std::size_t>(rounds));
}

INSTANTIATE_TEST_SUITE_P(Widths, FirstSet, ::testing::ValuesIn(kNs),
                         [](const auto& p) { return "n" + std::to_string(p.param); });

}  // namespace
