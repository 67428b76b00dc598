// SPDX-License-Identifier: Apache-2.0
//
// The verifier's cycle model (dejfa::verify_job, dejfa/verify_model.hpp) against the image
// model's inspection (ImageModel::program_match, Suricata's algorithm over the image's program):
// every content rule of generated sets (ordinary literals; contents of several pieces with near
// misses and relative contents after them) on generated frames, some with long payloads, in both
// configurations, at each scan width (64, 32, 16 starts a cycle). Same result on every job; a job
// given exactly its cycles does not overrun, one fewer does; rules without backtracking or pieces
// keep to the budget bound the compiler will give them (docs/HARDWARE.md "Verifiers"), and the
// job queue's form of that bound (verify_budget_terms) is at least it and equal on long payloads.
// rtl.verifiers holds the RTL to this model's cycles.

#include <algorithm>
#include <cstdio>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "dejfa/gen/regs.hpp"

#include "../common/randgen.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/verify_model.hpp"

namespace {

struct Bounds {
  std::uint32_t poff = 0, plen = 0;  // plen 0: no payload, as a job carries it
  std::span<const std::uint8_t> payload;
};

// A frame's payload as the decoder finds it.
Bounds bounds(std::span<const std::uint8_t> frame, const dejfa::DecodeLimits& lim) {
  const dejfa::Packet p = dejfa::decode(frame, lim);
  Bounds b;
  b.plen = p.payload_valid ? static_cast<std::uint32_t>(p.payload_len) : 0;
  b.poff = static_cast<std::uint32_t>(p.payload_off);
  if (b.plen != 0) b.payload = frame.subspan(b.poff, b.plen);
  return b;
}

void check_set(const dejfa::hw::Config& cfg, std::uint64_t seed, bool long_contents) {
  dejfa::testgen::Gen g(seed);
  if (long_contents) g.set_pool(g.long_pool(cfg.lit_max_b, 4), true);
  dejfa::Image img;
  for (std::uint32_t n = long_contents ? 80 : 200; n >= 10; n -= 10) {
    auto res = dejfa::compile_v3(g.rules(n, {}, long_contents ? 0.4 : 0.0), cfg);
    if (res.ok) {
      img = std::move(res.image);
      break;
    }
  }
  ASSERT_FALSE(img.rules.empty());
  const dejfa::ImageModel model(img);
  dejfa::DecodeLimits lim;
  lim.hdr_win_b = cfg.hdr_win_b;
  std::mt19937_64 rng(seed);
  std::size_t jobs = 0, matched = 0, bounded = 0, pieces_found = 0;
  double tight = 0;
  for (int f = 0; f < 300; ++f) {
    std::vector<std::uint8_t> frame = g.frame();
    if (rng() % 4 == 0) frame.resize(frame.size() + rng() % 2000, 'a');
    const auto [poff, plen, payload] = bounds(frame, lim);
    for (std::uint32_t r = 0; r < img.rules.size(); ++r) {
      const dejfa::ImageRule& ir = img.rules[r];
      if (ir.ncontents == 0) continue;
      const dejfa::VerifyResult v = dejfa::verify_job(img, r, frame, poff, plen, 0xFFFF);
      const bool want = model.program_match(r, payload);
      ASSERT_FALSE(v.overrun) << "rule " << r << " frame " << f;
      ASSERT_EQ(v.match, want) << "rule " << r << " frame " << f << " (seed " << seed << ")";
      // the narrower scans: the same result, within their own bound
      for (const std::uint32_t starts : {32U, 16U}) {
        const auto n = dejfa::verify_job(img, r, frame, poff, plen, 0xFFFF, 3000, starts);
        ASSERT_EQ(n.match, want) << "rule " << r << " frame " << f << ", " << starts << " starts";
        if (dejfa::verify_bounded(img, r)) {
          ASSERT_LE(n.cycles, dejfa::verify_budget(img, r, plen, starts))
              << "rule " << r << " frame " << f << ", " << starts << " starts";
        }
        // the queue's form of the budget (a fixed part and the payload-wide contents): at
        // least the bound, doubled for the rules it does not bound, and the bound itself once
        // the payload reaches every depth and within
        const dejfa::BudgetTerms t = dejfa::verify_budget_terms(img, r, starts);
        const std::uint32_t mult = dejfa::verify_bounded(img, r) ? 1 : 2;
        ASSERT_EQ(t.doubled, mult == 2);
        ASSERT_GE(t.budget(plen, starts, 0xFFFFFFFF),
                  mult * dejfa::verify_budget(img, r, plen, starts))
            << "rule " << r << " frame " << f << ", " << starts << " starts";
        ASSERT_EQ(t.budget(100'000, starts, 0xFFFFFFFF),
                  mult * dejfa::verify_budget(img, r, 100'000, starts))
            << "rule " << r << ", " << starts << " starts";
        ASSERT_EQ(t.budget(plen, starts, 7), std::min(7U, t.budget(plen, starts, 0xFFFFFFFF)));
      }
      ++jobs;
      matched += v.match ? 1U : 0U;
      if (v.match && !dejfa::verify_bounded(img, r)) ++pieces_found;
      if (dejfa::verify_bounded(img, r)) {
        const std::uint32_t bound = dejfa::verify_budget(img, r, plen, 64);
        ASSERT_LE(v.cycles, bound) << "rule " << r << " frame " << f;
        ++bounded;
        tight = std::max(tight, static_cast<double>(v.cycles) / bound);
      }
      if (v.cycles >= 3 && rng() % 8 == 0) {
        const auto exact = dejfa::verify_job(img, r, frame, poff, plen, v.cycles);
        ASSERT_FALSE(exact.overrun);
        ASSERT_EQ(exact.cycles, v.cycles);
        const auto shy = dejfa::verify_job(img, r, frame, poff, plen, v.cycles - 1);
        ASSERT_TRUE(shy.overrun);
        ASSERT_EQ(shy.cycles, v.cycles - 1);
      }
    }
  }
  std::printf(
      "%s, %s set: %zu jobs, %zu matched (%zu of rules with pieces or backtracking), %zu "
      "bounded, the costliest at %.0f %% of its bound\n",
      std::string(cfg.name).c_str(), long_contents ? "long-content" : "ordinary", jobs, matched,
      pieces_found, bounded, 100 * tight);
  EXPECT_GT(matched, jobs / 50);
  if (long_contents) {
    EXPECT_GT(pieces_found, 10U);
  }
}

TEST(VerifyModel, EqualsTheInspectionOnEveryJob) {
  for (const auto& cfg : dejfa::hw::kConfigs) {
    check_set(cfg, 71, false);
    check_set(cfg, 72, true);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// Suricata's recursion limit reached: small limits, which rules of a few contents or with
// backtracking reach, give the inspection's result (the count is kept where a level is entered).
TEST(VerifyModel, RecursionLimitAsTheInspection) {
  for (const auto& cfg : dejfa::hw::kConfigs) {
    dejfa::testgen::Gen g(73);
    g.set_pool(g.long_pool(cfg.lit_max_b, 4), true);
    const auto res = dejfa::compile_v3(g.rules(80, {}, 0.4), cfg);
    ASSERT_TRUE(res.ok);
    const dejfa::Image& img = res.image;
    dejfa::DecodeLimits lim;
    lim.hdr_win_b = cfg.hdr_win_b;
    const dejfa::ImageModel full(img);
    std::size_t differ = 0, jobs = 0;
    for (const std::uint32_t limit : {2U, 3U, 4U, 6U}) {
      dejfa::Policy pol;
      pol.recursion_limit = limit;
      const dejfa::ImageModel model(img, pol);
      for (int f = 0; f < 150; ++f) {
        const std::vector<std::uint8_t> frame = g.frame();
        const auto [poff, plen, payload] = bounds(frame, lim);
        for (std::uint32_t r = 0; r < img.rules.size(); ++r) {
          if (img.rules[r].ncontents == 0) continue;
          const bool want = model.program_match(r, payload);
          for (const std::uint32_t starts : {64U, 32U, 16U}) {
            const auto v = dejfa::verify_job(img, r, frame, poff, plen, 0xFFFF, limit, starts);
            ASSERT_EQ(v.match, want) << "rule " << r << " frame " << f << " limit " << limit;
          }
          ++jobs;
          differ += want != full.program_match(r, payload) ? 1U : 0U;
        }
      }
    }
    // the limits must bite: some jobs that match without them do not with them
    EXPECT_GT(differ, jobs / 1000) << cfg.name << ": " << differ << " of " << jobs;
    std::printf("%s: %zu jobs, %zu decided by the limit\n", std::string(cfg.name).c_str(), jobs,
                differ);
  }
}

TEST(VerifyModel, RefusesABudgetBelowTwo) {
  dejfa::testgen::Gen g(5);
  const auto res = dejfa::compile_v3(g.rules(20), dejfa::hw::kConfigs[0]);
  ASSERT_TRUE(res.ok);
  const std::vector<std::uint8_t> frame(100, 0);
  std::uint32_t r = 0;
  while (res.image.rules[r].ncontents == 0) ++r;
  EXPECT_THROW((void)dejfa::verify_job(res.image, r, frame, 42, 58, 1), std::invalid_argument);
}

}  // namespace
