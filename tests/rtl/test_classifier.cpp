// SPDX-License-Identifier: Apache-2.0
//
// Unit test of dejfa_classifier: tables loaded through the write port from compiled images
// (dejfa::table_writes, the driver's code) must give, for every descriptor, exactly the header
// bitmap of the image model. Double banking: bank 1 is rewritten while frames are classified
// with bank 0, which must not change their results.

#include <cstdio>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "Vdejfa_classifier.h"

#include "dejfa/gen/regs.hpp"

#include "../common/randgen.hpp"
#include "dejfa/decode.hpp"
#include "dejfa/image_compile.hpp"
#include "dejfa/image_model.hpp"
#include "dejfa/image_tables.hpp"
#include "dejfa/pktbuild.hpp"
#include "dejfa/rules.hpp"
#include "dejfa/sim/harness.hpp"

namespace {

using dejfa::Packet;
using dejfa::sim::Harness;
using Model = Vdejfa_classifier;

constexpr const dejfa::hw::Config& kCfg = dejfa::hw::kConfigs[DEJFA_CFG_INDEX];

/// A rule set that fits the configuration, and its image.
struct Loaded {
  dejfa::RuleSet rs;
  dejfa::Image img;
};

Loaded make(std::uint64_t seed) {
  dejfa::testgen::Gen g(seed);
  Loaded l;
  for (std::uint32_t n = kCfg.rules_n == 256 ? 60 : 160; n >= 10; n -= 10) {
    l.rs = g.rules(n);
    auto res = dejfa::compile_v2(l.rs, kCfg);
    if (res.ok) {
      l.img = std::move(res.image);
      return l;
    }
  }
  ADD_FAILURE() << "no generated rule set fits";
  return l;
}

void put_addr(VlWide<4>& w, const dejfa::IpAddr& a) {
  for (std::size_t k = 0; k < 4; ++k) {
    const std::size_t b = 12 - 4 * k;
    w[k] = (std::uint32_t{a.b[b]} << 24) | (std::uint32_t{a.b[b + 1]} << 16) |
           (std::uint32_t{a.b[b + 2]} << 8) | a.b[b + 3];
  }
}

class Rig {
 public:
  explicit Rig(std::uint64_t seed) : h_(seed), rng_(seed) {
    idle();
    h_.reset();
  }
  Model& m() { return h_.m(); }

  /// One cycle: an optional table write and an optional descriptor; collects results.
  void cycle(const dejfa::TableWrite* w, bool wbank, const Packet* p, bool pbank) {
    idle();
    if (w != nullptr) {
      m().tbl_wr_en = 1;
      m().tbl_wr_addr = w->word;
      m().tbl_wr_data = w->data;
      m().tbl_wr_bank = wbank ? 1 : 0;
    }
    if (p != nullptr) {
      sent_cycles.push_back(h_.cycle());
      m().s_hdr_valid = 1;
      m().s_hdr_bank = pbank ? 1 : 0;
      m().s_hdr_ip = p->ip ? 1 : 0;
      m().s_hdr_v6 = p->v6 ? 1 : 0;
      put_addr(m().s_hdr_src, p->src);
      put_addr(m().s_hdr_dst, p->dst);
      m().s_hdr_proto = p->proto;
      m().s_hdr_ttl = p->ttl;
      m().s_hdr_frag = p->fragment ? 1 : 0;
      m().s_hdr_l4 = static_cast<std::uint8_t>(p->l4);
      m().s_hdr_sport = p->sport;
      m().s_hdr_dport = p->dport;
      m().s_hdr_tcp_flags = p->tcp_flags;
      m().s_hdr_icmp_type = p->icmp_type;
      m().s_hdr_icmp_code = p->icmp_code;
      m().s_hdr_payload_valid = p->payload_valid ? 1 : 0;
      m().s_hdr_payload_len = static_cast<std::uint16_t>(p->payload_len);
    }
    h_.tick();
    if (m().m_cls_valid) {
      std::vector<std::uint32_t> row(kCfg.rules_n / 32);
      for (std::size_t k = 0; k < row.size(); ++k) row[k] = m().m_cls_match[k];
      got.push_back(row);
      got_cycles.push_back(h_.cycle());
    }
  }
  void drain() {
    for (int i = 0; i < 8; ++i) cycle(nullptr, false, nullptr, false);
  }
  void load(const dejfa::Image& img, bool bank) {
    for (const auto& w : dejfa::table_writes(img)) cycle(&w, bank, nullptr, false);
  }
  bool bubble(unsigned pct) { return std::uniform_int_distribution<unsigned>(0, 99)(rng_) < pct; }
  std::deque<std::vector<std::uint32_t>> got;
  std::vector<std::uint64_t> sent_cycles, got_cycles;

 private:
  void idle() {
    m().tbl_wr_en = 0;
    m().s_hdr_valid = 0;
  }
  Harness<Model> h_;
  std::mt19937_64 rng_;
};

std::string diff(const std::vector<std::uint32_t>& got, const dejfa::Row& want,
                 const dejfa::Image& img) {
  std::string s;
  for (std::size_t i = 0; i < img.rules.size(); ++i) {
    const bool g = ((got[i / 32] >> (i % 32)) & 1U) != 0;
    const bool w = ((want[i / 32] >> (i % 32)) & 1U) != 0;
    if (g != w) {
      s += " sid " + std::to_string(img.rules[i].sid) + (g ? " (rtl only)" : " (model only)");
    }
  }
  return s;
}

/// Every result equals the image model's header bitmap for its packet; `hits` counts rule hits.
void expect_model(const Rig& rig, const std::vector<Packet>& pkts, const dejfa::Image& img,
                  std::uint64_t seed, std::size_t& hits) {
  const dejfa::ImageModel model(img);
  ASSERT_EQ(rig.got.size(), pkts.size());
  hits = 0;
  for (std::size_t i = 0; i < pkts.size(); ++i) {
    const auto want = model.header_bits(pkts[i]);
    for (auto w : want) hits += static_cast<std::size_t>(__builtin_popcount(w));
    ASSERT_EQ(rig.got[i], want) << "packet " << i << " dport " << pkts[i].dport << " seed " << seed
                                << ":" << diff(rig.got[i], want, img);
  }
}

TEST(Classifier, MatchesTheImageModel) {
  const auto seed = dejfa::sim::seed_from_env();
  std::printf("config %s seed %llu\n", std::string(kCfg.name).c_str(),
              static_cast<unsigned long long>(seed));
  const Loaded a = make(seed);
  ASSERT_FALSE(a.rs.rules.empty());
  Rig rig(seed);
  rig.load(a.img, false);
  dejfa::testgen::Gen g(seed + 1);
  dejfa::DecodeLimits lim;
  lim.hdr_win_b = kCfg.hdr_win_b;
  std::vector<Packet> pkts;
  for (int i = 0; i < 3000; ++i) pkts.push_back(dejfa::decode(g.frame(), lim));
  std::size_t sent = 0;
  while (sent < pkts.size()) {
    if (rig.bubble(20)) {
      rig.cycle(nullptr, false, nullptr, false);
    } else {
      rig.cycle(nullptr, false, &pkts[sent++], false);
    }
  }
  rig.drain();
  std::size_t hits = 0;
  expect_model(rig, pkts, a.img, seed, hits);
  if (HasFatalFailure()) return;
  EXPECT_GT(hits, 1000U) << "rules must hit";
  ASSERT_EQ(rig.got_cycles.size(), rig.sent_cycles.size());
  for (std::size_t i = 0; i < rig.got_cycles.size(); ++i) {
    ASSERT_EQ(rig.got_cycles[i] - rig.sent_cycles[i], 4U) << "latency (docs/HARDWARE.md), " << i;
  }
}

TEST(Classifier, ShadowBankWritesDoNotDisturbTheActiveBank) {
  const auto seed = dejfa::sim::seed_from_env();
  std::printf("config %s seed %llu\n", std::string(kCfg.name).c_str(),
              static_cast<unsigned long long>(seed));
  const Loaded a = make(seed);
  const Loaded b = make(seed + 100);
  Rig rig(seed);
  rig.load(a.img, false);  // bank 0 = A
  const dejfa::ImageModel ma(a.img);
  const dejfa::ImageModel mb(b.img);
  dejfa::testgen::Gen g(seed + 2);
  dejfa::DecodeLimits lim;
  lim.hdr_win_b = kCfg.hdr_win_b;
  // Write B into bank 1 while every cycle classifies a frame with bank 0.
  const auto writes = dejfa::table_writes(b.img);
  std::vector<Packet> during;
  for (const auto& w : writes) {
    during.push_back(dejfa::decode(g.frame(), lim));
    rig.cycle(&w, true, &during.back(), false);
  }
  // Then alternate banks frame by frame: each frame wholly A or wholly B.
  std::vector<Packet> after;
  for (int i = 0; i < 2000; ++i) {
    after.push_back(dejfa::decode(g.frame(), lim));
    rig.cycle(nullptr, false, &after.back(), (i % 2) == 1);
  }
  rig.drain();
  ASSERT_EQ(rig.got.size(), during.size() + after.size());
  for (std::size_t i = 0; i < during.size(); ++i) {
    ASSERT_EQ(rig.got[i], ma.header_bits(during[i])) << "during the shadow write, packet " << i;
  }
  for (std::size_t i = 0; i < after.size(); ++i) {
    const auto& m = (i % 2) == 1 ? mb : ma;
    ASSERT_EQ(rig.got[during.size() + i], m.header_bits(after[i])) << "after, packet " << i;
  }
}

}  // namespace

// Tables filled to their limits: nested address prefixes (priority), as many port-range and
// payload-size boundaries as the configuration has (the class counts are sums over all of them,
// so a counting or priority stage that drops the upper entries shows here), and descriptors at
// every boundary and one either side of it.
TEST(Classifier, FullBoundaryAndPrefixTables) {
  const auto seed = dejfa::sim::seed_from_env();
  std::printf("config %s seed %llu\n", std::string(kCfg.name).c_str(),
              static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  std::vector<std::uint16_t> bounds;  // port boundaries in use (range starts and ends + 1)
  std::vector<std::uint32_t> sizes;
  dejfa::RuleSet rs;
  dejfa::Image img;
  for (std::uint32_t n = kCfg.portb_n / 2; n >= 8; --n) {
    std::string text;
    bounds.clear();
    sizes.clear();
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto lo = static_cast<std::uint16_t>(1 + 1000 * i + rng() % 500);
      const auto hi = static_cast<std::uint16_t>(lo + 1 + rng() % 400);
      bounds.push_back(lo);
      bounds.push_back(static_cast<std::uint16_t>(hi + 1));
      const std::uint32_t dsz = 20 * i + static_cast<std::uint32_t>(rng() % 20);
      sizes.push_back(dsz);
      // /8 .. /24 prefixes of 10.x, nested: a later rule's prefix may lie inside an earlier one's
      const unsigned len = 8 + 8 * (i % 3);
      const std::string net =
          "10." + std::to_string(i % 4) + "." + std::to_string(i % 7) + ".0/" + std::to_string(len);
      text += "alert tcp " + net + " any -> any " + std::to_string(lo) + ":" + std::to_string(hi) +
              " (dsize:>" + std::to_string(dsz) + "; sid:" + std::to_string(i + 1) + ";)\n";
    }
    dejfa::LoadResult lr;
    dejfa::parse_rules(text, "<boundaries>", {}, lr);
    auto res = dejfa::compile_v2(lr.set, kCfg);
    if (res.ok) {
      rs = lr.set;
      img = std::move(res.image);
      break;
    }
  }
  ASSERT_FALSE(rs.rules.empty()) << "no boundary-filling rule set fits";
  std::printf("%zu rules, %zu port boundaries, %zu payload-size boundaries\n", rs.rules.size(),
              img.port_bounds.size(), img.dsize_bounds.size());
  EXPECT_GT(img.port_bounds.size(), kCfg.portb_n * 3 / 4) << "the port table must be nearly full";
  EXPECT_GT(img.dsize_bounds.size(), kCfg.dsizeb_n * 3 / 4);

  Rig rig(seed);
  rig.load(img, false);
  dejfa::DecodeLimits lim;
  lim.hdr_win_b = kCfg.hdr_win_b;
  std::vector<Packet> pkts;
  for (std::size_t b = 0; b < bounds.size(); ++b) {
    for (int d = -1; d <= 1; ++d) {
      // mostly inside the boundary's own rule's network and just around its payload size
      const std::uint32_t i = static_cast<std::uint32_t>(b / 2);
      const bool own = rng() % 4 != 0;
      dejfa::FrameSpec s;
      s.src = dejfa::IpAddr::v4(0x0A000000U | (own ? i % 4 : rng() % 4) << 16 |
                                (own ? i % 7 : rng() % 7) << 8 |
                                static_cast<std::uint32_t>(rng() % 256));
      s.dport = static_cast<std::uint16_t>(bounds[b] + d);
      s.sport = static_cast<std::uint16_t>(bounds[rng() % bounds.size()] + d);
      const std::uint32_t dsz =
          (own ? sizes[i] : sizes[rng() % sizes.size()]) + static_cast<std::uint32_t>(d + 1);
      s.payload.assign(dsz, 'x');
      pkts.push_back(dejfa::decode(dejfa::build_frame(s), lim));
    }
  }
  for (const auto& p : pkts) rig.cycle(nullptr, false, &p, false);
  rig.drain();
  std::size_t hits = 0;
  expect_model(rig, pkts, img, seed, hits);
  if (HasFatalFailure()) return;
  EXPECT_GT(hits, pkts.size() / 8) << "rules must hit";  // about a quarter of the packets do
}
