// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_anchor_path (issue #25, docs/HARDWARE.md "Anchor path"): the anchor blocks
// and the candidate check in a row, loaded through one table-write port with what the driver will
// load (afilt::load_writes for the anchor tables, the image's CONT_REC and GROUP_REC), against
// the image model's view of a frame: the anchors wholly inside its payload (afilt::confirm_frame),
// their rule ranges (ANCHORS), each rule's header checked against the frame's descriptor
// (hdr::content_match). Images compiled from generated rule sets for the configuration; frames
// with the images' anchors planted (near misses among them) and payload bounds cutting them;
// each frame's bounds 0 .. kBoundsLate cycles after its first beat and its descriptor the header
// path's latency after its bounds, as the parser and dejfa_hdr_path will give them. Checked every
// cycle: each candidate is one of its frame's, with the model's header hit; every frame ends once,
// in order, and a frame not shed has exactly the model's candidates (a shed one a subset).
// Phases: light traffic with gaps, then frames back to back, one bank rewritten under traffic on
// the other, frames switching banks.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_anchor_path.h"

#include "dejfa/gen/regs.hpp"

#include "../common/aimed.hpp"
#include "../common/randgen.hpp"
#include "anchor_frames.hpp"
#include "dejfa/anchor_filter.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/hdr_tables.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/rules.hpp"
#include "shared_data.hpp"
#include "vl_bits.hpp"
#include "vl_model.hpp"

namespace {

namespace afilt = dejfa::afilt;
namespace hdr = dejfa::hdr;
using dejfa::test::get_field;
using dejfa::test::put;

const dejfa::hw::Config& cfg() { return dejfa::hw::kConfigs[DEJFA_CFG_INDEX]; }
const unsigned kW = cfg().data_w / 8;
const bool kWide = cfg().data_w >= 128;
const unsigned kE = kWide ? 8 : 2;
const unsigned kSpecN = hdr::Limits::of(cfg()).spec_n;
const unsigned kCsetN = hdr::Limits::of(cfg()).cset_n;
constexpr unsigned kRuleW = dejfa::hw::rec::range_rec::FIRST_W;
const unsigned kTagW =
    dejfa::test::clog2(cfg().anchors_n / (kWide ? 16U : 2U) * 32U) + 3;  // the block's TAG_W
// The header path's descriptor latency after the parser's descriptor (2 log2 ADDR_CLS_N + 6).
const unsigned kHpD = 2 * dejfa::test::clog2(cfg().addr_cls_n) + 6;
// The latest a frame's bounds come after its first beat: the parser knows them when its 128-byte
// window is full (16 beats at 10g, 2 at 100g), a few cycles more for its own stages.
const unsigned kBoundsLate = kWide ? 6 : 20;

/// An image, the tables its model judges from, and every write that loads it.
struct Compiled {
  dejfa::CompileResult res;
  std::unique_ptr<dejfa::ImageModel> im;
  afilt::Tables t;
  std::vector<hdr::RecWrite> writes;
  std::vector<hdr::Descriptor> descs;  // of packets aimed at its rules and random ones
  std::vector<bool> decided;           // per content rule: the confirm decides it
};
/// Fills what the bench needs from a compiled image: its model, the filter's tables, every write
/// that loads it (afilt::load_writes, CONT_REC, GROUP_REC) and each content rule's DECIDED.
void prepare(Compiled& c) {
  const auto& img = c.res.image;
  c.im = std::make_unique<dejfa::ImageModel>(img);
  c.t = afilt::tables_of(img.anchors);
  c.writes = afilt::load_writes(img.anchors, cfg().anchors_n);
  namespace rt = dejfa::hw::rtbl;
  for (const std::uint32_t tb : {rt::CONT_REC, rt::GROUP_REC}) {
    for (std::uint32_t i = 0; i < img.rt[tb].size(); ++i) {
      hdr::RecWrite w;
      w.tbl = tb;
      w.idx = i;
      std::copy(img.rt[tb][i].begin(), img.rt[tb][i].end(), w.w.begin());
      c.writes.push_back(w);
    }
  }
  for (std::uint32_t r = 0; r < img.rt[rt::CONT_REC].size(); ++r) {
    c.decided.push_back(dejfa::decided_by_anchor(img, r));
  }
}

std::unique_ptr<Compiled> compile(const dejfa::RuleSet& rs, std::uint64_t seed) {
  auto c = std::make_unique<Compiled>();
  c->res = dejfa::compile_v3(rs, cfg());
  EXPECT_TRUE(c->res.ok) << (c->res.diags.empty() ? "" : c->res.diags[0].message);
  if (!c->res.ok) return c;
  prepare(*c);
  const hdr::Tables& tb = *c->im->tables();
  for (const auto& p : dejfa::testgen::packets_for(rs, seed, 400, 0.2)) {
    c->descs.push_back(hdr::descriptor_of(tb, p, hdr::path_eval(tb, p)));
  }
  return c;
}

struct Frame {
  unsigned bank = 0;
  std::vector<std::uint8_t> bytes;
  std::uint32_t lo = 0, hi = 0;
  hdr::Descriptor d;
  std::map<std::uint32_t, bool> want;  // the model's candidates and their header hits
  int bounds_after = -1;               // cycles from the first beat to the bounds (-1: random)
};

struct Timed {
  std::uint64_t at;
  std::size_t frame;
};

struct Bench {
  dejfa::test::Model<Vdejfa_anchor_path> m;
  dejfa::testgen::Gen gen{DEJFA_CFG_INDEX * 100 + 30};
  std::array<const Compiled*, 2> img{};
  struct Write {
    unsigned bank;
    hdr::RecWrite w;
  };
  std::deque<Write> writes;
  std::vector<Frame> frames;
  // input side: the frame whose beats go, and its next beat; bounds and descriptors due
  std::size_t in_frame = 0, in_beat = 0;
  std::deque<Timed> bounds, descs;
  std::uint64_t now = 0, last_bound = 0, last_desc = 0;
  double gap = 0.3;  // a cycle without a beat
  // output side
  std::size_t out = 0, cands = 0, hits = 0, shed = 0, want_cands = 0, decided_hits = 0;
  std::map<std::uint32_t, bool> got;

  Bench() {
    idle_inputs();
    m.reset(3);
  }
  void idle_inputs() {
    m->tw_en = 0;
    m->s_valid = 0;
    m->b_valid = 0;
    m->d_valid = 0;
  }

  void queue_load(unsigned bank, const Compiled& c) {
    for (const auto& w : c.writes) writes.push_back({bank, w});
  }

  /// Adds a frame of bank `bank` (bytes, bounds and descriptor set) with the model's candidates.
  void add_frame(Frame f) {
    const Compiled& c = *img[f.bank];
    const auto& an = c.res.image.anchors;
    for (const auto& x : afilt::confirm_frame(c.t, an, f.bytes, kW, f.lo, f.hi - f.lo)) {
      const auto& a = an[x.anchor];
      for (std::uint32_t r = a.first; r < a.first + a.count; ++r) {
        f.want[r] = hdr::content_match(*c.im->tables(), f.d, r);
      }
    }
    want_cands += f.want.size();
    frames.push_back(std::move(f));
  }
  /// Adds n frames of bank `bank` with up to `plants` anchors of its image planted in each and
  /// descriptors of packets aimed at its rules.
  void add_frames(unsigned bank, std::size_t n, std::uint32_t plants, std::size_t max_len) {
    const Compiled& c = *img[bank];
    for (std::size_t i = 0; i < n; ++i) {
      const auto pf = dejfa::test::planted_frame(gen, c.res.image.anchors, max_len, plants, 0.2);
      Frame f;
      f.bank = bank;
      f.bytes = pf.bytes;
      f.lo = pf.lo;
      f.hi = pf.hi;
      f.d = c.descs[gen.u(static_cast<std::uint32_t>(c.descs.size()))];
      add_frame(std::move(f));
    }
  }

  void check_output() {
    const auto valid = dejfa::test::get_bits(m->m_valid, kE);
    const bool any = std::find(valid.begin(), valid.end(), true) != valid.end();
    if (!any && m->m_end == 0) return;
    ASSERT_LT(out, frames.size()) << "output of a frame not sent";
    ASSERT_EQ(m->m_frame, out % (1U << kTagW)) << "frames out of order";
    const Frame& f = frames[out];
    const auto hit = dejfa::test::get_bits(m->m_hit, kE);
    const auto decided = dejfa::test::get_bits(m->m_decided, kE);
    for (unsigned j = 0; j < kE; ++j) {
      if (!valid[j]) {
        ASSERT_FALSE(hit[j] || decided[j]) << "a hit or a decided rule on an empty lane";
        continue;
      }
      const std::uint32_t r = get_field(m->m_rule, j * kRuleW, kRuleW);
      const auto it = f.want.find(r);
      ASSERT_NE(it, f.want.end()) << "rule " << r << " is not a candidate of frame " << out;
      ASSERT_EQ(hit[j], it->second) << "rule " << r << ", frame " << out;
      ASSERT_TRUE(got.emplace(r, hit[j]).second) << "rule " << r << " twice in frame " << out;
      ASSERT_EQ(decided[j], img[f.bank]->decided.at(r)) << "rule " << r << "'s DECIDED";
      hits += hit[j] ? 1U : 0U;
      decided_hits += hit[j] && decided[j] ? 1U : 0U;
      ++cands;
    }
    if (m->m_end == 0) return;
    if (m->m_shed != 0) {
      ++shed;
    } else {
      ASSERT_EQ(got.size(), f.want.size()) << "frame " << out << " lost candidates";
    }
    got.clear();
    ++out;
  }

  void cycle() {
    check_output();
    if (::testing::Test::HasFatalFailure()) return;
    idle_inputs();
    if (!writes.empty()) {
      const Write& w = writes.front();
      m->tw_en = 1;
      put(m->tw_tbl, w.w.tbl);
      put(m->tw_bank, w.bank);
      put(m->tw_idx, w.w.idx);
      dejfa::test::put_words(m->tw_data, std::vector<std::uint32_t>(w.w.w.begin(), w.w.w.end()));
      writes.pop_front();
    }
    if (in_frame < frames.size() && !gen.p(gap)) {
      const Frame& f = frames[in_frame];
      if (in_beat == 0) {  // its bounds, then its descriptor, in frame order
        const std::uint64_t after = f.bounds_after >= 0 ? static_cast<std::uint64_t>(f.bounds_after)
                                                        : gen.u(kBoundsLate + 1);
        last_bound = std::max(now + after, last_bound + 1);
        bounds.push_back({last_bound, in_frame});
        last_desc = std::max(last_bound + kHpD, last_desc + 1);
        descs.push_back({last_desc, in_frame});
      }
      const std::size_t at = in_beat * kW;
      const std::size_t n = std::min<std::size_t>(kW, f.bytes.size() - at);
      std::vector<std::uint32_t> words(kW / 4, 0);
      std::uint64_t keep = 0;
      for (std::size_t k = 0; k < n; ++k) {
        words[k / 4] |= std::uint32_t{f.bytes[at + k]} << (8 * (k % 4));
        keep |= std::uint64_t{1} << k;
      }
      m->s_valid = 1;
      dejfa::test::put_words(m->s_data, words);
      put(m->s_keep, keep);
      const bool last = at + n == f.bytes.size();
      m->s_last = last ? 1 : 0;
      put(m->s_bank, f.bank);
      if (last) {
        ++in_frame;
        in_beat = 0;
      } else {
        ++in_beat;
      }
    }
    if (!bounds.empty() && bounds.front().at <= now) {
      const Frame& f = frames[bounds.front().frame];
      m->b_valid = 1;
      put(m->b_lo, f.lo);
      put(m->b_hi, f.hi);
      bounds.pop_front();
    }
    if (!descs.empty() && descs.front().at <= now) {
      const hdr::Descriptor& d = frames[descs.front().frame].d;
      m->d_valid = 1;
      put(m->d_ip, d.ip ? 1 : 0);
      put(m->d_src, d.cls[0]);
      put(m->d_dst, d.cls[1]);
      put(m->d_sport, d.cls[2]);
      put(m->d_dport, d.cls[3]);
      std::vector<bool> cs(4 * kCsetN), sp(kSpecN);
      for (unsigned fl = 0; fl < 4; ++fl) {
        for (unsigned b = 0; b < kCsetN; ++b) cs[fl * kCsetN + b] = ((d.cset[fl] >> b) & 1U) != 0;
      }
      for (unsigned b = 0; b < kSpecN; ++b) sp[b] = ((d.spec[b / 32] >> (b % 32)) & 1U) != 0;
      dejfa::test::put_bits(m->d_cset, cs);
      dejfa::test::put_bits(m->d_spec, sp);
      descs.pop_front();
    }
    m.edge();
    ++now;
  }

  /// Cycles until the tables are written (and the seen block's clear after reset is over).
  void settle() {
    while (!writes.empty() || m->m_clearing != 0) {
      cycle();
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
  void drain() {
    for (int i = 0; i < 4000000 && out < frames.size(); ++i) {
      cycle();
      if (::testing::Test::HasFatalFailure()) return;
    }
    ASSERT_EQ(out, frames.size()) << "frames never left";
  }
  void report(const char* what) const {
    std::printf(
        "%s: %zu frames (%zu shed), %zu candidates of the model's %zu, %zu header hits (%zu "
        "decided by the confirm), %llu cycles\n",
        what, out, shed, cands, want_cands, hits, decided_hits,
        static_cast<unsigned long long>(now));
  }
};

// The generator's rules (lists, negation, `<>`, small fields, programs of several contents) and
// single-content rules with random literals of 1-10 bytes (nocase among them) on a few headers,
// so that the image has many anchors, short ones among them.
dejfa::RuleSet random_set(std::uint64_t seed) {
  dejfa::testgen::Gen g(seed);
  std::string text;
  for (const auto& r : g.rules(kWide ? 150 : 60).rules) text += r.text + "\n";
  const char* heads[] = {"tcp any any -> any any", "udp any any -> any 53",
                         "tcp any any -> any [80,443,8080]", "ip any any -> any any"};
  for (unsigned i = 0; i < (kWide ? 600U : 150U); ++i) {
    text += std::string("alert ") + heads[g.u(4)] + " (msg:\"lit\"; content:\"|";
    for (std::uint32_t k = 1 + (g.p(kWide ? 0.06 : 0.15) ? g.u(3) : 3 + g.u(7)); k > 0; --k) {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%02X ", g.p(0.6) ? 'a' + g.u(8) : g.u(256));
      text += hex;
    }
    text += "|\";" + std::string(g.p(0.3) ? " nocase;" : "") +
            " sid:" + std::to_string(900000 + i) + ";)\n";
  }
  dejfa::LoadResult lr;
  dejfa::parse_rules(text, "test.rules", {}, lr);
  EXPECT_EQ(lr.stats.skipped, 0U) << lr.stats.summary();
  return std::move(lr.set);
}

TEST(AnchorPath, CandidatesAreTheModelsOnBothBanks) {
  Bench b;
  const auto c0 = compile(random_set(11), 21);
  const auto c1 = compile(random_set(12), 22);
  ASSERT_FALSE(::testing::Test::HasFailure());
  ASSERT_GT(c0->res.image.anchors.size(), 20U);
  b.img = {c0.get(), c1.get()};
  b.queue_load(0, *c0);
  b.settle();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  // light traffic on bank 0 while bank 1 is written
  b.queue_load(1, *c1);
  b.add_frames(0, 400, 6, kWide ? 1500 : 400);
  b.settle();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  // frames switching banks; then back to back
  for (int i = 0; i < 400; ++i) b.add_frames(b.gen.u(2), 1, 6, kWide ? 1500 : 400);
  b.drain();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  b.report("light");
  const std::size_t light_shed = b.shed;
  b.gap = 0;
  for (int i = 0; i < 400; ++i) b.add_frames(b.gen.u(2), 1, 10, kWide ? 600 : 200);
  b.drain();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  b.report("back to back");
  EXPECT_EQ(light_shed, 0U) << "light frames shed";
  EXPECT_GT(b.want_cands, 2 * b.frames.size()) << "frames must have candidates";
  EXPECT_GT(b.hits, b.cands / 10) << "candidates' headers must match";
  EXPECT_LT(b.hits, b.cands) << "and not all of them";
}

// The first rules of a set that compile for the configuration (fewer until they do: the
// content region is the wide slots until the swap).
std::unique_ptr<Compiled> compile_prefix(const dejfa::RuleSet& all, std::size_t n) {
  for (;; n = n * 9 / 10) {
    dejfa::RuleSet rs = all;
    rs.rules.resize(std::min(n, all.rules.size()));
    auto c = std::make_unique<Compiled>();
    c->res = dejfa::compile_v3(rs, cfg());
    if (!c->res.ok) continue;
    const auto t = afilt::tables_of(c->res.image.anchors);
    if (t.bucket_max > afilt::kBucketMax || t.shorts.size() > afilt::kShortN) continue;
    prepare(*c);
    return c;
  }
}

// A rule set's first rules over every frame of the real captures, back to back at one beat a
// cycle: each frame's bounds when the parser's 128-byte window is full or the frame ends (the
// design's early bounds), its descriptor the header path's latency later, both from the decoder
// and the image model's tables. The data is unpacked into the build tree by the
// rtl.real_captures and rtl.et_rules fixtures (DEJFA_RTL_DATA).
void real_captures(const std::string& rules_file, bool snort_literals) {
  const auto data = dejfa::test::shared_data(rules_file);
  if (!data.present) {
    if (data.required)
      FAIL() << "DEJFA_RTL_DATA is not set up and CI=true requires the shared data";
    GTEST_SKIP() << "shared captures or rules not found (../shared/data beside the checkout)";
  }
  const dejfa::LoadResult lr = dejfa::test::shared_rules(data, snort_literals);
  const auto c = compile_prefix(lr.set, cfg().rules_n);
  Bench b;
  b.img = {c.get(), c.get()};
  b.queue_load(0, *c);
  b.settle();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  b.gap = 0;
  std::size_t n = 0;
  dejfa::test::for_each_capture_frame(data, [&](const std::vector<std::uint8_t>& bytes) {
    if (::testing::Test::HasFatalFailure()) return;
    Frame f;
    f.bytes = bytes;
    const auto p = dejfa::decode(f.bytes);
    if (p.payload_valid) {
      f.lo = p.payload_off;
      f.hi = p.payload_off + p.payload_len;
    }
    const hdr::Tables& tb = *c->im->tables();
    f.d = hdr::descriptor_of(tb, p, hdr::path_eval(tb, p));
    const auto beats = (f.bytes.size() + kW - 1) / kW;
    f.bounds_after = static_cast<int>(std::min<std::size_t>(beats, 128 / kW));
    b.add_frame(std::move(f));
    ++n;
    // (a window of frames at a time: the model's candidates of 41 K frames held at once would
    // cost memory for nothing)
    while (b.frames.size() - b.out > 1000 && !::testing::Test::HasFatalFailure()) b.cycle();
  });
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  b.drain();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::printf("%zu of %zu rules (%zu anchors): ", c->res.image.rt[dejfa::hw::rtbl::CONT_REC].size(),
              lr.set.rules.size(), c->res.image.anchors.size());
  b.report("real captures");
  EXPECT_GT(n, 40000U) << "expected the 41k frames of the shared captures";
  EXPECT_EQ(b.shed, 0U);
  EXPECT_GT(b.cands, 1000U);
  EXPECT_GT(b.hits, 100U);
}

TEST(AnchorPath, EtOpenOnTheRealCaptures) { real_captures("et-open.rules", false); }

// Deliverable 2's rule kind: single-content rules from the Snort 3 community set.
TEST(AnchorPath, SnortLiteralsOnTheRealCaptures) { real_captures("snort3-community.rules", true); }

}  // namespace
