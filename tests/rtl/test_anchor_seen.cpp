// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_anchor_seen (issue #25, docs/ARCHITECTURE.md section 7, "Seen tags and
// expansion") against its model: each frame's records found by the confirm, reported once each,
// every one of them unless the frame is shed. The groups follow the confirm's output protocol
// (dejfa_anchor_confirm: the head beat's results and, in a group that ends it, the next beat's;
// held groups whose first cycle brings results before the ends; frames shed by the confirm;
// gaps), with records drawn from a few hot ones, random ones and, in floods, ones of a single
// bank. Which frames the block sheds (a bank's FIFO full, or more records for one bank in a cycle
// than it takes) comes from a cycle model of the FIFOs' counts: the same frames, exactly.
// Built twice: with the configuration's parameters, and small (DEJFA_SEEN_SMALL: 128 records,
// a scrubber visit every 4 cycles, shallow FIFOs), where frame numbers wrap every few hundred
// frames and the scrubber meets lookups of the same entries all the time.
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_anchor_seen.h"

#include "dejfa/gen/regs.hpp"

#include "../common/randgen.hpp"
#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

using dejfa::test::clog2;
using dejfa::test::get_field;
using dejfa::test::put;

/// The block's parameters as built (tests/rtl/CMakeLists.txt).
struct Params {
  unsigned slots, anchors_n, banks, push, depth, scrub, dq;
  unsigned idw() const { return clog2(anchors_n); }
  unsigned tag_w() const { return clog2(anchors_n / banks * scrub) + 3; }
};
Params params() {
  const auto& c = dejfa::hw::kConfigs[DEJFA_CFG_INDEX];
  const unsigned pipes = c.data_w >= 128 ? c.data_w / 32 : 4;
  const unsigned banks = c.data_w >= 128 ? 16 : 2;
#ifdef DEJFA_SEEN_SMALL
  return Params{pipes + 2, 128, banks, 4, 16, 4, 64};
#else
  return Params{pipes + 2, c.anchors_n, banks, 8, 64, 32, 256};
#endif
}

/// One cycle of the confirm's output.
struct Group {
  bool valid = false;
  std::vector<std::pair<std::uint32_t, bool>> found;  // record, of the beat after the head
  bool end = false, last = false, shed = false, b = false, b_last = false, b_shed = false;
  /// The lookups it makes (record, frame): set by the bench when the group is given.
  std::vector<std::pair<std::uint32_t, std::uint64_t>> lookups;
};

struct Bench {
  dejfa::test::Model<Vdejfa_anchor_seen> m;
  Params p = params();
  // Input side: the head's frame (absolute), per frame its records and whether the confirm shed it.
  std::uint64_t head = 0;
  std::map<std::uint64_t, std::set<std::uint32_t>> want;
  std::map<std::uint64_t, bool> confirm_shed, full;
  // The cycle model: the group registered last cycle, the FIFOs' counts, the scrubber's phase.
  // The groups given in the last three cycles (the oldest is pushed into the banks this cycle:
  // stage D drops duplicates, H counts, I sorts), each with its head's frame.
  std::deque<std::pair<Group, std::uint64_t>> pending{{Group{}, 0}, {Group{}, 0}, {Group{}, 0}};
  std::vector<unsigned> cnt;
  std::uint64_t run_cycles = 0;
  // The consumer's room per bank: set by the case for the next cycle; the last two cycles' (a
  // result in cycle t needs room in t - 2).
  std::vector<bool> room;
  std::deque<std::vector<bool>> room_past;
  // The consumer takes a frame done in this cycle (d_ready), set by the case.
  bool ready = true;
  // When frames are done: per bank lookups queued and finished, the lookups started last cycle
  // (they finish this one), and the records of frame ends (each bank's queued count after the
  // ending cycle's pushes, one or two frames, frames joined when DQ records wait).
  struct Record {
    std::vector<std::uint64_t> pos;
    unsigned frames = 1;
  };
  std::vector<std::uint64_t> tp, cp;
  std::vector<unsigned> started;
  std::deque<Record> records;
  unsigned record_done = 0;  // frames of the head record done
  bool done_due = false;     // a frame is done (d_valid) in the next cycle
  std::size_t joined = 0;
  // Output side: frames done so far; per pending frame, what was reported.
  std::uint64_t done = 0;
  std::map<std::uint64_t, std::set<std::uint32_t>> got;
  std::size_t reported = 0, frames_full = 0, frames_shed = 0, held = 0;
  std::map<std::uint32_t, std::size_t> reports;  // per record, how often reported

  Bench()
      : cnt(p.banks, 0), room(p.banks, true), tp(p.banks, 0), cp(p.banks, 0), started(p.banks, 0) {
    room_past.assign(2, room);
    m->s_valid = 0;
    m.reset(3);
  }

  /// The image bank a frame is judged with: drawn per frame (a fixed mix of its number), so
  /// consecutive frames often differ.
  static unsigned bank_of(std::uint64_t f) {
    return static_cast<unsigned>((f * 0x9E3779B97F4A7C15ULL) >> 63);
  }

  /// The absolute frame of a reported number: the first pending frame with its residue.
  std::uint64_t frame_of(std::uint32_t n) const {
    const std::uint64_t mod = std::uint64_t{1} << p.tag_w();
    return done + ((n + mod - done % mod) % mod);
  }

  /// The cycle model of the FIFOs' counts, for the cycle about to be clocked: the group given
  /// three cycles ago is pushed, its lookups as stage D leaves them (a bank takes its records when
  /// they are at most PUSH and fit the count before this cycle's pop; else their frames are shed),
  /// and each bank pops one unless the scrubber has the cycle (one in SCRUB from the end of the
  /// clear).
  void model_cycle() {
    const bool run = m->m_clear == 0;
    const bool scrub = run && run_cycles % p.scrub == 0;
    bool done_now = !records.empty();
    for (unsigned b = 0; done_now && b < p.banks; ++b) done_now = cp[b] >= records.front().pos[b];
    done_now = done_now && ready;
    const bool records_full = records.size() == p.dq;
    std::vector<unsigned> n(p.banks, 0);
    std::vector<std::vector<std::uint64_t>> frames(p.banks);
    const auto& [pg, ph] = pending.front();
    if (pg.valid) {
      for (const auto& [rec, f] : pg.lookups) {
        const unsigned b = rec % p.banks;
        ++n[b];
        frames[b].push_back(f);
      }
    }
    for (unsigned b = 0; b < p.banks; ++b) {
      const unsigned pop = run && !scrub && cnt[b] > 0 && room[b] ? 1 : 0;
      if (n[b] != 0 && run && n[b] <= p.push && cnt[b] + n[b] <= p.depth) {
        cnt[b] += n[b];
        tp[b] += n[b];
      } else {
        for (const auto f : frames[b]) full[f] = true;
      }
      cnt[b] -= pop;
      cp[b] += started[b];
      started[b] = pop;
    }
    const unsigned ending =
        pg.valid && pg.end ? (pg.last ? 1U : 0U) + (pg.b && pg.b_last ? 1U : 0U) : 0U;
    if (ending != 0) {
      if (records_full) {
        records.back().pos = tp;
        records.back().frames += ending;
        for (unsigned i = 0; i < ending; ++i) full[ph + i] = true;
        joined += ending;
      } else {
        records.push_back(Record{tp, ending});
      }
    }
    if (done_now && ++record_done == records.front().frames) {
      records.pop_front();
      record_done = 0;
    }
    done_due = done_now;
    if (run) ++run_cycles;
  }

  void check_outputs() {
    for (unsigned b = 0; b < p.banks; ++b) {
      if (get_field(m->m_valid, b, 1) == 0) continue;
      const std::uint32_t rec = get_field(m->m_rec, b * p.idw(), p.idw());
      const std::uint64_t f = frame_of(get_field(m->m_frame, b * p.tag_w(), p.tag_w()));
      ASSERT_EQ(rec % p.banks, b) << "a record reported by another bank";
      ASSERT_TRUE(room_past.front()[b]) << "a result without room, bank " << b;
      ASSERT_LT(f, head + 2) << "a record of a frame not sent";
      ASSERT_EQ(want[f].count(rec), 1U) << "record " << rec << " not found in frame " << f;
      ASSERT_EQ(get_field(m->m_bank, b, 1), bank_of(f)) << "record " << rec << "'s image bank";
      ASSERT_TRUE(got[f].insert(rec).second) << "record " << rec << " twice in frame " << f;
      ++reported;
      ++reports[rec];
    }
    ASSERT_EQ(m->d_valid != 0, done_due) << "a frame done in another cycle than the model's";
    if (m->d_valid == 0) return;
    const std::uint64_t mod = std::uint64_t{1} << p.tag_w();
    ASSERT_EQ(m->d_frame, done % mod) << "frames done out of order";
    ASSERT_LT(done, head) << "a frame done before its end";
    const bool is_full = full[done];
    ASSERT_EQ(m->d_full != 0, is_full) << "frame " << done;
    ASSERT_EQ(m->d_shed != 0, is_full || confirm_shed[done]) << "frame " << done;
    if (!is_full) {
      ASSERT_EQ(got[done], want[done]) << "frame " << done;
    }
    frames_full += is_full ? 1U : 0U;
    frames_shed += m->d_shed != 0 ? 1U : 0U;
    want.erase(done);
    got.erase(done);
    full.erase(done);
    confirm_shed.erase(done);
    ++done;
  }

  /// The group with the lookups stage D leaves of it: a record found in a slot below for the
  /// same frame, or its bank's last record of the head's frame (kept across groups until the
  /// head's frame ends), is not looked up again.
  std::vector<std::optional<std::uint32_t>> last_of_bank;
  Group with_lookups(Group g) {
    if (!g.valid) return g;
    last_of_bank.resize(p.banks);
    for (std::size_t k = 0; k < g.found.size(); ++k) {
      const auto [rec, sel] = g.found[k];
      const bool cur = !sel || !g.last;
      const unsigned b = rec % p.banks;
      bool dup = cur && last_of_bank[b] == rec;
      for (std::size_t j = 0; j < k; ++j) {
        dup = dup || (g.found[j].first == rec && (g.found[j].second == sel || !g.last));
      }
      if (!dup) g.lookups.emplace_back(rec, sel && g.last ? head + 1 : head);
    }
    for (const auto& [rec, sel] : g.found) {
      if (!sel || !g.last) last_of_bank[rec % p.banks] = rec;
    }
    if (g.end && (g.last || (g.b && g.b_last))) last_of_bank.assign(p.banks, std::nullopt);
    return g;
  }

  /// One cycle: the group (or none) given to the block.
  void cycle(const Group& g) {
    check_outputs();
    if (::testing::Test::HasFatalFailure()) return;
    dejfa::test::put_bits(m->m_room, room);
    m->d_ready = ready ? 1 : 0;
    model_cycle();
    room_past.pop_front();
    room_past.push_back(room);
    // This cycle's group: drive it, record what it means.
    m->s_valid = g.valid ? 1 : 0;
    if (g.valid) {
      std::vector<bool> found(p.slots, false), sel(p.slots, false);
      std::vector<std::uint32_t> w((p.slots * p.idw() + 31) / 32, 0);
      for (std::size_t k = 0; k < g.found.size(); ++k) {
        found[k] = true;
        sel[k] = g.found[k].second;
        for (unsigned i = 0; i < p.idw(); ++i) {
          const unsigned bit = static_cast<unsigned>(k) * p.idw() + i;
          if (((g.found[k].first >> i) & 1U) != 0) w[bit / 32] |= 1U << (bit % 32);
        }
        const std::uint64_t f = g.found[k].second && g.last ? head + 1 : head;
        want[f].insert(g.found[k].first);
      }
      dejfa::test::put_bits(m->s_found, found);
      dejfa::test::put_bits(m->s_sel, sel);
      dejfa::test::put_words(m->s_id, w);
      m->s_end = g.end ? 1 : 0;
      m->s_last = g.last ? 1 : 0;
      m->s_shed = g.shed ? 1 : 0;
      m->s_b = g.b ? 1 : 0;
      m->s_b_last = g.b_last ? 1 : 0;
      m->s_b_shed = g.b_shed ? 1 : 0;
      put(m->s_bank, bank_of(head));
      put(m->s_b_bank, bank_of(g.last ? head + 1 : head));
    }
    pending.pop_front();
    pending.emplace_back(with_lookups(g), head);
    if (g.valid && g.end && g.last) {
      confirm_shed[head] = g.shed;
      want[head];  // a frame with nothing found has an (empty) set too
      ++head;
    }
    if (g.valid && g.end && g.b && g.b_last) {
      confirm_shed[head] = g.b_shed;
      want[head];
      ++head;
    }
    m.edge();
  }

  /// Idle cycles until every frame sent is done.
  void drain() {
    for (int i = 0; i < 100000 && done < head; ++i) {
      cycle(Group{});
      if (::testing::Test::HasFatalFailure()) return;
    }
    ASSERT_EQ(done, head) << "frames never done";
  }
};

/// Draws groups in the confirm's protocol.
struct Traffic {
  dejfa::testgen::Gen g;
  Params p;
  double idle = 0.3;      // a cycle without a group
  double per_slot = 0.3;  // a slot finds a record
  std::vector<std::uint32_t> hot;
  int flood_bank = -1;  // >= 0: every record of that bank
  bool repeat = false;  // every record the first hot one, of the head's beat (a pattern repeated
                        // in every beat of long frames)
  bool held_next = false;

  Traffic(std::uint64_t seed, const Params& pp) : g(seed), p(pp) {
    for (int i = 0; i < 6; ++i) hot.push_back(g.u(p.anchors_n));
  }
  std::uint32_t record() {
    if (repeat) return hot[0];
    if (flood_bank >= 0) {
      return g.u(p.anchors_n / p.banks) * p.banks + static_cast<std::uint32_t>(flood_bank);
    }
    return g.p(0.5) ? g.pick(hot) : g.u(p.anchors_n);
  }
  /// The next group; `held` the pair of a held group (its first cycle then its ends).
  std::vector<Group> next() {
    if (g.p(idle)) return {Group{}};
    Group gr;
    gr.valid = true;
    gr.end = g.p(0.7);
    gr.last = g.p(0.4);
    if (gr.end) {
      gr.shed = gr.last && g.p(0.05);
      gr.b = g.p(0.3);
      gr.b_last = gr.b && g.p(0.5);
      gr.b_shed = gr.b_last && g.p(0.05);
    }
    const bool may_b = gr.end;  // the beat after the head takes pipes only when the head ends
    for (unsigned k = 0; k < p.slots; ++k) {
      if (!g.p(per_slot)) continue;
      const bool sel = may_b && !repeat && g.p(0.3);
      gr.found.emplace_back(record(), sel);
    }
    if (gr.end && g.p(0.1)) {
      // A held group: its first cycle brings some results (and m_last), the second the rest
      // with the ends.
      Group first = gr;
      first.end = first.shed = first.b = first.b_last = first.b_shed = false;
      first.found.clear();
      Group second = gr;
      second.found.clear();
      for (const auto& f : gr.found) (g.p(0.5) ? first : second).found.push_back(f);
      return {first, second};
    }
    if (!gr.end) gr.last = false;
    return {gr};
  }
};

/// Runs `groups` draws (held groups take two cycles).
void run(Bench& b, Traffic& t, std::size_t groups) {
  for (std::size_t i = 0; i < groups; ++i) {
    const auto gs = t.next();
    if (gs.size() == 2) ++b.held;
    for (const auto& g : gs) {
      b.cycle(g);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

void wait_clear(Bench& b) {
  for (int i = 0; i < 100000 && b.m->m_clear != 0; ++i) b.cycle(Group{});
}

TEST(AnchorSeen, EachFramesRecordsOnceAndNoneLost) {
  Bench b;
  wait_clear(b);
  Traffic t(DEJFA_CFG_INDEX * 100 + 31, b.p);
  run(b, t, 10000);
  // then with the consumer's room missing in a tenth of each bank's cycles, and its taking of
  // frames done in a fifth of the cycles
  dejfa::testgen::Gen g(DEJFA_CFG_INDEX * 100 + 37);
  for (int i = 0; i < 10000; ++i) {
    for (unsigned k = 0; k < b.p.banks; ++k) b.room[k] = g.p(0.9);
    b.ready = g.p(0.8);
    run(b, t, 1);
  }
  std::fill(b.room.begin(), b.room.end(), true);
  b.ready = true;
  b.drain();
  std::printf("%llu frames, %zu records reported, %zu held groups, %zu shed (%zu here)\n",
              static_cast<unsigned long long>(b.head), b.reported, b.held, b.frames_shed,
              b.frames_full);
  EXPECT_GT(b.head, 5000U);
  EXPECT_GT(b.reported, 10000U);
  EXPECT_GT(b.held, 100U);
  EXPECT_GT(b.frames_shed, 0U) << "the confirm's shed frames";
}

TEST(AnchorSeen, ABanksFloodShedsOnlyItsFramesAndRecovers) {
  Bench b;
  wait_clear(b);
  Traffic t(DEJFA_CFG_INDEX * 100 + 32, b.p);
  t.idle = 0.05;
  t.per_slot = 0.6;
  t.flood_bank = 1;
  run(b, t, 3000);
  const std::size_t during = b.frames_full;
  t.flood_bank = -1;
  t.idle = 0.5;
  t.per_slot = 0.2;
  run(b, t, 500);  // the flood drains
  b.drain();
  const std::size_t after_drain = b.frames_full;
  run(b, t, 5000);
  b.drain();
  std::printf("%llu frames, %zu shed by the flood, %zu after it\n",
              static_cast<unsigned long long>(b.head), after_drain, b.frames_full - after_drain);
  EXPECT_GT(during, 10U) << "the flood overflows a bank";
  EXPECT_EQ(b.frames_full, after_drain) << "frames shed after the flood had drained";
}

// Not in the small build: its frame numbers (TAG_W 8 / 11 bits at 100g / 10g) leave room for 64
// / 512 frames pending (2^(TAG_W-2)), fewer than a long hold leaves.
#ifndef DEJFA_SEEN_SMALL
// A repeated pattern: one record in every slot of every group, back to back, all of the head's
// beat (the confirm marks a hash again after DEDUPE_WIN lanes, so a beat of padding finds one
// anchor in many slots). A record is looked up once a group for its frame, so its bank takes one
// lookup a cycle and nothing is shed (without stage D every group overflowed PUSH at 100g); every
// frame still reports it once.
TEST(AnchorSeen, ARepeatedRecordIsLookedUpOnceAGroup) {
  Bench b;
  wait_clear(b);
  Traffic t(DEJFA_CFG_INDEX * 100 + 35, b.p);
  t.idle = 0;
  t.per_slot = 1.0;
  t.repeat = true;
  run(b, t, 4000);
  b.drain();
  std::printf("%llu frames, %zu records reported, %zu shed\n",
              static_cast<unsigned long long>(b.head), b.reported, b.frames_full);
  EXPECT_EQ(b.frames_full, 0U) << "a repeated record overflowed its bank";
  EXPECT_GT(b.reported, b.head / 2) << "the record must be new in the frames";
}

TEST(AnchorSeen, AConsumerWithoutRoomHoldsItsBankOnly) {
  // Random gaps in every bank's room, and bank 0 without room for 2,000 cycles, then twice with
  // room one cycle in 16 for 2,000 cycles: its FIFO fills and sheds its frames, and the frames
  // ending meanwhile fill the FIFO of end records and join its last record (shed): exactly the
  // model's frames, each done in the model's cycle; the other banks go on, and no result comes
  // without room.
  Bench b;
  wait_clear(b);
  Traffic t(DEJFA_CFG_INDEX * 100 + 35, b.p);
  dejfa::testgen::Gen g(DEJFA_CFG_INDEX * 100 + 36);
  std::size_t joined_by_room = 0;
  for (int phase = 0; phase < 9; ++phase) {
    if (phase == 6) joined_by_room = b.joined;
    const bool hold0 = phase % 2 == 1 && phase < 6;
    for (int i = 0; i < 2000; ++i) {
      // phase 1: bank 0 held throughout; phases 3 and 5: room one cycle in 16 (a slow consumer);
      // phase 7: no frame done taken, then phase 8 one cycle in 16
      const bool room0 = !hold0 || (phase > 1 && i % 16 == 0);
      for (unsigned k = 0; k < b.p.banks; ++k) b.room[k] = g.p(0.8) && (k != 0 || room0);
      b.ready = phase < 7 || (phase == 8 && i % 16 == 0);
      for (const auto& gr : t.next()) b.cycle(gr);
      ASSERT_FALSE(::testing::Test::HasFatalFailure());
    }
  }
  std::fill(b.room.begin(), b.room.end(), true);
  b.ready = true;
  b.drain();
  std::printf("%llu frames, %zu records reported, %zu shed here (%zu joined a full record FIFO)\n",
              static_cast<unsigned long long>(b.head), b.reported, b.frames_full, b.joined);
  EXPECT_GT(b.frames_full, b.joined) << "bank 0's FIFO filled";
  EXPECT_GT(joined_by_room, 0U) << "the end records' FIFO filled behind a held bank";
  EXPECT_GT(b.joined, joined_by_room) << "the end records' FIFO filled behind held frames done";
}

#endif

TEST(AnchorSeen, FramesDuringTheClearAreShed) {
  Bench b;
  ASSERT_NE(b.m->m_clear, 0);
  Traffic t(DEJFA_CFG_INDEX * 100 + 33, b.p);
  t.per_slot = 0.5;
  std::size_t cycles = 0;
  while (b.m->m_clear != 0) {
    for (const auto& g : t.next()) b.cycle(g), ++cycles;
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
  }
  const std::size_t clear = b.frames_full;
  run(b, t, 2000);
  b.drain();
  EXPECT_GE(cycles, b.p.anchors_n / b.p.banks) << "the clear takes a cycle an entry";
  EXPECT_GT(clear, 0U);
}

TEST(AnchorSeen, ARecordComesBackAfterTheNumbersWrap) {
  // Record r found in frame 0, then in no frame until frame 2^TAG_W (the same number), again in
  // the frame after and at 2^(TAG_W+1): each time new. Frames of one beat, up to two a cycle.
  Bench b;
  wait_clear(b);
  const std::uint64_t mod = std::uint64_t{1} << b.p.tag_w();
  const std::uint32_t r = 5;
  dejfa::testgen::Gen g(DEJFA_CFG_INDEX * 100 + 34);
  const auto has = [&](std::uint64_t f) {
    return f == 0 || f == mod || f == mod + 1 || f == 2 * mod;
  };
  for (std::uint64_t f = 0; f < 2 * mod + 3;) {
    Group gr;
    gr.valid = true;
    gr.end = gr.last = true;
    gr.b = gr.b_last = g.p(0.5);
    if (has(f)) gr.found.emplace_back(r, false);
    if (gr.b && has(f + 1)) gr.found.emplace_back(r, true);
    if (g.p(0.3)) gr.found.emplace_back(g.u(b.p.anchors_n / 2) * 2, g.p(0.5) && gr.b);  // not r
    b.cycle(gr);
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    f += gr.b ? 2 : 1;
    if (g.p(0.6)) b.cycle(Group{});  // (frames end at most once a cycle on average)
  }
  b.drain();
  EXPECT_EQ(b.frames_full, 0U);
  EXPECT_EQ(b.reports[r], 4U) << "record r new in each of its four frames";
}

TEST(AnchorSeen, ARecordAcrossTwoHeldGroupsIsNewOncePerFrame) {
  // Two held groups back to back: the first cycle of each brings the next frame's record before
  // the head's second records, so record x is looked up in frames g, g - 1, g + 1, g in that
  // order in its bank: new in each of the three frames, once (the "two highest frames" tags).
  Bench b;
  wait_clear(b);
  const std::uint32_t x = 9;
  for (int round = 0; round < 50; ++round) {
    Group first;  // the head is its frame's last beat; the beat after it (the next frame's) finds x
    first.valid = true;
    first.last = true;
    first.found = {{x, true}};
    Group second = first;  // the head's second records: x again, the ends
    second.end = true;
    second.found = {{x, false}};
    for (int held = 0; held < 2; ++held) {
      b.cycle(first);
      b.cycle(second);
      ASSERT_FALSE(::testing::Test::HasFatalFailure());
    }
    Group end;  // the frame after: its beat ends, x not found again
    end.valid = end.end = end.last = true;
    b.cycle(end);
    for (int i = 0; i < round % 5; ++i) b.cycle(Group{});
  }
  b.drain();
  EXPECT_EQ(b.reports[x], 150U) << "x new once in each of its frames";
}

TEST(AnchorSeen, AStaleTagIsIgnoredBeforeTheScrubberClearsIt) {
  // Record x found in one frame, then in none for 2^(TAG_W-1) + a few frames, ended between two
  // of the scrubber's visits of x's entry: its tag is stale but still there. Then x comes in the
  // pattern of two held groups (frames g, g - 1, g + 1, g): new once in each, the stale tag
  // neither seen nor kept as the higher frame.
  Bench b;
  wait_clear(b);
  const std::uint32_t x = 3 * b.p.banks + 1;
  const std::uint64_t half = std::uint64_t{1} << (b.p.tag_w() - 1);
  const unsigned bank_n = b.p.anchors_n / b.p.banks;
  const auto visit = [&] {  // the scrubber reads x's entry in the cycle about to be clocked
    return b.run_cycles % b.p.scrub == 0 && (b.run_cycles / b.p.scrub) % bank_n == x / b.p.banks;
  };
  for (int round = 0; round < 6; ++round) {
    Group once;
    once.valid = once.end = once.last = true;
    once.found = {{x, false}};
    b.cycle(once);
    const std::uint64_t f0 = b.head - 1;
    Group two;  // two frames end, nothing found
    two.valid = two.end = two.last = two.b = two.b_last = true;
    Group one;  // one frame ends
    one.valid = one.end = one.last = true;
    // One frame a cycle until the tag is just younger than half the numbers, then no frame until
    // the scrubber visits its entry (finding it young), then two frames a cycle until it is
    // older than half: 12 cycles, before the next visit (one in SCRUB x BANK_N cycles, 32 or
    // more).
    while (b.head - f0 + 20 < half) {
      b.cycle(one);
      ASSERT_FALSE(::testing::Test::HasFatalFailure());
    }
    while (!visit()) b.cycle(Group{});
    while (b.head - f0 < half + 4) b.cycle(two);
    Group first;
    first.valid = first.last = true;
    first.found = {{x, true}};
    Group second = first;
    second.end = true;
    second.found = {{x, false}};
    for (int held = 0; held < 2; ++held) {
      b.cycle(first);
      b.cycle(second);
    }
    b.cycle(one);
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
  }
  b.drain();
  EXPECT_EQ(b.reports[x], 6U * 4U) << "x new once in each of its frames";
}

}  // namespace
