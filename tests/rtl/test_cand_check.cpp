// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_cand_check (issue #25, docs/HARDWARE.md "Candidate check") against its host
// model, dejfa::hdr::content_match over hdr::Descriptor (itself held equal to the reference
// model's header match by test_image3). Images compiled from generated rule sets (random, and
// firewall shape with content rules) for the configuration; CONT_REC and GROUP_REC loaded
// through the write port; packets aimed at the rules and random ones, each with its descriptor
// (hdr::descriptor_of) sent ahead, in frame order, and a random subset of the image's content
// rules as its candidates, E a cycle as the expansion gives them (lanes a prefix, one frame a
// cycle at most, random gaps). Checked every cycle: each lane's rule is of the frame being
// output, its hit is the model's, every candidate leaves once, frames in order with their shed
// flags. One case reads bank 1's tables (another rule set) while bank 0's are rewritten.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_cand_check.h"

#include "dejfa/gen/regs.hpp"

#include "../common/aimed.hpp"
#include "../common/randgen.hpp"
#include "dejfa/hdr_tables.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/rules.hpp"
#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

using dejfa::test::get_field;
using dejfa::test::put;

const dejfa::hw::Config& cfg() { return dejfa::hw::kConfigs[DEJFA_CFG_INDEX]; }
const unsigned kE = cfg().data_w >= 128 ? 8 : 2;
const unsigned kSpecN = dejfa::hdr::Limits::of(cfg()).spec_n;
const unsigned kCsetN = dejfa::hdr::Limits::of(cfg()).cset_n;
constexpr unsigned kRuleW = dejfa::hw::rec::range_rec::FIRST_W;
constexpr unsigned kTagW = 19;  // the block's TAG_W default

/// An image and the tables its model judges from.
struct Compiled {
  dejfa::CompileResult res;
  std::unique_ptr<dejfa::ImageModel> im;
  std::uint32_t content = 0;  // content rule ids 0 .. content - 1
  std::vector<bool> decided;  // per content rule: the confirm decides it
};
std::unique_ptr<Compiled> compile(const dejfa::RuleSet& rs) {
  auto c = std::make_unique<Compiled>();
  c->res = dejfa::compile_v3(rs, cfg());
  EXPECT_TRUE(c->res.ok) << (c->res.diags.empty() ? "" : c->res.diags[0].message);
  c->im = std::make_unique<dejfa::ImageModel>(c->res.image);
  c->content = static_cast<std::uint32_t>(c->res.image.rt[dejfa::hw::rtbl::CONT_REC].size());
  for (std::uint32_t r = 0; r < c->content; ++r) {
    c->decided.push_back(dejfa::decided_by_anchor(c->res.image, r));
  }
  return c;
}

struct Frame {
  unsigned bank = 0;
  dejfa::hdr::Descriptor d;
  std::vector<std::uint32_t> cands;  // in the order sent
  std::vector<bool> hit;             // the model's, per candidate
  bool shed = false, full = false;
};

struct Bench {
  dejfa::test::Model<Vdejfa_cand_check> m;
  dejfa::testgen::Gen gen{DEJFA_CFG_INDEX * 100 + 29};
  std::array<const Compiled*, 2> img{};
  std::array<dejfa::RuleSet, 2> rules;
  std::deque<dejfa::hdr::RecWrite> writes;  // {bank in tbl's high bits: see queue_load}
  std::deque<unsigned> write_bank;
  std::vector<Frame> frames;
  std::size_t desc_next = 0;                 // the next frame whose descriptor goes
  std::size_t lane_frame = 0, lane_pos = 0;  // the frame whose candidates go, and how many went
  std::uint64_t now = 0, desc_sent_at = 0;
  std::vector<std::uint64_t> desc_at;  // per frame, the cycle its descriptor went
  double gap = 0.2;                    // a cycle without lanes
  std::size_t lead = 4;                // frames the lanes may be ahead of the descriptors
  double desc_p = 0.7;                 // a descriptor in a cycle (while one may go)
  std::size_t early = 0;  // lane cycles sent before (or under 2 cycles after) their descriptor
  // output side
  std::size_t out = 0, hits = 0, lanes_out = 0, decided_out = 0;
  std::multiset<std::uint32_t> got;

  Bench() {
    m->tw_en = 0;
    m->d_valid = 0;
    m->c_valid = 0;
    m->c_end = 0;
    m.reset(3);
  }

  void queue_load(unsigned bank, const Compiled& c) {
    namespace rt = dejfa::hw::rtbl;
    for (const std::uint32_t t : {rt::CONT_REC, rt::GROUP_REC}) {
      const auto& tab = c.res.image.rt[t];
      for (std::uint32_t i = 0; i < tab.size(); ++i) {
        dejfa::hdr::RecWrite w;
        w.tbl = t;
        w.idx = i;
        w.w = tab[i];
        writes.push_back(w);
        write_bank.push_back(bank);
      }
    }
  }

  /// Adds n frames of bank `bank`: packets aimed at its rules and random ones, each with up to
  /// `most` candidates.
  void add_frames(unsigned bank, std::size_t n, unsigned most) {
    const Compiled& c = *img[bank];
    const dejfa::hdr::Tables& tb = *c.im->tables();
    const auto pkts = dejfa::testgen::packets_for(rules[bank], gen.u(1U << 30), n, 0.2);
    for (const auto& p : pkts) {
      Frame f;
      f.bank = bank;
      f.d = dejfa::hdr::descriptor_of(tb, p, dejfa::hdr::path_eval(tb, p));
      const unsigned k = c.content == 0 ? 0 : gen.u(most + 1);
      std::set<std::uint32_t> s;
      for (unsigned i = 0; i < k; ++i) s.insert(gen.u(c.content));
      f.cands.assign(s.begin(), s.end());
      for (std::size_t i = f.cands.size(); i > 1; --i) {  // (in a random order)
        std::swap(f.cands[i - 1], f.cands[gen.u(static_cast<std::uint32_t>(i))]);
      }
      for (const auto r : f.cands) f.hit.push_back(dejfa::hdr::content_match(tb, f.d, r));
      f.shed = gen.p(0.05);
      f.full = f.shed && gen.p(0.5);
      frames.push_back(std::move(f));
    }
  }

  void put_desc(const Frame& f) {
    m->d_valid = 1;
    put(m->d_ip, f.d.ip ? 1 : 0);
    put(m->d_src, f.d.cls[0]);
    put(m->d_dst, f.d.cls[1]);
    put(m->d_sport, f.d.cls[2]);
    put(m->d_dport, f.d.cls[3]);
    std::vector<bool> cs(4 * kCsetN), sp(kSpecN);
    for (unsigned fl = 0; fl < 4; ++fl) {
      for (unsigned b = 0; b < kCsetN; ++b) cs[fl * kCsetN + b] = ((f.d.cset[fl] >> b) & 1U) != 0;
    }
    for (unsigned b = 0; b < kSpecN; ++b) sp[b] = ((f.d.spec[b / 32] >> (b % 32)) & 1U) != 0;
    dejfa::test::put_bits(m->d_cset, cs);
    dejfa::test::put_bits(m->d_spec, sp);
  }

  void check_outputs() {
    const auto valid = dejfa::test::get_bits(m->m_valid, kE);
    const bool any = std::find(valid.begin(), valid.end(), true) != valid.end();
    if (!any && m->m_end == 0) return;
    ASSERT_LT(out, frames.size()) << "output of a frame not sent";
    ASSERT_EQ(m->m_frame, out % (1U << kTagW)) << "frames out of order";
    const Frame& f = frames[out];
    const auto hit = dejfa::test::get_bits(m->m_hit, kE);
    const auto decided = dejfa::test::get_bits(m->m_decided, kE);
    bool gap_seen = false;
    for (unsigned j = 0; j < kE; ++j) {
      if (!valid[j]) {
        gap_seen = true;
        ASSERT_FALSE(hit[j]) << "a hit on an empty lane";
        ASSERT_FALSE(decided[j]) << "a decided rule on an empty lane";
        continue;
      }
      ASSERT_FALSE(gap_seen) << "lanes not a prefix";
      const std::uint32_t r = get_field(m->m_rule, j * kRuleW, kRuleW);
      const auto it = std::find(f.cands.begin(), f.cands.end(), r);
      ASSERT_NE(it, f.cands.end()) << "rule " << r << " not a candidate of frame " << out;
      ASSERT_EQ(hit[j], f.hit[static_cast<std::size_t>(it - f.cands.begin())])
          << "rule " << r << ", frame " << out << " (bank " << f.bank << ")";
      ASSERT_EQ(decided[j], img[f.bank]->decided.at(r)) << "rule " << r << "'s DECIDED";
      got.insert(r);
      hits += hit[j] ? 1U : 0U;
      decided_out += decided[j] ? 1U : 0U;
      ++lanes_out;
    }
    if (m->m_end == 0) return;
    ASSERT_EQ(got, std::multiset<std::uint32_t>(f.cands.begin(), f.cands.end())) << "frame " << out;
    ASSERT_EQ(m->m_shed != 0, f.shed) << "frame " << out;
    ASSERT_EQ(m->m_full != 0, f.full) << "frame " << out;
    got.clear();
    ++out;
  }

  void cycle() {
    check_outputs();
    if (::testing::Test::HasFatalFailure()) return;
    // table writes, one a cycle
    m->tw_en = 0;
    if (!writes.empty()) {
      const auto& w = writes.front();
      m->tw_en = 1;
      put(m->tw_tbl, w.tbl);
      put(m->tw_bank, write_bank.front());
      put(m->tw_idx, w.idx);
      dejfa::test::put_words(m->tw_data, std::vector<std::uint32_t>(w.w.begin(), w.w.end()));
      writes.pop_front();
      write_bank.pop_front();
    }
    // descriptors: up to 64 frames ahead of the lanes, and the lanes up to `lead` frames ahead
    // of the descriptors (the block's queue holds them until their frame's descriptor is written)
    m->d_valid = 0;
    if (desc_next < frames.size() && desc_next < lane_frame + 64 && gen.p(desc_p)) {
      put_desc(frames[desc_next]);
      desc_at.push_back(now);
      ++desc_next;
    }
    // lanes: the current frame's next E candidates, its end with the last of them
    m->c_valid = 0;
    m->c_end = 0;
    if (lane_frame < frames.size() && lane_frame < desc_next + lead && !gen.p(gap)) {
      early += lane_frame >= desc_at.size() || desc_at[lane_frame] + 2 > now ? 1U : 0U;
      const Frame& f = frames[lane_frame];
      std::vector<bool> v(kE, false), b(kE, false);
      std::vector<std::uint32_t> words((kE * kRuleW + 31) / 32, 0);
      for (unsigned j = 0; j < kE && lane_pos < f.cands.size(); ++j, ++lane_pos) {
        v[j] = true;
        b[j] = f.bank != 0;
        const std::uint32_t r = f.cands[lane_pos];
        for (unsigned i = 0; i < kRuleW; ++i) {
          if (((r >> i) & 1U) != 0) words[(j * kRuleW + i) / 32] |= 1U << ((j * kRuleW + i) % 32);
        }
      }
      dejfa::test::put_bits(m->c_valid, v);
      dejfa::test::put_bits(m->c_bank, b);
      dejfa::test::put_words(m->c_rule, words);
      put(m->c_frame, lane_frame % (1U << kTagW));
      if (lane_pos == f.cands.size()) {
        m->c_end = 1;
        m->c_shed = f.shed ? 1 : 0;
        m->c_full = f.full ? 1 : 0;
        ++lane_frame;
        lane_pos = 0;
      }
    }
    m.edge();
    ++now;
  }

  void drain() {
    for (int i = 0; i < 2000000 && out < frames.size(); ++i) {
      cycle();
      if (::testing::Test::HasFatalFailure()) return;
    }
    ASSERT_EQ(out, frames.size()) << "frames never left";
  }
};

dejfa::RuleSet random_set(dejfa::testgen::Gen& g) {
  return g.rules(cfg().data_w >= 128 ? 150 : 60);
}

dejfa::RuleSet firewall_set() {
  // header-only rules of firewall shape and content rules (test_image3's shape, smaller)
  dejfa::testgen::Gen g(41);
  std::string text = g.firewall_shape(cfg().data_w >= 128 ? 2000 : 1000);
  for (const auto& r : g.rules(cfg().rules_n / 8).rules) text += r.text + "\n";
  dejfa::LoadResult lr;
  dejfa::parse_rules(text, "test.rules", {}, lr);
  return std::move(lr.set);
}

TEST(CandCheck, HitsAreTheModelsOnRandomAndFirewallSets) {
  Bench b;
  b.rules[0] = random_set(b.gen);
  b.rules[1] = firewall_set();
  const auto c0 = compile(b.rules[0]);
  const auto c1 = compile(b.rules[1]);
  ASSERT_FALSE(::testing::Test::HasFailure());
  ASSERT_GT(c0->content, 10U);
  ASSERT_GT(c1->content, 10U);
  b.img = {c0.get(), c1.get()};
  b.queue_load(0, *c0);
  b.queue_load(1, *c1);
  while (!b.writes.empty()) b.cycle();
  b.add_frames(0, 1500, 3 * kE);
  b.add_frames(1, 1500, 3 * kE);
  for (unsigned i = 0; i < 500; ++i) b.add_frames(i % 2, 1, 2 * kE);  // banks interleaved
  b.desc_p = 0.3;  // descriptors slower than the lanes: the lanes wait for them
  b.drain();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::printf(
      "%zu frames, %zu candidates (%zu decided by the confirm), %zu header hits, %zu lane "
      "cycles before their descriptor\n",
      b.frames.size(), b.lanes_out, b.decided_out, b.hits, b.early);
  EXPECT_GT(b.hits, 100U) << "candidates' headers must match";
  EXPECT_GT(b.decided_out, 100U) << "candidates the confirm decides";
  EXPECT_LT(b.decided_out, b.lanes_out) << "and others";
  EXPECT_GT(b.early, 100U) << "lanes must come before their descriptors";
  EXPECT_LT(b.hits, b.lanes_out) << "and not all of them";
}

TEST(CandCheck, ABankRewrittenBesideTheOthersFrames) {
  Bench b;
  dejfa::testgen::Gen g(7);
  b.rules[0] = random_set(g);
  b.rules[1] = random_set(g);
  const auto c0 = compile(b.rules[0]);
  const auto c1 = compile(b.rules[1]);
  ASSERT_FALSE(::testing::Test::HasFailure());
  b.img = {c0.get(), c1.get()};
  b.queue_load(1, *c1);
  while (!b.writes.empty()) b.cycle();
  // bank 0 written while bank 1's frames are checked; then bank 0's frames
  b.queue_load(0, *c0);
  b.gap = 0.0;
  b.add_frames(1, 2000, 3 * kE);
  while (!b.writes.empty()) {
    b.cycle();
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
  }
  b.add_frames(0, 500, 3 * kE);
  b.drain();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::printf("%zu frames, %zu candidates, %zu header hits\n", b.frames.size(), b.lanes_out,
              b.hits);
  EXPECT_GT(b.lanes_out, 1000U);
}

}  // namespace
