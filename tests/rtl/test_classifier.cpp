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
#include "dejfa/image.hpp"
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
    auto res = dejfa::compile(l.rs, kCfg);
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

TEST(Classifier, MatchesTheImageModel) {
  const auto seed = dejfa::sim::seed_from_env();
  std::printf("config %s seed %llu\n", std::string(kCfg.name).c_str(),
              static_cast<unsigned long long>(seed));
  const Loaded a = make(seed);
  ASSERT_FALSE(a.rs.rules.empty());
  Rig rig(seed);
  rig.load(a.img, false);
  const dejfa::ImageModel model(a.img);
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
  ASSERT_EQ(rig.got.size(), pkts.size());
  std::size_t hits = 0;
  for (std::size_t i = 0; i < pkts.size(); ++i) {
    const auto want = model.header_bits(pkts[i]);
    for (auto w : want) hits += static_cast<std::size_t>(__builtin_popcount(w));
    ASSERT_EQ(rig.got[i], want) << "packet " << i << " seed " << seed << ":"
                                << diff(rig.got[i], want, a.img);
  }
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
