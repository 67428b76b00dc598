// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_ones (the adder tree behind the core's matched-rule count): for a vector of N
// bits, `cnt` is the number of set bits. The empty and full vectors, every prefix and suffix of
// ones (every count), every single bit, and random vectors of every density, at each width of
// dejfa_ones.f's #@variant lines (DEJFA_ONES_NS), in both forms at once: the test bench
// tests/rtl/tb/dejfa_ones_widths.sv feeds every instance from the low bits of one vector, so
// each evaluation checks all twelve.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_ones_widths.h"

#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

constexpr std::array<std::size_t, 6> kNs = {DEJFA_ONES_NS};
static_assert(std::is_sorted(kNs.begin(), kNs.end()), "the bench takes the widths ascending");

class Tb {
 public:
  /// Drives `bits` (N of the widest instance's bits; `fill` decides the rest), evaluates, and
  /// checks every instance's count of its own low bits, in both forms.
  void check(const std::vector<bool>& bits) {
    std::vector<bool> all(bits);
    all.resize(kNs.back(), false);
    for (std::size_t i = bits.size(); i < all.size(); ++i) all[i] = (fill_() & 1U) != 0;
    dejfa::test::put_bits(m_->v, all);
    m_->eval();
    for (std::size_t w = 0; w < kNs.size(); ++w) {
      const auto want = static_cast<std::uint32_t>(
          std::count(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(kNs[w]), true));
      const auto lsb = static_cast<unsigned>(16 * w);
      ASSERT_EQ(dejfa::test::get_field(m_->cnt_sim, lsb, 16), want)
          << "width " << kNs[w] << ", simulation form; " << dejfa::test::describe_bits(bits);
      ASSERT_EQ(dejfa::test::get_field(m_->cnt_tree, lsb, 16), want)
          << "width " << kNs[w] << ", synthesis form; " << dejfa::test::describe_bits(bits);
    }
    ++checked;
  }
  std::size_t checked = 0;

 private:
  dejfa::test::Model<Vdejfa_ones_widths> m_;
  std::mt19937_64 fill_{0x0E5C1};
};

/// One test per width: the vectors are that wide (the wider instances see random bits above).
class Ones : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Ones, EveryCountAsPrefixAndSuffix) {
  const std::size_t width = GetParam();
  Tb tb;
  // ones at the bottom, then at the top: counts 0 .. N both ways (N itself needs the top bit of
  // the count, which a tree one bit too narrow would drop)
  for (std::size_t k = 0; k <= width; ++k) {
    std::vector<bool> v(width, false);
    std::fill(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), true);
    tb.check(v);
    std::vector<bool> w(width, false);
    std::fill(w.end() - static_cast<std::ptrdiff_t>(k), w.end(), true);
    tb.check(w);
  }
  EXPECT_EQ(tb.checked, 2 * (width + 1));
}

TEST_P(Ones, EverySingleBitAndItsComplement) {
  const std::size_t width = GetParam();
  Tb tb;
  for (std::size_t i = 0; i < width; ++i) {
    std::vector<bool> v(width, false);
    v[i] = true;
    tb.check(v);
    v.flip();
    tb.check(v);
  }
  EXPECT_EQ(tb.checked, 2 * width);
}

TEST_P(Ones, RandomVectorsOfEveryDensity) {
  const std::size_t width = GetParam();
  Tb tb;
  std::mt19937_64 rng(0x0E5C0);
  const int rounds = width >= 256 ? 20000 : 4000;  // the narrow ones have fewer vectors to try
  for (int round = 0; round < rounds; ++round) {
    const double p = std::ldexp(1.0, -static_cast<int>(rng() % 12));  // 1 .. 1/2048
    std::bernoulli_distribution bit(rng() % 2 ? p : 1.0 - p);         // sparse or dense
    std::vector<bool> v(width);
    for (std::size_t i = 0; i < width; ++i) v[i] = bit(rng);
    tb.check(v);
  }
  EXPECT_EQ(tb.checked, static_cast<std::size_t>(rounds));
}

INSTANTIATE_TEST_SUITE_P(Widths, Ones, ::testing::ValuesIn(kNs),
                         [](const auto& p) { return "n" + std::to_string(p.param); });

}  // namespace
