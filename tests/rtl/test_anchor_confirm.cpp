// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_anchor_confirm (issue #25, docs/HARDWARE.md "Anchor confirm") against the
// host model: per beat, the anchors of 4-8 bytes of afilt::confirm_frame (a search over the
// filter's marked hashes), the tables written through the block's port from
// afilt::confirm_tables. Both banks hold different sets (random anchors of 4-8 bytes, nocase among
// them, and pairs of 4-byte anchors on one hash, so 2-anchor buckets hold the pipes); the beats
// are the filter model's (afilt::beats_of), each frame's bounds come 0-20 cycles after its first
// beat. Three phases: light frames with random gaps (nothing may be shed), a flood of frames made
// of 4-byte anchors back to back at one beat a cycle with late bounds (more marked lanes a beat
// than pipes; frames are shed, and every frame not shed must still be exact), light frames again;
// then bank 1 rewritten with another set, a word a cycle beside bank 0's frames, and judged.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_anchor_confirm.h"

#include "dejfa/gen/regs.hpp"

#include "../../bench/anchor_sets.hpp"
#include "../common/randgen.hpp"
#include "anchor_frames.hpp"
#include "dejfa/anchor.hpp"
#include "dejfa/anchor_filter.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/pcapio.hpp"
#include "dejfa/rules.hpp"
#include "shared_data.hpp"
#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

namespace afilt = dejfa::afilt;
using dejfa::test::get_field;
using dejfa::test::put;
using dejfa::test::put_words;

const dejfa::hw::Config& cfg() { return dejfa::hw::kConfigs[DEJFA_CFG_INDEX]; }
unsigned lanes() { return cfg().data_w / 8; }
unsigned pipes() { return lanes() >= 16 ? lanes() / 4 : 4; }
unsigned id_w() {
  unsigned n = 0;
  while ((1U << n) < cfg().anchors_n) ++n;
  return n;
}

struct Expect {
  std::vector<std::set<std::uint32_t>> beats;                // anchors of 4+ bytes found, per beat
  std::shared_ptr<const std::vector<std::uint32_t>> rec_id;  // per record of its bank: the anchor
  bool light = false;
  unsigned bank = 0;
};

struct Bench {
  dejfa::test::Model<Vdejfa_anchor_confirm> m;
  std::array<std::vector<dejfa::ImageAnchor>, 2> an;
  std::array<afilt::Tables, 2> t;
  std::deque<Expect> expect;  // frames sent, in order
  struct Bound {
    std::uint64_t at;
    std::uint32_t lo, hi;
  };
  std::deque<Bound> bounds;
  std::uint64_t cycle = 0;
  // Output side: the frame being reported.
  std::vector<std::set<std::uint32_t>> got;
  std::set<std::uint32_t> beat, beat_b;  // the head beat's finds; the next beat's
  std::size_t frames = 0, shed = 0, light_shed = 0, found = 0, groups = 0, extra_groups = 0;
  bool held_last = false;  // m_last came without m_end: the next group must end the frame
  std::size_t two_found = 0, packed = 0, a_banks = 0, b_banks = 0;
  std::array<std::set<std::uint32_t>, 2> in_two;  // anchors in 2-anchor buckets, per bank
  std::array<std::shared_ptr<const std::vector<std::uint32_t>>, 2> rec_id;  // as loaded

  struct Write {
    unsigned bank, sel;
    std::uint32_t addr;
    std::vector<std::uint32_t> words;
  };
  std::deque<Write> writes;  // one a cycle, beside the traffic

  void step() {
    m->tw_en = 0;
    if (!writes.empty()) {
      const Write& w = writes.front();
      m->tw_en = 1;
      put(m->tw_bank, w.bank);
      put(m->tw_sel, w.sel);
      put(m->tw_addr, w.addr);
      put_words(m->tw_data, w.words);
      writes.pop_front();
    }
    m->b_valid = 0;
    if (!bounds.empty() && bounds.front().at <= cycle) {
      m->b_valid = 1;
      put(m->b_lo, bounds.front().lo);
      put(m->b_hi, bounds.front().hi);
      bounds.pop_front();
    }
    check_output();
    m.edge();
    ++cycle;
  }
  void idle() {
    m->s_valid = 0;
    step();
  }
  void check_output() {
    if (m->m_valid == 0) return;
    ++groups;
    // The banks of A's and B's frames come with the group's results (the seen tags carry
    // them to the range tables; a frame shed whole has no beat queued, no results and no bank).
    ASSERT_FALSE(expect.empty()) << "a group with no frame sent";
    if ((m->m_found & ~m->m_sel) != 0) {
      ASSERT_EQ(m->m_bank, expect.front().bank) << "A's bank, frame " << frames;
      ++a_banks;
    }
    const std::size_t b_at = m->m_last != 0 ? 1 : 0;  // B is of the frame after A's
    if ((m->m_found & m->m_sel) != 0 && b_at < expect.size()) {
      ASSERT_EQ(m->m_b_bank, expect[b_at].bank) << "B's bank, frame " << frames + b_at;
      ++b_banks;
    }
    for (unsigned p = 0; p < pipes() + 2; ++p) {  // the pipes, then the two spare units
      if (get_field(m->m_found, p, 1) == 0) continue;
      (get_field(m->m_sel, p, 1) != 0 ? beat_b : beat)
          .insert(get_field(m->m_id, p * id_w(), id_w()));
    }
    if (held_last) {  // the second cycle of a held group that ends its frame
      ASSERT_TRUE(m->m_end != 0 && m->m_last != 0) << "a held group's m_last not kept";
      held_last = false;
    }
    if (m->m_end == 0) {
      ++extra_groups;
      // m_last without m_end: the first cycle of a held group ending A, its frame's last beat
      held_last = m->m_last != 0;
      // (a held group's first cycle may bring the second beat's results before its end)
      ASSERT_EQ(m->m_b, 0) << "a second beat in a group that does not end its head beat";
      return;
    }
    // A ends; B's results so far (B may go on in the next group, as its head) are the next beat's.
    end_beat(m->m_last != 0, m->m_shed != 0, beat);
    if (::testing::Test::HasFatalFailure()) return;
    beat.swap(beat_b);
    beat_b.clear();
    if (m->m_b != 0) {
      ++packed;
      end_beat(m->m_b_last != 0, m->m_b_shed != 0, beat);
    }
  }
  /// The beat's records found, as anchor ids (through the records of the tables its frame was
  /// judged with).
  void end_beat(bool last, bool shed_frame, std::set<std::uint32_t>& found_in_beat) {
    ASSERT_FALSE(expect.empty()) << "a beat reported of a frame that was not sent";
    std::set<std::uint32_t> ids;
    for (const auto r : found_in_beat) {
      ASSERT_LT(r, expect.front().rec_id->size()) << "a record that was not loaded";
      ids.insert((*expect.front().rec_id)[r]);
    }
    got.push_back(ids);
    found_in_beat.clear();
    if (!last) return;
    const Expect e = expect.front();
    expect.pop_front();
    const std::size_t fi = frames++;
    if (shed_frame) {
      ++shed;
      light_shed += e.light ? 1 : 0;
      ASSERT_LE(got.size(), e.beats.size()) << "frame " << fi;
    } else {
      ASSERT_EQ(got.size(), e.beats.size()) << "frame " << fi;
      for (std::size_t k = 0; k < got.size(); ++k) {
        ASSERT_EQ(got[k], e.beats[k]) << "frame " << fi << " beat " << k;
        found += got[k].size();
        for (const auto a : got[k]) two_found += in_two[e.bank].count(a);
      }
    }
    got.clear();
  }

  /// Queues the writes of a bank's tables (step() gives them, one a cycle).
  void queue_load(unsigned bank) {
    const auto c = afilt::confirm_tables(t[bank], an[bank], cfg().anchors_n);
    for (std::uint32_t i = 0; i < c.rank.size(); ++i) {
      writes.push_back(Write{bank, 0, i, afilt::rank_words(c.rank[i])});
    }
    for (std::uint32_t i = 0; i < c.rec.size(); ++i) {
      writes.push_back(Write{bank, 1, i, afilt::record_words(c.rec[i])});
    }
    auto ids = std::make_shared<std::vector<std::uint32_t>>();
    for (const auto& r : c.rec) ids->push_back(r.id);
    rec_id[bank] = ids;
    in_two[bank].clear();
    for (const auto& b : t[bank].bucket) {
      if (b.size() == 2) in_two[bank].insert(b.begin(), b.end());
    }
  }

  /// Sends a frame; its bounds come bound_delay cycles after its first beat, or a random
  /// 0 .. bound_delay cycles when `random_delay`.
  void send(dejfa::testgen::Gen& g, const dejfa::test::PlantedFrame& f, unsigned bank, double gap,
            std::uint32_t bound_delay, bool light, bool random_delay = true) {
    const unsigned w = lanes();
    Expect e;
    e.light = light;
    e.bank = bank;
    e.rec_id = rec_id[bank];
    const auto beats = afilt::beats_of(t[bank], f.bytes, w);
    e.beats.resize(beats.size());
    for (const auto& x : afilt::confirm_frame(t[bank], an[bank], f.bytes, w, f.lo, f.hi - f.lo)) {
      if (an[bank][x.anchor].bytes.size() >= 4) {
        e.beats[x.beat].insert(x.anchor);
      }
    }
    expect.push_back(e);
    for (std::size_t k = 0; k < beats.size(); ++k) {
      while (g.p(gap)) idle();
      if (k == 0) {
        bounds.push_back(
            Bound{cycle + (random_delay ? g.u(bound_delay + 1) : bound_delay), f.lo, f.hi});
      }
      std::vector<std::uint32_t> data(w / 4, 0), hash((w * 16 + 31) / 32, 0);
      for (unsigned e2 = 0; e2 < w; ++e2) {
        const std::size_t at = k * w + e2;
        if (at < f.bytes.size()) data[e2 / 4] |= std::uint32_t{f.bytes[at]} << (8 * (e2 % 4));
        hash[e2 / 2] |= std::uint32_t{beats[k].hash[e2]} << (16 * (e2 % 2));
      }
      m->s_valid = 1;
      put_words(m->s_data, data);
      put(m->s_last, k + 1 == beats.size() ? 1 : 0);
      put(m->s_bank, bank);
      put(m->s_first, beats[k].first);
      put_words(m->s_hash, hash);
      step();
      if (::testing::Test::HasFatalFailure()) return;
    }
    m->s_valid = 0;
  }
};

constexpr unsigned kLadder = 40;

std::vector<dejfa::ImageAnchor> anchor_set(dejfa::testgen::Gen& g, std::size_t n) {
  auto v = dejfa::test::random_anchors(
      g, n, {.min_len = 4, .len_span = 5, .letter_p = 0.7, .letters = 6});
  // Pairs on one hash: a 4-byte anchor with and without nocase (one key, one window).
  for (int i = 0; i < 20; ++i) {
    dejfa::ImageAnchor a;
    for (int k = 0; k < 4; ++k) a.bytes.push_back(static_cast<std::uint8_t>('a' + g.u(6)));
    v.push_back(a);
    a.nocase = true;
    v.push_back(a);
  }
  // A ladder: every 4-byte window of a random string of kLadder + 3 bytes is an anchor (the set's
  // last kLadder), so a run of the string marks every lane.
  std::vector<std::uint8_t> s;
  for (unsigned k = 0; k < kLadder + 3; ++k) s.push_back(static_cast<std::uint8_t>(g.u(256)));
  for (unsigned k = 0; k < kLadder; ++k) {
    v.push_back(dejfa::ImageAnchor{{s.begin() + k, s.begin() + k + 4}, false, 0, 0});
  }
  return v;
}

// A frame of 4-byte anchors back to back (nocase ones in random case), or of runs of the set's
// ladder (every lane marked): more marked lanes a beat than the pipes take in a cycle.
dejfa::test::PlantedFrame dense_frame(dejfa::testgen::Gen& g,
                                      const std::vector<dejfa::ImageAnchor>& an,
                                      std::size_t max_len) {
  std::vector<std::uint32_t> four;
  for (std::uint32_t i = 0; i < an.size() - kLadder; ++i) {
    if (an[i].bytes.size() == 4) four.push_back(i);
  }
  std::vector<std::uint8_t> ladder = an[an.size() - kLadder].bytes;
  for (std::size_t k = an.size() - kLadder + 1; k < an.size(); ++k) {
    ladder.push_back(an[k].bytes[3]);
  }
  dejfa::test::PlantedFrame f;
  const std::size_t n = max_len / 2 + g.u(static_cast<std::uint32_t>(max_len / 2));
  const bool run = g.p(0.5);
  while (run && f.bytes.size() < n) {  // pieces of 4+ bytes, apart by 0-11 other bytes
    const std::uint32_t from = g.u(kLadder);
    const std::uint32_t len = 4 + g.u(static_cast<std::uint32_t>(ladder.size()) - from - 3);
    f.bytes.insert(f.bytes.end(), ladder.begin() + from, ladder.begin() + from + len);
    for (std::uint32_t k = g.u(12); k > 0; --k) f.bytes.push_back(static_cast<std::uint8_t>('.'));
  }
  while (f.bytes.size() < n) {
    const auto& a = an[four[g.u(static_cast<std::uint32_t>(four.size()))]];
    for (const auto c : a.bytes) {
      f.bytes.push_back(
          a.nocase && g.p(0.5) && c >= 'a' && c <= 'z' ? static_cast<std::uint8_t>(c - 32) : c);
    }
  }
  f.lo = g.u(20);
  f.hi = static_cast<std::uint32_t>(f.bytes.size()) - g.u(20);
  return f;
}

TEST(AnchorConfirm, MatchesTheModel) {
  dejfa::testgen::Gen g(DEJFA_CFG_INDEX * 100 + 37);
  Bench b;
  for (unsigned k = 0; k < 2; ++k) {
    // Drawn again until no hash has a third anchor (the tables hold 2; a pair's hash taken by
    // another anchor with no free window makes 3 now and then).
    for (int draw = 0; draw == 0 || b.t[k].bucket_max > afilt::kBucketMax; ++draw) {
      ASSERT_LT(draw, 20);
      b.an[k] = anchor_set(g, k == 0 ? 300 : 150);
      b.t[k] = afilt::tables_of(b.an[k]);
    }
  }
  b.m->tw_en = 0;
  b.m->s_valid = 0;
  b.m->b_valid = 0;
  b.m.reset(4);
  b.queue_load(0);
  b.queue_load(1);
  while (!b.writes.empty()) b.idle();
  const std::size_t max_len = lanes() == 8 ? 300 : 1600;
  for (int i = 0; i < 250; ++i) {  // light
    b.send(g, dejfa::test::planted_frame(g, b.an[static_cast<unsigned>(i) % 2], max_len, 12, 0.3),
           static_cast<unsigned>(i % 2), 0.3, 20, true);
    if (::testing::Test::HasFatalFailure()) return;
  }
  for (int i = 0; i < 150; ++i) {  // flood: one beat a cycle
    const unsigned bank = g.u(2);
    const auto f = g.p(0.5) ? dense_frame(g, b.an[bank], max_len)
                            : dejfa::test::planted_frame(g, b.an[bank], 200, 12, 0.3);
    b.send(g, f, bank, 0.0, 40, false);
    if (::testing::Test::HasFatalFailure()) return;
  }
  for (int i = 0; i < 600; ++i) b.idle();  // the flood drains
  for (int i = 0; i < 150; ++i) {          // light again
    b.send(g, dejfa::test::planted_frame(g, b.an[static_cast<unsigned>(i) % 2], max_len, 12, 0.3),
           static_cast<unsigned>(i % 2), 0.3, 20, true);
    if (::testing::Test::HasFatalFailure()) return;
  }
  // Bank 1 rewritten with another set, a write a cycle beside bank 0's frames; then its frames
  // judged with the new tables.
  for (int i = 0; i < 2000 && !b.expect.empty(); ++i) b.idle();  // bank 1's frames out
  ASSERT_TRUE(b.expect.empty());
  for (int draw = 0; draw == 0 || b.t[1].bucket_max > afilt::kBucketMax; ++draw) {
    ASSERT_LT(draw, 20);
    b.an[1] = anchor_set(g, 200);
    b.t[1] = afilt::tables_of(b.an[1]);
  }
  b.queue_load(1);
  std::size_t beside = 0;
  while (!b.writes.empty()) {
    b.send(g, dejfa::test::planted_frame(g, b.an[0], max_len, 12, 0.3), 0, 0.3, 20, true);
    if (::testing::Test::HasFatalFailure()) return;
    ++beside;
  }
  for (int i = 0; i < 100; ++i) {
    b.send(g, dejfa::test::planted_frame(g, b.an[1], max_len, 12, 0.3), 1, 0.3, 20, true);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_GT(beside, 20U);
  for (int i = 0; i < 2000 && !b.expect.empty(); ++i) {
    b.idle();
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_TRUE(b.expect.empty()) << b.expect.size() << " frames not reported";
  EXPECT_TRUE(b.bounds.empty());
  std::printf(
      "%zu frames, %zu shed; %zu anchors found (%zu of 2-anchor buckets); %zu groups, %zu of them "
      "not a beat's last, %zu ending two beats\n",
      b.frames, b.shed, b.found, b.two_found, b.groups, b.extra_groups, b.packed);
  EXPECT_EQ(b.light_shed, 0U) << "a light frame was shed";
  EXPECT_GT(b.shed, 0U) << "the flood must fill the queue";
  EXPECT_GT(b.extra_groups, 100U) << "beats with more marked lanes than pipes";
  EXPECT_GT(b.two_found, 20U) << "2-anchor buckets";
  EXPECT_GT(b.packed, 500U) << "groups that end two beats";
  EXPECT_GT(b.a_banks, 2000U) << "groups whose A's bank was checked";
  EXPECT_GT(b.b_banks, 200U) << "groups whose B's bank was checked";
  EXPECT_GT(b.found, 2000U);
}

// A rule set's anchors over every frame of the real captures, back to back at one beat a cycle,
// each frame's bounds when the parser's 128-byte window is full or the frame ends (the design's
// early bounds): nothing shed, every frame as the model. The data is unpacked into the build tree
// by the rtl.real_captures and rtl.et_rules fixtures (DEJFA_RTL_DATA): the captures, ET Open and
// the Snort 3 community rules.
// With `flood`, the traffic is the rule set's literal flood instead (deliverable 3: 2,000 frames
// of 1,400-byte payloads packed with its contents).
void real_captures(const std::string& rules_file, bool snort_literals, std::size_t min_found,
                   bool flood = false) {
  const auto data = dejfa::test::shared_data(rules_file);
  if (!data.present) {
    if (data.required)
      FAIL() << "DEJFA_RTL_DATA is not set up and CI=true requires the shared data";
    GTEST_SKIP() << "shared captures or rules not found (../shared/data beside the checkout)";
  }
  const dejfa::LoadResult lr = dejfa::test::shared_rules(data, snort_literals);
  const auto set = dejfa::anchors_of(lr.set);
  Bench b;
  for (const auto& a : set.anchors) b.an[0].push_back(dejfa::ImageAnchor{a.bytes, a.nocase, 0, 0});
  b.t[0] = afilt::tables_of(b.an[0]);
  ASSERT_LE(b.t[0].bucket_max, afilt::kBucketMax);
  b.an[1] = b.an[0];
  b.t[1] = b.t[0];
  b.m->s_valid = 0;
  b.m->b_valid = 0;
  b.m.reset(4);
  b.queue_load(0);
  while (!b.writes.empty()) b.idle();
  dejfa::testgen::Gen g(1);  // draws nothing: no gaps, fixed bound delays
  const unsigned w = lanes();
  std::vector<std::vector<std::uint8_t>> frames;
  if (flood) {
    frames = dejfa::bench::literal_flood(lr.set.rules, 2000);
  } else {
    dejfa::test::for_each_capture_frame(
        data, [&](const std::vector<std::uint8_t>& fr) { frames.push_back(fr); });
  }
  std::size_t n = 0;
  for (const auto& bytes : frames) {
    dejfa::test::PlantedFrame f;
    f.bytes = bytes;
    const auto p = dejfa::decode(f.bytes);
    if (p.payload_valid) {
      f.lo = p.payload_off;
      f.hi = p.payload_off + p.payload_len;
    }
    const auto beats = static_cast<std::uint32_t>((f.bytes.size() + w - 1) / w);
    b.send(g, f, 0, 0.0, std::min<std::uint32_t>(beats, 128 / w), true, false);
    if (::testing::Test::HasFatalFailure()) return;
    ++n;
  }
  for (int i = 0; i < 2000 && !b.expect.empty(); ++i) b.idle();
  EXPECT_TRUE(b.expect.empty());
  std::printf(
      "%zu anchors of %zu rules; %zu frames, %zu shed; %zu anchors found; %zu groups, %zu "
      "of them not a beat's last, %zu ending two beats\n",
      set.anchors.size(), lr.set.rules.size(), b.frames, b.shed, b.found, b.groups, b.extra_groups,
      b.packed);
  EXPECT_GT(n, flood ? 1999U : 40000U) << "expected the 41k frames of the shared captures";
  EXPECT_EQ(b.shed, 0U);
  EXPECT_GT(b.found, min_found);
}

TEST(AnchorConfirm, EtOpenOnTheRealCaptures) { real_captures("et-open.rules", false, 10000); }
TEST(AnchorConfirm, EtOpenLiteralFlood) { real_captures("et-open.rules", false, 10000, true); }

// Deliverable 2's rule kind: 1,000 single-content rules from the Snort 3 community set.
TEST(AnchorConfirm, SnortLiteralsOnTheRealCaptures) {
  real_captures("snort3-community.rules", true, 10000);
}

// Deliverable 3's literal flood of the Snort literals (their contents back to back in every
// payload).
TEST(AnchorConfirm, SnortLiteralFlood) {
  real_captures("snort3-community.rules", true, 10000, true);
}

}  // namespace
