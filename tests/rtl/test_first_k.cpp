// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_first_k (the core's metadata: the lowest META_IDX_N matched rule indices,
// one pipeline stage per index). Every cycle gets an input; every output is compared with the
// input of K cycles before: the vector and side fields unchanged, entry k the (k+1)-th lowest set
// bit or 0, valid only if it went in valid and no reset came while it was in flight. Vectors with
// 0 .. K + 1 bits at the edges and at random places, dense and sparse random vectors, random
// valid, and a reset while the pipeline is full.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_first_k.h"

#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

constexpr std::size_t kN = DEJFA_FK_N;
constexpr std::size_t kK = DEJFA_FK_K;
constexpr std::size_t kSide = DEJFA_FK_SIDE_W;
constexpr unsigned kIw = [] {
  unsigned w = 0;
  while ((std::size_t{1} << w) < kN) ++w;
  return w;
}();
static_assert(kSide <= 64 && kK * kIw <= 64, "the test reads side and idx as one integer");

struct In {
  bool valid = false;
  std::vector<bool> v;
  std::uint64_t side = 0;
};

class Tb {
 public:
  Tb() {
    m_->clk = 0;
    m_->rst = 1;
    m_->s_valid = 0;
    m_->eval();
    for (int i = 0; i < 2; ++i) tick(In{false, std::vector<bool>(kN), 0}, true);
    flight_.clear();
  }

  /// Applies `in` (and `rst`) for one clock edge, then checks the output against the input of
  /// K edges before.
  void tick(const In& in, bool rst = false) {
    m_->rst = rst ? 1 : 0;
    m_->s_valid = in.valid ? 1 : 0;
    dejfa::test::put_bits(m_->s_v, in.v);
    m_->s_side = static_cast<std::remove_reference_t<decltype(m_->s_side)>>(in.side);
    m_->clk = 1;
    m_->eval();
    m_->clk = 0;
    m_->eval();
    flight_.push_back(in);
    if (rst)
      for (auto& f : flight_) f.valid = false;
    if (flight_.size() < kK) return;
    check(flight_.front());
    flight_.pop_front();
  }
  std::size_t checked = 0, valid_out = 0;

 private:
  void check(const In& want) {
    const std::string what = dejfa::test::describe_bits(want.v);
    ASSERT_EQ(m_->m_valid != 0, want.valid) << what;
    ASSERT_EQ(dejfa::test::get_bits(m_->m_v, kN), want.v) << what;
    ASSERT_EQ(static_cast<std::uint64_t>(m_->m_side), want.side) << what;
    std::size_t k = 0;
    const auto idx = static_cast<std::uint64_t>(m_->m_idx);
    for (std::size_t i = 0; i < kN && k < kK; ++i) {
      if (!want.v[i]) continue;
      ASSERT_EQ((idx >> (kIw * k)) & ((1ULL << kIw) - 1), i) << "entry " << k << ", " << what;
      ++k;
    }
    for (; k < kK; ++k)
      ASSERT_EQ((idx >> (kIw * k)) & ((1ULL << kIw) - 1), 0U)
          << "entry " << k << " (none), " << what;
    ++checked;
    if (want.valid) ++valid_out;
  }

  dejfa::test::Model<Vdejfa_first_k> m_;
  std::deque<In> flight_;
};

std::uint64_t side_of(std::mt19937_64& rng) {
  return kSide >= 64 ? rng() : rng() & ((1ULL << kSide) - 1);
}

TEST(FirstK, ZeroToKPlusOneBitsAtTheEdgesBackToBack) {
  Tb tb;
  std::mt19937_64 rng(0xF125E7C);
  std::size_t sent = 0;
  for (std::size_t n = 0; n <= kK + 1 && n <= kN; ++n) {
    // the n lowest bits, the n highest bits, and n bits spread from the top down
    std::vector<bool> lo(kN), hi(kN), spread(kN);
    for (std::size_t i = 0; i < n; ++i) {
      lo[i] = true;
      hi[kN - 1 - i] = true;
      spread[kN - 1 - (i * (kN / (kK + 2)))] = true;
    }
    for (const auto* v : {&lo, &hi, &spread}) {
      tb.tick(In{true, *v, side_of(rng)});
      ++sent;
    }
  }
  for (std::size_t i = 0; i < kK; ++i) tb.tick(In{false, std::vector<bool>(kN), 0});
  EXPECT_EQ(tb.valid_out, sent);  // every input came out, valid, in order
}

TEST(FirstK, RandomVectorsAndValid) {
  Tb tb;
  std::mt19937_64 rng(0x5EED1D);
  std::bernoulli_distribution valid(0.7);
  for (int round = 0; round < 20000; ++round) {
    const double p = std::ldexp(1.0, -static_cast<int>(rng() % 12));  // 1 .. 1/2048
    std::bernoulli_distribution bit(p);
    In in{valid(rng), std::vector<bool>(kN), side_of(rng)};
    for (std::size_t i = 0; i < kN; ++i) in.v[i] = bit(rng);
    tb.tick(in);
  }
  EXPECT_EQ(tb.checked, 20000U - (kK - 1));
  EXPECT_GT(tb.valid_out, 12000U);
}

TEST(FirstK, ResetDropsWhatIsInFlight) {
  Tb tb;
  std::mt19937_64 rng(0x7E5E7);
  std::vector<bool> v(kN);
  v[0] = v[kN - 1] = true;
  for (std::size_t i = 0; i < kK; ++i) tb.tick(In{true, v, side_of(rng)});
  tb.tick(In{true, v, side_of(rng)}, true);  // everything in the stages is now invalid
  for (std::size_t i = 0; i < 2 * kK; ++i) tb.tick(In{true, v, side_of(rng)});
  // The first input came out in the K-th cycle, before the reset; the K - 1 then in the stages
  // and the one sent with the reset come out invalid; of the 2K sent after it, the first K + 1
  // have come out, valid.
  EXPECT_EQ(tb.valid_out, 1 + (kK + 1));
  EXPECT_EQ(tb.checked, 1 + kK + (kK + 1));
}

}  // namespace
