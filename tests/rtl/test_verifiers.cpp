// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_verifiers (the verifiers of (frame, rule) jobs with their memories; issue
// #25, docs/HARDWARE.md "Verifiers"), Verilated for both configurations (8 verifiers of 16 starts
// a cycle at 100g, 4 of 32 at 10g) and in the synthesis form at 10g with a recursion limit of 3.
// Two images compiled from generated rule sets (one of ordinary literals, one of contents of
// several pieces with near misses and relative contents after them) are loaded into the two banks
// through the TABLES window (dejfa::table_writes); frames from the two sets' generators are written
// into the payload RAM beat by beat as the core writes them (each frame from the start of a 64-byte
// word), and after a frame's last beat its jobs are offered: content rules of either bank, half of
// them rules whose program matches. Checked on every cycle: a job goes to the lowest-numbered idle
// verifier; every result comes on the lane of the verifier that took the job, with its tag, within
// its budget, once; a result that did not overrun is the image model's (ImageModel::program_match);
// every result and its cycles are the verifier's cycle model's (dejfa::verify_job). Budgets: most
// jobs get the largest, and some are replayed at once with a budget of exactly the cycles they held
// their verifier (no overrun, the same result) or one fewer (an overrun).

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <random>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_verifiers.h"

#include "dejfa/gen/regs.hpp"

#include "../common/randgen.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/image_tables.hpp"
#include "dejfa/sim/axis.hpp"
#include "dejfa/sim/harness.hpp"
#include "dejfa/verify_model.hpp"
#include "vl_bits.hpp"

namespace {

using Model = Vdejfa_verifiers;
namespace vj = dejfa::hw::rec::vjob;
constexpr const dejfa::hw::Config& kCfg = dejfa::hw::kConfigs[DEJFA_CFG_INDEX];
constexpr std::size_t kBpb = kCfg.data_w / 8;  // bytes per beat
constexpr std::size_t kLanes = 64 / kBpb;      // beats per 64-byte payload word
constexpr std::uint32_t kPayWords = 2 * dejfa::hw::kPktDepth * kBpb / 64;  // PAY_WORDS
constexpr unsigned kNv = kCfg.data_w >= 512 ? 8 : 4;                       // NV
constexpr std::uint32_t kStarts = kCfg.data_w >= 512 ? 16 : 32;            // STARTS
// REC_LIMIT: Suricata's 3,000, or the synthesis-form build's 3, which rules of three contents or
// with backtracking reach (tests/rtl/CMakeLists.txt)
#ifdef DEJFA_VERIFIERS_REC_LIMIT
constexpr std::uint32_t kRecLimit = DEJFA_VERIFIERS_REC_LIMIT;
#else
constexpr std::uint32_t kRecLimit = 3000;
#endif

dejfa::Policy policy() {
  dejfa::Policy pol;
  pol.recursion_limit = kRecLimit;
  return pol;
}
constexpr std::uint32_t kBudgetMax = 0xFFFF;

struct Set {
  dejfa::Image img;
  std::unique_ptr<dejfa::ImageModel> model;
  std::unique_ptr<dejfa::ImageModel> unlimited;  // Suricata's recursion limit, for the count below
  std::vector<std::uint32_t> content_rules;
};

// The largest generated set that compiles for the configuration.
void compile_set(dejfa::testgen::Gen& g, bool long_contents, Set& s) {
  for (std::uint32_t n = long_contents ? 80 : 200; n >= 10; n -= 10) {
    const dejfa::RuleSet rs = g.rules(n, {}, long_contents ? 0.4 : 0.0);
    auto res = dejfa::compile_v3(rs, kCfg);
    if (res.ok) {
      s.img = std::move(res.image);
      break;
    }
  }
  ASSERT_FALSE(s.img.rules.empty());
  s.model = std::make_unique<dejfa::ImageModel>(s.img, policy());
  s.unlimited = std::make_unique<dejfa::ImageModel>(s.img);
  for (std::uint32_t r = 0; r < s.img.rules.size(); ++r)
    if (s.img.rules[r].ncontents != 0) s.content_rules.push_back(r);
  ASSERT_FALSE(s.content_rules.empty());
}

struct Job {
  std::uint32_t frame;  // index into frames
  std::uint32_t rule;
  unsigned bank;
  std::uint32_t budget;
  int replay = 0;  // 0: first run; 1: budget = cycles held before; -1: one fewer
  bool limit_decided = false;
  bool expect_match = false;
  std::uint32_t held_before = 0;
};

struct Frame {
  std::vector<std::uint8_t> bytes;
  dejfa::Packet pkt;
  std::uint64_t base = 0;  // first payload word (unbounded count)
  unsigned jobs_left = 0;  // jobs queued or running
  bool written = false;
};

struct Stats {
  std::size_t jobs = 0, matched = 0, overruns = 0, replays_exact = 0, replays_short = 0;
  std::size_t busy_max = 0;
  std::uint32_t held_max = 0;
  std::size_t simple = 0;  // first runs of rules without pieces or backtracking
  double simple_tight = 0;
  std::size_t limit_decided = 0;  // jobs whose result the recursion limit changed  // the most
                                  // cycles such a job took, as a share of its bound
};

void load(dejfa::sim::Harness<Model>& h, const dejfa::Image& img, unsigned bank) {
  Model& m = h.m();
  for (const auto& w : dejfa::table_writes(img)) {
    m.tbl_wr_en = 1;
    m.tbl_wr_addr = w.word;
    m.tbl_wr_data = w.data;
    m.tbl_wr_bank = static_cast<CData>(bank);
    h.tick();
  }
  m.tbl_wr_en = 0;
}

// `rewrite`: after a quarter of the frames, bank 0 takes a third image while bank 1's jobs run;
// frames keep coming meanwhile (bank 1's jobs only), and the last quarter comes after.
Stats run(std::uint64_t seed, std::size_t nframes, unsigned bubble_pct, bool rewrite) {
  Stats st;
  dejfa::testgen::Gen ga(seed), gb(seed + 1), gc(seed + 2);
  gb.set_pool(gb.long_pool(kCfg.lit_max_b, 4), true);
  std::array<Set, 2> sets;
  Set later;
  compile_set(ga, false, sets[0]);
  compile_set(gb, true, sets[1]);
  if (rewrite) compile_set(gc, false, later);
  if (::testing::Test::HasFatalFailure()) return st;
  dejfa::DecodeLimits lim;
  lim.hdr_win_b = kCfg.hdr_win_b;

  dejfa::sim::Harness<Model> h(seed);
  Model& m = h.m();
  m.tbl_wr_en = 0;
  m.pw_en = 0;
  m.s_valid = 0;
  h.reset();
  load(h, sets[0].img, 0);
  load(h, sets[1].img, 1);

  std::mt19937_64 rng(seed);
  std::vector<Frame> frames;
  std::deque<Job> queue;                         // offered in order
  std::vector<std::optional<Job>> running(kNv);  // per verifier
  std::vector<std::uint64_t> taken_at(kNv), tag_of(kNv);
  std::uint32_t next_tag = 0;
  std::uint64_t word = 0;
  std::size_t lane = 0, off = 0;
  std::vector<std::uint8_t> cur;
  std::vector<dejfa::TableWrite> rw;  // the rewrite's table writes
  std::size_t rw_i = 0, rw_jobs = 0, rw_jobs_from = 0, rw_during = 0;
  int rw_state = 0;  // 0: not begun, 1: writing, 2: done
  std::uint64_t rw_from = 0;
  std::size_t done_frames = 0;

  // The oldest payload word still needed: the first frame with jobs left or not yet written.
  std::size_t live_from = 0;
  const auto oldest_word = [&]() -> std::uint64_t {
    while (live_from < frames.size() && frames[live_from].written &&
           frames[live_from].jobs_left == 0)
      ++live_from;
    return live_from < frames.size() ? frames[live_from].base : word;
  };

  const auto queue_jobs = [&](std::uint32_t fi) {
    Frame& f = frames[fi];
    const auto payload = f.pkt.payload_valid ? std::span<const std::uint8_t>(f.bytes).subspan(
                                                   f.pkt.payload_off, f.pkt.payload_len)
                                             : std::span<const std::uint8_t>{};
    const unsigned home = fi % 2;
    for (unsigned k = static_cast<unsigned>(rng() % 7); k > 0; --k) {
      unsigned bank = rng() % 5 == 0 ? 1 - home : home;
      if (rewrite && rw_state != 2 && done_frames >= nframes / 4) bank = 1;
      const Set& s = sets[bank];
      std::uint32_t rule = s.content_rules[rng() % s.content_rules.size()];
      if (rng() % 2 == 0) {  // a rule whose program matches, where there is one
        std::vector<std::uint32_t> hits;
        for (auto r : s.content_rules)
          if (s.model->program_match(r, payload)) hits.push_back(r);
        if (!hits.empty()) rule = hits[rng() % hits.size()];
      }
      Job j{fi, rule, bank, kBudgetMax};
      j.expect_match = s.model->program_match(rule, payload);
      j.limit_decided = j.expect_match != s.unlimited->program_match(rule, payload);
      queue.push_back(j);
      ++f.jobs_left;
    }
  };

  while (done_frames < nframes || !queue.empty() || rw_state == 1 ||
         std::any_of(running.begin(), running.end(), [](const auto& r) { return r.has_value(); })) {
    if (h.cycle() > 50'000'000U) {
      ADD_FAILURE() << "jobs stopped (" << done_frames << " of " << nframes << " frames)";
      return st;
    }
    m.pw_en = 0;
    m.s_valid = 0;
    // The rewrite: from a quarter of the frames on, frames get bank 1's jobs only; once bank 0's
    // are drained (none queued or running) its tables are rewritten a word a cycle while bank 1's
    // jobs run, then bank 0 is the third set's.
    m.tbl_wr_en = 0;
    if (rewrite && rw_state == 0 && done_frames >= nframes / 4 &&
        std::none_of(queue.begin(), queue.end(), [](const Job& j) { return j.bank == 0; }) &&
        std::none_of(running.begin(), running.end(),
                     [](const auto& r) { return r.has_value() && r->bank == 0; })) {
      rw = dejfa::table_writes(later.img);
      rw_state = 1;
      rw_from = h.cycle();
      rw_jobs_from = st.jobs;
    }
    if (rw_state == 1) {
      if (rw_i < rw.size()) {
        m.tbl_wr_en = 1;
        m.tbl_wr_addr = rw[rw_i].word;
        m.tbl_wr_data = rw[rw_i].data;
        m.tbl_wr_bank = 0;
        ++rw_i;
      } else {
        sets[0].img = later.img;
        sets[0].model = std::make_unique<dejfa::ImageModel>(sets[0].img, policy());
        sets[0].unlimited = std::make_unique<dejfa::ImageModel>(sets[0].img);
        sets[0].content_rules = later.content_rules;
        rw_state = 2;
        rw_jobs = st.jobs;
        rw_during = st.jobs - rw_jobs_from;
      }
    }
    // the input side: the next beat of the current frame, or a bubble
    // (with the rewrite, the last quarter of the frames waits for its end)
    if (cur.empty() && done_frames < nframes &&
        !(rewrite && rw_state != 2 && frames.size() >= nframes * 3 / 4)) {
      std::vector<std::uint8_t> fb = frames.size() % 2 == 0 ? ga.frame() : gb.frame();
      if (rng() % 8 == 0) fb.resize(fb.size() + rng() % 1500, 'a');  // long payloads too
      const std::uint64_t words = (fb.size() + 63) / 64;
      if (word + words + 2 - oldest_word() < kPayWords) {  // room without overwriting a live frame
        Frame f;
        f.bytes = fb;
        f.pkt = dejfa::decode(f.bytes, lim);
        f.base = word;
        frames.push_back(std::move(f));
        cur = std::move(fb);
        off = 0;
        lane = 0;
      }
    }
    bool last = false;
    if (!cur.empty() && rng() % 100 >= bubble_pct) {
      const std::size_t n = std::min(kBpb, cur.size() - off);
      m.pw_en = 1;
      m.pw_word = static_cast<std::uint16_t>(word % kPayWords);
      m.pw_lane = static_cast<std::uint8_t>(lane);
      std::vector<std::uint8_t> beat_bytes(kBpb, 0);
      std::copy(cur.begin() + static_cast<long>(off), cur.begin() + static_cast<long>(off + n),
                beat_bytes.begin());
      dejfa::sim::put_bytes(m.pw_data, beat_bytes.data(), kBpb);
      off += n;
      last = off >= cur.size();
    }
    // the job side: the queue's head to the lowest-numbered idle verifier
    const auto idle = static_cast<unsigned>(dejfa::test::get_field(m.idle, 0, kNv));
    int taker = -1;
    if (!queue.empty()) {
      const Job& j = queue.front();
      const Frame& f = frames[j.frame];
      std::vector<std::uint32_t> w(4, 0);
      const auto field = [&](unsigned lsb, unsigned width, std::uint32_t v) {
        for (unsigned b = 0; b < width; ++b)
          if ((v >> b) & 1U) w[(lsb + b) / 32] |= 1U << ((lsb + b) % 32);
      };
      field(vj::RULE_LSB, vj::RULE_W, j.rule);
      field(vj::PROG_LSB, vj::PROG_W, sets[j.bank].img.rules[j.rule].prog_first);
      field(vj::PLEN_LSB, vj::PLEN_W, f.pkt.payload_valid ? f.pkt.payload_len : 0);
      field(vj::POFF_LSB, vj::POFF_W, f.pkt.payload_off);
      field(vj::BASE_LSB, vj::BASE_W, static_cast<std::uint32_t>(f.base % kPayWords));
      field(vj::BANK_LSB, vj::BANK_W, j.bank);
      field(vj::BUDGET_LSB, vj::BUDGET_W, j.budget);
      field(vj::TAG_LSB, vj::TAG_W, next_tag);
      dejfa::test::put_words(m.s_job, w);
      m.s_valid = 1;
      for (unsigned v = 0; v < kNv; ++v) {
        if ((idle >> v) & 1U) {
          taker = static_cast<int>(v);
          break;
        }
      }
      EXPECT_EQ(m.s_ready != 0, taker >= 0);
    }
    // a verifier is idle exactly when the test has no job on it
    for (unsigned v = 0; v < kNv; ++v) {
      EXPECT_EQ(((idle >> v) & 1U) != 0, !running[v].has_value()) << "verifier " << v;
    }
    const std::uint64_t now = h.cycle();
    h.tick();
    if (taker >= 0) {
      running[static_cast<unsigned>(taker)] = queue.front();
      queue.pop_front();
      taken_at[static_cast<unsigned>(taker)] = now;
      tag_of[static_cast<unsigned>(taker)] = next_tag;
      next_tag = (next_tag + 1) % (1U << vj::TAG_W);
    }
    if (m.pw_en != 0) {
      if (last || lane == kLanes - 1) {
        ++word;
        lane = 0;
      } else {
        ++lane;
      }
      if (last) {
        const auto fi = static_cast<std::uint32_t>(frames.size() - 1);
        frames[fi].written = true;
        queue_jobs(fi);
        cur.clear();
        ++done_frames;
      }
    }
    // results
    std::size_t busy = 0;
    for (unsigned v = 0; v < kNv; ++v) {
      busy += running[v].has_value() ? 1U : 0U;
      if (dejfa::test::get_field(m.m_valid, v, 1) == 0) continue;
      if (!running[v]) {
        ADD_FAILURE() << "verifier " << v << " gave a result without a job (cycle " << h.cycle()
                      << ")";
        return st;
      }
      const Job j = *running[v];
      running[v].reset();
      const auto held = static_cast<std::uint32_t>(h.cycle() - taken_at[v]);
      const bool over = dejfa::test::get_field(m.m_overrun, v, 1) != 0;
      const bool match = dejfa::test::get_field(m.m_match, v, 1) != 0;
      const std::string what = "job of rule " + std::to_string(j.rule) + " on frame " +
                               std::to_string(j.frame) + ", bank " + std::to_string(j.bank) +
                               ", verifier " + std::to_string(v) + " (seed " +
                               std::to_string(h.seed()) + ")";
      EXPECT_EQ(dejfa::test::get_field(m.m_tag, v * vj::TAG_W, vj::TAG_W), tag_of[v]) << what;
      EXPECT_LE(held, j.budget) << what;
      {
        // the cycle model: the same result in the same cycles, overrun included
        const Frame& f = frames[j.frame];
        const auto vm = dejfa::verify_job(
            sets[j.bank].img, j.rule, f.bytes, static_cast<std::uint32_t>(f.pkt.payload_off),
            f.pkt.payload_valid ? static_cast<std::uint32_t>(f.pkt.payload_len) : 0, j.budget,
            kRecLimit, kStarts);
        EXPECT_EQ(held, vm.cycles) << what << ": not the cycle model's cycles";
        EXPECT_EQ(match, vm.match) << what;
        EXPECT_EQ(over, vm.overrun) << what;
      }
      ++st.jobs;
      st.held_max = std::max(st.held_max, held);
      if (j.replay == 0) {
        EXPECT_FALSE(over) << what << " overran the largest budget";
        // The budget a compiler can give exactly (docs/HARDWARE.md "Verifiers"): a rule whose
        // contents are one piece each and none followed by a content with `within` (no
        // backtracking) takes at most dejfa::verify_budget.
        const dejfa::Image& img = sets[j.bank].img;
        if (dejfa::verify_bounded(img, j.rule)) {
          const Frame& f = frames[j.frame];
          const std::uint32_t bound = dejfa::verify_budget(
              img, j.rule, f.pkt.payload_valid ? static_cast<std::uint32_t>(f.pkt.payload_len) : 0,
              kStarts);
          EXPECT_LE(held, bound) << what << ": a rule without backtracking beyond its bound";
          ++st.simple;
          st.simple_tight = std::max(st.simple_tight, static_cast<double>(held) / bound);
        }
        EXPECT_EQ(match, j.expect_match) << what;
        st.matched += match ? 1U : 0U;
        st.limit_decided += j.limit_decided ? 1U : 0U;
        // replayed at once, before the frame may be overwritten: with exactly its cycles, or
        // one fewer (a budget of at least 2: the take and a cycle more)
        if (rng() % 4 == 0 && held >= 3) {
          Job r = j;
          r.replay = rng() % 2 == 0 ? 1 : -1;
          r.held_before = held;
          r.budget = r.replay == 1 ? held : held - 1;
          queue.push_front(r);
          ++frames[j.frame].jobs_left;
        }
      } else if (j.replay == 1) {
        ++st.replays_exact;
        EXPECT_FALSE(over) << what << " overran a budget of exactly its cycles";
        EXPECT_EQ(match, j.expect_match) << what;
        EXPECT_EQ(held, j.held_before) << what << ": not the cycles it held before";
      } else {
        ++st.replays_short;
        EXPECT_TRUE(over) << what << " did not overrun a budget one cycle short";
        EXPECT_FALSE(match) << what;
        EXPECT_EQ(held, j.budget) << what;
      }
      st.overruns += over ? 1U : 0U;
      --frames[j.frame].jobs_left;
      if (::testing::Test::HasFailure()) return st;
    }
    st.busy_max = std::max(st.busy_max, busy);
  }
  if (rewrite) {
    EXPECT_EQ(rw_state, 2) << "bank 0 was not rewritten";
    EXPECT_GT(st.jobs, rw_jobs + 100) << "too few jobs after the rewrite";
    EXPECT_GT(rw_during, 100U) << "too few of bank 1's jobs during the rewrite";
    std::printf(
        "bank 0 rewritten from cycle %llu, %zu writes, %zu jobs meanwhile; %zu jobs after\n",
        static_cast<unsigned long long>(rw_from), rw.size(), rw_during, st.jobs - rw_jobs);
  }
  std::printf(
      "%s, %u verifiers of %u starts: %zu frames, %zu jobs (%zu matched; %zu replays with their "
      "cycles, %zu one short, %zu "
      "overruns), at most %zu verifiers busy, longest job %u cycles, %llu cycles; %zu jobs of "
      "rules without backtracking, the costliest at %.0f %% of its bound\n",
      std::string(kCfg.name).c_str(), kNv, kStarts, frames.size(), st.jobs, st.matched,
      st.replays_exact, st.replays_short, st.overruns, st.busy_max, st.held_max,
      static_cast<unsigned long long>(h.cycle()), st.simple, 100 * st.simple_tight);
  return st;
}

TEST(Verifiers, ResultsAreTheImageModelsWithinTheirBudgets) {
  const Stats st = run(dejfa::sim::seed_from_env(), 1500, 30, false);
  if (::testing::Test::HasFailure()) return;
  EXPECT_GT(st.matched, st.jobs / 5) << "the jobs must match often";
  EXPECT_GT(st.replays_short, 20U);
  EXPECT_GT(st.replays_exact, 20U);
  EXPECT_EQ(st.busy_max, kNv) << "every verifier must be busy at once";
  if (kRecLimit < 3000) {
    std::printf("%zu jobs decided by the recursion limit of %u\n", st.limit_decided, kRecLimit);
    EXPECT_GT(st.limit_decided, 0U) << "the recursion limit must decide some jobs";
  }
}

TEST(Verifiers, ABankRewrittenWhileTheOtherIsRead) {
  const Stats st = run(dejfa::sim::seed_from_env() + 3, 1000, 10, true);
  if (::testing::Test::HasFailure()) return;
  EXPECT_GT(st.matched, st.jobs / 5);
}

}  // namespace
