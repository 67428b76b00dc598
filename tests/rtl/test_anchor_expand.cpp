// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_anchor_expand (issue #25, docs/HARDWARE.md "Expansion") against its model:
// each frame's rules are the ranges (dejfa::afilt::range_tables' form, RANGE_REC) of the long
// records the seen block reports for it and of the short entries the short block finds new in
// it, read from the tables of the frame's image bank; they leave once each, frames in order, one
// frame's lanes a cycle, with the frame's shed flags. The inputs follow the two blocks' output
// protocols: per tag bank a lookup starts only with r_room and its record is reported two cycles
// later; a bank's records come in frame order except that up to PUSH records of frame f + 1 may
// come before f's last (a held confirm group); a frame is done (d_valid) only after all its
// records, in order, in a cycle after one with d_ready; the short block's beats come well ahead
// of the seen block's records. How many cycles a frame's rules take, when all its ranges are
// in the merged queue before the allocator reaches it, comes from a model of the allocation
// (the next E ranges, whole while they fit, the first that does not gets the lanes left: E
// lanes every cycle but the frame's last): exactly. Built twice: with the configuration's
// parameters, and small (DEJFA_EXPAND_SMALL: 128 records, a short FIFO of 8 frames, a converter
// lead of 4), where frame numbers wrap every 2,048 / 16,384 frames and the short FIFO overflows.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_anchor_expand.h"

#include "dejfa/gen/regs.hpp"

#include "../common/randgen.hpp"
#include "dejfa/anchor_filter.hpp"
#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

using dejfa::test::clog2;
using dejfa::test::get_field;
using dejfa::test::put;

/// The block's parameters as built (tests/rtl/CMakeLists.txt).
struct Params {
  unsigned anchors_n, banks, e, sq, lead;
  unsigned idw() const { return clog2(anchors_n); }
  unsigned tag_w() const { return clog2(anchors_n / banks * 32) + 3; }
};
Params params() {
  const auto& c = dejfa::hw::kConfigs[DEJFA_CFG_INDEX];
  const unsigned banks = c.data_w >= 128 ? 16 : 2;
  const unsigned e = c.data_w >= 128 ? 8 : 2;
#ifdef DEJFA_EXPAND_SMALL
  return Params{128, banks, e, 8, 4};
#else
  return Params{c.anchors_n, banks, e, 256, 32};
#endif
}
constexpr unsigned kShortN = dejfa::hw::kAnchorShortN;
constexpr unsigned kRuleW = dejfa::hw::rec::range_rec::FIRST_W;

using Range = dejfa::afilt::Range;
/// One image bank's ranges: per record and per short entry, tiling rule ids from 0.
struct Tables {
  std::vector<Range> rec, shorts;
};
Tables draw_tables(dejfa::testgen::Gen& g, unsigned records) {
  Tables t;
  std::uint32_t next = 0;
  const auto draw = [&]() {
    const std::uint32_t n = g.p(0.7) ? 1 : g.p(0.8) ? 2 + g.u(8) : 10 + g.u(40);
    const Range r{next, n};
    next += n;
    return r;
  };
  for (unsigned i = 0; i < records; ++i) t.rec.push_back(draw());
  for (unsigned i = 0; i < kShortN; ++i) t.shorts.push_back(draw());
  return t;
}

/// A frame as the two blocks in front report it.
struct Frame {
  unsigned bank = 0;
  std::vector<std::uint32_t> recs;  // long records new in it (distinct)
  std::vector<unsigned> shorts;     // short entries new in it (distinct)
  bool shed = false, full = false;  // the seen block's d_shed, d_full
  std::set<std::uint32_t> rules;    // its rules, from its bank's tables when it was drawn
  unsigned beats = 1;
  // progress
  std::size_t unreported = 0;  // records not yet reported
  bool ended = false;          // its records are queued in the tag banks
};

struct Bench {
  dejfa::test::Model<Vdejfa_anchor_expand> m;
  Params p = params();
  std::array<Tables, 2> tables;
  std::uint64_t now = 0;
  std::vector<Frame> frames;  // by number, from 0

  // Table writes, one a cycle beside the traffic: {bank, sel, addr, word}.
  struct Write {
    unsigned bank, sel;
    std::uint32_t addr, word;
  };
  std::deque<Write> writes;

  // The short side: beats to send {frame, last, entries new in the beat}.
  struct Beat {
    std::uint64_t frame;
    bool last;
    std::vector<bool> fresh;
  };
  std::deque<Beat> beats;
  double short_gap = 0.2;  // a cycle without a beat
  // The seen side: frames whose last beat went, each with the cycle its records are queued.
  std::deque<std::pair<std::uint64_t, std::uint64_t>> ending;  // {frame, cycle}
  std::uint64_t last_end_at = 0;
  std::vector<std::deque<std::pair<std::uint32_t, std::uint64_t>>> bq;  // per tag bank
  // Per tag bank the records reported in the next two cycles ([0] the next).
  std::vector<std::array<std::pair<bool, std::pair<std::uint32_t, std::uint64_t>>, 2>> pipe;
  double bank_stall = 0.1;  // a bank starts no lookup this cycle
  double invert = 0.3;      // the next frame's records of a bank go before this one's last
  std::uint64_t next_done = 0;
  bool done_now = false;  // d_valid this cycle (decided last cycle)
  double done_stall = 0.1;
  // No frame is done before the frames below this one have all their records reported (so the
  // gather finds each of them whole, its end on its last range).
  std::uint64_t done_after = 0;
  // The output side.
  std::uint64_t out = 0;  // the frame whose lanes come
  std::set<std::uint32_t> got;
  bool exact_flags = true;  // no frame is shed here (the case cannot fill the short FIFO)
  std::size_t shed_here = 0, lanes = 0, out_cycles = 0, rules_out = 0, inverted = 0;
  std::map<std::uint64_t, std::pair<std::uint64_t, std::uint64_t>> span;  // first lane, end

  Bench() : bq(p.banks), pipe(p.banks) {
    for (auto& pp : pipe) pp = {};
    m->tw_en = 0;
    m->r_valid = 0;
    m->d_valid = 0;
    m->s_valid = 0;
    m.reset(3);
  }

  void queue_load(unsigned bank, const Tables& t) {
    for (std::uint32_t i = 0; i < t.rec.size(); ++i) {
      writes.push_back({bank, 0, i, dejfa::afilt::range_word({t.rec[i].first, t.rec[i].count})});
    }
    for (std::uint32_t i = 0; i < t.shorts.size(); ++i) {
      writes.push_back(
          {bank, 1, i, dejfa::afilt::range_word({t.shorts[i].first, t.shorts[i].count})});
    }
  }

  /// Draws a frame of `bank` with about `longs` records and `shorts` short entries.
  void add_frame(dejfa::testgen::Gen& g, unsigned bank, unsigned longs, unsigned shorts,
                 unsigned n_beats, double shed = 0.0) {
    Frame f;
    f.bank = bank;
    f.beats = n_beats;
    std::set<std::uint32_t> r;
    // (record 0 is the blocker of the cases that need one: never drawn)
    for (unsigned i = 0; i < longs; ++i) r.insert(1 + g.u(p.anchors_n - 1));
    f.recs.assign(r.begin(), r.end());
    std::set<unsigned> s;
    for (unsigned i = 0; i < shorts; ++i) s.insert(g.u(kShortN));
    f.shorts.assign(s.begin(), s.end());
    f.shed = g.p(shed);
    f.full = f.shed && g.p(0.5);
    add(std::move(f));
  }
  void add(Frame f) {
    const Tables& t = tables[f.bank];
    for (const auto rec : f.recs) {
      for (std::uint32_t k = 0; k < t.rec[rec].count; ++k) f.rules.insert(t.rec[rec].first + k);
    }
    for (const auto e : f.shorts) {
      for (std::uint32_t k = 0; k < t.shorts[e].count; ++k) {
        f.rules.insert(t.shorts[e].first + k);
      }
    }
    f.unreported = f.recs.size();
    const std::uint64_t n = frames.size();
    std::vector<std::vector<bool>> fresh(f.beats, std::vector<bool>(kShortN, false));
    for (const auto e : f.shorts) fresh[static_cast<std::size_t>(e) % f.beats][e] = true;
    for (unsigned b = 0; b < f.beats; ++b) beats.push_back({n, b + 1 == f.beats, fresh[b]});
    frames.push_back(std::move(f));
  }

  std::uint64_t mod() const { return std::uint64_t{1} << p.tag_w(); }

  void check_outputs() {
    const bool any = m->m_valid != 0;
    if (any || m->m_end != 0) {
      ASSERT_LT(out, frames.size()) << "output of a frame not sent";
      ASSERT_EQ(m->m_frame, out % mod()) << "frames out of order";
    }
    if (any) {
      const Frame& f = frames[out];
      bool gap = false;
      for (unsigned j = 0; j < p.e; ++j) {
        const bool v = get_field(m->m_valid, j, 1) != 0;
        if (!v) {
          gap = true;
          continue;
        }
        ASSERT_FALSE(gap) << "lanes not a prefix, frame " << out;
        const std::uint32_t r = get_field(m->m_rule, j * kRuleW, kRuleW);
        ASSERT_EQ(f.rules.count(r), 1U) << "rule " << r << " not of frame " << out;
        ASSERT_TRUE(got.insert(r).second) << "rule " << r << " twice in frame " << out;
        ASSERT_EQ(get_field(m->m_bank, j, 1), f.bank) << "lane " << j << "'s bank, frame " << out;
        ++lanes;
      }
      ++out_cycles;
      if (span.count(out) == 0) span[out].first = now;
    }
    if (m->m_end == 0) return;
    const Frame& f = frames[out];
    const bool here = m->m_full != 0 && !f.full;  // its short entries were shed here
    ASSERT_TRUE(f.ended) << "frame " << out << " ended before its records were queued";
    if (exact_flags || !here) {
      ASSERT_EQ(m->m_full != 0, f.full) << "frame " << out;
      ASSERT_EQ(m->m_shed != 0, f.shed) << "frame " << out;
    } else {
      ASSERT_NE(m->m_shed, 0) << "frame " << out;
      ++shed_here;
    }
    if (m->m_shed == 0) {
      ASSERT_EQ(got, f.rules) << "frame " << out;
    }
    rules_out += got.size();
    if (span.count(out) == 0) span[out].first = now;
    span[out].second = now;
    got.clear();
    ++out;
  }

  /// One cycle.
  void cycle() {
    check_outputs();
    if (::testing::Test::HasFatalFailure()) return;
    dejfa::testgen::Gen& g = gen;
    // table writes
    m->tw_en = 0;
    if (!writes.empty()) {
      const Write& w = writes.front();
      m->tw_en = 1;
      put(m->tw_bank, w.bank);
      put(m->tw_sel, w.sel);
      put(m->tw_addr, w.addr);
      put(m->tw_data, w.word);
      writes.pop_front();
    }
    // the short side
    m->s_valid = 0;
    if (!beats.empty() && !g.p(short_gap)) {
      const Beat& b = beats.front();
      m->s_valid = 1;
      m->s_last = b.last ? 1 : 0;
      put(m->s_bank, frames[b.frame].bank);
      dejfa::test::put_bits(m->s_new, b.fresh);
      if (b.last) {
        // the confirm and the seen block's queues: its records reach the tag banks later
        last_end_at = std::max(last_end_at, now + 4 + g.u(40));
        ending.emplace_back(b.frame, last_end_at);
      }
      beats.pop_front();
    }
    while (!ending.empty() && ending.front().second <= now) {
      const std::uint64_t n = ending.front().first;
      Frame& f = frames[n];
      for (const auto rec : f.recs) {
        bq[rec % p.banks].emplace_back(rec, n);
      }
      // Inversion: move up to 8 of this frame's records of a bank before the previous frame's
      // last record there.
      for (unsigned b = 0; b < p.banks; ++b) {
        auto& q = bq[b];
        std::size_t mine = 0;
        while (mine < q.size() && q[q.size() - 1 - mine].second == n) ++mine;
        if (mine == 0 || mine > 8 || mine == q.size()) continue;
        const auto& before = q[q.size() - 1 - mine];
        if (before.second + 1 != n || !g.p(invert)) continue;
        const auto last_prev = before;
        q.erase(q.end() - static_cast<std::ptrdiff_t>(mine) - 1);
        q.push_back(last_prev);
        ++inverted;
      }
      f.ended = true;
      ending.pop_front();
    }
    // the seen side: reports scheduled two cycles ago; lookups started with room
    std::vector<bool> rv(p.banks, false), rb(p.banks, false);
    std::vector<std::uint32_t> rrec((p.banks * p.idw() + 31) / 32, 0);
    std::vector<std::uint32_t> rfr((p.banks * p.tag_w() + 31) / 32, 0);
    const auto set_field = [](std::vector<std::uint32_t>& w, unsigned lsb, unsigned width,
                              std::uint64_t v) {
      for (unsigned i = 0; i < width; ++i) {
        if (((v >> i) & 1U) != 0) w[(lsb + i) / 32] |= 1U << ((lsb + i) % 32);
      }
    };
    const auto room = dejfa::test::get_bits(m->r_room, p.banks);
    for (unsigned b = 0; b < p.banks; ++b) {
      auto& pp = pipe[b];
      if (pp[0].first) {
        const auto [rec, n] = pp[0].second;
        rv[b] = true;
        rb[b] = frames[n].bank != 0;
        set_field(rrec, b * p.idw(), p.idw(), rec);
        set_field(rfr, b * p.tag_w(), p.tag_w(), n % mod());
        --frames[n].unreported;
      }
      pp[0] = pp[1];
      pp[1] = {};
      if (room[b] && !bq[b].empty() && !g.p(bank_stall)) {
        pp[1] = {true, bq[b].front()};
        bq[b].pop_front();
      }
    }
    dejfa::test::put_bits(m->r_valid, rv);
    dejfa::test::put_bits(m->r_bank, rb);
    dejfa::test::put_words(m->r_rec, rrec);
    dejfa::test::put_words(m->r_frame, rfr);
    // frames done: decided in a cycle with d_ready once all records are reported (this cycle's
    // included), given the cycle after
    m->d_valid = 0;
    if (done_now) {
      const Frame& f = frames[next_done];
      m->d_valid = 1;
      put(m->d_frame, next_done % mod());
      m->d_shed = f.shed ? 1 : 0;
      m->d_full = f.full ? 1 : 0;
      ++next_done;
    }
    const auto reported = [&](std::uint64_t n) {
      return frames[n].ended && frames[n].unreported == 0;
    };
    bool held = false;
    for (std::uint64_t n = next_done; n < done_after; ++n) held = held || !reported(n);
    done_now = m->d_ready != 0 && next_done < frames.size() && reported(next_done) && !held &&
               !g.p(done_stall);
    m.edge();
    ++now;
  }

  /// Cycles until every frame sent has left.
  void drain(std::uint64_t limit = 200000) {
    for (std::uint64_t i = 0; i < limit && out < frames.size(); ++i) {
      cycle();
      if (::testing::Test::HasFatalFailure()) return;
    }
    ASSERT_EQ(out, frames.size()) << "frames never left";
  }
  void load_both() {
    queue_load(0, tables[0]);
    queue_load(1, tables[1]);
    while (!writes.empty()) cycle();
  }

  dejfa::testgen::Gen gen{DEJFA_CFG_INDEX * 100 + 7};
};

/// The allocation of one frame whose ranges are all in the merged queue when the allocator
/// reaches it, with its end on its last range: E lanes every cycle but the last, and a frame
/// without rules a cycle.
std::size_t model_cycles(const Params& p, const Tables& t, const Frame& f) {
  std::size_t rules = 0;
  for (const auto rec : f.recs) rules += t.rec[rec].count;
  for (const auto e : f.shorts) rules += t.shorts[e].count;
  return std::max<std::size_t>(1, (rules + p.e - 1) / p.e);
}

void run_random(Bench& b, std::size_t n, unsigned max_longs, unsigned max_shorts, double shed,
                bool banks_mixed = true) {
  dejfa::testgen::Gen& g = b.gen;
  for (std::size_t i = 0; i < n; ++i) {
    b.add_frame(g, banks_mixed ? g.u(2) : 0, g.u(max_longs + 1), g.u(max_shorts + 1), 1 + g.u(6),
                shed);
    while (b.beats.size() > 8) {
      b.cycle();
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

TEST(AnchorExpand, EachFramesRangesOnceInOrder) {
  Bench b;
  b.tables[0] = draw_tables(b.gen, b.p.anchors_n);
  b.tables[1] = draw_tables(b.gen, b.p.anchors_n);
  b.load_both();
#ifdef DEJFA_EXPAND_SMALL
  b.exact_flags = false;  // a short queue of 8 frames overflows behind any busy frame
#endif
  // about E / 2 + E / 4 anchors a frame of 1-6 beats (about 4 E rules in 4.4 cycles)
  run_random(b, 3000, b.p.e, b.p.e / 2, 0.05);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  // busier: 200 frames of up to 2 records a tag bank and 12 short entries (more than the
  // allocator takes in their cycles, fewer frames than the short queue holds)
  run_random(b, 200, 2 * b.p.banks, 12, 0.05);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  b.drain();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  // bank 1 rewritten beside bank 0's frames, then its frames with the new tables
  b.tables[1] = draw_tables(b.gen, b.p.anchors_n);
  b.queue_load(1, b.tables[1]);
  while (!b.writes.empty()) {
    run_random(b, 1, b.p.e, b.p.e / 2, 0.0, false);
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
  }
  run_random(b, 1000, b.p.e, b.p.e / 2, 0.05);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  b.drain();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::printf(
      "%zu frames, %zu rules in %zu lane-cycles of %zu cycles, %zu inversions, %zu frames shed "
      "here\n",
      b.frames.size(), b.rules_out, b.out_cycles, static_cast<std::size_t>(b.now), b.inverted,
      b.shed_here);
  EXPECT_GT(b.inverted, 100U) << "records of a frame before the previous frame's last";
  EXPECT_GT(b.rules_out, 15000U);
#ifdef DEJFA_EXPAND_SMALL
  EXPECT_GT(b.shed_here, 0U) << "the short queue of 8 frames overflowed";
#endif
}

TEST(AnchorExpand, AFramesRulesTakeTheAllocationsCycles) {
  // Frames behind a blocker (one range of 200 E rules, so everything after it is in the merged
  // queue when the allocator reaches it; the blocker is done only once the four frames behind
  // it are, so the gather takes each whole): each takes exactly the model's cycles, from its
  // first lanes to its end, and a frame without rules one cycle.
  Bench b;
  b.tables[0] = draw_tables(b.gen, b.p.anchors_n);
  b.tables[0].rec[0].count = 200 * b.p.e;
  b.tables[1] = b.tables[0];
  b.load_both();
  b.short_gap = 0.0;
  b.bank_stall = 0.0;
  b.invert = 0.0;
  b.done_stall = 0.0;
  dejfa::testgen::Gen& g = b.gen;
  std::size_t checked = 0, multi = 0;
  for (int round = 0; round < 60; ++round) {
    Frame blocker;
    blocker.recs = {0};
    b.add(blocker);
    const std::size_t first = b.frames.size();
    // (short entries: at most 2 E over the four frames, all queued by the converter)
    for (int i = 0; i < 4; ++i) {
      Frame f;
      // at most RD - 4 = 12 records of a bank (its parity FIFO takes them all)
      std::set<std::uint32_t> r;
      const unsigned longs = i == 3 ? 0 : g.u(2 * b.p.banks);
      for (unsigned k = 0; k < longs; ++k) {
        const std::uint32_t rec = 1 + g.u(b.p.anchors_n - 1);
        std::size_t same = 0;
        for (const auto x : r) same += x % b.p.banks == rec % b.p.banks ? 1U : 0U;
        if (same < 12) r.insert(rec);
      }
      f.recs.assign(r.begin(), r.end());
      std::set<unsigned> s;
      const unsigned shorts = i == 3 ? 0 : g.u(b.p.e / 2 + 1);
      for (unsigned k = 0; k < shorts; ++k) s.insert(g.u(kShortN));
      f.shorts.assign(s.begin(), s.end());
      f.beats = 1;
      b.add(std::move(f));
    }
    b.done_after = b.frames.size();
    b.drain();
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    for (std::size_t n = first; n < b.frames.size(); ++n) {
      const auto [from, to] = b.span.at(n);
      const std::size_t want = model_cycles(b.p, b.tables[0], b.frames[n]);
      ASSERT_EQ(to - from + 1, want) << "frame " << n;
      if (n + 1 < b.frames.size()) {
        ASSERT_EQ(b.span.at(n + 1).first, to + 1) << "a cycle lost between frames " << n;
      }
      ++checked;
      multi += want > 1 ? 1U : 0U;
    }
  }
  std::printf("%zu frames timed, %zu of them over more than one cycle\n", checked, multi);
  EXPECT_GT(multi, 60U);
}

TEST(AnchorExpand, AFullShortQueueShedsFramesAndRecovers) {
  // A blocker of 4,000 E rules holds the allocator while frames keep coming: the short
  // block's frames overflow the short queue and are shed here (flagged), the others exact; then
  // the queue drains and no frame is shed.
  Bench b;
  b.tables[0] = draw_tables(b.gen, b.p.anchors_n);
  b.tables[0].rec[0].count = std::min<std::uint32_t>(4000 * b.p.e, 65535);
  b.tables[1] = b.tables[0];
  b.load_both();
  b.exact_flags = false;
  Frame blocker;
  blocker.recs = {0};
  b.add(blocker);
  run_random(b, 1500, b.p.e, b.p.e / 2, 0.0);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  b.drain();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const std::size_t during = b.shed_here;
  b.short_gap = 0.8;  // (a load even the small build's short queue of 8 frames holds)
  run_random(b, 1000, b.p.e, b.p.e / 2, 0.0);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  b.drain();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::printf("%zu frames shed here while the blocker held the allocator, %zu after\n", during,
              b.shed_here - during);
  EXPECT_GT(during, 100U);
  EXPECT_EQ(b.shed_here, during);
}

}  // namespace
